// Compare runs (#/compare-runs?runs=[…]&experiments=[…]): params and metrics side by side with
// differences highlighted, overlaid metric histories, a scatter plot of a param or metric vs a
// metric and a parallel-coordinates plot of chosen params and metrics. Also the metric page (#/metric/<key>?runs=[…]).
import { bulkMetricHistory, getRun, metricHistory } from "./api.js";
import {
  errorBox,
  formatDuration,
  formatNumber,
  formatTime,
  h,
  mount,
  PALETTE,
  parseIdList,
  runDuration,
  runLabel,
  statusBadge,
  toMap,
} from "./dom.js";
import { lineChart, xAxisSelect } from "./charts.js";
import { scatterPlot } from "./scatter.js";
import { parallelPlot } from "./parallel.js";

const runHref = (r) => `#/experiments/${encodeURIComponent(r.info.experiment_id)}/runs/${r.info.run_id}`;

async function loadRuns(query) {
  const ids = parseIdList(query.get("runs"));
  if (ids.length === 0) throw new Error('No runs to compare: the link needs ?runs=["<run id>", …]');
  const runs = await Promise.all(ids.map((id) => getRun(id)));
  const labels = distinctLabels(runs);
  return { runs, label: (r) => labels.get(r.info.run_id) };
}

/** Run names, with the short run id added where names repeat. */
function distinctLabels(runs) {
  const counts = new Map();
  for (const r of runs) counts.set(runLabel(r), (counts.get(runLabel(r)) ?? 0) + 1);
  return new Map(
    runs.map((
      r,
    ) => [
      r.info.run_id,
      counts.get(runLabel(r)) > 1 ? `${runLabel(r)} (${r.info.run_id.slice(0, 7)})` : runLabel(r),
    ]),
  );
}

async function histories(runs, key) {
  const ids = runs.map((r) => r.info.run_id);
  try {
    return await bulkMetricHistory(ids, key);
  } catch {
    // Older servers without get-history-bulk-interval: one call per run.
    return new Map(await Promise.all(ids.map(async (id) => [id, await metricHistory(id, key)])));
  }
}

