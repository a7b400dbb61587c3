// The run's metric charts: pick metrics, x axis (step / wall time / relative time), log scale, and
// one chart per metric or all selected metrics on one chart.
import { metricHistory } from "./api.js";
import { errorBox, h, mount } from "./dom.js";
import { lineChart, xAxisSelect } from "./charts.js";

const MAX_DEFAULT = 12;

/** Renders the metrics tab of `run`; `focus` preselects one metric key. */
export async function metricsTab(pane, run, focus) {
  const keys = [...new Set((run.data?.metrics ?? []).map((m) => m.key))].sort();
  if (keys.length === 0) {
    mount(pane, h("p", { class: "muted", testid: "no-metrics" }, "This run has no metrics."));
    return;
  }
  const selected = new Set(focus && keys.includes(focus) ? [focus] : keys.slice(0, MAX_DEFAULT));
  const histories = new Map();
  const xAxis = xAxisSelect();
  const logY = h("input", { type: "checkbox", testid: "log-y" });
  const overlay = h("input", { type: "checkbox", testid: "overlay" });
  const charts = h("div", { class: "charts", testid: "charts" });
  const picker = h(
    "div",
    { class: "metric-picker", testid: "metric-picker" },
    keys.map((key) => {
      const box = h("input", { type: "checkbox", checked: selected.has(key), dataset: { metric: key } });
      box.addEventListener("change", () => {
        box.checked ? selected.add(key) : selected.delete(key);
        void draw();
      });
      return h("label", { class: "check" }, box, key);
    }),
  );
  for (const control of [xAxis, logY, overlay]) control.addEventListener("change", () => void draw());
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
          h("label", { class: "check" }, overlay, "All on one chart"),
        ),
        charts,
      ),
    ),
  );

  let generation = 0;
  async function draw() {
    const mine = ++generation;
    const chosen = keys.filter((k) => selected.has(k));
    try {
      await Promise.all(
        chosen.filter((k) => !histories.has(k)).map(async (k) =>
          histories.set(k, await metricHistory(run.info.run_id, k))
        ),
      );
    } catch (error) {
      mount(charts, errorBox(error.message, "metrics-error"));
      return;
    }
    if (mine !== generation) return;
    const options = { xType: xAxis.value, yLog: logY.checked };
    if (overlay.checked) {
      const chart = lineChart(chosen.map((k) => ({ label: k, points: histories.get(k) })), options);
      chart.dataset.metric = chosen.join(",");
      mount(charts, chosen.length ? h("div", { class: "chart-card wide" }, chart) : null);
      return;
    }
    mount(
      charts,
      chosen.map((k) => {
        const chart = lineChart([{ label: k, points: histories.get(k) }], options);
        chart.dataset.metric = k;
        return h("div", { class: "chart-card" }, h("h3", {}, k), chart);
      }),
    );
  }
  await draw();
}
