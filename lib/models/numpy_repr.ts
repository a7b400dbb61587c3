/**
 * numpy 1.x's `repr` of the arrays and scalars MLflow's scoring server makes of an `inputs` or `instances`
 * request (one array per column), as its errors quote them: `{'x': array([3.5, 3. ])}`. Floats in numpy's
 * "maxprec" form (up to 8 decimals, padded to a common width, exponent form for wide ranges), 75-character
 * lines.
 *
 * @module
 */
import { pyFloatRepr } from "../py_float.ts";
import { pyRepr } from "../py_repr.ts";
import { pyLength } from "../code_points.ts";

/** The numpy dtypes of a request's columns: a signature type's, or what numpy infers from JSON values. */
export type NumpyDtype = "float64" | "float32" | "int64" | "int32" | "bool" | "object" | "str";

/**
 * numpy's dtype for a signature column type (DataType.to_numpy()); undefined for a nested type.
 *
 * @example
 * ```ts
 * numpyDtypeOf("long"); // "int64"
 * ```
 */
export function numpyDtypeOf(type: unknown): NumpyDtype | undefined {
  switch (type) {
    case "double":
      return "float64";
    case "float":
      return "float32";
    case "long":
      return "int64";
    case "integer":
      return "int32";
    case "boolean":
      return "bool";
    case "string":
    case "binary":
      return "object";
    default:
      return undefined;
  }
}

/**
 * The dtype `np.array(values)` infers from JSON values (JSON cannot tell 1.0 from 1: a whole number is int).
 *
 * @example
 * ```ts
 * inferredDtype([1, 2.5]); // "float64"
 * ```
 */
export function inferredDtype(values: readonly unknown[]): NumpyDtype {
  if (values.length > 0 && values.every((v) => typeof v === "boolean")) return "bool";
  if (values.every((v) => typeof v === "number" || typeof v === "boolean")) {
    return values.every((v) => typeof v !== "number" || Number.isInteger(v)) ? "int64" : "float64";
  }
  if (values.every((v) => typeof v === "string")) return "str";
  return "object";
}

/**
 * numpy's `repr` of a one-dimensional array.
 *
 * @example
 * ```ts
 * numpyArrayRepr([3.5, 3], "float64"); // "array([3.5, 3. ])"
 * ```
 */
export function numpyArrayRepr(values: readonly unknown[], dtype: NumpyDtype): string {
  const suffix = dtype === "int32" || dtype === "float32" || dtype === "object"
    ? `, dtype=${dtype}`
    : dtype === "str"
    ? `, dtype='<U${Math.max(0, ...values.flat().map((v) => [...String(v)].length))}'`
    : "";
  if (values.length === 0) return `array([], dtype=${dtype === "str" ? "'<U1'" : dtype})`;
  // Rows of one length are a two-dimensional array: one common width, a row a line.
  const width = Array.isArray(values[0]) ? values[0].length : -1;
  if (width > 0 && values.every((v) => Array.isArray(v) && v.length === width)) {
    const cells = formatAll((values as unknown[][]).flat(), dtype);
    const rows = values.map((_, i) => `[${cells.slice(i * width, (i + 1) * width).join(", ")}]`);
    return `array([${rows.join(",\n       ")}]${suffix})`;
  }
  const words = formatAll(values, dtype);
  let text = "";
  let line = "array([";
  words.forEach((word, i) => {
    // numpy wraps before a word that would reach past 75 characters with its ',' (or ']') and the ')'.
    // (Lengths in characters, as Python's len(): an emoji is one.)
    if (i > 0 && pyLength(line) + pyLength(word) > 73) {
      text += `${line.trimEnd()}\n`;
      line = " ".repeat("array([".length);
    }
    line += word + (i < words.length - 1 ? ", " : "");
  });
  return `${text}${line}]${suffix})`;
}

/**
 * numpy 1.x's `repr` of one value of a typed column (`np.float64(5)` is `5.0`, a string stays a str).
 *
 * @example
 * ```ts
 * numpyScalarRepr(5, "float64"); // "5.0"
 * ```
 */
