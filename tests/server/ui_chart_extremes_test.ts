/**
 * Charts of metrics at the ends of the double range: MLflow's SQL stores keep ±Infinity as
 * ±1.7976931348623157e308, so runs holding both put hi − lo beyond the largest double. Every position
 * must stay a finite number in the plot (a NaN path is dropped by the browser with a console error).
 * A run lacking a value, or holding NaN, leaves an axis numeric: its point is simply not drawn.
 */
import assert from "node:assert/strict";
import {
  aggregateByStep,
  AGGREGATES,
  formatTick,
  fractionOf,
  logTicks,
  niceTicks,
  padRange,
  smooth,
  spanOf,
  widenFlat,
} from "../../lib/server/ui/src/chart_math.js";
import { parallelAxes } from "../../lib/server/ui/src/parallel.js";
import { scatterAxis } from "../../lib/server/ui/src/scatter.js";
import { groupRuns } from "../../lib/server/ui/src/run_groups.js";

const MAX = Number.MAX_VALUE;

Deno.test("parallel axes place ±1.8e308 at the ends of the axis, not at NaN", () => {
  const [axis] = parallelAxes([{ label: "m", values: [-MAX, 0, MAX, "NaN"] }]);
  assert.equal(axis.kind, "num");
  assert.deepEqual(axis.pos, [0, 0.5, 1, undefined]);
  assert.ok(axis.ticks.length >= 3, `ticks: ${JSON.stringify(axis.ticks)}`);
  for (const t of axis.ticks) assert.ok(t.pos >= 0 && t.pos <= 1, `tick ${t.text} at ${t.pos}`);
});

Deno.test("an axis whose runs all hold one value beyond 2^53 (±1.8e308: Infinity) gets a span, not NaN", () => {
  for (const v of [MAX, -MAX, 1e300, 2 ** 60, 0, 5]) {
    const [axis] = parallelAxes([{ label: "m", values: [v, v] }]);
    assert.equal(axis.kind, "num");
    const inAxis = (p: number | undefined) => p !== undefined && p >= 0 && p <= 1;
    assert.ok(axis.pos.every(inAxis), `parallel ${v}: ${axis.pos}`);
    for (const t of axis.ticks) {
      assert.ok(Number.isFinite(t.pos), `parallel ${v}: tick ${t.text} at ${t.pos}`);
    }
    const scatter = scatterAxis([v, v]);
    assert.ok(scatter.lo! < scatter.hi!, `scatter ${v}: ${scatter.lo} … ${scatter.hi}`);
    assert.ok(inAxis(scatter.pos(v)), `scatter ${v}: ${scatter.pos(v)}`);
  }
  assert.deepEqual(widenFlat(3, 3), [2, 4]);
  assert.deepEqual(widenFlat(MAX, MAX), [MAX * 0.9, MAX]);
  assert.deepEqual(widenFlat(-MAX, -MAX, { relative: true }), [-MAX, -MAX * 0.9]);
  assert.deepEqual(widenFlat(0, 0, { relative: true }), [-1, 1]);
  assert.deepEqual(widenFlat(1, 2), [1, 2]);
});

Deno.test("means and smoothing of values near ±1.8e308 stay finite (a sum or a bias correction overflowed)", () => {
  assert.equal(AGGREGATES.mean([MAX, MAX, MAX]), MAX);
  assert.equal(AGGREGATES.mean([-MAX, -MAX]), -MAX);
  assert.equal(AGGREGATES.mean([MAX, -MAX, 0]), 0);
  assert.equal(AGGREGATES.mean([1, 2]), 1.5);
  const point = (value: number) => [{ step: 0, timestamp: 0, value }];
  assert.equal(aggregateByStep([point(MAX), point(MAX)])[0].value, MAX);
  const run = (value: number) => ({
    params: new Map([["p", "a"]]),
    tags: new Map(),
    metrics: new Map([["m", value]]),
  });
  const [group] = groupRuns([run(MAX), run(MAX)], "param:p");
  assert.equal(group.metrics.get("m"), MAX);
  // Nor does smoothing a series held at 1.8e308 step past it (a gap in the smoothed line).
  assert.ok(smooth([MAX, MAX, MAX, -MAX], 0.99).every(Number.isFinite));
});

