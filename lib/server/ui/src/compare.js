// Compare runs (#/compare-runs?runs=[…]&experiments=[…]): params, metrics and tags side by side in one
// table (compare_table.js) with differences highlighted (dict params split into dotted rows), overlaid metric histories, a scatter
// plot (x defaults to the first param that differs) and parallel coordinates that widen with their axes.
// Runs keep their colours from the runs table.
import { bulkMetricHistory, getRunsOf, metricHistory } from "./api.js";
import {
  countOf,
  errorBox,
  exactNumber,
  formatDuration,
  formatTime,
  h,
  metricValue,
  missingRunsNotice,
  mount,
  parseIdList,
  runDuration,
  statusBadge,
  toMap,
} from "./dom.js";
import { metricChart, xAxisSelect } from "./charts.js";
import { scatterPlot } from "./scatter.js";
import { parallelPlot } from "./parallel.js";
import { runColor } from "./run_marks.js";
import { distinctLabels } from "./metric_page.js";
import { firstDiffering, flattenParams } from "./param_values.js";
import { metricHash } from "./routes.js";
import { exportButtons } from "./chart_export.js";
import { compareTable } from "./compare_table.js";

async function histories(runs, key) {
  const ids = runs.map((r) => r.info.run_id);
  try {
    return await bulkMetricHistory(ids, key);
  } catch {
    // Servers without get-history-bulk-interval: one call per run.
    return new Map(await Promise.all(ids.map(async (id) => [id, await metricHistory(id, key)])));
  }
}

function historyChart(runs, label, keys, experimentIds) {
  const select = h(
    "select",
    { testid: "compare-metric-select" },
    keys.map((k) => h("option", { value: k }, k)),
  );
  const xAxis = xAxisSelect();
  const box = h("div", { class: "chart-card wide" });
  const open = h("a", { class: "button small", testid: "open-metric-page" }, "Open on the metric page");
  let chart;
  const draw = async () => {
    if (!select.value) return;
    open.href = metricHash(runs.map((r) => r.info.run_id), [select.value], experimentIds);
    try {
      const byRun = await histories(runs, select.value);
      chart = metricChart(
        runs.map((r) => ({
          label: label(r),
          color: runColor(r.info.run_id),
          points: byRun.get(r.info.run_id) ?? [],
        })),
        { xType: xAxis.value, testid: "compare-chart", title: select.value },
      );
      chart.dataset.metric = select.value;
      mount(box, chart);
    } catch (error) {
      mount(box, errorBox(error.message, "compare-chart-error"));
    }
  };
  select.addEventListener("change", draw);
  xAxis.addEventListener("change", draw);
  void draw();
  return h(
    "div",
    {},
    h(
      "div",
      { class: "toolbar" },
      h("label", {}, "Metric ", select),
      h("label", {}, "X axis ", xAxis),
      open,
      exportButtons(() => chart, () => select.value),
    ),
    box,
  );
}

