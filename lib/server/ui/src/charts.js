// Metric charts: a canvas line chart that downsamples per pixel column (min/max), with drag-to-zoom
// (double-click resets), EMA smoothing, points on/off/auto, outlier clipping and a min–max band for
// grouped runs; single-valued series are drawn as bars instead (bar_chart.js). The same drawing routine
// renders the SVG export (chart_paint.js). Charts expose data-point-count / data-points-drawn /
// data-draw-ms / data-y-ticks for tests, and toSvg() / csvRows() for export.
import { breakable, formatNumber, h, PALETTE, toNumber } from "./dom.js";
import {
  fractionOf,
  inlierRange,
  isSingleValued,
  nearest,
  padRange,
  seriesArrays,
  smooth,
  widenFlat,
} from "./chart_math.js";
import { formatX, MARGIN, paintLineChart, SvgContext } from "./chart_paint.js";
import { barChart } from "./bar_chart.js";
import { chartLayout, sectionOf } from "./chart_layout.js";

/** The x-axis chooser of metric charts: step, wall time or time relative to the run's start. */
export function xAxisSelect(value = "step") {
  const select = h(
    "select",
    { testid: "x-axis" },
    h("option", { value: "step" }, "Step"),
    h("option", { value: "time" }, "Wall time"),
    h("option", { value: "relative" }, "Relative time"),
  );
  select.value = value;
  return select;
}

/**
 * The metric checkboxes beside metric charts: ticking one adds its key to `chosen` (a Set), unticking
 * removes it, then `onChange()` redraws.
 */
export function metricPicker(keys, chosen, onChange) {
  const boxOf = (key) => {
    const box = h("input", { type: "checkbox", checked: chosen.has(key), dataset: { metric: key } });
    box.addEventListener("change", () => {
      box.checked ? chosen.add(key) : chosen.delete(key);
      onChange();
    });
    return h("label", { class: "check" }, box, breakable(key));
  };
  const sections = metricSections(keys);
  return h(
    "div",
    { class: "metric-picker", testid: "metric-picker" },
    // Headed by MLflow's sections (the name up to its last "/") when there are several.
    sections.length > 1
      ? sections.map((
        [title, list],
      ) => [h("h4", { testid: "metric-picker-section" }, title), list.map(boxOf)])
      : keys.map(boxOf),
  );
}

/**
 * `keys` grouped as MLflow's charts group them: [[section title, keys]], "Model metrics" first.
 *
 * @example metricSections(["loss", "val/f1"]) // [["Model metrics", ["loss"]], ["val", ["val/f1"]]]
 */
export function metricSections(keys) {
  const { sections } = chartLayout(keys.map((key) => ({ id: key, section: sectionOf(key) })), {});
  return sections.map((s) => [s.title, s.cards.map((c) => c.id)]);
}

/**
 * A chart of metric series `{label, color?, points}`: bars when every series holds a single value
 * (one dot on a −1…1 axis says nothing), else a line chart. Options as for lineChart.
 */
export function metricChart(seriesList, options = {}) {
  if (seriesList.length > 0 && isSingleValued(seriesList) && !options.alwaysLines) {
    return barChart(
      seriesList.filter((ser) => ser.points?.length).map((ser, i) => ({
        label: ser.label,
        color: ser.color ?? PALETTE[i % PALETTE.length],
        value: toNumber(ser.points.at(-1).value),
      })),
      { testid: options.testid ?? "metric-chart", title: options.title, singleValue: true },
    );
  }
  return lineChart(seriesList, options);
}

