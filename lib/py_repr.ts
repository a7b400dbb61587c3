/**
 * Python's `repr()` and `str()` of plain values, for text users compare with what the Python tools print:
 * MLflow's messages, the scoring server's errors, and OmegaConf's interpolation into a string.
 *
 * @module
 */
import { pyFloatRepr } from "./py_float.ts";
import { sourceFloats } from "./source_keys.ts";

/**
 * Python's `repr()` of a string: single quotes unless the text holds a single quote and no double one;
 * backslashes, the quote, control and non-printable characters escaped as Python escapes them.
 *
 * @example
 * ```ts
 * pyStrRepr("it's"); // "\"it's\""
 * ```
 */
export function pyStrRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += "\\x" + code.toString(16).padStart(2, "0");
    else if (!isPrintable(ch)) {
      out += code <= 0xff
        ? "\\x" + code.toString(16).padStart(2, "0")
        : code <= 0xffff
        ? "\\u" + code.toString(16).padStart(4, "0")
        : "\\U" + code.toString(16).padStart(8, "0");
    } else out += ch;
  }
  return quote + out + quote;
}

// Python's str.isprintable(): not a control, format, surrogate, unassigned, private-use or separator
// character other than the ASCII space.
function isPrintable(ch: string): boolean {
  return ch === " " || !/[\p{C}\p{Z}]/u.test(ch);
}

/**
 * Python's `repr()` of a plain value: `True`/`False`/`None`, integers as digits, other numbers as Python
 * floats (`0.5`, `1e-07`, `inf`, `nan`, `-0.0`), lists as `[…]` and records as `{'key': value}`. A
 * JavaScript number does not say whether it was a float, so an integral one prints as an integer, unless
 * the list or record holding it records that a file gave it as a float (`1.0`, see source_keys.ts).
 *
 * @example
 * ```ts
 * pyRepr({ a: [1, 0.5, true, null, "x"] }); // "{'a': [1, 0.5, True, None, 'x']}"
 * ```
 */
export function pyRepr(value: unknown): string {
  if (typeof value === "string") return pyStrRepr(value);
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") {
    return Number.isSafeInteger(value) && !Object.is(value, -0) ? String(value) : pyFloatRepr(value);
  }
  if (typeof value === "bigint") return String(value);
  // An item a file gave as a float without a fraction (`1.0`) is written as one.
  const item = (floats: ReadonlyMap<string, number> | undefined, key: string, v: unknown) =>
    floats?.get(key) === v ? pyFloatRepr(v as number) : pyRepr(v);
  if (Array.isArray(value)) {
    const floats = sourceFloats(value);
    return `[${value.map((v, i) => item(floats, String(i), v)).join(", ")}]`;
  }
  if (typeof value === "object") {
    const floats = sourceFloats(value);
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${pyStrRepr(k)}: ${item(floats, k, v)}`).join(", ")}}`;
  }
  return String(value);
}

/**
 * Python's `str()` of a plain value: a string as it is, anything else as {@link pyRepr}.
 *
 * @example
 * ```ts
 * pyStr(true); // "True"
 * pyStr("a"); // "a"
 * ```
 */
export function pyStr(value: unknown): string {
  return typeof value === "string" ? value : pyRepr(value);
}
