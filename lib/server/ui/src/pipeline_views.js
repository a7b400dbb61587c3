// Pipeline views from the run artifact kmlf/pipeline.json (written by kmlf's tracking hook): a layered
// DAG of nodes and datasets whose namespaces collapse and expand as in kedro-viz (pipeline_graph.js),
// and a Gantt chart of node timings.
import { fetchArtifact } from "./api.js";
import { errorBox, formatDuration, h, mount, s } from "./dom.js";
import { niceTicks } from "./chart_math.js";
import { layoutGraph, namespacesOf, pipelineGraph } from "./pipeline_graph.js";

export const PIPELINE_ARTIFACT = "kmlf/pipeline.json";

/** Renders the pipeline tab of `run`. */
export async function pipelineTab(pane, run) {
  mount(pane, h("p", { class: "muted" }, "Loading pipeline…"));
  let pipeline;
  try {
    pipeline = await (await fetchArtifact(run.info.run_id, PIPELINE_ARTIFACT)).json();
  } catch (error) {
    // Only a missing file means "no pipeline": a refused or broken read says what went wrong.
    const missing = error.status === 404 || error.code === "RESOURCE_DOES_NOT_EXIST";
    mount(
      pane,
      missing
        ? h(
          "p",
          { class: "muted", testid: "no-pipeline" },
          `This run has no ${PIPELINE_ARTIFACT} artifact (runs tracked by kmlf write one).`,
        )
        : errorBox(
          error instanceof SyntaxError ? `Cannot read ${PIPELINE_ARTIFACT}: ${error.message}` : error.message,
          "pipeline-error",
        ),
    );
    return;
  }
  const namespaces = namespacesOf(pipeline);
  const expanded = new Set(); // namespaces start collapsed, as in kedro-viz
  const showParams = h("input", { type: "checkbox", checked: true, testid: "show-params" });
  const dagBox = h("div", { class: "svg-scroll" });
  const details = h("pre", { class: "dag-details muted", testid: "dag-details", "aria-live": "polite" });
  let selected;
  const drawDag = () => {
    // A box opened, closed or selected from the keyboard keeps the focus across the redraw (an opened
    // namespace's focus moves to its frame, a closed one's to its box: both carry its key).
    const focused = dagBox.contains(document.activeElement) ? document.activeElement.dataset.key : undefined;
    mount(
      dagBox,
      dagSvg(pipeline, {
        params: showParams.checked,
        expanded,
        selected: selected?.key,
        onToggle: (ns) => {
          // Closing a namespace closes the ones inside it too.
          if (!expanded.has(ns)) expanded.add(ns);
          else for (const x of [...expanded]) if (x === ns || x.startsWith(`${ns}.`)) expanded.delete(x);
          drawDag();
        },
        onSelect: (item) => {
          selected = selected?.key === item.key ? undefined : item;
          details.textContent = selected?.tip ?? "";
          drawDag();
        },
      }),
    );
    if (focused) {
      [...dagBox.querySelectorAll("[data-key]")].find((el) => el.dataset.key === focused)?.focus();
    }
  };
  showParams.addEventListener("change", drawDag);
  drawDag();
  const all = (open) => () => {
    expanded.clear();
    if (open) { for (const ns of namespaces) expanded.add(ns); }
    drawDag();
  };
  mount(
    pane,
    h(
      "section",
      {},
      h("h2", {}, "DAG"),
      h(
        "div",
        { class: "toolbar" },
        h("label", { class: "check" }, showParams, "Show parameters"),
        namespaces.length
          ? [
            h(
              "button",
              { class: "small", testid: "expand-all", onclick: all(true) },
              "Expand all namespaces",
            ),
            h("button", { class: "small", testid: "collapse-all", onclick: all(false) }, "Collapse all"),
            h("span", { class: "muted" }, "Click a namespace (or Tab to it, Enter) to open or close it."),
          ]
          : null,
      ),
      dagBox,
      details,
    ),
    h("section", {}, h("h2", {}, "Node timings"), h("div", { class: "svg-scroll" }, ganttSvg(pipeline))),
  );
}

const CHAR_W = 6.8, MIN_BOX = 150, MAX_BOX = 320, BOX_H = 34, ROW_H = 56, GAP = 48, PAD = 20;
const boxWidth = (label) => Math.min(MAX_BOX, Math.max(MIN_BOX, Math.ceil(label.length * CHAR_W) + 28));
const fit = (label, width) => {
  const chars = Math.floor((width - 20) / CHAR_W);
  return label.length > chars ? label.slice(0, chars - 1) + "…" : label;
};

/**
 * Attributes making an SVG group act as a button: focusable, Enter or Space acting as a click (the same
 * keys as the runs table's sortable headers).
 */
