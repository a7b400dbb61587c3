// Pipeline views from the run artifact kmlf/pipeline.json (written by kmlf's tracking hook):
// a layered DAG of nodes and datasets, and a Gantt chart of node timings.
import { artifactUrl } from "./api.js";
import { errorBox, formatDuration, h, mount, s } from "./dom.js";
import { niceTicks } from "./charts.js";

export const PIPELINE_ARTIFACT = "kmlf/pipeline.json";
const names = (x) => (Array.isArray(x) ? x : x && typeof x === "object" ? Object.values(x) : []).map(String);
const isParam = (d) => d === "parameters" || d.startsWith("params:");

/** Renders the pipeline tab of `run`. */
export async function pipelineTab(pane, run) {
  mount(pane, h("p", { class: "muted" }, "Loading pipeline…"));
  const response = await fetch(artifactUrl(run.info.run_id, PIPELINE_ARTIFACT));
  if (!response.ok) {
    mount(
      pane,
      h(
        "p",
        { class: "muted", testid: "no-pipeline" },
        `This run has no ${PIPELINE_ARTIFACT} artifact (runs tracked by kmlf write one).`,
      ),
    );
    return;
  }
  let pipeline;
  try {
    pipeline = await response.json();
  } catch (error) {
    mount(pane, errorBox(`Cannot read ${PIPELINE_ARTIFACT}: ${error.message}`, "pipeline-error"));
    return;
  }
  const showParams = h("input", { type: "checkbox", checked: true, testid: "show-params" });
  const dagBox = h("div", { class: "svg-scroll" });
  const drawDag = () => mount(dagBox, dagSvg(pipeline, { params: showParams.checked }));
  showParams.addEventListener("change", drawDag);
  drawDag();
  mount(
    pane,
    h(
      "section",
      {},
      h("h2", {}, "DAG"),
      h("label", { class: "check" }, showParams, "Show parameters"),
      dagBox,
    ),
    h("section", {}, h("h2", {}, "Node timings"), h("div", { class: "svg-scroll" }, ganttSvg(pipeline))),
  );
}

/** Layers: datasets on even columns, nodes on odd ones, each after everything it depends on. */
export function layout(pipeline, { params = true } = {}) {
  const nodes = pipeline.nodes ?? [];
  const producer = new Map();
  for (const n of nodes) for (const d of names(n.outputs)) producer.set(d, n);
  const rank = new Map();
  const visiting = new Set();
  const nodeRank = (n) => {
    if (rank.has(n)) return rank.get(n);
    if (visiting.has(n)) return 1; // a cycle cannot come from a valid pipeline; do not loop
    visiting.add(n);
    let r = 1;
    for (const d of names(n.inputs)) {
      const p = producer.get(d);
      if (p) r = Math.max(r, nodeRank(p) + 2);
    }
    visiting.delete(n);
    rank.set(n, r);
    return r;
  };
  const items = []; // {id, kind, label, layer, data}
  const byId = new Map();
  const add = (id, kind, label, layer, data) => {
    if (byId.has(id)) return byId.get(id);
    const item = { id, kind, label, layer, data };
    byId.set(id, item);
    items.push(item);
    return item;
  };
  const edges = [];
  for (const n of nodes) add(`n:${n.name}`, "node", n.name, nodeRank(n), n);
  for (const n of nodes) {
    for (const d of names(n.outputs)) {
      add(`d:${d}`, "dataset", d, nodeRank(n) + 1);
      edges.push([`n:${n.name}`, `d:${d}`]);
    }
  }
  for (const n of nodes) {
    for (const d of names(n.inputs)) {
      if (!params && isParam(d)) continue;
      if (!byId.has(`d:${d}`)) {
        const consumers = nodes.filter((m) => names(m.inputs).includes(d)).map(nodeRank);
        add(`d:${d}`, isParam(d) ? "param" : "dataset", d, Math.min(...consumers) - 1);
      }
      edges.push([`d:${d}`, `n:${n.name}`]);
    }
  }
  const layers = [];
  for (const item of items) (layers[item.layer] ??= []).push(item);
  const compact = layers.filter(Boolean);
  compact.forEach((layer, i) => layer.forEach((item, j) => ((item.layer = i), (item.pos = j))));
  // Barycenter sweeps reduce edge crossings.
  const preds = new Map(items.map((i) => [i.id, []]));
  const succs = new Map(items.map((i) => [i.id, []]));
  for (const [a, b] of edges) preds.get(b).push(byId.get(a)), succs.get(a).push(byId.get(b));
  for (let iter = 0; iter < 4; iter++) {
    const down = iter % 2 === 0;
    const order = down ? compact.slice(1) : compact.slice(0, -1).reverse();
    for (const layer of order) {
      const center = (item) => {
        const ns = (down ? preds : succs).get(item.id);
        return ns.length ? ns.reduce((sum, x) => sum + x.pos, 0) / ns.length : item.pos;
      };
      layer.sort((a, b) => center(a) - center(b));
      layer.forEach((item, j) => (item.pos = j));
    }
  }
  return { items, edges: edges.map(([a, b]) => [byId.get(a), byId.get(b)]), layers: compact };
}

/** The DAG as SVG, left to right. */
export function dagSvg(pipeline, options) {
  const { items, edges, layers } = layout(pipeline, options);
  const colW = 210, rowH = 56, boxW = 170, boxH = 34, pad = 20;
  const maxRows = Math.max(1, ...layers.map((l) => l.length));
  const width = pad * 2 + layers.length * colW;
  const height = pad * 2 + maxRows * rowH;
  for (const item of items) {
    const layer = layers[item.layer];
    item.x = pad + item.layer * colW;
    item.y = pad + (maxRows - layer.length) * rowH / 2 + item.pos * rowH;
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
  for (const [a, b] of edges) {
    const x1 = a.x + boxW, y1 = a.y + boxH / 2, x2 = b.x, y2 = b.y + boxH / 2;
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
    const status = n?.status ?? "";
    const label = item.label.length > 24 ? item.label.slice(0, 23) + "…" : item.label;
    const tip = n
      ? `${n.name}\nfunction: ${n.func ?? ""}\nstatus: ${status}${
        n.start && n.end ? `\nduration: ${formatDuration(n.end - n.start)}` : ""
      }${n.tags?.length ? `\ntags: ${n.tags.join(", ")}` : ""}`
      : item.label;
    svg.append(
      s(
        "g",
        {
          class: `dag-${item.kind} status-${status}`,
          testid: item.kind === "node" ? "dag-node" : "dag-dataset",
          dataset: { name: item.label },
          transform: `translate(${item.x} ${item.y})`,
        },
        s("title", {}, tip),
        s("rect", { width: boxW, height: boxH, rx: item.kind === "node" ? 4 : 17 }),
        s("text", { x: boxW / 2, y: boxH / 2 + 4, "text-anchor": "middle" }, label),
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
  const labelW = 200, barW = 640, rowH = 22, top = 28, pad = 10;
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
    const label = n.name.length > 28 ? n.name.slice(0, 27) + "…" : n.name;
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
