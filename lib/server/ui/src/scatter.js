/** The scatter plot of one param or metric against another (SVG), on the compare page and in the chart view. */
import { PALETTE, s } from "./dom.js";
import { formatTick, fractionOf, niceTicks, padRange } from "./chart_math.js";

/**
 * An SVG scatter plot of `points` {x, y, label, color?}. Non-numeric x or y values are placed on a
 * categorical axis.
 */
export function scatterPlot(
  points,
  { xLabel, yLabel, testid = "scatter-plot", width = 640, height = 360 } = {},
) {
  const m = { left: 70, right: 20, top: 16, bottom: 46 };
  const axis = (values) => {
    const nums = values.map(Number);
    if (values.every((v, i) => v !== "" && v !== undefined && Number.isFinite(nums[i]))) {
      let lo = Math.min(...nums), hi = Math.max(...nums);
      if (lo === hi) (lo -= 1), (hi += 1);
      [lo, hi] = padRange(lo, hi, 0.08);
      return {
        kind: "num",
        lo,
        hi,
        pos: (v) => fractionOf(Number(v), lo, hi),
        ticks: niceTicks(lo, hi, 5),
      };
    }
    const cats = [...new Set(values.map((v) => String(v ?? "")))].sort();
    return {
      kind: "cat",
      cats,
      pos: (v) => (cats.indexOf(String(v ?? "")) + 0.5) / cats.length,
      ticks: cats,
    };
  };
  const ax = axis(points.map((p) => p.x));
  const ay = axis(points.map((p) => p.y));
  const pw = width - m.left - m.right, ph = height - m.top - m.bottom;
  const X = (v) => m.left + ax.pos(v) * pw;
  const Y = (v) => m.top + (1 - ay.pos(v)) * ph;
  const svg = s("svg", { class: "scatter", width, height, viewBox: `0 0 ${width} ${height}`, testid });
  svg.append(s("rect", { x: m.left, y: m.top, width: pw, height: ph, class: "plot-frame" }));
  for (const t of ax.ticks) {
    const x = ax.kind === "num" ? m.left + ((t - ax.lo) / (ax.hi - ax.lo)) * pw : X(t);
    svg.append(s("line", { x1: x, x2: x, y1: m.top, y2: m.top + ph, class: "grid" }));
    svg.append(
      s(
        "text",
        { x, y: m.top + ph + 16, "text-anchor": "middle", class: "tick" },
        ax.kind === "num" ? formatTick(t, ax.hi - ax.lo) : t,
      ),
    );
  }
  for (const t of ay.ticks) {
    const y = ay.kind === "num" ? m.top + (1 - (t - ay.lo) / (ay.hi - ay.lo)) * ph : Y(t);
    svg.append(s("line", { x1: m.left, x2: m.left + pw, y1: y, y2: y, class: "grid" }));
    svg.append(
      s(
        "text",
        { x: m.left - 6, y: y + 4, "text-anchor": "end", class: "tick" },
        ay.kind === "num" ? formatTick(t, ay.hi - ay.lo) : t,
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
    if (p.x === undefined || p.y === undefined) return;
    svg.append(
      s("circle", {
        cx: X(p.x),
        cy: Y(p.y),
        r: 6,
        fill: p.color ?? PALETTE[i % PALETTE.length],
        class: "dot",
        testid: "scatter-point",
      }, s("title", {}, `${p.label}: (${p.x}, ${p.y})`)),
    );
  });
  return svg;
}
