/**
 * Charts of metrics at the ends of the double range: MLflow's SQL stores keep ±Infinity as
 * ±1.7976931348623157e308, so runs holding both put hi − lo beyond the largest double. Every position
 * must stay a finite number in the plot (a NaN path is dropped by the browser with a console error).
 * A run lacking a value, or holding NaN, leaves an axis numeric: its point is simply not drawn.
 */
import assert from "node:assert/strict";
import { fractionOf, niceTicks, padRange, spanOf } from "../../lib/server/ui/src/chart_math.js";
import { parallelAxes } from "../../lib/server/ui/src/parallel.js";
import { scatterAxis } from "../../lib/server/ui/src/scatter.js";

const MAX = Number.MAX_VALUE;

Deno.test("parallel axes place ±1.8e308 at the ends of the axis, not at NaN", () => {
  const [axis] = parallelAxes([{ label: "m", values: [-MAX, 0, MAX, "NaN"] }]);
  assert.equal(axis.kind, "num");
  assert.deepEqual(axis.pos, [0, 0.5, 1, undefined]);
  assert.ok(axis.ticks.length >= 3, `ticks: ${JSON.stringify(axis.ticks)}`);
  for (const t of axis.ticks) assert.ok(t.pos >= 0 && t.pos <= 1, `tick ${t.text} at ${t.pos}`);
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
