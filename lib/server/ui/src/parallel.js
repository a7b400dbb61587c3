// Parallel coordinates across compared runs (SVG): one vertical axis per chosen param or metric, one
// line per run. An axis is numeric (linear) when its finite values are numbers and the rest are
// non-finite numbers (NaN, ±Infinity, as MLflow spells them or Python prints them); non-finite values
// are gaps there, like missing ones. Otherwise (text values, or no finite value at all) it is an ordinal
// axis: the distinct values in order, evenly spaced. A run missing a value has a gap on that axis.
import { PALETTE, s } from "./dom.js";
import { formatTicks, fractionOf, niceTicks, numberOf, spanOf, widenFlat } from "./chart_math.js";

const clip = (text, n) => (text.length > n ? text.slice(0, n - 1) + "…" : text);
const isMissing = (v) => v === undefined || v === null;

/**
 * One axis per dimension `{label, values}` (`values[i]` belongs to run i; undefined = missing):
 * `{label, kind: "num"|"cat", ticks: [{pos, text}], pos: (number|undefined)[]}` with positions in
 * [0, 1], 0 at the bottom.
 */
export function parallelAxes(dims) {
  return dims.map(({ label, values }) => {
    const present = values.filter((v) => !isMissing(v));
    const nums = present.map(numberOf);
    const finite = nums.filter((n) => Number.isFinite(n));
    if (finite.length > 0 && nums.every((n) => n !== undefined)) {
      let lo = finite[0], hi = finite[0];
      for (const n of finite) (lo = Math.min(lo, n)), (hi = Math.max(hi, n));
      [lo, hi] = widenFlat(lo, hi);
      const at = (v) => fractionOf(v, lo, hi);
      return {
        label,
        kind: "num",
        ticks: axisTicks(lo, hi).map(([t, text]) => ({ pos: at(t), text })),
        pos: values.map((v) => {
          const n = isMissing(v) ? undefined : numberOf(v);
          return Number.isFinite(n) ? at(n) : undefined;
        }),
      };
    }
    const cats = [...new Set(present.map(String))].sort((a, b) =>
      a.localeCompare(b, undefined, { numeric: true })
    );
    const at = (c) => (cats.length === 1 ? 0.5 : cats.indexOf(c) / (cats.length - 1));
    return {
      label,
      kind: "cat",
      ticks: cats.map((c) => ({ pos: at(c), text: c })),
      pos: values.map((v) => (v === undefined || v === null ? undefined : at(String(v)))),
    };
  });
}

/** Horizontal room per axis: the plot grows with the axes so labels never overlap. */
export const AXIS_SPACING = 150;

/**
 * The SVG: `dims` as for parallelAxes, `labels[i]` the name of run i, `colors[i]` its colour. The width
 * is at least `minWidth` (the space available) and AXIS_SPACING per axis; axis labels alternate between
 * two rows and are clipped to the room they have (full text in their tooltip).
 */
export function parallelPlot(
  dims,
  labels,
  { minWidth = 600, height = 400, testid = "parallel-plot", colors = [] } = {},
) {
  const m = { left: 110, right: 110, top: 46, bottom: 24 };
  const axes = parallelAxes(dims);
  const width = Math.max(minWidth, m.left + m.right + Math.max(0, axes.length - 1) * AXIS_SPACING);
  const pw = width - m.left - m.right, ph = height - m.top - m.bottom;
  const spacing = axes.length > 1 ? pw / (axes.length - 1) : pw;
  // Labels alternate between two rows, so each may use about twice the spacing, but not beyond the plot's
  // edges (≈ 6.5 px a character).
  const labelChars = (x) =>
    Math.max(
      6,
      Math.floor((2 * Math.min(axes.length > 1 ? spacing - 6 : width, x - 4, width - x - 4)) / 6.5),
    );
  const tickChars = Math.max(4, Math.floor((spacing - 16) / 6.5));
  const X = (i) => m.left + (axes.length === 1 ? pw / 2 : (i / (axes.length - 1)) * pw);
  const Y = (pos) => m.top + (1 - pos) * ph;
  const svg = s("svg", {
    class: "parallel",
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    testid,
    dataset: { axes: String(axes.length), runs: String(labels.length) },
  });
  labels.forEach((label, r) => {
    let d = "";
    let pen = false;
    axes.forEach((axis, i) => {
      const pos = axis.pos[r];
      if (pos === undefined) return void (pen = false);
      d += `${pen ? "L" : "M"}${X(i).toFixed(1)} ${Y(pos).toFixed(1)} `;
      pen = true;
    });
    svg.append(
      s(
        "path",
        {
          d: d.trim(),
          class: "pc-line",
          stroke: colors[r] ?? PALETTE[r % PALETTE.length],
          testid: "parallel-line",
        },
        s("title", {}, label),
      ),
    );
  });
  axes.forEach((axis, i) => {
    const x = X(i);
    const g = s("g", {
      class: "pc-axis",
      testid: "parallel-axis",
      dataset: { kind: axis.kind, label: axis.label },
    });
    g.append(s("line", { x1: x, x2: x, y1: m.top, y2: m.top + ph, class: "axis" }));
    for (const t of axis.ticks) {
      const y = Y(t.pos);
      g.append(s("line", { x1: x - 4, x2: x, y1: y, y2: y, class: "axis" }));
      g.append(
        s(
          "text",
          { x: x - 6, y: y + 4, "text-anchor": "end", class: "tick" },
          clip(t.text, Math.min(16, tickChars)),
          s("title", {}, t.text),
        ),
      );
    }
    g.append(
      s(
        "text",
        {
          x,
          y: m.top - (i % 2 ? 10 : 26),
          "text-anchor": "middle",
          class: "axis-label",
          testid: "parallel-label",
        },
        clip(axis.label, labelChars(x)),
        s("title", {}, axis.label),
      ),
    );
    svg.append(g);
  });
  return svg;
}

// An axis' ticks with their labels.
function axisTicks(lo, hi) {
  const ticks = niceTicks(lo, hi, 4);
  const labels = formatTicks(ticks, spanOf(lo, hi));
  return ticks.map((t, i) => [t, labels[i]]);
}