function pressable(onPress, label) {
  return {
    tabindex: "0",
    role: "button",
    "aria-label": label,
    onclick: onPress,
    onkeydown: (e) => {
      if (e.target !== e.currentTarget || (e.key !== "Enter" && e.key !== " ")) return;
      e.preventDefault();
      onPress(e);
    },
  };
}

/**
 * The DAG as SVG, left to right. Options: params, expanded (Set of open namespaces; all open when not
 * given), onToggle(namespace) (a click on a namespace box or an open namespace's frame label),
 * onSelect({key, tip}) (a click on a node or dataset), selected (the key of the selected one). Every
 * box is reachable by keyboard (Tab, then Enter or Space) when its handler is given.
 */
export function dagSvg(pipeline, options = {}) {
  const expanded = options.expanded ?? new Set(namespacesOf(pipeline));
  const { items, edges } = pipelineGraph(pipeline, { params: options.params, expanded });
  const layers = layoutGraph(items, edges);
  for (const item of items) {
    const text = item.kind === "namespace" ? `▸ ${item.label} (${item.members.length})` : item.label;
    item.text = text;
    item.w = boxWidth(text);
  }
  const colW = layers.map((layer) => Math.max(...layer.map((i) => i.w)) + GAP);
  const depth = (ns) => ns.split(".").length;
  const colX = colW.map((_, i) => PAD + colW.slice(0, i).reduce((a, b) => a + b, 0));
  const maxRows = Math.max(1, ...layers.map((l) => l.length));
  const width = PAD * 2 + colW.reduce((a, b) => a + b, 0);
  const nesting = Math.max(0, ...[...expanded].map(depth));
  const top = PAD + 4 + 20 * nesting;
  const height = top + PAD + maxRows * ROW_H;
  for (const item of items) {
    const layer = layers[item.layer];
    item.x = colX[item.layer] + (colW[item.layer] - GAP - item.w) / 2;
    item.y = top + (maxRows - layer.length) * ROW_H / 2 + item.pos * ROW_H;
  }
  const svg = s("svg", {
    class: "dag",
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    testid: "pipeline-dag",
  });
  svg.append(
    s(
      "defs",
      {},
      s("marker", {
        id: "arrow",
        viewBox: "0 0 10 10",
        refX: 10,
        refY: 5,
        markerWidth: 7,
        markerHeight: 7,
        orient: "auto-start-reverse",
      }, s("path", { d: "M 0 0 L 10 5 L 0 10 z", class: "arrow" })),
    ),
  );
  // Frames behind the members of each open namespace, labelled, a click closes it.
  // A frame holding open namespaces of its own is drawn wider, so each label stays clickable.
  const levelsInside = (ns) =>
    Math.max(0, ...[...expanded].filter((x) => x.startsWith(`${ns}.`)).map((x) => depth(x) - depth(ns)));
  for (const ns of [...expanded].sort()) {
    const members = items.filter((i) => i.namespace === ns || i.namespace.startsWith(`${ns}.`));
    if (members.length === 0) continue;
    const extra = levelsInside(ns);
    const x0 = Math.min(...members.map((i) => i.x)) - 10 - 8 * extra;
    const y0 = Math.min(...members.map((i) => i.y)) - 22 - 20 * extra;
    const x1 = Math.max(...members.map((i) => i.x + i.w)) + 10 + 8 * extra;
    const y1 = Math.max(...members.map((i) => i.y)) + BOX_H + 8 + 8 * extra;
    svg.append(
      s(
        "g",
        {
          class: "dag-frame",
          testid: "dag-namespace-frame",
          dataset: { namespace: ns, key: `ns:${ns}` },
          ...(options.onToggle
            ? { ...pressable(() => options.onToggle(ns), `namespace ${ns}`), "aria-expanded": "true" }
            : {}),
        },
        s("title", {}, `namespace ${ns} (click to collapse)`),
        s("rect", { x: x0, y: y0, width: x1 - x0, height: y1 - y0, rx: 6 }),
        s("text", { x: x0 + 6, y: y0 + 14 }, `▾ ${ns}`),
      ),
    );
  }
  for (const [a, b] of edges) {
    const x1 = a.x + a.w, y1 = a.y + BOX_H / 2, x2 = b.x, y2 = b.y + BOX_H / 2;
    const mx = (x1 + x2) / 2;
    svg.append(
      s("path", {
        d: `M ${x1} ${y1} C ${mx} ${y1}, ${mx} ${y2}, ${x2} ${y2}`,
        class: "edge",
        "marker-end": "url(#arrow)",
      }),
    );
  }
  for (const item of items) {
    const n = item.data;
    const status = item.kind === "namespace" ? item.status : n?.status ?? "";
    const tip = item.kind === "namespace"
      ? `namespace ${item.title}: ${item.members.length} node(s)\n${
        item.members.map((m) => m.name).join("\n")
      }\n(click to expand)`
      : n
      ? `${n.name}\nfunction: ${n.func ?? ""}\nstatus: ${status}${
        n.start && n.end ? `\nduration: ${formatDuration(n.end - n.start)}` : ""
      }${n.tags?.length ? `\ntags: ${n.tags.join(", ")}` : ""}`
      : item.title;
    const testid = { node: "dag-node", namespace: "dag-namespace" }[item.kind] ?? "dag-dataset";
    const isNs = item.kind === "namespace";
    const key = isNs ? `ns:${item.title}` : `${item.kind}:${item.title}`;
    const label = isNs ? `namespace ${item.title}` : `${item.kind} ${item.title}`;
    const press = isNs
      ? options.onToggle &&
        { ...pressable(() => options.onToggle(item.title), label), "aria-expanded": "false" }
      : options.onSelect && {
        ...pressable(() => options.onSelect({ key, tip }), label),
        "aria-pressed": String(options.selected === key),
      };
    svg.append(
      s(
        "g",
        {
          class: `dag-${item.kind} status-${status}${options.selected === key ? " selected" : ""}`,
          testid,
          dataset: { name: item.title, key },
          transform: `translate(${item.x} ${item.y})`,
          ...press,
        },
        s("title", {}, tip),
        s("rect", {
          width: item.w,
          height: BOX_H,
          rx: item.kind === "node" ? 4 : item.kind === "namespace" ? 8 : 17,
        }),
        s("text", { x: item.w / 2, y: BOX_H / 2 + 4, "text-anchor": "middle" }, fit(item.text, item.w)),
      ),
    );
  }
  return svg;
}

