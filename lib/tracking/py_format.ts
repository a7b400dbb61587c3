/**
 * How MLflow's Python code spells values in its messages, so kmlf's messages read the same:
 * `repr(float)` and `json.dumps` of a string (ASCII only).
 *
 * @module
 */
export { pyFloatRepr } from "../py_float.ts";

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
