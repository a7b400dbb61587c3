/** Parquet files as arrays of row objects (pure JS: hyparquet + hyparquet-writer). */
import { DatasetError } from "../../errors.ts";
import { FileDataset } from "../file_dataset.ts";

type Row = Record<string, unknown>;
type ColumnType = "BOOLEAN" | "INT32" | "INT64" | "DOUBLE" | "STRING" | "TIMESTAMP" | "BYTE_ARRAY" | "JSON";

/**
 * Parquet rows. Column types are inferred per column: booleans, 32-bit integers, doubles, BigInt
 * (INT64), strings, Dates (timestamps), Uint8Array (bytes), anything else as JSON. INT64 values read
 * back as numbers when they are safe integers, else BigInt. `load_args: {columns: [..]}` reads a subset;
 * `save_args: {row_group_size: n}` sets rows per row group.
 *
 * @example
 * ```ts
 * const ds = new ParquetDataset({ filepath: "/tmp/t.parquet" });
 * await ds.save([{ a: 1, b: "x" }]);
 * ```
 */
export class ParquetDataset extends FileDataset<Row[]> {
  protected async decode(bytes: Uint8Array, path: string): Promise<Row[]> {
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    try {
      // Loaded on first use: most runs never touch Parquet, and the libraries cost startup memory.
      const { parquetReadObjects } = await import("hyparquet");
      const rows = await parquetReadObjects({
        file,
        columns: this.loadArgs.columns as string[] | undefined,
        utf8: false, // STRING columns still decode; plain BYTE_ARRAY stays bytes
      });
      return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, unBig(v)])));
    } catch (error) {
      throw new DatasetError(
        "dataset/bad-parquet",
        `Cannot read Parquet ${path}: ${(error as Error).message}`,
        {
          hint: "check that the file is a Parquet file and load_args.columns names existing columns",
        },
      );
    }
  }

  protected async encode(rows: Row[]): Promise<Uint8Array> {
    if (!Array.isArray(rows) || rows.length === 0 || rows.some((r) => typeof r !== "object" || r === null)) {
      throw new DatasetError("dataset/not-rows", "ParquetDataset saves a non-empty array of row objects", {
        hint: "return rows like [{a: 1, b: 'x'}] from the node",
      });
    }
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    const columnData = columns.map((name) => {
      const data = rows.map((r) => r[name] ?? null);
      return { name, data, type: columnType(data) };
    });
    const rowGroupSize = this.saveArgs.row_group_size as number | undefined;
    const { parquetWriteBuffer } = await import("hyparquet-writer");
    return new Uint8Array(parquetWriteBuffer({ columnData, ...(rowGroupSize ? { rowGroupSize } : {}) }));
  }
}

function columnType(values: unknown[]): ColumnType {
  const present = values.filter((v) => v !== null);
  const all = (test: (v: unknown) => boolean) => present.every(test);
  if (present.length === 0 || all((v) => typeof v === "string")) return "STRING";
  if (all((v) => typeof v === "boolean")) return "BOOLEAN";
  if (all((v) => typeof v === "number")) {
    return all((v) => Number.isInteger(v) && Math.abs(v as number) < 2 ** 31) ? "INT32" : "DOUBLE";
  }
  if (all((v) => typeof v === "bigint")) return "INT64";
  if (all((v) => v instanceof Date)) return "TIMESTAMP";
  if (all((v) => v instanceof Uint8Array)) return "BYTE_ARRAY";
  return "JSON";
}

function unBig(value: unknown): unknown {
  return typeof value === "bigint" && value <= BigInt(Number.MAX_SAFE_INTEGER) &&
      value >= BigInt(Number.MIN_SAFE_INTEGER)
    ? Number(value)
    : value;
}
