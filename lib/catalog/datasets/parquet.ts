/** Parquet files as arrays of row objects (pure JS: hyparquet + hyparquet-writer). */
import { parquetReadObjects } from "hyparquet";
import { parquetWriteBuffer } from "hyparquet-writer";
import { DatasetError } from "../../errors.ts";
import { FileDataset } from "../file_dataset.ts";

type Row = Record<string, unknown>;

/**
 * Parquet rows. Column types are inferred per column: booleans, 32-bit integers, doubles, strings,
 * anything else as JSON. 64-bit integers read back as numbers when they fit, else BigInt.
 * `load_args: {columns: [..]}` reads a subset.
 *
 * @example
 * ```ts
 * await new ParquetDataset({ filepath: "/tmp/t.parquet" }).save([{ a: 1, b: "x" }]);
 * ```
 */
export class ParquetDataset extends FileDataset<Row[]> {
  protected async decode(bytes: Uint8Array): Promise<Row[]> {
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    try {
      const rows = await parquetReadObjects({ file, columns: this.loadArgs.columns as string[] | undefined });
      return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, unBig(v)])));
    } catch (error) {
      throw new DatasetError(
        "dataset/bad-parquet",
        `Cannot read Parquet ${this.lastPath ?? this.filepath}: ${(error as Error).message}`,
        {
          hint: "check that the file is a Parquet file",
        },
      );
    }
  }

  protected encode(rows: Row[]): Uint8Array {
    if (!Array.isArray(rows) || rows.length === 0) {
      throw new DatasetError("dataset/not-rows", "ParquetDataset saves a non-empty array of row objects", {
        hint: "return rows like [{a: 1, b: 'x'}] from the node",
      });
    }
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    const columnData = columns.map((name) => {
      const data = rows.map((r) => (r[name] === undefined ? null : r[name]));
      return { name, data, type: columnType(data) };
    });
    return new Uint8Array(parquetWriteBuffer({ columnData }));
  }
}

function columnType(values: unknown[]): "BOOLEAN" | "INT32" | "DOUBLE" | "STRING" | "JSON" {
  const present = values.filter((v) => v !== null);
  if (present.length === 0) return "STRING";
  if (present.every((v) => typeof v === "boolean")) return "BOOLEAN";
  if (present.every((v) => typeof v === "number")) {
    return present.every((v) => Number.isInteger(v) && Math.abs(v as number) < 2 ** 31) ? "INT32" : "DOUBLE";
  }
  if (present.every((v) => typeof v === "string")) return "STRING";
  return "JSON";
}

function unBig(value: unknown): unknown {
  return typeof value === "bigint" && value <= BigInt(Number.MAX_SAFE_INTEGER) &&
      value >= BigInt(Number.MIN_SAFE_INTEGER)
    ? Number(value)
    : value;
}