Deno.test("scale helpers stay finite across the whole double range", () => {
  assert.equal(spanOf(-MAX, MAX), MAX);
  assert.equal(fractionOf(MAX, -MAX, MAX), 1);
  assert.equal(fractionOf(-MAX, -MAX, MAX), 0);
  assert.equal(fractionOf(2, 1, 3), 0.5);
  assert.deepEqual(padRange(-MAX, MAX, 0.05), [-MAX, MAX]);
  assert.deepEqual(padRange(0, 10, 0.1), [-1, 11]);
  const ticks = niceTicks(-MAX, MAX, 5);
  assert.ok(ticks.length >= 3 && ticks.every(Number.isFinite), `ticks: ${ticks}`);
});

Deno.test("a scatter axis stays numeric when some runs lack the value or hold NaN", () => {
  const axis = scatterAxis([undefined, "0.25", "", 0.75, "NaN", Infinity]);
  assert.equal(axis.kind, "num");
  assert.ok(axis.lo! < 0.25 && axis.hi! > 0.75);
  const [a, b] = [axis.pos(0.25)!, axis.pos(0.75)!];
  assert.ok(a > 0 && b < 1 && a < b, `${a} ${b}`);
  assert.equal(axis.pos("NaN"), undefined);
  assert.equal(axis.pos(Infinity), undefined);
  assert.deepEqual(scatterAxis([undefined, "adam", "sgd"]).cats, ["adam", "sgd"]);
  const extreme = scatterAxis([-MAX, MAX]);
  assert.ok(Number.isFinite(extreme.pos(MAX)) && Number.isFinite(extreme.pos(-MAX)));
});

Deno.test("tick labels of huge and tiny values are short and still tell the ticks apart", () => {
  const labels = (lo: number, hi: number) => niceTicks(lo, hi, 5).map((t) => formatTick(t, spanOf(lo, hi)));
  // ±1.8e308 (±Infinity in a SQL store) once printed as "1.5000e+308", cut off by the plot's margin.
  assert.deepEqual(labels(-MAX, MAX), [
    "-1.5e+308",
    "-1e+308",
    "-5e+307",
    "0",
    "5e+307",
    "1e+308",
    "1.5e+308",
  ]);
  assert.deepEqual(labels(0, 3e12), ["0", "1e+12", "2e+12", "3e+12"]);
  assert.deepEqual(labels(1e-7, 3e-7), ["1e-7", "1.5e-7", "2e-7", "2.5e-7", "3e-7"]);
  for (const [lo, hi] of [[1234500000000, 1234502000000], [1e15, 1e15 + 1000], [-MAX, -1e300]]) {
    const texts = labels(lo, hi);
    assert.equal(new Set(texts).size, texts.length, `distinct labels: ${texts.join(" | ")}`);
  }
  assert.equal(formatTick(0.25, 1), "0.25");
  assert.equal(formatTick(123456, 1e6), "123456");
});

Deno.test("a log axis spanning less than two powers of ten still gets ticks, labelled short", () => {
  assert.deepEqual(logTicks(0, 3), [1, 10, 100, 1000]);
  // A metric between 2 and 7 once got no y label at all on a log scale.
  assert.deepEqual(logTicks(Math.log10(2), Math.log10(7)), [2, 3, 4, 5, 6, 7]);
  assert.deepEqual(logTicks(0, 308).map((t) => formatTick(t)), ["1", "1e+100", "1e+200", "1e+300"]);
  assert.deepEqual(logTicks(-7.2, -6.5).map((t) => formatTick(t)), ["1e-7", "2e-7", "3e-7"]);
});
