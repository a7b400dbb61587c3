/** Checks shared by every dataset's save. */
import { DatasetError } from "../errors.ts";

/**
 * Throws when `data` is `undefined` or `null`: saving "nothing" is almost always a node that forgot to
 * return its output, and persisting it would hide that bug until a later load.
 *
 * @example
 * ```ts
 * assertSavable(rows, "CSVDataset"); // ok
 * assertSavable(undefined, "CSVDataset"); // throws DatasetError dataset/save-none
 * ```
 */
export function assertSavable(data: unknown, typeName: string): void {
  if (data !== undefined && data !== null) return;
  throw new DatasetError("dataset/save-none", `Cannot save ${data} to a ${typeName}`, {
    hint: "the node producing this output must return a value for it",
  });
}

/**
 * Throws `dataset/not-text` when `text` holds a lone UTF-16 surrogate (half of an emoji or other character,
 * usually from slicing a string), which UTF-8 cannot encode: it would be written as U+FFFD for good.
 *
 * @example
 * ```ts
 * assertWellFormed("😀".slice(0, 1), "TextDataset"); // throws, naming line 1, column 1
 * ```
 */
export function assertWellFormed(text: string, typeName: string, where?: string): void {
  if (text.isWellFormed()) return;
  let at = 0;
  for (; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code >= 0xd800 && code <= 0xdfff) {
      const pair = code <= 0xdbff && (text.charCodeAt(at + 1) & 0xfc00) === 0xdc00;
      if (!pair) break;
      at++;
    }
  }
  const before = text.slice(0, at);
  const line = before.split("\n").length;
  const column = at - before.lastIndexOf("\n");
  throw new DatasetError(
    "dataset/not-text",
    `${typeName} cannot write half of a character (the lone UTF-16 surrogate \\u${
      text.charCodeAt(at).toString(16)
    }) ${where ?? `at line ${line}, column ${column} of the text`}`,
    {
      hint:
        "UTF-8 files cannot hold it: the string was cut inside a character (slice() on an emoji?); fix it in the node",
    },
  );
}

/**
 * Throws `dataset/not-rows` unless `data` is an array of row objects, saying what it got instead: the
 * value's kind, or which row is not an object. An empty array is rows (none): tabular datasets save it as
 * an empty table, as pandas saves an empty frame.
 *
 * @example
 * ```ts
 * assertRows([{ a: 1 }, 2], "CSVDataset saves an array of row objects", "return rows like [{a: 1}]");
 * // throws: CSVDataset saves an array of row objects: row 1 is a number
 * ```
 */
export function assertRows<T extends Record<string, unknown>>(
  data: unknown,
  message: string,
  hint: string,
): asserts data is T[] {
  const reason = !Array.isArray(data) ? `got ${kindOf(data)}` : rowProblem(data);
  if (reason) throw new DatasetError("dataset/not-rows", `${message}: ${reason}`, { hint });
}

function rowProblem(rows: unknown[]): string | undefined {
  const index = rows.findIndex((r) => typeof r !== "object" || r === null || Array.isArray(r));
  return index < 0 ? undefined : `row ${index} is ${kindOf(rows[index])}`;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object, not a list";
  return typeof value === "undefined" ? "undefined" : `a ${typeof value}`;
}
