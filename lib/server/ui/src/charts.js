// Hand-written charts: a canvas line chart that downsamples per pixel column (min/max) (the compare
// page's scatter plot is scatter.js). Charts expose data-point-count / data-points-drawn / data-draw-ms for tests.
import { formatNumber, h, PALETTE, toNumber } from "./dom.js";

const MARGIN = { left: 64, right: 16, top: 12, bottom: 38 };

/** The x-axis chooser of metric charts: step, wall time or time relative to the run's start. */
export function xAxisSelect() {
  return h(
    "select",
    { testid: "x-axis" },
    h("option", { value: "step" }, "Step"),
    h("option", { value: "time" }, "Wall time"),
    h("option", { value: "relative" }, "Relative time"),
  );
}

/** "Nice" tick values covering [min, max]. */
export function niceTicks(min, max, count = 6) {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((st) => raw <= st) ?? 10 * mag;
  const ticks = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) {
    ticks.push(Number(v.toPrecision(12)));
  }
  return ticks;
}

function formatX(v, xType) {
  if (xType === "time") {
    const d = new Date(v);
    const p = (n) => String(n).padStart(2, "0");
    return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  }
  if (xType === "relative") return `${formatNumber(v / 1000)}s`;
  return formatNumber(v);
}

/**
 * Points of one series as sorted typed arrays. `points` are wire metrics {value, step, timestamp};
 * `xType` is "step", "time" (wall time) or "relative" (ms since the series' first point).
 */
export function seriesArrays(points, xType) {
  const n = points.length;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  let t0 = 0;
  if (xType === "relative") {
    t0 = Infinity;
    for (const p of points) t0 = Math.min(t0, Number(p.timestamp));
  }
  let sorted = true;
  for (let i = 0; i < n; i++) {
    const p = points[i];
    xs[i] = xType === "step" ? Number(p.step ?? 0) : Number(p.timestamp) - (xType === "relative" ? t0 : 0);
    ys[i] = toNumber(p.value);
    if (i > 0 && xs[i] < xs[i - 1]) sorted = false;
  }
  if (sorted) return { xs, ys };
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => xs[a] - xs[b]);
  return { xs: Float64Array.from(order, (i) => xs[i]), ys: Float64Array.from(order, (i) => ys[i]) };
}

/**
 * Vertices to draw for a sorted series on `width` pixel columns: all points when they are few,
 * else per column the first, min, max and last point (M4), which keeps the exact visual envelope.
 */
export function downsample(xs, ys, toPx, width) {
  const n = xs.length;
  const out = [];
  if (n <= width * 2) {
    for (let i = 0; i < n; i++) out.push(i);
    return out;
  }
  let col = -Infinity;
  let first = -1, last = -1, min = -1, max = -1;
  const flush = () => {
    if (first < 0) return;
    const picked = [first, min, max, last].filter((v, i, a) => v >= 0 && a.indexOf(v) === i).sort((a, b) =>
      a - b
    );
    for (const i of picked) out.push(i);
  };
  for (let i = 0; i < n; i++) {
    const c = Math.floor(toPx(xs[i]));
    if (c !== col) {
      flush();
      col = c;
      first =
        last =
        min =
        max =
          i;
      continue;
    }
    last = i;
    const y = ys[i];
    if (y < ys[min] || (Number.isNaN(ys[min]) && !Number.isNaN(y))) min = i;
    if (y > ys[max] || (Number.isNaN(ys[max]) && !Number.isNaN(y))) max = i;
  }
  flush();
  return out;
}

/**
 * A line chart of one or more series: `{label, points}` with wire metric points.
 * Options: xType ("step" | "time" | "relative"), yLog, height, testid.
 */
