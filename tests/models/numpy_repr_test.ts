/**
 * MLflow's errors for an `inputs` or `instances` request quote the columns as numpy arrays
 * (`{'x': array([3.5, 3. ])}`): kmlf's numpy_repr is compared with real numpy (Debian's python3-numpy,
 * which python3-pandas brings).
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  numpyArrayRepr,
  type NumpyDtype,
  numpyScalarRepr,
  numpyZeroDimRepr,
} from "../../lib/models/numpy_repr.ts";
import { pythonOracle } from "../python_oracle.ts";

const ORACLE = fileURLToPath(new URL("./numpy_repr_oracle.py", import.meta.url));

interface Case {
  values: unknown[];
  dtype: NumpyDtype;
  kind: "array" | "scalar" | "zerodim";
}

const range = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));
const arrays: [unknown[], NumpyDtype][] = [
  [[5.1, 6.7], "float64"],
  [[3.5, 3], "float64"],
  [[1, 10.5], "float64"],
  [[1, 2], "float64"],
  [[0.1 + 0.2, 1 / 3], "float64"],
  [[-1.5, 2], "float64"],
  [[0.001, 5], "float64"],
  [[1.5e-5, 2], "float64"],
  [[1e9, 2.5, null], "float64"],
  [[null, 5.25], "float64"],
  [[0, 0], "float64"],
  [[1e16, 1], "float64"],
  [[-0.5, 1234567.3], "float64"],
  [range(40, (i) => i * 1.5), "float64"],
  [range(30, (i) => i * 1.25), "float64"],
  [range(20, (i) => i * 123.5), "float64"],
  [range(13, (i) => i), "float64"],
  [range(17, (i) => i * 0.001 + 1), "float64"],
  [range(33, (i) => i * 7), "int64"],
  [[1, 2], "int64"],
  [[1, -20], "int32"],
  [[true, false], "bool"],
  [["a", "bc"], "object"],
  [["a", "bc"], "str"],
  [["🌸".repeat(30), "🌸".repeat(30), "é"], "str"],
  [[5.5], "float32"],
  [[[5.1], [6.7]], "float64"],
  [[[1, 2.5], [3, 4]], "float64"],
  [[[1, 2], [3, 40]], "int64"],
];

const CASES: Case[] = [
  ...arrays.map(([values, dtype]) => ({ values, dtype, kind: "array" as const })),
  { values: [5], dtype: "float64", kind: "scalar" },
  { values: [5.1], dtype: "float64", kind: "scalar" },
  { values: [1e-7], dtype: "float64", kind: "scalar" },
  { values: [7], dtype: "int64", kind: "scalar" },
  { values: [5], dtype: "int64", kind: "zerodim" },
  { values: [5.5], dtype: "float64", kind: "zerodim" },
  { values: ["xy"], dtype: "str", kind: "zerodim" },
  { values: [true], dtype: "bool", kind: "zerodim" },
];

Deno.test("numpy_repr writes arrays and scalars as numpy's repr does", async () => {
  const expected = await pythonOracle<string[]>(ORACLE, CASES);
  CASES.forEach((c, k) => {
    const got = c.kind === "array"
      ? numpyArrayRepr(c.values, c.dtype)
      : c.kind === "scalar"
      ? numpyScalarRepr(c.values[0], c.dtype)
      : numpyZeroDimRepr(c.values[0]);
    assert.equal(got, expected[k], `case ${k}: ${JSON.stringify(c)}`);
  });
});
