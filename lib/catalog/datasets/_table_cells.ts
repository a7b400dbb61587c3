/**
 * What a table format can hold in one cell, checked before anything is written: a value the format
 * would store as something else (an object as `{}` or `[object Object]`, bytes as a JSON map, a BigInt
 * rounded to a double, NaN as NULL) is refused with its row and column and the way out, never changed
 * silently.
 */
import { DatasetError } from "../../errors.ts";
import { assertWellFormed } from "../save_checks.ts";
import { findUnserializable } from "./_plain_data.ts";

/** The limits of one format's cells. */
export interface CellRules {
  /** The format, for messages: "CSV", "Excel", "SQLite". */
  format: string;
  /** Where nested values (objects, arrays, Maps, …) can go instead, for the hint. */
  nestedHint: string;
  /** BigInts the format holds: any (text), 64-bit integers, or only safe integers (a double). */
  bigint: "any" | "int64" | "safe";
  /** Whether NaN is stored as NaN (false: the format turns it into NULL). */
  nan: boolean;
  /** Whether Uint8Array cells are stored as bytes. */
  bytes: boolean;
  /** The longest text a cell holds. */
  maxText?: number;
  /** Whether plain objects and arrays are stored (as JSON): then only what JSON loses is refused. */
  nested?: boolean;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Throws `dataset/bad-cell` for the first cell of `columns` in `rows` that `rules` says the format
 * cannot hold as it is, naming its row, its column and the fix.
 *
 * @example
 * ```ts
 * assertCells([{ a: { x: 1 } }], ["a"], CSV_CELLS);
 * // throws: CSV cannot hold an object (row 0, column "a")
 * ```
 */
export function assertCells(
  rows: readonly Record<string, unknown>[],
  columns: readonly string[],
  rules: CellRules,
): void {
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    for (const column of columns) {
      const value = row[column];
      // The common cells first, at the cost of one typeof each.
      const type = typeof value;
      if (type === "string") {
        assertWellFormed(value as string, rules.format, `(row ${i}, column ${JSON.stringify(column)})`);
        if (rules.maxText === undefined || (value as string).length <= rules.maxText) continue;
      } else if (type === "number") {
        if (rules.nan || !Number.isNaN(value)) continue;
      } else if (type === "boolean" || value === null || value === undefined) continue;
      const problem = cellProblem(value, rules);
      if (problem) {
        const at = problem.path ? ` at ${problem.path.replace(/^value/, "")}` : "";
        throw new DatasetError(
          "dataset/bad-cell",
          `${rules.format} cannot hold ${problem.what}${at} (row ${i}, column ${JSON.stringify(column)})`,
          { hint: problem.hint },
        );
      }
    }
  }
}

function cellProblem(
  value: unknown,
  rules: CellRules,
): { what: string; hint: string; path?: string } | undefined {
  const format = rules.format;
  if (typeof value === "string") {
    return {
      what: `a text of ${value.length} characters`,
      hint: `${format} cells hold at most ${rules.maxText} characters: shorten it in the node, or save the ` +
        "rows to a CSV, JSON or Parquet dataset",
    };
  }
  if (typeof value === "number") {
    return {
      what: "NaN",
      hint:
        `${format} stores NaN as NULL: use null for a missing value, or a CSV/Parquet dataset to keep NaN`,
    };
  }
  if (typeof value === "bigint") {
    const fits = rules.bigint === "any" ||
      (rules.bigint === "int64"
        ? value >= INT64_MIN && value <= INT64_MAX
        : value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER));
    if (fits) return undefined;
    return {
      what: `the BigInt ${value}n`,
      hint: rules.bigint === "int64"
        ? `${format} integers are 64-bit: store it as text (String(x)) in the node`
        : `${format} numbers are doubles, which would round it: store it as text (String(x)) in the node, ` +
          "or save the rows to a CSV or Parquet dataset",
    };
  }
  if (value instanceof Date) {
    if (!Number.isNaN(value.getTime())) return undefined;
    return {
      what: "an invalid Date",
      hint: "the node made a Date from a value that is not a date: fix it, or use null for a missing one",
    };
  }
  if (value instanceof Uint8Array && rules.bytes) return undefined;
  const proto = typeof value === "object" && value !== null ? Object.getPrototypeOf(value) : undefined;
  if (rules.nested && (Array.isArray(value) || proto === Object.prototype || proto === null)) {
    // Stored as JSON text: what JSON would drop or turn into null or {} inside it is refused.
    const found = findUnserializable(value, { json: true });
    if (!found) return undefined;
    return {
      what: found.what,
      path: found.path,
      hint: `${rules.format} stores nested values as JSON, which cannot hold it: convert it in the node ` +
        "(null for a missing number, String(x) for a BigInt, [...set], Object.fromEntries(map)), or use a " +
        "pickle dataset",
    };
  }
  const what = typeof value === "object"
    ? Array.isArray(value)
      ? "a list"
      : value instanceof Uint8Array
      ? "bytes (a Uint8Array)"
      : Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null
      ? "an object"
      : `a ${(value as object).constructor?.name ?? "non-plain object"}`
    : `a ${typeof value}`;
  return {
    what,
    hint: `${format} cells hold text, numbers, booleans, dates, ${rules.bytes ? "bytes, " : ""}` +
      `${rules.nested ? "plain objects, lists " : ""}and nulls: turn it into one in the node ` +
      `(JSON.stringify(value) keeps it as text), or ${rules.nestedHint}`,
  };
}