export function numpyScalarRepr(value: unknown, dtype: NumpyDtype): string {
  if (value === null || value === undefined) return dtype.startsWith("float") ? "nan" : "None";
  if (dtype.startsWith("float") && typeof value === "number") return pyFloatRepr(value);
  return pyRepr(value);
}

/**
 * numpy's `repr` of a zero-dimensional array (`np.array(5)`, what an untyped scalar becomes).
 *
 * @example
 * ```ts
 * numpyZeroDimRepr("x"); // "array('x', dtype='<U1')"
 * ```
 */
export function numpyZeroDimRepr(value: unknown): string {
  if (typeof value === "string") return `array(${pyRepr(value)}, dtype='<U${pyLength(value)}')`;
  if (typeof value === "number") return `array(${Number.isInteger(value) ? value : pyFloatRepr(value)})`;
  if (typeof value === "boolean" || value === null) {
    return `array(${pyRepr(value)}${value === null ? ", dtype=object" : ""})`;
  }
  return `array(${pyRepr(value)}, dtype=object)`;
}

function formatAll(values: readonly unknown[], dtype: NumpyDtype): string[] {
  if (dtype === "float64" || dtype === "float32") {
    return formatFloats(values.map((v) => (typeof v === "number" ? v : typeof v === "boolean" ? +v : NaN)));
  }
  if (dtype === "int64" || dtype === "int32" || dtype === "bool") {
    const texts = values.map((v) => (typeof v === "boolean" ? (v ? "True" : "False") : String(v)));
    const width = Math.max(...texts.map((t) => t.length));
    return texts.map((t) => t.padStart(width));
  }
  return values.map((v) => pyRepr(v));
}

// numpy's FloatingFormat (floatmode "maxprec", precision 8, trim "."): positional unless the finite
// non-zero magnitudes reach 1e8, go below 1e-4 or span more than 1000 times.
function formatFloats(values: number[]): string[] {
  const sizes = values.filter((v) => Number.isFinite(v) && v !== 0).map(Math.abs);
  const exp = sizes.length > 0 &&
    (Math.max(...sizes) >= 1e8 || Math.min(...sizes) < 1e-4 ||
      Math.max(...sizes) / Math.min(...sizes) > 1000);
  const parts = values.map((v) => (Number.isFinite(v) ? (exp ? scientific(v) : positional(v)) : undefined));
  const finite = parts.filter((p) => p !== undefined) as [string, string, string][];
  const left = Math.max(0, ...finite.map((p) => p[0].length));
  const right = Math.max(0, ...finite.map((p) => p[1].length));
  const expWidth = Math.max(0, ...finite.map((p) => p[2].length));
  const width = finite.length ? left + 1 + right + (exp ? 1 + expWidth : 0) : 0;
  return values.map((v, i) => {
    const p = parts[i];
    if (!p) return (Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf").padStart(width);
    // Exponent form pads the mantissa's decimals with zeros, positional form with blanks.
    const frac = exp ? p[1].padEnd(right, "0") : p[1].padEnd(right);
    return `${p[0].padStart(left)}.${frac}${
      exp ? `e${p[2].slice(0, 1)}${p[2].slice(1).padStart(expWidth - 1, "0")}` : ""
    }`;
  });
}

// [integer part with sign, decimals] of the shortest digits that round-trip, at most 8 decimals.
function positional(v: number): [string, string, string] {
  let text = String(v);
  if ((text.split(".")[1] ?? "").length > 8) text = v.toFixed(8).replace(/0+$/, "");
  const [int, frac = ""] = text.split(".");
  return [Object.is(v, -0) ? "-0" : int, frac, ""];
}

// [mantissa's integer digit with sign, its decimals, exponent with sign and at least 2 digits].
function scientific(v: number): [string, string, string] {
  let [mantissa, e] = v.toExponential().split("e");
  if ((mantissa.split(".")[1] ?? "").length > 8) [mantissa, e] = v.toExponential(8).split("e");
  const [int, frac = ""] = mantissa.split(".");
  const digits = e.replace(/^[+-]/, "");
  return [int, frac.replace(/0+$/, ""), `${e.startsWith("-") ? "-" : "+"}${digits.padStart(2, "0")}`];
}
