// Columns of the runs table: the fixed ones (select, the run's colour / pin / hide marks, run name),
// then the shown attribute, metric, param and tag columns in the user's order (column_prefs.js). Rows
// are tree rows `{run, depth, childCount, expanded}` or, when runs are grouped, group rows
// `{group, expanded}` followed by their members.
import {
  countOf,
  formatDuration,
  formatRelative,
  formatTime,
  h,
  metricValue,
  runDuration,
  runLabel,
  statusBadge,
} from "./dom.js";
import { quoteKey } from "./search_suggest.js";
import { ATTRIBUTE_COLUMNS, parseColumnId } from "./column_prefs.js";
import { commonValue, datasetsOf } from "./run_groups.js";
import { runHash } from "./routes.js";

/** Sorting by `<entity>.<key>`; none for a key that cannot be quoted (see quoteKey). */
const keySort = (sortColumn, entity, key) => {
  const quoted = quoteKey(key);
  return quoted === undefined ? {} : sortColumn(`${entity}.${quoted}`);
};

/** The first line of a run's description (mlflow.note.content). */
const noteLine = (r) => (r.tags.get("mlflow.note.content") ?? "").split("\n").find((l) => l.trim()) ?? "";

/** Attribute columns: id → {label, width, sortKey?, value(run) → string or Node, className?}. */
const ATTRIBUTES = {
  "attr:created": {
    width: 165,
    sortKey: "attributes.start_time",
    value: (r) => h("span", { title: formatRelative(r.info.start_time) }, formatTime(r.info.start_time)),
  },
  "attr:duration": { width: 90, value: (r) => formatDuration(runDuration(r.info)) },
  "attr:status": { width: 95, sortKey: "attributes.status", value: (r) => statusBadge(r.info.status) },
  "attr:user": {
    width: 90,
    sortKey: "attributes.user_id",
    value: (r) => r.info.user_id || r.tags.get("mlflow.user") || "",
  },
  "attr:source": {
    width: 110,
    sortTag: "mlflow.source.name",
    value: (r) => r.tags.get("mlflow.source.name") ?? "",
  },
  "attr:version": {
    width: 80,
    className: "mono",
    value: (r) => (r.tags.get("mlflow.source.git.commit") ?? "").slice(0, 7),
  },
  "attr:datasets": {
    width: 180,
    value: (r) =>
      h(
        "span",
        { class: "chips" },
        datasetsOf(r).map((d) =>
          h(
            "span",
            { class: "chip", title: `${d.name} (digest ${d.digest})` },
            d.context ? `${d.name} (${d.context})` : d.name,
          )
        ),
      ),
  },
  "attr:run_id": { width: 120, className: "mono", sortKey: "attributes.run_id", value: (r) => r.info.run_id },
  "attr:experiment": { width: 130, value: (r, ctx) => ctx.experimentName(r.info.experiment_id) },
  "attr:description": { width: 200, value: noteLine },
};

/**
 * A colour chip; a click puts the browser's colour picker (`<input type=color>`, testid `${testid}-input`)
 * on it — made then, not for every row drawn, as scrolling redraws rows. `onChange(color)`.
 */
export function colorChip(color, title, onChange, testid = "run-color") {
  const chip = h("span", {
    class: "color-chip",
    style: { background: color },
    title,
    testid,
    role: "button",
  });
  chip.addEventListener("click", () => {
    if (chip.firstChild) return;
    const input = h("input", {
      type: "color",
      value: color,
      class: "color-input",
      testid: `${testid}-input`,
      title,
    });
    input.addEventListener("input", () => onChange(input.value));
    chip.append(input);
    input.click();
  });
  return chip;
}

/**
 * Column definitions for virtualTable. ctx: {selected, selectAll, sortColumn, shown (column ids),
 * prefs ({widths, pinned}), marks, colorOf(runId), repeated (run names used more than once),
 * experimentName(id), onSelect, onToggle(runId), onToggleGroup(groupId), onMarks(), onColor(id, color)}.
 */
