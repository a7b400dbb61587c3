// Painting a line chart through the subset of the canvas 2D API it uses, so one drawing routine serves
// both the canvas on screen and the SVG export (SvgContext records the same calls as SVG elements).
import { formatNumber, s } from "./dom.js";
import { downsample, formatTick, formatTicks, logTicks, niceTicks, spanOf } from "./chart_math.js";

export const MARGIN = { left: 64, right: 16, top: 12, bottom: 38 };

/**
 * Above this many series a chart's lines are 1 px wide instead of 1.5: overlapping curves stay readable,
 * and without a GPU (software canvas) a 1-px line is drawn as a hairline, about ten times faster than a
 * wider one (100 runs × 320 points: 3 ms instead of 34 ms per chart).
 */
export const DENSE_SERIES = 10;

/** An x value as a tick label for the x-axis kind. */
export function formatX(v, xType) {
  if (xType === "time") {
    const d = new Date(v);
    const p = (n) => String(n).padStart(2, "0");
    return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  }
  if (xType === "relative") return `${formatNumber(v / 1000)}s`;
  return formatNumber(v);
}

const X_LABELS = { step: "step", time: "wall time", relative: "relative time" };

/**
 * Draws `model` (from lineChartModel) on `ctx`, a CanvasRenderingContext2D or an SvgContext; returns
 * how many vertices were drawn and the y tick labels.
 */
