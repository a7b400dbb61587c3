/** CSV files as arrays of row objects with typed values; pandas' argument names work. */
import { DatasetError } from "../../errors.ts";
import { FileDataset } from "../file_dataset.ts";
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

/** `load_args` of {@link CsvDataset}: pandas' `read_csv` names (see {@link TableReadArgs}) plus these. */
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

/** `save_args` of {@link CsvDataset}: pandas' `to_csv` names. */
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
 * CSV rows. Loads `[{sepal_length: 5.1, species: "setosa"}, …]`; saves the same shape with a header.
 *
 * @example
 * ```ts
 * const ds = new CsvDataset({ filepath: "/tmp/iris.csv", loadArgs: { sep: ";", na_values: ["n/a"] } });
 * const rows = await ds.load();
 * ```
 */
export class CsvDataset extends FileDataset<CsvRow[]> {
  /** Read as one text: a file too big for a JavaScript string is refused before it is read. */
  protected override readonly loadsText = true;

  /** Parses the CSV text with `load_args` (pandas' `read_csv` names) into typed row objects. */
  protected decode(bytes: Uint8Array, path: string): CsvRow[] {
    const args = this.loadArgs as CsvLoadArgs;
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
   * Writes row objects as CSV with `save_args` (pandas' `to_csv` names); anything but an array of row objects
   * is refused.
   */
  protected encode(rows: CsvRow[]): string {
    assertRows(
      rows,
      "CsvDataset saves an array of row objects",
      "return rows like [{a: 1, b: 'x'}] from the node",
    );
    const args = this.saveArgs as CsvSaveArgs;
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
}
