/** CSV files as arrays of row objects with typed values. */
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { DatasetError } from "../../errors.ts";
import { FileDataset } from "../file_dataset.ts";

/** A CSV row: column → value (number, boolean, string or null when typing is on). */
export type CsvRow = Record<string, string | number | boolean | null>;

/** `load_args` of {@link CsvDataset}. */
export interface CsvLoadArgs {
  /** Field separator (default `,`). */
  delimiter?: string;
  /** true (default): the first line names the columns; false: every line is data. */
  header?: boolean;
  /** Column names to use instead of the header (or of `column_0…` without a header). */
  columns?: string[];
  /** true (default): numbers, `true`/`false` and empty fields (→ null) are typed; false: all strings. */
  typing?: boolean;
}

/** `save_args` of {@link CsvDataset}. */
export interface CsvSaveArgs {
  delimiter?: string;
  /** Write a header line (default true). */
  header?: boolean;
  /** Columns to write, in order (default: every key, in order of first appearance). */
  columns?: string[];
}

/**
 * CSV rows. Loads `[{sepal_length: 5.1, species: "setosa"}, …]`; saves the same shape with a header.
 *
 * @example
 * ```ts
 * const ds = new CsvDataset({ filepath: "/tmp/iris.csv", loadArgs: { delimiter: ";" } });
 * const rows = await ds.load();
 * ```
 */
export class CsvDataset extends FileDataset<CsvRow[]> {
  protected decode(bytes: Uint8Array, path: string): CsvRow[] {
    const args = this.loadArgs as CsvLoadArgs;
    const header = args.header !== false;
    const typing = args.typing !== false;
    let records: string[][];
    try {
      records = parse(new TextDecoder().decode(bytes), {
        delimiter: args.delimiter ?? ",",
        skip_empty_lines: true,
        bom: true,
      });
    } catch (error) {
      throw new DatasetError("dataset/bad-csv", `Cannot parse CSV ${path}: ${(error as Error).message}`, {
        hint: "check the delimiter (load_args.delimiter) and that every row has the same number of columns",
      });
    }
    const first = records[0] ?? [];
    const names = args.columns ?? (header ? first : first.map((_, i) => `column_${i}`));
    const body = header ? records.slice(1) : records;
    const value = typing ? typed : (v: string) => v;
    return body.map((r) => Object.fromEntries(names.map((n, i) => [n, value(r[i] ?? "")])));
  }

  protected encode(rows: CsvRow[]): string {
    if (!Array.isArray(rows) || rows.some((r) => typeof r !== "object" || r === null || Array.isArray(r))) {
      throw new DatasetError("dataset/not-rows", "CsvDataset saves an array of row objects", {
        hint: "return rows like [{a: 1, b: 'x'}] from the node",
      });
    }
    const args = this.saveArgs as CsvSaveArgs;
    const columns = args.columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
    if (columns.length === 0) return "";
    return stringify(rows.map((r) => columns.map((c) => r[c] ?? "")), {
      delimiter: args.delimiter ?? ",",
      header: args.header !== false,
      columns,
      cast: { boolean: (v) => String(v), date: (d) => d.toISOString() },
    });
  }
}

const NUMBER = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

function typed(value: string): string | number | boolean | null {
  if (value === "") return null;
  if (value === "true" || value === "True" || value === "TRUE") return true;
  if (value === "false" || value === "False" || value === "FALSE") return false;
  if (NUMBER.test(value)) return Number(value);
  return value;
}