export function paintLineChart(ctx, model) {
  const { width, height, toX, toY, lo, hi, xMin, xMax, yLog, xType, series, showPoints } = model;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  ctx.font = "11px system-ui, sans-serif";
  ctx.strokeStyle = "#e5e5e5";
  ctx.fillStyle = "#555";
  ctx.lineWidth = 1;
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  const yTicks = yLog ? logTicks(lo, hi) : niceTicks(lo, hi, 5);
  const yLabels = [];
  const labels = yLog ? yTicks.map((t) => formatTick(t)) : formatTicks(yTicks, spanOf(lo, hi));
  for (const [i, t] of yTicks.entries()) {
    const py = Math.round(toY(t)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(MARGIN.left, py);
    ctx.lineTo(width - MARGIN.right, py);
    ctx.stroke();
    const label = labels[i];
    yLabels.push(label);
    ctx.fillText(label, MARGIN.left - 6, py);
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
  ctx.fillText(X_LABELS[xType] ?? xType, MARGIN.left + plotW / 2, height - 14);
  ctx.strokeStyle = "#999";
  ctx.strokeRect(MARGIN.left + 0.5, MARGIN.top + 0.5, plotW, plotH);

  ctx.save();
  ctx.beginPath();
  ctx.rect(MARGIN.left, MARGIN.top, plotW, plotH);
  ctx.clip();
  let drawn = 0;
  const ok = yLog ? (y) => y > 0 && Number.isFinite(y) : Number.isFinite;
  const lineWidth = series.length > DENSE_SERIES ? 1 : 1.5;
  for (const d of series) {
    const idx = downsample(d.xs, d.ys, (x) => toX(x) - MARGIN.left, plotW);
    drawn += idx.length;
    if (d.band) paintBand(ctx, d, idx, toX, toY, ok);
    ctx.strokeStyle = d.color;
    ctx.fillStyle = d.color;
    ctx.lineWidth = lineWidth;
    ctx.beginPath();
    let penDown = false;
    for (const i of idx) {
      const y = d.ys[i];
      if (!ok(y)) {
        penDown = false;
        continue;
      }
      const px = toX(d.xs[i]), py = toY(y);
      if (penDown) ctx.lineTo(px, py);
      else ctx.moveTo(px, py), (penDown = true);
    }
    ctx.stroke();
    if (showPoints === "on" || (showPoints !== "off" && idx.length < 60)) {
      for (const i of idx) {
        if (!ok(d.ys[i])) continue;
        ctx.beginPath();
        ctx.arc(toX(d.xs[i]), toY(d.ys[i]), 2.5, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
  }
  ctx.restore();
  return { drawn, yLabels };
}

/** The min–max band of an aggregated series, drawn translucent under its line. */
function paintBand(ctx, d, idx, toX, toY, ok) {
  const upper = [], lower = [];
  for (const i of idx) {
    if (!ok(d.mins[i]) || !ok(d.maxs[i])) continue;
    upper.push([toX(d.xs[i]), toY(d.maxs[i])]);
    lower.push([toX(d.xs[i]), toY(d.mins[i])]);
  }
  if (upper.length < 2) return;
  ctx.save();
  ctx.globalAlpha = 0.18;
  ctx.fillStyle = d.color;
  ctx.beginPath();
  upper.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
  for (let i = lower.length - 1; i >= 0; i--) ctx.lineTo(lower[i][0], lower[i][1]);
  ctx.closePath();
  ctx.fill();
  ctx.restore();
}

/**
 * A recorder of canvas 2D calls that builds an SVG instead (for "Download SVG"): paths, text, circles,
 * rectangles and one clip rectangle per save/restore. Text goes through text nodes.
 */
export class SvgContext {
  constructor(width, height) {
    this.svg = s("svg", {
      xmlns: "http://www.w3.org/2000/svg",
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      "font-family": "system-ui, sans-serif",
    });
    this.svg.append(s("rect", { width, height, fill: "#fff" }));
    this.parent = this.svg;
    this.stack = [];
    this.d = "";
    this.clips = 0;
    Object.assign(this, {
      strokeStyle: "#000",
      fillStyle: "#000",
      lineWidth: 1,
      font: "11px sans-serif",
      textAlign: "start",
      textBaseline: "alphabetic",
      globalAlpha: 1,
    });
  }
  save() {
    this.stack.push({ parent: this.parent, globalAlpha: this.globalAlpha, fillStyle: this.fillStyle });
  }
  restore() {
    Object.assign(this, this.stack.pop() ?? {});
  }
  beginPath() {
    this.d = "";
    this.lastRect = undefined;
  }
  moveTo(x, y) {
    this.d += `M${+x.toFixed(2)} ${+y.toFixed(2)}`;
  }
  lineTo(x, y) {
    this.d += `L${+x.toFixed(2)} ${+y.toFixed(2)}`;
  }
  closePath() {
    this.d += "Z";
  }
  rect(x, y, w, h) {
    this.lastRect = { x, y, width: w, height: h };
  }
  arc(x, y, r) {
    this.circle = { cx: +x.toFixed(2), cy: +y.toFixed(2), r };
  }
  clip() {
    const id = `clip${++this.clips}`;
    this.svg.append(s("clipPath", { id }, s("rect", this.lastRect)));
    const g = s("g", { "clip-path": `url(#${id})` });
    this.parent.append(g);
    this.parent = g;
  }
  stroke() {
    if (!this.d) return;
    this.parent.append(s("path", {
      d: this.d,
      fill: "none",
      stroke: this.strokeStyle,
      "stroke-width": this.lineWidth,
      "stroke-opacity": this.globalAlpha === 1 ? undefined : this.globalAlpha,
    }));
  }
  fill() {
    if (this.circle) {
      this.parent.append(s("circle", { ...this.circle, fill: this.fillStyle }));
      this.circle = undefined;
    } else if (this.d) {
      this.parent.append(s("path", {
        d: this.d,
        fill: this.fillStyle,
        "fill-opacity": this.globalAlpha === 1 ? undefined : this.globalAlpha,
      }));
    }
  }
  strokeRect(x, y, w, h) {
    this.parent.append(s("rect", { x, y, width: w, height: h, fill: "none", stroke: this.strokeStyle }));
  }
  fillText(text, x, y) {
    const anchor = { center: "middle", right: "end", end: "end" }[this.textAlign] ?? "start";
    const baseline = { top: "hanging", middle: "middle" }[this.textBaseline] ?? "auto";
    this.parent.append(s("text", {
      x: +x.toFixed(2),
      y: +y.toFixed(2),
      "text-anchor": anchor,
      "dominant-baseline": baseline,
      "font-size": parseInt(this.font, 10) || 11,
      fill: this.fillStyle,
    }, text));
  }
  setTransform() {}
  clearRect() {}
  setLineDash() {}
}