/** Renders the compare page. */
export async function comparePage(container, route) {
  const ids = parseIdList(route.query.get("runs"));
  if (ids.length === 0) throw new Error('No runs to compare: the link needs ?runs=["<run id>", …]');
  mount(container, h("p", { class: "muted" }, "Loading runs…"));
  const { runs, missing } = await getRunsOf(ids);
  const labels = distinctLabels(runs);
  const label = (r) => labels.get(r.info.run_id);
  const experimentIds = parseIdList(route.query.get("experiments"));
  const params = runs.map((r) => flattenParams(toMap(r.data?.params)));
  const metrics = runs.map((r) => new Map((r.data?.metrics ?? []).map((m) => [m.key, m.value])));
  const index = new Map(runs.map((r, i) => [r, i]));
  const paramKeys = [...new Set(params.flatMap((m) => [...m.keys()]))].sort();
  const metricKeys = [...new Set(metrics.flatMap((m) => [...m.keys()]))].sort();
  // The tags users set (MLflow's compare page leaves its own mlflow.* tags out, as the run page does).
  const tags = runs.map((r) =>
    new Map((r.data?.tags ?? []).filter((t) => !t.key.startsWith("mlflow.")).map((t) => [t.key, t.value]))
  );
  const tagKeys = [...new Set(tags.flatMap((m) => [...m.keys()]))].sort();
  const tagOf = (r, k) => tags[index.get(r)].get(k);
  const paramOf = (r, k) => params[index.get(r)].get(k);
  // Exact values: two metrics that round to the same shown text still differ.
  const metricOf = (r, k) => {
    const v = metrics[index.get(r)].get(k);
    return v === undefined ? undefined : exactNumber(v);
  };
  const diffOnly = h("input", { type: "checkbox", testid: "diff-only" });
  const info = [
    ["Run ID", (r) => h("div", { class: "mono compare-value", title: r.info.run_id }, r.info.run_id)],
    ["Status", (r) => statusBadge(r.info.status)],
    ["Start time", (r) => formatTime(r.info.start_time)],
    ["Duration", (r) => formatDuration(runDuration(r.info))],
  ];
  const table = compareTable(runs, label, info, [
    {
      title: "Parameters",
      testid: "compare-params",
      rowTestid: "param-row",
      keys: paramKeys,
      valueOf: paramOf,
    },
    {
      title: "Metrics",
      testid: "compare-metrics",
      rowTestid: "metric-row",
      keys: metricKeys,
      valueOf: metricOf,
      show: (v) => metricValue(v),
    },
    { title: "Tags", testid: "compare-tags", rowTestid: "tag-row", keys: tagKeys, valueOf: tagOf },
  ]);
  diffOnly.addEventListener("change", () => table.refresh(diffOnly.checked));

  const valueFor = (r, choice) => {
    const [kind, ...rest] = choice.split(":");
    const key = rest.join(":");
    return kind === "param" ? paramOf(r, key) : metrics[index.get(r)].get(key);
  };
  const xSelect = h("select", { testid: "scatter-x" }, [
    ...paramKeys.map((k) => h("option", { value: `param:${k}` }, `param ${k}`)),
    ...metricKeys.map((k) => h("option", { value: `metric:${k}` }, `metric ${k}`)),
  ]);
  const differing = firstDiffering(paramKeys, params);
  if (differing !== undefined) xSelect.value = `param:${differing}`;
  const ySelect = h(
    "select",
    { testid: "scatter-y" },
    metricKeys.map((k) => h("option", { value: `metric:${k}` }, `metric ${k}`)),
  );
  const scatterBox = h("div", { class: "svg-scroll-x" });
  const drawScatter = () => {
    if (!xSelect.value || !ySelect.value) {
      return void mount(scatterBox, h("p", { class: "muted" }, "Needs at least one metric."));
    }
    mount(
      scatterBox,
      scatterPlot(
        runs.map((r) => ({
          x: valueFor(r, xSelect.value),
          y: valueFor(r, ySelect.value),
          label: label(r),
          color: runColor(r.info.run_id),
        })),
        { xLabel: xSelect.selectedOptions[0]?.textContent, yLabel: ySelect.selectedOptions[0]?.textContent },
      ),
    );
  };
  xSelect.addEventListener("change", drawScatter);
  ySelect.addEventListener("change", drawScatter);
  drawScatter();
  mount(
    container,
    h("h1", { testid: "compare-title" }, `Comparing ${countOf(runs.length, "run")}`),
    missingRunsNotice(missing),
    h("label", { class: "check" }, diffOnly, "Show differences only"),
    table.el,
    metricKeys.length
      ? h("section", {}, h("h2", {}, "Metric history"), historyChart(runs, label, metricKeys, experimentIds))
      : null,
    h(
      "section",
      {},
      h("h2", {}, "Scatter plot"),
      h("div", { class: "toolbar" }, h("label", {}, "X ", xSelect), h("label", {}, "Y ", ySelect)),
      scatterBox,
    ),
    parallelSection(runs, label, paramKeys, metricKeys, valueFor, params),
  );
  return {};
}

/** Parallel coordinates with a chooser of axes: by default the params that differ, then the metrics. */
function parallelSection(runs, label, paramKeys, metricKeys, valueFor, params) {
  const choices = [
    ...paramKeys.map((k) => ({ id: `param:${k}`, text: `param ${k}` })),
    ...metricKeys.map((k) => ({ id: `metric:${k}`, text: `metric ${k}` })),
  ];
  const differs = new Set(paramKeys.filter((k) => new Set(params.map((m) => m.get(k))).size > 1));
  const initial = new Set([
    ...paramKeys.filter((k) => differs.has(k)).slice(0, 6).map((k) => `param:${k}`),
    ...metricKeys.slice(0, 4).map((k) => `metric:${k}`),
  ]);
  const plotBox = h("div", { class: "chart-card wide svg-scroll-x" });
  const boxes = choices.map((c) =>
    h("input", {
      type: "checkbox",
      checked: initial.has(c.id),
      testid: "parallel-dim",
      dataset: { key: c.id },
      onchange: () => draw(),
    })
  );
  const draw = () => {
    const dims = choices.filter((_, i) => boxes[i].checked).map((c) => ({
      label: c.text,
      values: runs.map((r) => valueFor(r, c.id)),
    }));
    if (dims.length === 0) {
      return void mount(
        plotBox,
        h("p", { class: "muted", testid: "parallel-empty" }, "Choose axes to plot."),
      );
    }
    mount(
      plotBox,
      parallelPlot(dims, runs.map(label), {
        colors: runs.map((r) => runColor(r.info.run_id)),
        minWidth: Math.max(600, (plotBox.clientWidth || 900) - 20),
      }),
    );
  };
  draw();
  return h(
    "section",
    {},
    h("h2", {}, "Parallel coordinates"),
    h(
      "details",
      { class: "columns-menu", testid: "parallel-axes" },
      h("summary", {}, "Axes"),
      h(
        "div",
        { class: "menu-panel" },
        choices.map((c, i) => h("label", { class: "check" }, boxes[i], c.text)),
      ),
    ),
    plotBox,
  );
}
