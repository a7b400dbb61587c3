/**
 * A JSON value of another type than its signature column, pair by pair, as MLflow 2.17's schema
 * enforcement takes it (a number or boolean in a string column reaches the model as text), and how rows
 * without columns are quoted in errors (pandas' "Empty DataFrame" form, not a bare index).
 */
import assert from "node:assert/strict";
import {
  convertColumns,
  enforceColumns,
  frameRepr,
  parseScoringBody,
  ScoringError,
} from "../../lib/models/mod.ts";
import type { ColSpec } from "../../lib/tracking/mod.ts";

const SIGNATURE: ColSpec[] = [
  { name: "code", type: "string", required: true },
  { name: "note", type: "string", required: false },
  { name: "x", type: "double", required: true },
  { name: "n", type: "long", required: true },
  { name: "flag", type: "boolean", required: true },
];
const ROW = { code: "a", note: "b", x: 1.5, n: 2, flag: true };

const enforce = (patch: Record<string, unknown>) =>
  enforceColumns(convertColumns([{ ...ROW, ...patch }], SIGNATURE), SIGNATURE)[0];

function refused(patch: Record<string, unknown>, pattern: RegExp) {
  assert.throws(
    () => enforce(patch),
    (e: unknown) => e instanceof ScoringError && e.status === 400 && pattern.test(e.message),
  );
}

Deno.test("a number or boolean sent for a string column reaches the model as Python's text of it", () => {
  assert.deepEqual(enforce({ code: 7, note: 1.25 }), { ...ROW, code: "7", note: "1.25" });
  assert.deepEqual(enforce({ code: true, note: false }), { ...ROW, code: "True", note: "False" });
  assert.deepEqual(enforce({ code: 1e21 }), { ...ROW, code: "1e+21" });
  // null stays missing: an optional column takes it, a required one names the row.
  assert.deepEqual(enforce({ note: null }), { ...ROW, note: null });
  refused(
    { code: null },
    /Column 'code' is required by the model signature, but row 0 has no value \(null\)/,
  );
  // A list or an object is not a string's value: refused with the column named.
  refused(
    { code: [1, 2] },
    /Failed to convert column code to type 'object'.*got 'list' \[1,2\]: send the value as text/,
  );
  refused({ note: { a: 1 } }, /Failed to convert column note to type 'object'.*got 'dict'/);
});

Deno.test("strings and booleans for number columns, numbers for boolean ones, as pandas' astype takes them", () => {
  assert.deepEqual(enforce({ x: "2.5", n: "3" }), { ...ROW, x: 2.5, n: 3 });
  assert.deepEqual(enforce({ x: true, n: false }), { ...ROW, x: 1, n: 0 });
  assert.deepEqual(enforce({ flag: 0 }), { ...ROW, flag: false });
  assert.deepEqual(enforce({ flag: "False" }), { ...ROW, flag: false });
  // pandas' astype(bool) makes 5 and "no" True; kmlf refuses them rather than flip a flag silently.
  refused(
    { flag: 5 },
    /Failed to convert column flag to type 'bool'.*cannot convert '5' to bool: send true or false/,
  );
  refused({ flag: "no" }, /cannot convert 'no' to bool/);
  refused(
    { x: "abc" },
    /Failed to convert column x to type 'float64'. Error: 'ValueError\("could not convert string to float: 'abc'"\)'/,
  );
  refused({ n: "1.5" }, /Failed to convert column n to type 'int64'/);
});

Deno.test("a CSV's whole floats (2.0, 2e3) fit a long column, as the JSON number 2.0 does; 2.5 does not", async () => {
  // A signature inferred from a CSV column of 1.0, 2.0 says long (a JavaScript number has no float kind):
  // predicting that same file must work.
  const csv = async (n: string) => {
    const { data } = await parseScoringBody(`code,note,x,n,flag\na,b,1.5,${n},True\n`, "csv", SIGNATURE);
    return enforceColumns(convertColumns(data as Record<string, unknown>[], SIGNATURE), SIGNATURE)[0];
  };
  assert.deepEqual(await csv("2.0"), ROW);
  assert.deepEqual(await csv("2e0"), ROW);
  assert.deepEqual(await csv("2"), ROW);
  assert.deepEqual(enforce({ n: 2.0 }), ROW);
  await assert.rejects(() => csv("2.5"), /invalid literal for int\(\) with base 10: '2.5'/);
  // A string column keeps the text as written.
  const { data } = await parseScoringBody("code,note,x,n,flag\n2.0,b,1.5,2,True\n", "csv", SIGNATURE);
  assert.equal((data as Record<string, unknown>[])[0].code, "2.0");
});

