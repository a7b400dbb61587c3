// Horizontal bars of one value per run (SVG): the chart view's "last value" charts, and how a metric with
// a single value is drawn (a value with a bar, not one dot on a −1…1 axis).
import { formatNumber, h, s } from "./dom.js";
import { formatTicks, fractionOf, niceTicks, spanOf } from "./chart_math.js";

const clip = (text, n) => (text.length > n ? text.slice(0, n - 1) + "…" : text);

/**
 * A bar chart of `bars` `{label, value, color}` in the given order. Non-finite values get no bar and
 * show their spelling. Options: testid, title, singleValue (a lone bar also shows its value large).
 */
export function barChart(bars, { testid = "bar-chart", title = "", singleValue = false } = {}) {
  const width = 640;
  const labelW = 170, valueW = 80, rowH = 22, top = 8, axisH = 22;
  const plotW = width - labelW - valueW;
  const finite = bars.map((b) => b.value).filter(Number.isFinite);
  const lo = Math.min(0, ...finite);
  let hi = Math.max(0, ...finite);
  if (lo === hi) hi = lo + 1;
  const X = (v) => labelW + fractionOf(v, lo, hi) * plotW;
  const height = top + bars.length * rowH + axisH;
  const svg = s("svg", {
    class: "bars",
    width: "100%",
    viewBox: `0 0 ${width} ${height}`,
    preserveAspectRatio: "xMinYMin meet",
    style: `max-width:${width}px`,
  });
  const ticks = niceTicks(lo, hi, 5);
  const labels = formatTicks(ticks, spanOf(lo, hi));
  for (const [i, t] of ticks.entries()) {
    const x = X(t);
    svg.append(s("line", { x1: x, x2: x, y1: top, y2: height - axisH, class: "grid" }));
    svg.append(
      s("text", { x, y: height - 6, "text-anchor": "middle", class: "tick" }, labels[i]),
    );
  }
  bars.forEach((b, i) => {
    const y = top + i * rowH;
    const g = s("g", { testid: "bar", dataset: { label: b.label, value: String(b.value) } });
    g.append(
      s(
        "text",
        { x: labelW - 6, y: y + 15, "text-anchor": "end", class: "tick" },
        clip(b.label, 24),
        s("title", {}, b.label),
      ),
    );
    if (Number.isFinite(b.value)) {
      const x0 = X(0), x1 = X(b.value);
      g.append(
        s("rect", {
          x: Math.min(x0, x1),
          y: y + 3,
          width: Math.max(1, Math.abs(x1 - x0)),
          height: rowH - 6,
          fill: b.color,
          class: "bar",
        }, s("title", {}, `${b.label}: ${formatNumber(b.value)}`)),
      );
    }
    g.append(
      s(
        "text",
        { x: width - valueW + 6, y: y + 15, class: "tick", testid: "bar-value" },
        formatNumber(b.value),
      ),
    );
    svg.append(g);
  });
  const big = singleValue && bars.length === 1
    ? h("div", { class: "single-value", testid: "single-value" }, formatNumber(bars[0].value))
    : null;
  const root = h("div", { class: "chart", testid }, big, svg);
  root.dataset.kind = "bar";
  root.dataset.seriesCount = String(bars.length);
  root.dataset.pointCount = String(bars.length);
  root.dataset.pointsDrawn = String(bars.filter((b) => Number.isFinite(b.value)).length);
  root.redraw = () => {};
  root.toSvg = () => svg;
  root.csvRows = () => [["series", title || "value"], ...bars.map((b) => [b.label, b.value])];
  return root;
}
