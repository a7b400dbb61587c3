/**
 * Signature types beyond the iris model's doubles: an optional column takes a missing value of any type, a
 * required one is refused with its row named, and whole numbers are never wrapped (int32) or rounded
 * (beyond 2**53) on their way to the model.
 */
import assert from "node:assert/strict";
import { convertColumns, enforceColumns, enforceParams, ScoringError } from "../../lib/models/mod.ts";
import type { ColSpec } from "../../lib/tracking/mod.ts";

const SIGNATURE: ColSpec[] = [
  { name: "id", type: "long", required: true },
  { name: "count", type: "integer", required: true },
  { name: "visits", type: "long", required: false },
  { name: "flag", type: "boolean", required: false },
];
const ROW = { id: 1, count: 2, visits: 3, flag: true };

const enforce = (patch: Record<string, unknown>) =>
  enforceColumns(convertColumns([{ ...ROW, ...patch }], SIGNATURE), SIGNATURE);

function refused(patch: Record<string, unknown>, pattern: RegExp) {
  assert.throws(
    () => enforce(patch),
    (e: unknown) => e instanceof ScoringError && e.status === 400 && pattern.test(e.message),
  );
}

Deno.test("an optional integer or boolean column takes null; a required one names the row", () => {
  assert.deepEqual(enforce({ visits: null, flag: null }), [{ ...ROW, visits: null, flag: null }]);
  refused({ id: null }, /Column 'id' is required by the model signature, but row 0 has no value \(null\)/);
});

Deno.test("whole numbers out of int32 range, or beyond 2**53 for long, are refused, not wrapped or rounded", () => {
  assert.deepEqual(enforce({ count: 2 ** 31 - 1, id: Number.MAX_SAFE_INTEGER }), [
    { ...ROW, count: 2 ** 31 - 1, id: Number.MAX_SAFE_INTEGER },
  ]);
  refused({ count: 3e9 }, /Failed to convert column count to type 'int32'.*out of the int32 range/);
  refused({ id: 2 ** 60 }, /Failed to convert column id to type 'int64'.*beyond 2\*\*53/);
  // int → float widening stays allowed; float → int stays refused.
  refused({ id: 1.5 }, /Failed to convert column id to type 'int64'/);
});

// Formula 1 data has a "constructor" column: names of Object.prototype's members are columns like any other.
Deno.test("a column or param named like a built-in (constructor, toString) is absent when not sent, not a function", () => {
  const f1: ColSpec[] = [
    { name: "driver", type: "string", required: true },
    { name: "constructor", type: "string", required: false },
  ];
  assert.deepEqual(enforceColumns(convertColumns([{ driver: "x" }], f1), f1, ["driver"]), [{ driver: "x" }]);
  const required: ColSpec[] = [{ ...f1[0] }, { ...f1[1], required: true }];
  assert.throws(
    () =>
      enforceColumns(
        convertColumns([{ driver: "x", constructor: "y" }, { driver: "z" }], required),
        required,
      ),
    /Column 'constructor' is required by the model signature, but row 1 has no value \(the column is absent\)/,
  );
  assert.deepEqual(
    enforceParams({}, [{ name: "toString", type: "string", default: "top", shape: null }]),
    { toString: "top" },
  );
});