/** The geometry of a line chart of `data` (series arrays) on a `width` × `height` canvas. */
function lineChartModel(data, options, width, height) {
  const yLog = Boolean(options.yLog);
  const ok = yLog ? (y) => y > 0 && Number.isFinite(y) : Number.isFinite;
  const [zoomLo, zoomHi] = options.xRange ?? [-Infinity, Infinity];
  let xMin = Infinity, xMax = -Infinity, yMin = Infinity, yMax = -Infinity;
  const visibleYs = [];
  for (const d of data) {
    for (let i = 0; i < d.xs.length; i++) {
      const x = d.xs[i], y = d.ys[i];
      if (!ok(y) || x < zoomLo || x > zoomHi) continue;
      if (x < xMin) xMin = x;
      if (x > xMax) xMax = x;
      if (y < yMin) yMin = y;
      if (y > yMax) yMax = y;
      if (d.band) {
        if (ok(d.mins[i]) && d.mins[i] < yMin) yMin = d.mins[i];
        if (ok(d.maxs[i]) && d.maxs[i] > yMax) yMax = d.maxs[i];
      }
      if (options.ignoreOutliers) visibleYs.push(y);
    }
  }
  if (xMin > xMax) return undefined;
  if (options.xRange) [xMin, xMax] = [Math.max(xMin, zoomLo), Math.min(xMax, zoomHi)];
  [xMin, xMax] = widenFlat(xMin, xMax);
  const inliers = options.ignoreOutliers ? inlierRange(visibleYs) : undefined;
  if (inliers) [yMin, yMax] = inliers;
  const ty = yLog ? Math.log10 : (v) => v;
  let lo = ty(yMin), hi = ty(yMax);
  [lo, hi] = widenFlat(lo, hi, { relative: true });
  [lo, hi] = padRange(lo, hi, 0.05);
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  return {
    width,
    height,
    plotW,
    lo,
    hi,
    xMin,
    xMax,
    yLog,
    xType: options.xType ?? "step",
    series: data,
    showPoints: options.points ?? "auto",
    clipped: Boolean(inliers),
    toX: (x) => MARGIN.left + fractionOf(x, xMin, xMax) * plotW,
    toY: (y) => MARGIN.top + (1 - fractionOf(ty(y), lo, hi)) * plotH,
    fromX: (px) => xMin + ((px - MARGIN.left) / plotW) * (xMax - xMin),
  };
}

/**
 * A line chart of one or more series `{label, color?, points, band?}` with wire metric points (a band
 * series' points also carry `min` and `max`). Options: xType ("step" | "time" | "relative"), yLog,
 * smoothing (0…0.99), points ("auto" | "on" | "off"), ignoreOutliers, xRange ([lo, hi] zoom),
 * onZoom(range | undefined), height, testid, title.
 */