export function lineChart(seriesList, options = {}) {
  const xType = options.xType ?? "step";
  const height = options.height ?? 300;
  const canvas = h("canvas", { class: "chart-canvas" });
  const overlay = h("canvas", { class: "chart-overlay" });
  const tooltip = h("div", { class: "chart-tooltip", hidden: true });
  const legend = h(
    "div",
    { class: "chart-legend" },
    seriesList.map((ser, i) =>
      h(
        "span",
        { class: "legend-item" },
        h("span", { class: "swatch", style: { background: ser.color ?? PALETTE[i % PALETTE.length] } }),
        ser.label,
      )
    ),
  );
  const box = h("div", { class: "chart-box", style: { height: `${height}px` } }, canvas, overlay, tooltip);
  const root = h("div", { class: "chart", testid: options.testid ?? "metric-chart" }, box, legend);
  const data = seriesList.map((ser, i) => ({
    label: ser.label,
    color: ser.color ?? PALETTE[i % PALETTE.length],
    ...seriesArrays(ser.points, xType),
  }));
  root.dataset.pointCount = String(data.reduce((sum, d) => sum + d.xs.length, 0));
  root.dataset.seriesCount = String(data.length);
  let geometry;

  const draw = () => {
    const t0 = performance.now();
    const width = Math.max(200, box.clientWidth || options.width || 800);
    const dpr = globalThis.devicePixelRatio || 1;
    for (const c of [canvas, overlay]) {
      c.width = Math.round(width * dpr);
      c.height = Math.round(height * dpr);
      c.style.width = `${width}px`;
      c.style.height = `${height}px`;
    }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const yOk = options.yLog ? (y) => y > 0 && Number.isFinite(y) : Number.isFinite;
    let xMin = Infinity, xMax = -Infinity, yMin = Infinity, yMax = -Infinity;
    for (const d of data) {
      for (let i = 0; i < d.xs.length; i++) {
        const y = d.ys[i];
        if (!yOk(y)) continue;
        if (d.xs[i] < xMin) xMin = d.xs[i];
        if (d.xs[i] > xMax) xMax = d.xs[i];
        if (y < yMin) yMin = y;
        if (y > yMax) yMax = y;
      }
    }
    const plotW = width - MARGIN.left - MARGIN.right;
    const plotH = height - MARGIN.top - MARGIN.bottom;
    if (xMin > xMax) {
      ctx.fillStyle = "#666";
      ctx.fillText("no finite values to plot", MARGIN.left, MARGIN.top + 20);
      root.dataset.pointsDrawn = "0";
      return;
    }
    if (xMin === xMax) (xMin -= 1), (xMax += 1);
    const ty = options.yLog ? Math.log10 : (v) => v;
    let lo = ty(yMin), hi = ty(yMax);
    if (lo === hi) (lo -= Math.abs(lo) * 0.1 || 1), (hi += Math.abs(hi) * 0.1 || 1);
    const pad = (hi - lo) * 0.05;
    lo -= pad;
    hi += pad;
    const toX = (x) => MARGIN.left + ((x - xMin) / (xMax - xMin)) * plotW;
    const toY = (y) => MARGIN.top + (1 - (ty(y) - lo) / (hi - lo)) * plotH;
    geometry = { toX, xMin, xMax, plotW, width, height };

    // Grid and axes
    ctx.font = "11px system-ui, sans-serif";
    ctx.strokeStyle = "#e5e5e5";
    ctx.fillStyle = "#555";
    ctx.lineWidth = 1;
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    const yTicks = options.yLog
      ? niceTicks(lo, hi, 5).filter((t) => Number.isInteger(t)).map((t) => 10 ** t)
      : niceTicks(lo, hi, 5);
    for (const t of yTicks) {
      const py = Math.round(toY(t)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(MARGIN.left, py);
      ctx.lineTo(width - MARGIN.right, py);
      ctx.stroke();
      ctx.fillText(formatNumber(t), MARGIN.left - 6, py);
    }
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    for (const t of niceTicks(xMin, xMax, Math.max(2, Math.floor(plotW / 90)))) {
      const px = Math.round(toX(t)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(px, MARGIN.top);
      ctx.lineTo(px, height - MARGIN.bottom);
      ctx.stroke();
      ctx.fillText(formatX(t, xType), px, height - MARGIN.bottom + 5);
    }
    ctx.fillText(
      { step: "step", time: "wall time", relative: "relative time" }[xType],
      MARGIN.left + plotW / 2,
      height - 14,
    );
    ctx.strokeStyle = "#999";
    ctx.strokeRect(MARGIN.left + 0.5, MARGIN.top + 0.5, plotW, plotH);

    // Series
    ctx.save();
    ctx.beginPath();
    ctx.rect(MARGIN.left, MARGIN.top, plotW, plotH);
    ctx.clip();
    let drawn = 0;
    for (const d of data) {
      const idx = downsample(d.xs, d.ys, (x) => toX(x) - MARGIN.left, plotW);
      drawn += idx.length;
      ctx.strokeStyle = d.color;
      ctx.fillStyle = d.color;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      let penDown = false;
      for (const i of idx) {
        const y = d.ys[i];
        if (!yOk(y)) {
          penDown = false;
          continue;
        }
        const px = toX(d.xs[i]), py = toY(y);
        if (penDown) ctx.lineTo(px, py);
        else ctx.moveTo(px, py), (penDown = true);
      }
      ctx.stroke();
      if (idx.length < 60) {
        for (const i of idx) {
          if (!yOk(d.ys[i])) continue;
          ctx.beginPath();
          ctx.arc(toX(d.xs[i]), toY(d.ys[i]), 2.5, 0, 2 * Math.PI);
          ctx.fill();
        }
      }
    }
    ctx.restore();
    root.dataset.pointsDrawn = String(drawn);
    root.dataset.drawMs = (performance.now() - t0).toFixed(1);
  };

  overlay.addEventListener("mousemove", (event) => {
    if (!geometry) return;
    const rect = overlay.getBoundingClientRect();
    const px = event.clientX - rect.left;
    const x = geometry.xMin + ((px - MARGIN.left) / geometry.plotW) * (geometry.xMax - geometry.xMin);
    const ctx = overlay.getContext("2d");
    const dpr = globalThis.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, geometry.width, geometry.height);
    if (px < MARGIN.left || px > geometry.width - MARGIN.right) return void (tooltip.hidden = true);
    ctx.strokeStyle = "#888";
    ctx.beginPath();
    ctx.moveTo(px, MARGIN.top);
    ctx.lineTo(px, geometry.height - MARGIN.bottom);
    ctx.stroke();
    const lines = [];
    for (const d of data) {
      const i = nearest(d.xs, x);
      if (i >= 0) {
        lines.push(
          h(
            "div",
            {},
            h("span", { class: "swatch", style: { background: d.color } }),
            `${d.label}: ${formatNumber(d.ys[i])} @ ${formatX(d.xs[i], xType)}`,
          ),
        );
      }
    }
    tooltip.replaceChildren(...lines);
    tooltip.hidden = false;
    tooltip.style.left = `${Math.min(px + 12, geometry.width - 220)}px`;
    tooltip.style.top = `${MARGIN.top}px`;
  });
  overlay.addEventListener("mouseleave", () => {
    tooltip.hidden = true;
    overlay.getContext("2d").clearRect(0, 0, overlay.width, overlay.height);
  });

  // Draw once attached (width known), and again when the box is resized.
  let lastWidth = -1;
  const observer = new ResizeObserver(() => {
    if (box.clientWidth !== lastWidth) {
      lastWidth = box.clientWidth;
      draw();
    }
  });
  observer.observe(box);
  root.redraw = draw;
  return root;
}

function nearest(xs, x) {
  if (xs.length === 0) return -1;
  let lo = 0, hi = xs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && Math.abs(xs[lo - 1] - x) < Math.abs(xs[lo] - x) ? lo - 1 : lo;
}
