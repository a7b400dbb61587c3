/**
 * The bits of Python MLflow's search messages are made of: `repr()` of lists and sets of strings (in the
 * order MLflow 2.17.2's server printed them), `str.strip()`, and `shlex.split()` as order_by parsing
 * uses it.
 *
 * @module
 */

import { pyStrRepr } from "../../py_repr.ts";

/**
 * Python's `repr()` of a list of strings.
 *
 * @example
 * ```ts
 * pyListRepr(["name", "name DESC"]); // "['name', 'name DESC']"
 * ```
 */
export function pyListRepr(items: readonly string[]): string {
  return `[${items.map(pyStrRepr).join(", ")}]`;
}

/**
 * Python's `repr()` of a set of strings whose iteration order is given (MLflow's server printed its
 * sets in one fixed order: see the constants that use this).
 *
 * @example
 * ```ts
 * pySetRepr(["timestamp", "name"]); // "{'timestamp', 'name'}"
 * ```
 */
export function pySetRepr(items: readonly string[]): string {
  return `{${items.map(pyStrRepr).join(", ")}}`;
}

const PY_SPACE =
  "\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, "gu");

/**
 * Python's `str.strip()` (its whitespace, which differs from JavaScript's `trim()`).
 *
 * @example
 * ```ts
 * pyStrip("\x1c name "); // "name"
 * ```
 */
export function pyStrip(text: string): string {
  return text.replace(STRIP, "");
}

/**
 * Python's `shlex.split(text)` (POSIX mode, no comments): words split on whitespace, quotes removed,
 * backslash escapes. Returns undefined where shlex raises ("No closing quotation", "No escaped
 * character").
 *
 * @example
 * ```ts
 * shlexSplit('metrics."val loss" DESC'); // ["metrics.val loss", "DESC"]
 * ```
 */
export function shlexSplit(text: string): string[] | undefined {
  const words: string[] = [];
  let word: string | null = null;
  let quote = "";
  const isSpace = (c: string) => " \t\r\n".includes(c);
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === "'") {
      if (c === "'") quote = "";
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = "";
      else if (c === "\\" && i + 1 < text.length && '"\\'.includes(text[i + 1])) word += text[++i];
      else if (c === "\\" && i + 1 >= text.length) return undefined;
      else word += c;
    } else if (isSpace(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= "";
    } else if (c === "\\") {
      if (i + 1 >= text.length) return undefined;
      word = (word ?? "") + text[++i];
    } else word = (word ?? "") + c;
  }
  if (quote) return undefined;
  if (word !== null) words.push(word);
  return words;
}