/** Node timings as an SVG Gantt chart, in start order. */
export function ganttSvg(pipeline) {
  const nodes = (pipeline.nodes ?? []).slice();
  const timed = nodes.filter((n) => n.start !== null && n.start !== undefined).sort((a, b) =>
    a.start - b.start
  );
  const untimed = nodes.filter((n) => n.start === null || n.start === undefined);
  // The label column fits the longest node name (namespaced names are long), up to 420 px.
  const longest = Math.max(0, ...nodes.map((n) => n.name.length));
  const labelW = Math.min(420, Math.max(200, Math.ceil(longest * 6.6) + 16));
  const labelChars = Math.floor((labelW - 16) / 6.6);
  const barW = 640, rowH = 22, top = 28, pad = 10;
  const width = labelW + barW + 110;
  const height = top + (timed.length + untimed.length) * rowH + pad;
  const svg = s("svg", {
    class: "gantt",
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    testid: "pipeline-gantt",
  });
  if (timed.length === 0) {
    svg.append(s("text", { x: pad, y: 20, class: "muted-text" }, "No node ran."));
  }
  const t0 = Math.min(...timed.map((n) => n.start));
  const t1 = Math.max(...timed.map((n) => n.end ?? n.start));
  const span = Math.max(1, t1 - t0);
  const X = (t) => labelW + ((t - t0) / span) * barW;
  if (timed.length > 0) {
    for (const tick of niceTicks(0, span / 1000, 6)) {
      const x = X(t0 + tick * 1000);
      svg.append(s("line", { x1: x, x2: x, y1: top - 6, y2: height - pad, class: "grid" }));
      svg.append(s("text", { x, y: top - 10, "text-anchor": "middle", class: "tick" }, `${tick}s`));
    }
  }
  [...timed, ...untimed].forEach((n, i) => {
    const y = top + i * rowH;
    const label = n.name.length > labelChars ? n.name.slice(0, labelChars - 1) + "…" : n.name;
    svg.append(
      s(
        "text",
        { x: labelW - 8, y: y + 15, "text-anchor": "end", class: "gantt-label" },
        s("title", {}, n.name),
        label,
      ),
    );
    if (n.start === null || n.start === undefined) {
      svg.append(
        s(
          "text",
          { x: labelW + 4, y: y + 15, class: "muted-text" },
          n.status === "not_run" ? "not run" : String(n.status ?? ""),
        ),
      );
      return;
    }
    const end = n.end ?? n.start;
    const x = X(n.start);
    const w = Math.max(2, X(end) - x);
    const duration = formatDuration(end - n.start);
    svg.append(
      s(
        "rect",
        {
          x,
          y: y + 4,
          width: w,
          height: rowH - 8,
          rx: 2,
          class: `gantt-bar status-${n.status}`,
          testid: "gantt-bar",
          dataset: { name: n.name },
        },
        s("title", {}, `${n.name}: ${duration} (${n.status})`),
      ),
    );
    svg.append(s("text", { x: x + w + 4, y: y + 15, class: "tick" }, duration));
  });
  return svg;
}