export function runColumns(ctx) {
  const width = (id, w) => ctx.prefs?.widths?.[id] ?? w;
  const pinned = new Set(ctx.prefs?.pinned ?? []);
  const runCell = (fn) => (row) => row.group ? "" : fn(row.run, row);
  const cols = [
    {
      id: "select",
      label: "",
      width: 34,
      fixed: true,
      pinned: true,
      header: () => ctx.selectAll,
      cell: (row) => {
        const ids = row.group ? row.group.runs.map((r) => r.info.run_id) : [row.run.info.run_id];
        const box = h("input", {
          type: "checkbox",
          checked: ids.every((id) => ctx.selected.has(id)),
          testid: row.group ? "group-select" : "run-select",
        });
        box.addEventListener("change", () => {
          for (const id of ids) box.checked ? ctx.selected.add(id) : ctx.selected.delete(id);
          ctx.onSelect();
        });
        return box;
      },
    },
    {
      id: "marks",
      label: "",
      width: 66,
      fixed: true,
      pinned: true,
      cell: (row) => {
        if (row.group) {
          return colorChip(
            row.group.color,
            "Group colour",
            (c) => ctx.onColor(row.group.id, c),
            "group-color",
          );
        }
        const id = row.run.info.run_id;
        const isPinned = ctx.marks.isPinned(id), isHidden = ctx.marks.isHidden(id);
        return h(
          "span",
          { class: "marks" },
          colorChip(ctx.colorOf(id), "Run colour (click to change)", (c) => ctx.onColor(id, c)),
          h("button", {
            class: `icon${isPinned ? " on" : ""}`,
            testid: "pin-run",
            "aria-pressed": String(isPinned),
            title: isPinned ? "Unpin" : "Pin to the top and to the charts",
            onclick: () => (ctx.marks.togglePin(id), ctx.onMarks()),
          }, isPinned ? "★" : "☆"),
          h("button", {
            class: `icon${isHidden ? " on" : ""}`,
            testid: "hide-run",
            "aria-pressed": String(isHidden),
            title: isHidden ? "Show in the charts" : "Hide from the charts",
            onclick: () => (ctx.marks.toggleHidden(id), ctx.onMarks()),
          }, isHidden ? "◌" : "◉"),
        );
      },
    },
    {
      id: "run_name",
      label: "Run name",
      width: width("run_name", 220),
      pinned: true,
      immovable: true,
      ...ctx.sortColumn("attributes.run_name"),
      cell: (row) => (row.group ? groupNameCell(row, ctx) : runNameCell(row, ctx)),
    },
  ];
  const shown = [...ctx.shown].sort((a, b) => Number(pinned.has(b)) - Number(pinned.has(a)));
  for (const id of shown) {
    const { kind, key } = parseColumnId(id);
    const base = { id, width: width(id, 110), pinned: pinned.has(id) };
    if (kind === "attr" && ATTRIBUTES[id]) {
      const a = ATTRIBUTES[id];
      cols.push({
        ...base,
        label: ATTRIBUTE_COLUMNS[id],
        width: width(id, a.width),
        className: a.className,
        ...(a.sortKey
          ? ctx.sortColumn(a.sortKey)
          : a.sortTag
          ? keySort(ctx.sortColumn, "tags", a.sortTag)
          : {}),
        cell: runCell((r) => a.value(r, ctx)),
      });
    } else if (kind === "metric") {
      cols.push({
        ...base,
        label: key,
        title: `metric ${key}`,
        className: "num",
        ...keySort(ctx.sortColumn, "metrics", key),
        cell: (row) => metricValue(row.group ? row.group.metrics.get(key) : row.run.metrics.get(key)),
      });
    } else if (kind === "param" || kind === "tag") {
      const of = (r) => (kind === "param" ? r.params : r.tags).get(key);
      cols.push({
        ...base,
        label: key,
        title: `${kind} ${key}`,
        width: width(id, 120),
        ...keySort(ctx.sortColumn, kind === "param" ? "params" : "tags", key),
        cell: (row) => (row.group ? commonValue(row.group.runs, of) : of(row.run)) ?? "",
      });
    }
  }
  return cols;
}

function runNameCell(row, ctx) {
  const r = row.run;
  const name = runLabel(r);
  return h(
    "span",
    { class: "run-name-cell", style: { paddingLeft: `${row.depth * 18}px` } },
    row.childCount
      ? h("button", {
        class: "expander",
        testid: "expand-toggle",
        "aria-expanded": String(row.expanded),
        title: `${row.expanded ? "Hide" : "Show"} ${countOf(row.childCount, "child run")}`,
        onclick: () => ctx.onToggle(r.info.run_id),
      }, row.expanded ? "▾" : "▸")
      : h("span", { class: "expander-space" }),
    h(
      "a",
      { href: runHash(r.info.experiment_id, r.info.run_id), testid: "run-link", title: name },
      (row.depth && !row.inGroup ? "↳ " : "") + name,
    ),
    ctx.repeated.has(name)
      ? h(
        "span",
        { class: "muted short-id", testid: "short-id", title: r.info.run_id },
        r.info.run_id.slice(0, 7),
      )
      : null,
    row.childCount ? h("span", { class: "muted child-count" }, ` (${row.childCount})`) : null,
  );
}

function groupNameCell(row, ctx) {
  return h(
    "span",
    { class: "run-name-cell group-name" },
    h("button", {
      class: "expander",
      testid: "group-toggle",
      "aria-expanded": String(row.expanded),
      title: `${row.expanded ? "Hide" : "Show"} the group's runs`,
      onclick: () => ctx.onToggleGroup(row.group.id),
    }, row.expanded ? "▾" : "▸"),
    h("strong", { testid: "group-label", title: row.group.label }, row.group.label),
    h("span", { class: "muted child-count" }, ` (${row.group.runs.length})`),
  );
}
