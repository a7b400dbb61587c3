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
 * Throws `dataset/not-rows` unless `data` is an array of row objects (non-empty with `nonEmpty`), saying
 * what it got instead: the value's kind, or which row is not an object.
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
  options: { nonEmpty?: boolean } = {},
): asserts data is T[] {
  const reason = !Array.isArray(data)
    ? `got ${kindOf(data)}`
    : options.nonEmpty && data.length === 0
    ? "got an empty array"
    : rowProblem(data);
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
