// Controls of the experiment page's toolbar: Table / Chart, time created, datasets, group by.
import { h, mount } from "./dom.js";
import { START_TIMES } from "./runs_query.js";
import { groupByLabel } from "./run_groups.js";

/** Table / Chart switch (MLflow's compareRunsMode). */
export function viewToggle(mode, onChange) {
  const button = (value, label) =>
    h("button", {
      class: `small${mode === value ? " active" : ""}`,
      testid: `view-${value.toLowerCase()}`,
      "aria-pressed": String(mode === value),
      onclick: () => onChange(value),
    }, label);
  const el = h(
    "span",
    { class: "toggle", role: "group" },
    button("TABLE", "Table"),
    button("CHART", "Chart"),
  );
  return {
    el,
    set(next) {
      mode = next;
      for (const b of el.children) {
        const on = b.dataset.testid === `view-${next.toLowerCase()}`;
        b.classList.toggle("active", on);
        b.setAttribute("aria-pressed", String(on));
      }
    },
  };
}

/** "Time created": all time, last hour … last year. */
export function startTimeSelect(value, onChange) {
  const el = h(
    "select",
    { testid: "start-time", title: "Time created" },
    Object.entries(START_TIMES).map(([v, [label]]) => h("option", { value: v }, label)),
  );
  el.value = value;
  el.addEventListener("change", () => onChange(el.value));
  return el;
}

const datasetKey = (d) => `${d.name}\u0000${d.digest}`;

/**
 * The datasets filter: a dropdown of the datasets the runs used (`known()` → [{name, digest, context}]);
 * ticking some keeps the runs that used them. `onChange(list)`.
 */
export function datasetsFilter({ selected, known, onChange }) {
  const summary = h("summary", { testid: "datasets-filter-toggle" }, "Datasets");
  const panel = h("div", { class: "menu-panel" });
  const el = h("details", { class: "columns-menu", testid: "datasets-filter" }, summary, panel);
  let chosen = new Map(selected.map((d) => [datasetKey(d), d]));
  const render = () => {
    const all = new Map(known().map((d) => [datasetKey(d), d]));
    for (const [k, d] of chosen) if (!all.has(k)) all.set(k, d);
    summary.textContent = chosen.size ? `Datasets (${chosen.size})` : "Datasets";
    mount(
      panel,
      all.size === 0 ? h("p", { class: "muted" }, "No run of this page logged a dataset.") : null,
      [...all.values()].sort((a, b) => a.name.localeCompare(b.name)).map((d) => {
        const box = h("input", {
          type: "checkbox",
          checked: chosen.has(datasetKey(d)),
          testid: "dataset-option",
          dataset: { name: d.name },
        });
        box.addEventListener("change", () => {
          box.checked ? chosen.set(datasetKey(d), d) : chosen.delete(datasetKey(d));
          onChange([...chosen.values()]);
        });
        return h(
          "label",
          { class: "check", title: `digest ${d.digest}` },
          box,
          d.name,
          d.context ? h("span", { class: "muted" }, ` (${d.context})`) : null,
        );
      }),
    );
  };
  render();
  return {
    el,
    refresh: render,
    set(list) {
      chosen = new Map(list.map((d) => [datasetKey(d), d]));
      render();
    },
  };
}

/**
 * Group by (none, datasets, a param or a tag) and the aggregate of metrics (min, max, mean).
 * `choices()` → ids like "param:model", "tag:team", "datasets". `onChange({groupBy, aggregate})`.
 */
export function groupControls({ value, choices, onChange }) {
  const by = h("select", { testid: "group-by", title: "Group runs by" });
  const agg = h(
    "select",
    { testid: "group-aggregate", title: "Aggregate metrics of a group" },
    h("option", { value: "mean" }, "mean"),
    h("option", { value: "min" }, "min"),
    h("option", { value: "max" }, "max"),
  );
  agg.value = value.aggregate ?? "mean";
  const render = () => {
    const current = value.groupBy ?? "";
    const ids = [...new Set([...choices(), ...(current ? [current] : [])])];
    mount(
      by,
      h("option", { value: "" }, "No grouping"),
      ids.map((id) => h("option", { value: id, title: groupByLabel(id) }, `Group by ${groupByLabel(id)}`)),
    );
    by.value = current;
    // The select is kept narrow (a long param name ends in "…"): its tooltip names the whole choice.
    by.title = current ? `Group runs by ${groupByLabel(current)}` : "Group runs by";
    agg.hidden = !current;
  };
  const changed = () => {
    value = { groupBy: by.value || undefined, aggregate: agg.value };
    agg.hidden = !value.groupBy;
    by.title = value.groupBy ? `Group runs by ${groupByLabel(value.groupBy)}` : "Group runs by";
    onChange(value);
  };
  by.addEventListener("change", changed);
  agg.addEventListener("change", changed);
  render();
  return { el: h("span", { class: "group-controls" }, by, agg), refresh: render };
}
