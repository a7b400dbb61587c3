// The settings form of one chart-view card, by card type: metrics, x axis, log scale, smoothing,
// points, outliers for line charts; the metric of a bar chart; the axes of scatter and parallel
// coordinates. Each change calls `onChange(patch)`.
import { h } from "./dom.js";
import { xAxisSelect } from "./charts.js";

const choiceLabel = (id) => id.replace(":", " ");

function select(options, value, testid, onChange) {
  const el = h("select", { testid }, options.map(([v, label]) => h("option", { value: v }, label)));
  el.value = value;
  el.addEventListener("change", () => onChange(el.value));
  return el;
}

function checkboxes(choices, chosen, testid, onChange) {
  const set = new Set(chosen);
  return h(
    "div",
    { class: "settings-checks" },
    choices.map((id) => {
      const box = h("input", { type: "checkbox", checked: set.has(id), testid, dataset: { key: id } });
      box.addEventListener("change", () => {
        box.checked ? set.add(id) : set.delete(id);
        onChange(choices.filter((c) => set.has(c)));
      });
      return h("label", { class: "check" }, box, choiceLabel(id));
    }),
  );
}

/** The form for `card`; `metricKeys` and `paramKeys` are what can be chosen. */
export function cardSettings(card, { metricKeys, paramKeys }, onChange) {
  const metrics = metricKeys.map((k) => `metric:${k}`);
  const params = paramKeys.map((k) => `param:${k}`);
  const field = (label, control) => h("label", { class: "setting" }, h("span", {}, label), control);
  if (card.type === "line") {
    const x = xAxisSelect(card.xAxis);
    x.addEventListener("change", () => onChange({ xAxis: x.value }));
    const log = h("input", { type: "checkbox", checked: card.yLog, testid: "setting-log" });
    log.addEventListener("change", () => onChange({ yLog: log.checked }));
    const smoothing = h("input", {
      type: "range",
      min: 0,
      max: 99,
      value: Math.round((card.smoothing ?? 0) * 100),
      testid: "setting-smoothing",
    });
    smoothing.addEventListener("change", () => onChange({ smoothing: Number(smoothing.value) / 100 }));
    const outliers = h("input", {
      type: "checkbox",
      checked: card.ignoreOutliers,
      testid: "setting-outliers",
    });
    outliers.addEventListener("change", () => onChange({ ignoreOutliers: outliers.checked }));
    return h(
      "div",
      { class: "card-settings", testid: "card-settings" },
      field(
        "Metrics",
        checkboxes(
          metrics,
          card.metrics.map((k) => `metric:${k}`),
          "setting-metric",
          (ids) => ids.length && onChange({ metrics: ids.map((id) => id.slice(7)) }),
        ),
      ),
      field("X axis", x),
      field("Log scale", log),
      field("Smoothing", smoothing),
      field(
        "Points",
        select(
          [["auto", "auto"], ["on", "on"], ["off", "off"]],
          card.points ?? "auto",
          "setting-points",
          (v) => onChange({ points: v }),
        ),
      ),
      field("Ignore outliers", outliers),
    );
  }
  if (card.type === "bar") {
    return h(
      "div",
      { class: "card-settings", testid: "card-settings" },
      field(
        "Metric",
        select(
          metricKeys.map((k) => [k, k]),
          card.metrics[0],
          "setting-bar-metric",
          (v) => onChange({ metrics: [v] }),
        ),
      ),
    );
  }
  if (card.type === "scatter") {
    const all = [...params, ...metrics].map((id) => [id, choiceLabel(id)]);
    return h(
      "div",
      { class: "card-settings", testid: "card-settings" },
      field("X", select(all, card.x, "setting-x", (v) => onChange({ x: v }))),
      field("Y", select(all, card.y, "setting-y", (v) => onChange({ y: v }))),
    );
  }
  return h(
    "div",
    { class: "card-settings", testid: "card-settings" },
    field(
      "Axes",
      checkboxes([...params, ...metrics], card.dims ?? [], "setting-dim", (ids) => onChange({ dims: ids })),
    ),
  );
}
