// Columns of the runs table: attributes (MLflow's set), then the chosen metric, param and tag columns.
import {
  formatDuration,
  formatNumber,
  formatRelative,
  formatTime,
  h,
  runDuration,
  runLabel,
  statusBadge,
} from "./dom.js";
import { quoteKey } from "./search_suggest.js";

/** Sorting by `<entity>.<key>`; none for a key that cannot be quoted (see quoteKey). */
const keySort = (sortColumn, entity, key) => {
  const quoted = quoteKey(key);
  return quoted === undefined ? {} : sortColumn(`${entity}.${quoted}`);
};

/**
 * Column definitions for virtualTable; rows are tree rows `{run, depth, childCount, expanded}`.
 * `sortColumn(orderKey)` gives a column's sort state and handler, `chosenKeys(kind)` the shown keys.
 */
export function runColumns(
  { experimentId, selected, selectAll, sortColumn, chosenKeys, onSelect, onToggle },
) {
  const cols = [
    {
      id: "select",
      label: "",
      width: 34,
      header: () => selectAll,
      cell: (r) => {
        const box = h("input", {
          type: "checkbox",
          checked: selected.has(r.info.run_id),
          testid: "run-select",
        });
        box.addEventListener("change", () => {
          box.checked ? selected.add(r.info.run_id) : selected.delete(r.info.run_id);
          onSelect();
        });
        return box;
      },
    },
    {
      id: "run_name",
      label: "Run name",
      width: 200,
      ...sortColumn("attributes.run_name"),
      cell: (r, row) =>
        h(
          "span",
          { class: "run-name-cell", style: { paddingLeft: `${row.depth * 18}px` } },
          row.childCount
            ? h("button", {
              class: "expander",
              testid: "expand-toggle",
              "aria-expanded": String(row.expanded),
              title: `${row.expanded ? "Hide" : "Show"} ${row.childCount} child run(s)`,
              onclick: () => onToggle(r.info.run_id),
            }, row.expanded ? "▾" : "▸")
            : h("span", { class: "expander-space" }),
          h(
            "a",
            {
              href: `#/experiments/${encodeURIComponent(experimentId)}/runs/${r.info.run_id}`,
              testid: "run-link",
            },
            (row.depth ? "↳ " : "") + runLabel(r),
          ),
          row.childCount ? h("span", { class: "muted child-count" }, ` (${row.childCount})`) : null,
        ),
    },
    {
      id: "created",
      label: "Created",
      width: 165,
      ...sortColumn("attributes.start_time"),
      cell: (r) => h("span", { title: formatRelative(r.info.start_time) }, formatTime(r.info.start_time)),
    },
    { id: "duration", label: "Duration", width: 90, cell: (r) => formatDuration(runDuration(r.info)) },
    {
      id: "status",
      label: "Status",
      width: 90,
      ...sortColumn("attributes.status"),
      cell: (r) => statusBadge(r.info.status),
    },
    {
      id: "user",
      label: "User",
      width: 90,
      ...sortColumn("attributes.user_id"),
      cell: (r) => r.info.user_id || r.tags.get("mlflow.user") || "",
    },
    {
      id: "source",
      label: "Source",
      width: 110,
      ...keySort(sortColumn, "tags", "mlflow.source.name"),
      cell: (r) => r.tags.get("mlflow.source.name") ?? "",
    },
    {
      id: "version",
      label: "Version",
      width: 80,
      className: "mono",
      cell: (r) => (r.tags.get("mlflow.source.git.commit") ?? "").slice(0, 7),
    },
  ];
  for (const key of chosenKeys("metrics")) {
    cols.push({
      id: `metric-${key}`,
      label: key,
      title: `metric ${key}`,
      width: 110,
      className: "num",
      ...keySort(sortColumn, "metrics", key),
      cell: (r) => formatNumber(r.metrics.get(key)),
    });
  }
  for (const key of chosenKeys("params")) {
    cols.push({
      id: `param-${key}`,
      label: key,
      title: `param ${key}`,
      width: 120,
      ...keySort(sortColumn, "params", key),
      cell: (r) => r.params.get(key) ?? "",
    });
  }
  for (const key of chosenKeys("tags")) {
    cols.push({
      id: `tag-${key}`,
      label: key,
      title: `tag ${key}`,
      width: 120,
      ...keySort(sortColumn, "tags", key),
      cell: (r) => r.tags.get(key) ?? "",
    });
  }
  // Cells get the run and its tree row ({depth, childCount, expanded}).
  return cols.map((c) => ({ ...c, cell: (row) => c.cell(row.run, row) }));
}
