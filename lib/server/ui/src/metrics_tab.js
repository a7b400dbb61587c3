// The run's metric charts: pick metrics, x axis (step / wall time / relative time), log scale, smoothing,
// points, outlier clipping, one chart per metric or all selected metrics on one chart. A metric with one
// value is shown as that value (with a bar), not as a lone dot. Each chart exports PNG / SVG / CSV and
// opens on the metric page.
import { metricHistory } from "./api.js";
import { errorBox, h, mount } from "./dom.js";
import { metricChart, metricPicker, xAxisSelect } from "./charts.js";
import { exportButtons } from "./chart_export.js";
import { metricHash } from "./routes.js";
import { runColor } from "./run_marks.js";

const MAX_DEFAULT = 12;

/** Renders the metrics tab of `run`; `focus` preselects one metric key. */
export async function metricsTab(pane, run, focus) {
  const keys = [...new Set((run.data?.metrics ?? []).map((m) => m.key))].sort();
  if (keys.length === 0) {
    mount(pane, h("p", { class: "muted", testid: "no-metrics" }, "This run has no metrics."));
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
    const chosen = keys.filter((k) => selected.has(k));
    try {
      await Promise.all(
        chosen.filter((k) => !histories.has(k)).map(async (k) =>
          histories.set(k, await metricHistory(runId, k))
        ),
      );
    } catch (error) {
      mount(charts, errorBox(error.message, "metrics-error"));
      return;
    }
    if (mine !== generation) return;
    if (overlay.checked) {
      const series = chosen.map((k) => ({ label: k, points: histories.get(k) }));
      return void mount(charts, chosen.length ? card(chosen.join(", "), series, chosen) : null);
    }
    mount(
      charts,
      chosen.map((k) => card(k, [{ label: k, color: runColor(runId), points: histories.get(k) }], [k])),
    );
  }
  await draw();
}