export function lineChart(seriesList, options = {}) {
  const xType = options.xType ?? "step";
  const height = options.height ?? 300;
  const canvas = h("canvas", { class: "chart-canvas" });
  const overlay = h("canvas", { class: "chart-overlay", testid: "chart-overlay" });
  const tooltip = h("div", { class: "chart-tooltip", hidden: true });
  const data = seriesList.map((ser, i) => {
    // A band series is sorted here so its min/max arrays follow the same order as xs.
    const xKey = xType === "step" ? "step" : "timestamp";
    const points = ser.band ? [...ser.points].sort((a, b) => Number(a[xKey]) - Number(b[xKey])) : ser.points;
    const { xs, ys } = seriesArrays(points, xType);
    const d = { label: ser.label, color: ser.color ?? PALETTE[i % PALETTE.length], xs, raw: ys };
    d.ys = smooth(ys, options.smoothing ?? 0);
    if (ser.band) {
      d.band = true;
      d.mins = Float64Array.from(points, (p) => p.min);
      d.maxs = Float64Array.from(points, (p) => p.max);
    }
    return d;
  });
  const legend = h(
    "div",
    { class: "chart-legend" },
    data.map((d) =>
      h(
        "span",
        { class: "legend-item", testid: "legend-item", dataset: { color: d.color } },
        h("span", { class: "swatch", style: { background: d.color } }),
        d.label,
      )
    ),
  );
  const box = h("div", { class: "chart-box", style: { height: `${height}px` } }, canvas, overlay, tooltip);
  const root = h("div", { class: "chart", testid: options.testid ?? "metric-chart" }, box, legend);
  root.dataset.pointCount = String(data.reduce((sum, d) => sum + d.xs.length, 0));
  root.dataset.seriesCount = String(data.length);
  root.dataset.kind = "line";
  root.dataset.smoothing = String(options.smoothing ?? 0);
  root.dataset.points = options.points ?? "auto";
  root.dataset.yLog = String(Boolean(options.yLog));
  let xRange = options.xRange;
  let model;

  const widthNow = () => Math.max(200, box.clientWidth || options.width || 800);
  const draw = () => {
    const t0 = performance.now();
    const width = widthNow();
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
    model = lineChartModel(data, { ...options, xRange }, width, height);
    root.dataset.zoomed = String(Boolean(xRange));
    if (!model) {
      ctx.fillStyle = "#666";
      ctx.fillText("no finite values to plot", MARGIN.left, MARGIN.top + 20);
      root.dataset.pointsDrawn = "0";
      return;
    }
    const painted = paintLineChart(ctx, model);
    root.dataset.pointsDrawn = String(painted.drawn);
    root.dataset.yTicks = painted.yLabels.join("|");
    root.dataset.clipped = String(model.clipped);
    root.dataset.xRange = `${model.xMin},${model.xMax}`;
    root.dataset.drawMs = (performance.now() - t0).toFixed(1);
  };

  const setZoom = (range) => {
    xRange = range;
    draw();
    options.onZoom?.(range);
  };

  // Drag to zoom on x; double-click resets. The selection is drawn on the overlay.
  let dragFrom;
  const pxOf = (event) => event.clientX - overlay.getBoundingClientRect().left;
  const octx = () => {
    const ctx = overlay.getContext("2d");
    const dpr = globalThis.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, model?.width ?? 0, height);
    return ctx;
  };
  overlay.addEventListener("mousedown", (event) => {
    if (!model || event.button !== 0) return;
    dragFrom = pxOf(event);
    event.preventDefault();
  });
  overlay.addEventListener("mouseup", (event) => {
    if (dragFrom === undefined || !model) return;
    const a = Math.min(dragFrom, pxOf(event)), b = Math.max(dragFrom, pxOf(event));
    dragFrom = undefined;
    octx();
    if (b - a >= 5) setZoom([model.fromX(Math.max(a, MARGIN.left)), model.fromX(b)]);
  });
  overlay.addEventListener("dblclick", () => xRange && setZoom(undefined));
  overlay.addEventListener("mousemove", (event) => {
    if (!model) return;
    const px = pxOf(event);
    const ctx = octx();
    if (dragFrom !== undefined) {
      ctx.fillStyle = "rgba(11, 83, 148, 0.12)";
      ctx.fillRect(
        Math.min(dragFrom, px),
        MARGIN.top,
        Math.abs(px - dragFrom),
        height - MARGIN.top - MARGIN.bottom,
      );
      tooltip.hidden = true;
      return;
    }
    if (px < MARGIN.left || px > model.width - MARGIN.right) return void (tooltip.hidden = true);
    ctx.strokeStyle = "#888";
    ctx.beginPath();
    ctx.moveTo(px, MARGIN.top);
    ctx.lineTo(px, height - MARGIN.bottom);
    ctx.stroke();
    const x = model.fromX(px);
    const lines = [];
    for (const d of data) {
      const i = nearest(d.xs, x);
      if (i < 0) continue;
      const smoothed = d.ys[i] !== d.raw[i] ? ` (raw ${formatNumber(d.raw[i])})` : "";
      lines.push(
        h(
          "div",
          {},
          h("span", { class: "swatch", style: { background: d.color } }),
          `${d.label}: ${formatNumber(d.ys[i])}${smoothed} @ ${formatX(d.xs[i], xType)}`,
        ),
      );
      if (lines.length >= 12) break;
    }
    tooltip.replaceChildren(...lines);
    tooltip.hidden = false;
    tooltip.style.left = `${Math.min(px + 12, model.width - 240)}px`;
    tooltip.style.top = `${MARGIN.top}px`;
  });
  overlay.addEventListener("mouseleave", () => {
    tooltip.hidden = true;
    dragFrom = undefined;
    if (model) octx();
  });

  // Draw once attached (width known), and again when the box is resized.
  let lastWidth = -1;
  new ResizeObserver(() => {
    if (box.clientWidth !== lastWidth) {
      lastWidth = box.clientWidth;
      draw();
    }
  }).observe(box);
  root.redraw = draw;
  root.resetZoom = () => setZoom(undefined);
  root.zoomTo = (range) => setZoom(range);
  /** The chart as a standalone SVG (same drawing, same zoom), legend below. */
  root.toSvg = () => {
    const width = widthNow();
    const legendH = 18 * Math.ceil(data.length / 4);
    const ctx = new SvgContext(width, height + legendH);
    const m = lineChartModel(data, { ...options, xRange }, width, height);
    if (m) paintLineChart(ctx, m);
    data.forEach((d, i) => {
      const x = MARGIN.left + (i % 4) * ((width - MARGIN.left) / 4), y = height + 12 + 18 * Math.floor(i / 4);
      ctx.fillStyle = d.color;
      ctx.textAlign = "start";
      ctx.textBaseline = "middle";
      ctx.fillText(`■ ${d.label}`, x, y);
    });
    return ctx.svg;
  };
  /** The plotted values (raw, not smoothed) as CSV rows: series, x, value. */
  root.csvRows = () => {
    const rows = [["series", xType, "value"]];
    for (const d of data) for (let i = 0; i < d.xs.length; i++) rows.push([d.label, d.xs[i], d.raw[i]]);
    return rows;
  };
  return root;
}