Deno.test("rows without columns are quoted as pandas prints them, not as a bare index", () => {
  assert.equal(frameRepr([{}]), "Empty DataFrame\nColumns: []\nIndex: [0]");
  assert.equal(frameRepr([{}, {}]), "Empty DataFrame\nColumns: []\nIndex: [0, 1]");
  const many = frameRepr(Array.from({ length: 70 }, () => ({})));
  assert.match(many, /^Empty DataFrame\nColumns: \[\]\nIndex: \[0, 1, .*, 69\]\n\n\[70 rows x 0 columns\]$/);
  assert.throws(
    () => enforceColumns([{}], SIGNATURE),
    (e: unknown) =>
      e instanceof ScoringError &&
      e.message.startsWith("Failed to predict data 'Empty DataFrame\nColumns: []\nIndex: [0]'. \nError:"),
  );
});

const TYPED: ColSpec[] = [
  { name: "at", type: "datetime", required: false },
  { name: "blob", type: "binary", required: false },
];
const typed = (row: Record<string, unknown>) => convertColumns([row], TYPED)[0];
function typedRefused(row: Record<string, unknown>, pattern: RegExp) {
  assert.throws(
    () => typed(row),
    (e: unknown) => e instanceof ScoringError && e.status === 400 && pattern.test(e.message),
  );
}

Deno.test("datetime columns take ISO 8601 text, a time without an offset as UTC, never the server's zone", () => {
  assert.deepEqual(typed({ at: "2024-01-02" }).at, new Date("2024-01-02T00:00:00Z"));
  assert.deepEqual(typed({ at: "2024-01-02 03:04:05" }).at, new Date("2024-01-02T03:04:05Z"));
  assert.deepEqual(
    typed({ at: "2024-01-02T03:04:05.123456+02:00" }).at,
    new Date("2024-01-02T01:04:05.123Z"),
  );
  assert.equal(typed({ at: null }).at, null);
  typedRefused(
    { at: "garbage" },
    /Failed to convert column at to type 'datetime64\[ns\]'.*Unknown string format: garbage.*ISO 8601/,
  );
  // JS would read these as 2001, 2024-01-02 local and March 2: pandas refuses or guesses, kmlf refuses.
  typedRefused({ at: "1" }, /Unknown string format: 1 /);
  typedRefused({ at: "01/02/2024" }, /Unknown string format/);
  typedRefused({ at: "2024-02-31" }, /day or month out of range: 2024-02-31/);
  typedRefused({ at: true }, /TypeError\("<class 'bool'> is not convertible to datetime"\)/);
  typedRefused({ at: 1700000000 }, /a number is not a date: send ISO 8601 text/);
});

Deno.test("binary columns are base64-decoded, as MLflow decodes them", () => {
  assert.deepEqual(typed({ blob: "aGk=" }).blob, new TextEncoder().encode("hi"));
  assert.deepEqual(typed({ blob: "aGVs\nbG8=" }).blob, new TextEncoder().encode("hello"));
  typedRefused(
    { blob: "aGk" },
    /Failed to convert column blob to type 'object'.*Invalid base64-encoded string: 'aGk'/,
  );
  typedRefused({ blob: 5 }, /TypeError\("encoding without a string argument"\)/);
});

Deno.test("list and dict cells are quoted as pandas prints them (Python's repr, cut at 50 characters)", () => {
  assert.equal(
    frameRepr([{ m: [{ role: "user", content: "hi" }], a: [1, 2] }]),
    "                                     m       a\n0  [{'role': 'user', 'content': 'hi'}]  [1, 2]",
  );
  assert.equal(frameRepr([{ s: "x".repeat(50) }]).split("\n")[1], `0  ${"x".repeat(46)}...`);
  assert.equal(frameRepr([{ s: "x".repeat(49) }]).split("\n")[1], `0  ${"x".repeat(49)}`);
});