function historyChart(runs, label, keys, initial) {
  const select = h(
    "select",
    { testid: "compare-metric-select" },
    keys.map((k) => h("option", { value: k }, k)),
  );
  if (initial && keys.includes(initial)) select.value = initial;
  const xAxis = xAxisSelect();
  const box = h("div", { class: "chart-card wide" });
  const draw = async () => {
    if (!select.value) return;
    try {
      const byRun = await histories(runs, select.value);
      const chart = lineChart(
        runs.map((r, i) => ({
          label: label(r),
          color: PALETTE[i % PALETTE.length],
          points: byRun.get(r.info.run_id) ?? [],
        })),
        { xType: xAxis.value, testid: "compare-chart" },
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
    h("div", { class: "toolbar" }, h("label", {}, "Metric ", select), h("label", {}, "X axis ", xAxis)),
    box,
  );
}

function diffTable(runs, label, keys, valueOf, testid, rowTestid) {
  return h(
    "table",
    { class: "grid-table compare", testid },
    h("thead", {}, h("tr", {}, h("th", {}, ""), runs.map((r) => h("th", {}, label(r))))),
    h(
      "tbody",
      {},
      keys.map((key) => {
        const values = runs.map((r) => valueOf(r, key));
        const differs = values.some((v) => v !== values[0]);
        return h(
          "tr",
          { class: differs ? "diff" : "same", testid: rowTestid, dataset: { key, differs: String(differs) } },
          h("th", {}, key),
          values.map((v) => h("td", {}, v ?? "")),
        );
      }),
    ),
  );
}

/** Renders the compare page. */
export async function comparePage(container, route) {
  mount(container, h("p", { class: "muted" }, "Loading runs…"));
  const { runs, label } = await loadRuns(route.query);
  const params = runs.map((r) => toMap(r.data?.params));
  const metrics = runs.map((r) => new Map((r.data?.metrics ?? []).map((m) => [m.key, m.value])));
  const index = new Map(runs.map((r, i) => [r, i]));
  const paramKeys = [...new Set(params.flatMap((m) => [...m.keys()]))].sort();
  const metricKeys = [...new Set(metrics.flatMap((m) => [...m.keys()]))].sort();
  const paramOf = (r, k) => params[index.get(r)].get(k);
  const metricOf = (r, k) => {
    const v = metrics[index.get(r)].get(k);
    return v === undefined ? undefined : formatNumber(v);
  };
  const diffOnly = h("input", { type: "checkbox", testid: "diff-only" });
  const tables = h("div");
  const renderTables = () => {
    const keep = (keys, of) =>
      diffOnly.checked ? keys.filter((k) => runs.some((r) => of(r, k) !== of(runs[0], k))) : keys;
    mount(
      tables,
      h("h2", {}, `Parameters (${paramKeys.length})`),
      diffTable(runs, label, keep(paramKeys, paramOf), paramOf, "compare-params", "param-row"),
      h("h2", {}, `Metrics (${metricKeys.length})`),
      diffTable(runs, label, keep(metricKeys, metricOf), metricOf, "compare-metrics", "metric-row"),
    );
  };
  diffOnly.addEventListener("change", renderTables);
  renderTables();

  const xSelect = h("select", { testid: "scatter-x" }, [
    ...paramKeys.map((k) => h("option", { value: `param:${k}` }, `param ${k}`)),
    ...metricKeys.map((k) => h("option", { value: `metric:${k}` }, `metric ${k}`)),
  ]);
  const ySelect = h(
    "select",
    { testid: "scatter-y" },
    metricKeys.map((k) => h("option", { value: `metric:${k}` }, `metric ${k}`)),
  );
  const scatterBox = h("div");
  const valueFor = (r, choice) => {
    const [kind, ...rest] = choice.split(":");
    const key = rest.join(":");
    return kind === "param" ? paramOf(r, key) : metrics[index.get(r)].get(key);
  };
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
        })),
        { xLabel: xSelect.selectedOptions[0]?.textContent, yLabel: ySelect.selectedOptions[0]?.textContent },
      ),
    );
  };
  xSelect.addEventListener("change", drawScatter);
  ySelect.addEventListener("change", drawScatter);
  drawScatter();
  const parallel = parallelSection(runs, label, paramKeys, metricKeys, valueFor);

  mount(
    container,
    h("h1", { testid: "compare-title" }, `Comparing ${runs.length} runs`),
    h(
      "table",
      { class: "grid-table compare", testid: "compare-runs" },
      h(
        "tbody",
        {},
        h(
          "tr",
          {},
          h("th", {}, "Run"),
          runs.map((r) => h("td", {}, h("a", { href: runHref(r), testid: "compare-run-link" }, label(r)))),
        ),
        h("tr", {}, h("th", {}, "Run ID"), runs.map((r) => h("td", { class: "mono" }, r.info.run_id))),
        h("tr", {}, h("th", {}, "Status"), runs.map((r) => h("td", {}, statusBadge(r.info.status)))),
        h("tr", {}, h("th", {}, "Start time"), runs.map((r) => h("td", {}, formatTime(r.info.start_time)))),
        h(
          "tr",
          {},
          h("th", {}, "Duration"),
          runs.map((r) => h("td", {}, formatDuration(runDuration(r.info)))),
        ),
      ),
    ),
    h("label", { class: "check" }, diffOnly, "Show differences only"),
    tables,
    metricKeys.length
      ? h("section", {}, h("h2", {}, "Metric history"), historyChart(runs, label, metricKeys))
      : null,
    h(
      "section",
      {},
      h("h2", {}, "Scatter plot"),
      h("div", { class: "toolbar" }, h("label", {}, "X ", xSelect), h("label", {}, "Y ", ySelect)),
      scatterBox,
    ),
    parallel,
  );
  return {};
}

/** Parallel coordinates with a chooser of axes: by default the params that differ, then the metrics. */
function parallelSection(runs, label, paramKeys, metricKeys, valueFor) {
  const choices = [
    ...paramKeys.map((k) => ({ id: `param:${k}`, text: `param ${k}` })),
    ...metricKeys.map((k) => ({ id: `metric:${k}`, text: `metric ${k}` })),
  ];
  const differs = (id) => new Set(runs.map((r) => String(valueFor(r, id)))).size > 1;
  const initial = new Set([
    ...choices.filter((c) => c.id.startsWith("param:") && differs(c.id)).slice(0, 6).map((c) => c.id),
    ...choices.filter((c) => c.id.startsWith("metric:")).slice(0, 4).map((c) => c.id),
  ]);
  const plotBox = h("div", { class: "chart-card wide" });
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
    mount(plotBox, parallelPlot(dims, runs.map(label)));
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

/** Renders the metric page: one metric across the given runs. */
export async function metricPage(container, route) {
  const { runs, label } = await loadRuns(route.query);
  mount(
    container,
    h("h1", {}, route.params.key),
    historyChart(runs, label, [route.params.key], route.params.key),
  );
  return {};
}
