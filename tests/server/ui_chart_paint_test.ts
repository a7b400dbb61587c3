/**
 * Painting line charts (lib/server/ui/src/chart_paint.js) without a browser: a context that records the
 * canvas calls stands in for the 2D context. The chart view's speed depends on these choices.
 */
import assert from "node:assert/strict";
import { DENSE_SERIES, MARGIN, paintLineChart } from "../../lib/server/ui/src/chart_paint.js";

/** A 2D context that records the line width of every stroke of a series path (not the grid). */
function recordingContext() {
  const strokes: { color: string; lineWidth: number }[] = [];
  const ctx = {
    strokeStyle: "",
    fillStyle: "",
    lineWidth: 1,
    font: "",
    textAlign: "",
    textBaseline: "",
    globalAlpha: 1,
    pathVertices: 0,
    save() {},
    restore() {},
    beginPath() {
      this.pathVertices = 0;
    },
    moveTo() {
      this.pathVertices++;
    },
    lineTo() {
      this.pathVertices++;
    },
    stroke() {
      if (this.pathVertices > 2) strokes.push({ color: this.strokeStyle, lineWidth: this.lineWidth });
    },
    rect() {},
    clip() {},
    fill() {},
    arc() {},
    strokeRect() {},
    fillText() {},
    closePath() {},
  };
  return { ctx, strokes };
}

/** A line chart model of `count` series of 100 steps each (what lineChartModel hands the painter). */
function model(count: number) {
  const width = 600, height = 300;
  const plotW = width - MARGIN.left - MARGIN.right, plotH = height - MARGIN.top - MARGIN.bottom;
  const series = Array.from({ length: count }, (_, i) => {
    const xs = Float64Array.from({ length: 100 }, (_, s) => s);
    return { label: `run ${i}`, color: `#${String(i).padStart(6, "0")}`, xs, ys: xs.map((x) => x * i) };
  });
  return {
    width,
    height,
    plotW,
    lo: 0,
    hi: 99 * count,
    xMin: 0,
    xMax: 99,
    yLog: false,
    xType: "step",
    series,
    showPoints: "off",
    toX: (x: number) => MARGIN.left + (x / 99) * plotW,
    toY: (y: number) => MARGIN.top + (1 - y / (99 * count)) * plotH,
  };
}

Deno.test("lines are 1.5 px wide, 1 px (a fast hairline) once a chart holds many series", () => {
  for (const [count, width] of [[1, 1.5], [DENSE_SERIES, 1.5], [DENSE_SERIES + 1, 1], [100, 1]]) {
    const { ctx, strokes } = recordingContext();
    const painted = paintLineChart(ctx, model(count));
    assert.equal(painted.drawn, count * 100, `${count} series: every vertex drawn`);
    assert.equal(strokes.length, count, `${count} series: one stroke each`);
    assert.deepEqual(new Set(strokes.map((s) => s.lineWidth)), new Set([width]), `${count} series`);
  }
});
