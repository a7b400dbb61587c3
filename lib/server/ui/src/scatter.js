/** The scatter plot of one param or metric against another (SVG), on the compare page and in the chart view. */
import { PALETTE, s } from "./dom.js";
import { formatTicks, fractionOf, niceTicks, numberOf, padRange, spanOf, widenFlat } from "./chart_math.js";

/**
 * One axis of the scatter plot for `values` (undefined or "" = the run has no such value; its point is
 * not drawn and does not turn a numeric axis into categories): numeric (`lo`, `hi`, `pos`, `ticks`) when
 * every present value is a number (NaN and ±Infinity get no position), else categorical (`cats`).
 */
export function scatterAxis(values) {
  const present = values.filter((v) => v !== undefined && v !== null && v !== "");
  const nums = present.map(numberOf);
  const finite = nums.filter(Number.isFinite);
  if (finite.length > 0 && nums.every((n) => n !== undefined)) {
    let lo = Math.min(...finite), hi = Math.max(...finite);
    [lo, hi] = padRange(...widenFlat(lo, hi), 0.08);
    // A non-finite value (NaN, ±Infinity) has no place on the axis: its point is not drawn.
    const pos = (v) => (Number.isFinite(numberOf(v)) ? fractionOf(numberOf(v), lo, hi) : undefined);
    const ticks = niceTicks(lo, hi, 5);
    return { kind: "num", lo, hi, pos, ticks, labels: formatTicks(ticks, spanOf(lo, hi)) };
  }
  const cats = [...new Set(present.map(String))].sort();
  return {
    kind: "cat",
    cats,
    pos: (v) => (cats.indexOf(String(v ?? "")) + 0.5) / cats.length,
    ticks: cats,
  };
}

/**
 * An SVG scatter plot of `points` {x, y, label, color?}. Non-numeric x or y values are placed on a
 * categorical axis.
 */
export function scatterPlot(
  points,
  { xLabel, yLabel, testid = "scatter-plot", width = 640, height = 360 } = {},
) {
  const m = { left: 70, right: 20, top: 16, bottom: 46 };
  const ax = scatterAxis(points.map((p) => p.x));
  const ay = scatterAxis(points.map((p) => p.y));
  const pw = width - m.left - m.right, ph = height - m.top - m.bottom;
  const X = (v) => m.left + ax.pos(v) * pw;
  const Y = (v) => m.top + (1 - ay.pos(v)) * ph;
  const svg = s("svg", { class: "scatter", width, height, viewBox: `0 0 ${width} ${height}`, testid });
  svg.append(s("rect", { x: m.left, y: m.top, width: pw, height: ph, class: "plot-frame" }));
  for (const [i, t] of ax.ticks.entries()) {
    const x = X(t);
    svg.append(s("line", { x1: x, x2: x, y1: m.top, y2: m.top + ph, class: "grid" }));
    svg.append(
      s(
        "text",
        { x, y: m.top + ph + 16, "text-anchor": "middle", class: "tick" },
        ax.kind === "num" ? ax.labels[i] : t,
      ),
    );
  }
  for (const [i, t] of ay.ticks.entries()) {
    const y = Y(t);
    svg.append(s("line", { x1: m.left, x2: m.left + pw, y1: y, y2: y, class: "grid" }));
    svg.append(
      s(
        "text",
        { x: m.left - 6, y: y + 4, "text-anchor": "end", class: "tick" },
        ay.kind === "num" ? ay.labels[i] : t,
      ),
    );
  }
  svg.append(
    s(
      "text",
      { x: m.left + pw / 2, y: height - 8, "text-anchor": "middle", class: "axis-label" },
      xLabel ?? "",
    ),
  );
  svg.append(
    s("text", {
      x: 14,
      y: m.top + ph / 2,
      "text-anchor": "middle",
      class: "axis-label",
      transform: `rotate(-90 14 ${m.top + ph / 2})`,
    }, yLabel ?? ""),
  );
  points.forEach((p, i) => {
    const [px, py] = [ax.pos(p.x), ay.pos(p.y)];
    if (
      [p.x, p.y].some((v) => v === undefined || v === null || v === "") || px === undefined ||
      py === undefined
    ) {
      return;
    }
    svg.append(
      s("circle", {
        cx: m.left + px * pw,
        cy: m.top + (1 - py) * ph,
        r: 6,
        fill: p.color ?? PALETTE[i % PALETTE.length],
        class: "dot",
        testid: "scatter-point",
      }, s("title", {}, `${p.label}: (${p.x}, ${p.y})`)),
    );
  });
  return svg;
}
