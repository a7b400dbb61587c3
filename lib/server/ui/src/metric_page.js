// The metric page (#/metric/…): several metrics of several runs, in MLflow's URL form (runs, experiments,
// plot_metric_keys, x_axis, y_axis_scale, line_smoothness, show_point, deselected_curves). Controls
// write back to the URL (replaceState), so the link shares what is on screen.
import { bulkMetricHistory, getExperiment, getRunsOf } from "./api.js";
import { h, missingRunsNotice, mount, parseIdList, runLabel } from "./dom.js";
import { failedHistoriesBox, settleEach } from "./settled_loads.js";
import { metricChart, metricPicker, xAxisSelect } from "./charts.js";
import { runColor } from "./run_marks.js";
import { metricHash, runHash } from "./routes.js";
import { exportButtons } from "./chart_export.js";

const X_FROM_MLFLOW = { wall: "time", step: "step", relative: "relative" };
const X_TO_MLFLOW = { time: "wall", step: "step", relative: "relative" };

/** Run names, with the short run id added where names repeat. */
export function distinctLabels(runs) {
  const counts = new Map();
  for (const r of runs) counts.set(runLabel(r), (counts.get(runLabel(r)) ?? 0) + 1);
  return new Map(runs.map((r) => [
    r.info.run_id,
    counts.get(runLabel(r)) > 1 ? `${runLabel(r)} (${r.info.run_id.slice(0, 7)})` : runLabel(r),
  ]));
}

/** Renders the metric page. */
export async function metricPage(container, route) {
  const ids = parseIdList(route.query.get("runs"));
  if (ids.length === 0) throw new Error('No runs to plot: the link needs ?runs=["<run id>", …]');
  mount(container, h("p", { class: "muted" }, "Loading runs…"));
  const { runs, missing } = await getRunsOf(ids);
  const labels = distinctLabels(runs);
  const experimentIds = parseIdList(route.query.get("experiments"));
  const allKeys = [...new Set(runs.flatMap((r) => (r.data?.metrics ?? []).map((m) => m.key)))].sort();
  const chosen = new Set(route.params.keys.filter(Boolean));
  const deselected = new Set(parseIdList(route.query.get("deselected_curves")));
  const q = route.query;

  const xAxis = xAxisSelect(X_FROM_MLFLOW[q.get("x_axis")] ?? "step");
  const logY = h("input", { type: "checkbox", testid: "log-y", checked: q.get("y_axis_scale") === "log" });
  // MLflow's line_smoothness runs 1 (none) … 100; kept as is in the URL, mapped to an EMA weight.
  const smoothness = h("input", {
    type: "range",
    min: 1,
    max: 100,
    value: Number(q.get("line_smoothness")) || 1,
    testid: "smoothing",
  });
  const points = h("input", {
    type: "checkbox",
    testid: "show-points",
    checked: q.get("show_point") === "true",
  });
  const outliers = h("input", { type: "checkbox", testid: "ignore-outliers" });
  const overlay = h("input", { type: "checkbox", testid: "overlay" });
  const charts = h("div", { class: "charts", testid: "charts" });
  const picker = metricPicker(allKeys, chosen, () => void draw());
  for (const c of [xAxis, logY, smoothness, points, outliers, overlay]) {
    c.addEventListener("change", () => draw());
  }

  const histories = new Map(); // key → Map(runId → points)
  const load = async (key) => {
    if (!histories.has(key)) {
      histories.set(
        key,
        await bulkMetricHistory(runs.map((r) => r.info.run_id), key, 2500),
      );
    }
    return histories.get(key);
  };
  const syncUrl = () => {
    const keys = allKeys.filter((k) => chosen.has(k));
    const hash = metricHash(ids, keys.length ? keys : [route.params.key], experimentIds, {
      xAxis: X_TO_MLFLOW[xAxis.value],
      yLog: logY.checked,
      smoothness: Number(smoothness.value),
      showPoint: points.checked,
    });
    if (location.hash !== hash) history.replaceState(null, "", hash);
  };

  let generation = 0;
  async function draw() {
    const mine = ++generation;
    const keys = allKeys.filter((k) => chosen.has(k));
    syncUrl();
    // A history that fails is named above the charts of those that loaded (and asked again next time).
    const { loaded: data, failed } = await settleEach(keys, load);
    if (mine !== generation) return;
    const problems = failedHistoriesBox(failed);
    const options = {
      xType: xAxis.value,
      yLog: logY.checked,
      smoothing: Math.min(0.99, (Number(smoothness.value) - 1) / 100),
      points: points.checked ? "on" : "auto",
      ignoreOutliers: outliers.checked,
    };
    const seriesOf = (key, byRun, multi) =>
      runs.filter((r) => !deselected.has(`${r.info.run_id}-${key}`) && byRun.get(r.info.run_id)?.length).map((
        r,
      ) => ({
        label: multi ? `${labels.get(r.info.run_id)} · ${key}` : labels.get(r.info.run_id),
        color: multi ? undefined : runColor(r.info.run_id),
        points: byRun.get(r.info.run_id),
      }));
    const card = (title, series, metric) => {
      const chart = metricChart(series, { ...options, testid: "metric-chart", title });
      chart.dataset.metric = metric;
      return h(
        "div",
        { class: "chart-card" },
        h(
          "div",
          { class: "card-head" },
          h("h3", {}, title),
          h("span", { class: "spacer" }),
          exportButtons(() => chart, () => title),
        ),
        chart,
      );
    };
    if (overlay.checked && data.length > 1) {
      const series = data.flatMap(([k, byRun]) => seriesOf(k, byRun, true));
      const shown = data.map(([k]) => k);
      return void mount(
        charts,
        problems,
        h("div", { class: "chart-card wide" }, card(shown.join(", "), series, shown.join(","))),
      );
    }
    mount(charts, problems, data.map(([k, byRun]) => card(k, seriesOf(k, byRun, false), k)));
  }

  const exp = experimentIds[0] ?? runs[0].info.experiment_id;
  const expLink = h("a", { href: `#/experiments/${encodeURIComponent(exp)}` }, exp);
  getExperiment(exp).then((e) => (expLink.textContent = e.name), () => {});
  mount(
    container,
    h(
      "nav",
      { class: "crumbs" },
      h("a", { href: "#/experiments" }, "Experiments"),
      " / ",
      expLink,
      " / ",
      runs.length === 1
        ? h(
          "a",
          { href: runHash(runs[0].info.experiment_id, runs[0].info.run_id) },
          labels.get(runs[0].info.run_id),
        )
        : `${runs.length} runs`,
    ),
    h("h1", { testid: "metric-title" }, route.params.keys.join(", ") || "Metrics"),
    missingRunsNotice(missing),
    h(
      "div",
      { class: "metrics-layout" },
      h("aside", {}, h("h3", {}, "Metrics"), picker),
      h(
        "div",
        {},
        h(
          "div",
          { class: "toolbar" },
          h("label", {}, "X axis ", xAxis),
          h("label", { class: "check" }, logY, "Log scale"),
          h("label", {}, "Smoothing ", smoothness),
          h("label", { class: "check" }, points, "Show points"),
          h("label", { class: "check" }, outliers, "Ignore outliers"),
          h("label", { class: "check" }, overlay, "All on one chart"),
        ),
        charts,
      ),
    ),
  );
  await draw();
  return {};
}
