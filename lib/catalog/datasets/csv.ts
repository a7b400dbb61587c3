/** CSV files as arrays of row objects with typed values. */
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { DatasetError } from "../../errors.ts";
import { FileDataset } from "../file_dataset.ts";

/** A CSV row: column → value (number, boolean, string or null when typing is on). */
export type CsvRow = Record<string, string | number | boolean | null>;

/**
 * CSV rows. `load_args`: `delimiter` (","), `header` (true: first line names columns; false: columns
 * are `column_0…` or `columns`), `columns` (names to use), `typing` (true: numbers, true/false and
 * empty → null). `save_args`: `delimiter`, `header` (true), `columns` (order).
 *
 * @example
 * ```ts
 * const rows = await new CsvDataset({ filepath: "data/01_raw/iris.csv" }).load();
 * ```
 */
export class CsvDataset extends FileDataset<CsvRow[]> {
  protected decode(bytes: Uint8Array): CsvRow[] {
    const a = this.loadArgs;
    const header = a.header !== false;
    const typing = a.typing !== false;
    const columns = a.columns as string[] | undefined;
    try {
      const records: unknown[][] = parse(new TextDecoder().decode(bytes), {
        delimiter: (a.delimiter as string | undefined) ?? ",",
        skip_empty_lines: true,
        bom: true,
        relax_column_count: false,
      });
      const names = columns ??
        (header ? (records[0] ?? []).map(String) : (records[0] ?? []).map((_, i) => `column_${i}`));
      const body = header ? records.slice(1) : records;
      return body.map((r) =>
        Object.fromEntries(names.map((n, i) => [n, typing ? typed(String(r[i] ?? "")) : String(r[i] ?? "")]))
      );
    } catch (error) {
      if (error instanceof DatasetError) throw error;
      throw new DatasetError(
        "dataset/bad-csv",
        `Cannot parse CSV ${this.lastPath ?? this.filepath}: ${(error as Error).message}`,
        {
          hint: "check the delimiter (load_args.delimiter) and that every row has the same number of columns",
        },
      );
    }
  }

  protected encode(rows: CsvRow[]): string {
    if (!Array.isArray(rows) || rows.some((r) => typeof r !== "object" || r === null || Array.isArray(r))) {
      throw new DatasetError("dataset/not-rows", "CsvDataset saves an array of row objects", {
        hint: "return rows like [{a: 1, b: 'x'}] from the node",
      });
    }
    const s = this.saveArgs;
    const columns = (s.columns as string[] | undefined) ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
    return stringify(rows.map((r) => columns.map((c) => (r[c] === null || r[c] === undefined ? "" : r[c]))), {
      delimiter: (s.delimiter as string | undefined) ?? ",",
      header: s.header !== false,
      columns,
      cast: { boolean: (v: boolean) => String(v) },
    });
  }
}

function typed(value: string): string | number | boolean | null {
  if (value === "") return null;
  if (value === "true" || value === "True" || value === "TRUE") return true;
  if (value === "false" || value === "False" || value === "FALSE") return false;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value.trim())) return Number(value);
  return value;
}
