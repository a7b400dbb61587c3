/**
 * How MLflow's Python code spells values in its messages, so kmlf's messages read the same:
 * `repr(float)` and `json.dumps` of a string (ASCII only).
 *
 * @module
 */

/**
 * Python's `repr(float)`: the shortest round-tripping digits, `1.0` for integral values, exponent
 * form below 1e-4 and from 1e16 on (`1e+16`, `1.5e-05`), `nan`, `inf`.
 *
 * @example
 * ```ts
 * pyFloatRepr(5); // "5.0"
 * pyFloatRepr(1e308); // "1e+308"
 * ```
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  const [mantissa, expText] = Math.abs(x).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : "";
    return `${sign}${digits[0]}${frac}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  const int = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
  return `${sign}${int}.${digits.slice(exp + 1) || "0"}`;
}

/**
 * Python's `json.dumps(s)` of a string: JSON with every non-ASCII character as `\uXXXX`.
 *
 * @example
 * ```ts
 * pyJsonString("k\u0000é"); // '"k\\u0000\\u00e9"'
 * ```
 */
export function pyJsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (code < 0x20 || code > 0x7e) {
      for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, "0")}`;
    } else out += ch;
  }
  return out + '"';
}
