/**
 * What the CSV dataset reads and writes with, loaded with its first load or save (lib/catalog/datasets/
 * csv_dataset.ts): the CSV parser and writer and pandas' reading options, with the dataset's argument types.
 *
 * @module
 */
import { DatasetError } from "../../errors.ts";
import { assertRows } from "../save_checks.ts";
import { parseCsv, stringifyCsv } from "./_csv.ts";
import { assertCells } from "./_table_cells.ts";
import { decodeText } from "./_text_decoding.ts";
import { gridToRows, type TableReadArgs } from "./_table_rows.ts";
import { savedColumns } from "./_table_columns.ts";

/**
 * A CSV row: column → value (number, boolean, string or null when typing is on; a BigInt for an integer
 * too long for a number).
 */
export type CsvRow = Record<string, string | number | bigint | boolean | null>;

/** `load_args` of the CSV dataset (CsvDataset): pandas' `read_csv` names (see {@link TableReadArgs}) plus these. */
export interface CsvLoadArgs extends TableReadArgs {
  /** Field separator (default `,`); `delimiter` is the same. */
  sep?: string;
  delimiter?: string;
  /** Text encoding of the file (default utf-8; any WHATWG label: latin-1, cp1252, utf-16le, …). */
  encoding?: string;
  quotechar?: string;
  escapechar?: string;
  comment?: string;
  /** Skip empty lines (default true). */
  skip_blank_lines?: boolean;
}

/** `save_args` of the CSV dataset (CsvDataset): pandas' `to_csv` names. */
export interface CsvSaveArgs {
  sep?: string;
  delimiter?: string;
  /** Write a header line (default true). */
  header?: boolean;
  /** Columns to write, in order (default: every key, in order of first appearance). */
  columns?: string[];
  /** Write pandas' index column first: row numbers under an empty header (or `index_label`). */
  index?: boolean;
  index_label?: string;
  /** Text for null values (default empty). */
  na_rep?: string;
  /** `utf-8` (default) or `utf-8-sig` (with a byte order mark, for Excel). */
  encoding?: "utf-8" | "utf8" | "utf-8-sig";
}

/**
 * Parses a CSV file's bytes with `load_args` (pandas' `read_csv` names) into typed row objects.
 *
 * @example
 * ```ts
 * decodeCsv(new TextEncoder().encode("a,b\n1,x\n"), "/p/data/a.csv", {}); // [{ a: 1, b: "x" }]
 * ```
 */
export function decodeCsv(bytes: Uint8Array, path: string, args: CsvLoadArgs): CsvRow[] {
  const text = decodeText(bytes, path, {
    encoding: args.encoding,
    hint: "set load_args.encoding to the file's encoding (latin-1, cp1252, utf-16le, …)",
  });
  let records: string[][];
  try {
    records = parseCsv(text, {
      delimiter: args.sep ?? args.delimiter ?? ",",
      // Lines pandas skips by count are skipped before parsing: they need not look like records.
      skipLines: typeof args.skiprows === "number" ? args.skiprows : 0,
      skipEmptyLines: args.skip_blank_lines !== false,
      quote: args.quotechar,
      escape: args.escapechar,
      comment: args.comment,
    });
  } catch (error) {
    throw new DatasetError("dataset/bad-csv", `Cannot parse CSV ${path}: ${(error as Error).message}`, {
      hint: "check the separator (load_args.sep or delimiter) and the quoting of the file",
    });
  }
  const readArgs = typeof args.skiprows === "number" ? { ...args, skiprows: undefined } : args;
  try {
    return gridToRows(records, readArgs, { strictWidth: true }) as CsvRow[];
  } catch (error) {
    if (!(error instanceof DatasetError) || error.code !== "dataset/bad-csv") throw error;
    throw new DatasetError(error.code, `Cannot parse CSV ${path}: ${error.message}`, { hint: error.hint });
  }
}

/**
 * Writes row objects as CSV with `save_args` (pandas' `to_csv` names); anything but an array of row objects is
 * refused.
 *
 * @example
 * ```ts
 * encodeCsv([{ a: 1, b: "x" }], {}); // "a,b\n1,x\n"
 * ```
 */
export function encodeCsv(rows: CsvRow[], args: CsvSaveArgs): string {
  assertRows(
    rows,
    "CsvDataset saves an array of row objects",
    "return rows like [{a: 1, b: 'x'}] from the node",
  );
  const columns = savedColumns(rows, args.columns);
  if (columns.length === 0) return "";
  assertCells(rows, columns, {
    format: "CSV",
    nestedHint: "save the rows to a JSON or Parquet dataset, which keep nested values",
    bigint: "any",
    nan: true,
    bytes: false,
  });
  const naRep = args.na_rep ?? "";
  // Like pandas' to_csv, a NaN is a missing value: written as na_rep (read back as missing by both).
  const cell = (v: unknown) => (v === null || v === undefined || Number.isNaN(v) ? naRep : v);
  const index = args.index === true;
  const text = stringifyCsv(
    rows.map((r, i) => [...(index ? [i] : []), ...columns.map((c) => cell(r[c]))]),
    {
      delimiter: args.sep ?? args.delimiter ?? ",",
      header: args.header !== false ? [...(index ? [args.index_label ?? ""] : []), ...columns] : undefined,
      boolean: (v) => (v ? "True" : "False"),
    },
  );
  return args.encoding === "utf-8-sig" ? "\ufeff" + text : text;
}
