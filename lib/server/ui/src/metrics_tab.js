// The run's metric charts (model metrics, or the system/… ones on their own tab; in MLflow's sections):
// pick metrics, x axis (step / wall time / relative time), log scale, smoothing, points, outlier clipping, one chart per metric or all selected metrics on one chart. A metric with one
// value is shown as that value (with a bar), not as a lone dot. Each chart exports PNG / SVG / CSV and
// opens on the metric page.
import { metricHistory } from "./api.js";
import { h, mount } from "./dom.js";
import { failedHistoriesBox, settleEach } from "./settled_loads.js";
import { metricChart, metricPicker, metricSections, xAxisSelect } from "./charts.js";
import { isSystemMetric } from "./chart_layout.js";
import { exportButtons } from "./chart_export.js";
import { metricHash } from "./routes.js";
import { runColor } from "./run_marks.js";

const MAX_DEFAULT = 12;

/**
 * Renders the "Model metrics" tab of `run`, or with `system` its "System metrics" tab (the keys under
 * system/, as MLflow splits them); `focus` preselects one metric key. Charts come in MLflow's sections.
 */
export async function metricsTab(pane, run, focus, system = false) {
  const all = [...new Set((run.data?.metrics ?? []).map((m) => m.key))].sort();
  const keys = all.filter((k) => isSystemMetric(k) === system);
  if (keys.length === 0) {
    const none = all.length === 0
      ? "This run has no metrics."
      : system
      ? "No system metrics (MLflow logs them under system/… when system metrics logging is on)."
      : "This run has only system metrics: see the System metrics tab.";
    mount(pane, h("p", { class: "muted", testid: "no-metrics" }, none));
    return;
  }
  const runId = run.info.run_id;
  const selected = new Set(focus && keys.includes(focus) ? [focus] : keys.slice(0, MAX_DEFAULT));
  const histories = new Map();
  const xAxis = xAxisSelect();
  const logY = h("input", { type: "checkbox", testid: "log-y" });
  const smoothing = h("input", { type: "range", min: 0, max: 99, value: 0, testid: "smoothing" });
  const points = h(
    "select",
    { testid: "points" },
    h("option", { value: "auto" }, "Points: auto"),
    h("option", { value: "on" }, "Points: on"),
    h("option", { value: "off" }, "Points: off"),
  );
  const outliers = h("input", { type: "checkbox", testid: "ignore-outliers" });
  const overlay = h("input", { type: "checkbox", testid: "overlay" });
  const charts = h("div", { class: "charts", testid: "charts" });
  const picker = metricPicker(keys, selected, () => void draw());
  for (const c of [xAxis, logY, smoothing, points, outliers, overlay]) {
    c.addEventListener("change", () => void draw());
  }
  const experimentIds = [run.info.experiment_id];
  mount(
    pane,
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
          h("label", {}, "Smoothing ", smoothing),
          points,
          h("label", { class: "check" }, outliers, "Ignore outliers"),
          h("label", { class: "check" }, overlay, "All on one chart"),
        ),
        charts,
      ),
    ),
  );

  const card = (title, series, metricKeys) => {
    const chart = metricChart(series, {
      xType: xAxis.value,
      yLog: logY.checked,
      smoothing: Number(smoothing.value) / 100,
      points: points.value,
      ignoreOutliers: outliers.checked,
      title,
    });
    chart.dataset.metric = metricKeys.join(",");
    return h(
      "div",
      { class: metricKeys.length > 1 ? "chart-card wide" : "chart-card" },
      h(
        "div",
        { class: "card-head" },
        h("h3", {}, title),
        h("span", { class: "spacer" }),
        h("a", {
          class: "button small",
          href: metricHash([runId], metricKeys, experimentIds, {
            xAxis: xAxis.value === "time" ? "wall" : xAxis.value,
          }),
          testid: "open-metric-page",
          title: "Open on the metric page",
        }, "Open"),
        exportButtons(() => chart, () => title),
      ),
      chart,
    );
  };

  let generation = 0;
  async function draw() {
    const mine = ++generation;
    // A history that fails is named above the charts of those that loaded (and asked again next time).
    const { loaded, failed } = await settleEach(
      keys.filter((k) => selected.has(k) && !histories.has(k)),
      (k) => metricHistory(runId, k),
    );
    for (const [k, points] of loaded) histories.set(k, points);
    if (mine !== generation) return;
    const chosen = keys.filter((k) => selected.has(k) && histories.has(k));
    const problems = failedHistoriesBox(failed);
    if (overlay.checked) {
      const series = chosen.map((k) => ({ label: k, points: histories.get(k) }));
      return void mount(charts, problems, chosen.length ? card(chosen.join(", "), series, chosen) : null);
    }
    const one = (k) => card(k, [{ label: k, color: runColor(runId), points: histories.get(k) }], [k]);
    const sections = metricSections(chosen);
    mount(
      charts,
      problems,
      sections.length > 1
        ? sections.map(([title, list]) =>
          h(
            "section",
            { class: "chart-section", testid: "metrics-section", dataset: { section: title } },
            h("h3", {}, `${title} (${list.length})`),
            h("div", { class: "charts" }, list.map(one)),
          )
        )
        : chosen.map(one),
    );
  }
  await draw();
}
