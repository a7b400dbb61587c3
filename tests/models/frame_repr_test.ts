/**
 * The frames MLflow quotes in its "Failed to predict data" errors are pandas' `str(DataFrame)`: kmlf's
 * frameRepr is compared with real pandas (Debian's python3-pandas, a test prerequisite) for narrow, wide
 * (more than 80 characters: middle columns become `...`), tall (more than 60 rows: a `..` row) frames and
 * both, with the `[n rows x m columns]` footer a cut adds; widths count characters, emoji included.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { frameRepr } from "../../lib/models/mod.ts";
import type { ColSpec } from "../../lib/tracking/mod.ts";
import { pythonOracle } from "../python_oracle.ts";

const ORACLE = fileURLToPath(new URL("./frame_repr_oracle.py", import.meta.url));

interface Case {
  columns: string[];
  rows: unknown[][];
  /** Columns the signature types as double (MLflow casts them to float64 before it quotes the frame). */
  float_columns: string[];
  /** Records instead of rows: a key absent from one is pandas' NaN (a null is None in an object column). */
  records?: Record<string, unknown>[];
}

function floats(ncols: number, nrows: number, name = (j: number) => `feature_${j}`): Case {
  const columns = Array.from({ length: ncols }, (_, j) => name(j));
  const rows = Array.from({ length: nrows }, (_, i) => columns.map((_, j) => i * 0.5 + j * 1.25));
  return { columns, rows, float_columns: columns };
}

// pandas' float formatting: six decimals with trailing zeros cut equally, exponent form for tiny values and
// for wide columns of big ones, a blank for the sign; NaN for a missing value.
const FLOATS = [
  [0.1 + 0.2, 1],
  [1e-5, 2.5],
  [1234567.5, 1],
  [1e10, 2],
  [-1.5, 2.25],
  [1 / 3, 2],
  [null, 1],
  [100000.25, 0.125],
  [1e-7, 1e-7],
  [123456789.123, 1],
  [null, null],
  [-0.5, null, 1e-7],
];

const CASES: Case[] = [
  ...FLOATS.map((values) => ({ columns: ["x"], rows: values.map((v) => [v]), float_columns: ["x"] })),
  { columns: ["n", "s"], rows: [[-5, "a"], [12, null], [0, "b"]], float_columns: [] },
  floats(3, 2),
  floats(4, 2, (j) => ["sepal_length", "sepal_width", "petal_length", "petal_width"][j]),
  floats(6, 3),
  floats(7, 3),
  floats(8, 2),
  floats(12, 3),
  floats(25, 2),
  floats(3, 15),
  floats(3, 60),
  floats(3, 61),
  floats(25, 70),
  floats(40, 1, (j) => `c${j}`),
  floats(9, 2, (j) => "x".repeat(j + 1)),
  {
    columns: ["name", "n", "flag", "score", "comment"],
    rows: Array.from({ length: 3 }, (_, i) => [`item ${i}`, i * 7, i % 2 === 0, i + 0.25, "x".repeat(30)]),
    float_columns: ["score"],
  },
  // pandas measures text in characters (Python's len): an emoji is one, as are é and ï.
  { columns: ["🌸 fleur", "naïve"], rows: [["🌼🌼", 1.5], ["x", 2]], float_columns: ["naïve"] },
  { columns: ["a"], rows: [["🌸".repeat(60)], ["é".repeat(49)]], float_columns: [] },
  floats(12, 1, (j) => `🌸${j}🌸🌸`),
  {
    columns: ["a", "name", "n", "b", "note", "c", "d"],
    rows: Array.from(
      { length: 65 },
      (_, i) => [i, `row-${i}`, i * 1000, i % 3 === 0, "y".repeat(i % 20), 1.5, 2],
    ),
    float_columns: ["c"],
  },
  // A record without the key ("constructor" is a column like any other, not Object's).
  ...[
    [{ constructor: "y" }, {}],
    [{ c: true }, {}],
    [{ c: "y" }, { c: null }],
    [{ n: 1 }, { n: 2, s: "a" }],
  ].map((records) => ({
    columns: [...new Set(records.flatMap((r) => Object.keys(r)))],
    rows: [],
    records,
    float_columns: [],
  })),
];

Deno.test("frameRepr draws data frames as real pandas does: cut across past 80 characters, down past 60 rows", async () => {
  const expected = await pythonOracle<string[]>(ORACLE, CASES);
  CASES.forEach((c, k) => {
    const rows = c.records ?? c.rows.map((r) => Object.fromEntries(c.columns.map((name, j) => [name, r[j]])));
    const schema: ColSpec[] = c.float_columns.map((name) => ({ name, type: "double", required: true }));
    assert.equal(frameRepr(rows, schema, c.columns), expected[k], `case ${k}: ${c.columns.length} columns`);
  });
});
