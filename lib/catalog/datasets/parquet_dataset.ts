/** Parquet files as arrays of row objects (pure JS: hyparquet + hyparquet-writer). */
import type { CompressionCodec } from "hyparquet";
import { DatasetError } from "../../errors.ts";
import { FileDataset } from "../file_dataset.ts";
import { assertRows } from "../save_checks.ts";
import { assertCells } from "./_table_cells.ts";
import { columnsHint, savedColumns } from "./_table_columns.ts";
import { recordFloatColumns, recordTableColumns } from "../../source_keys.ts";
import {
  coerceColumn,
  type ColumnType,
  columnTypesOf,
  DTYPES,
  inferColumnType,
  isUnnamedIndex,
  pandasIndexColumns,
} from "./parquet_schema.ts";

/** One row of a Parquet table: column name → value (numbers, bigints, strings, booleans, Dates, null). */
export type Row = Record<string, unknown>;

/** `load_args` of {@link ParquetDataset}. */
export interface ParquetLoadArgs {
  /** Read only these columns. */
  columns?: string[];
  /** Keep pandas' unnamed index as a column named `index` (`level_<n>` for more levels), like `reset_index()`. */
  reset_index?: boolean;
}

/** `save_args` of {@link ParquetDataset}. */
export interface ParquetSaveArgs {
  /** Column → dtype (`int64`, `float64`, `string`, `bool`, `datetime64[ms]`, …); wins over inference. */
  schema?: Record<string, string>;
  row_group_size?: number;
  /** `snappy` (default, like pandas), `gzip`, `brotli` or `none`. */
  compression?: "snappy" | "gzip" | "brotli" | "none";
}

const CODECS: Record<string, CompressionCodec> = {
  snappy: "SNAPPY",
  gzip: "GZIP",
  brotli: "BROTLI",
  none: "UNCOMPRESSED",
};
// hyparquet handles Snappy itself; the other codecs pandas writes come from node:zlib (loaded on first use).
async function codecs() {
  const zlib = await import("node:zlib");
  return {
    decompressors: {
      GZIP: (input: Uint8Array) => new Uint8Array(zlib.gunzipSync(input)),
      BROTLI: (input: Uint8Array) => new Uint8Array(zlib.brotliDecompressSync(input)),
    },
    compressors: {
      GZIP: (input: Uint8Array) => new Uint8Array(zlib.gzipSync(input)),
      BROTLI: (input: Uint8Array) => new Uint8Array(zlib.brotliCompressSync(input)),
    },
  };
}

/**
 * Parquet rows, with a schema that does not depend on the values: integers are INT64, other numbers
 * DOUBLE; a column keeps the type it had in the file being replaced whenever its values fit (so a
 * float column of whole numbers stays DOUBLE); `save_args.schema` fixes types outright. Files written by
 * pandas load without its index column (`load_args.reset_index: true` keeps it, as `index`). INT64 values
 * read back as numbers when they are safe integers, else BigInt. An empty array saves an empty table (its
 * columns `save_args.schema`'s, else none) and any table of no rows loads as `[]`, as in every tabular
 * dataset of kmlf: an array of rows has no columns without rows.
 *
 * @example
 * ```ts
 * const ds = new ParquetDataset({ filepath: "/tmp/t.parquet", saveArgs: { schema: { price: "float64" } } });
 * await ds.save([{ id: 1, price: 2 }]);
 * ```
 */
export class ParquetDataset extends FileDataset<Row[]> {
  /** Reads the Parquet table into row objects (only `load_args.columns` when given). */
  protected async decode(bytes: Uint8Array, path: string): Promise<Row[]> {
    const args = this.loadArgs as ParquetLoadArgs;
    try {
      // Loaded on first use: most runs never touch Parquet, and the libraries cost startup memory.
      const { parquetMetadata, parquetReadObjects, parquetSchema } = await import("hyparquet");
      const metadata = parquetMetadata(bytes);
      const index = pandasIndexColumns(metadata.key_value_metadata).filter(isUnnamedIndex);
      const schema = parquetSchema(metadata).children;
      const names = schema.map((c) => c.element.name);
      const missing = (args.columns ?? []).filter((c) => !names.includes(c));
      if (missing.length > 0) {
        throw new DatasetError(
          "dataset/bad-columns",
          `load_args.columns names columns ${path} does not have: ${missing.join(", ")}`,
          { hint: columnsHint(missing, names.filter((n) => !index.includes(n))) },
        );
      }
      const rename = new Map(
        args.reset_index ? index.map((c, i) => [c, index.length === 1 ? "index" : `level_${i}`]) : [],
      );
      const dropped = new Set(args.reset_index ? [] : index);
      const rows = await parquetReadObjects({
        file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
        metadata,
        columns: args.columns,
        compressors: (await codecs()).decompressors,
        utf8: false, // STRING columns still decode; plain BYTE_ARRAY stays bytes
      });
      const out = rows.map((r) => {
        const row: Row = {};
        for (const [k, v] of Object.entries(r)) if (!dropped.has(k)) row[rename.get(k) ?? k] = unBig(v);
        return row;
      });
      // Columns such as `2`, `1` in the file's order, as pandas keeps them (a plain row lists `1` first).
      const order = (args.columns ?? names).filter((k) => Object.hasOwn(rows[0] ?? {}, k) && !dropped.has(k))
        .map((k) => rename.get(k) ?? k);
      recordTableColumns(out, order);
      // pandas' float64 columns (a DOUBLE of whole numbers is 91 here): FLOAT/DOUBLE, and integers with nulls.
      const types = new Map(
        schema.map((c) => [rename.get(c.element.name) ?? c.element.name, c.element.type]),
      );
      recordFloatColumns(
        out,
        order.filter((k) => {
          const type = types.get(k);
          return type === "DOUBLE" || type === "FLOAT" ||
            ((type === "INT32" || type === "INT64") &&
              out.some((row) => row[k] === null || row[k] === undefined));
        }),
      );
      return out;
    } catch (error) {
      if (error instanceof DatasetError) throw error;
      throw new DatasetError(
        "dataset/bad-parquet",
        `Cannot read Parquet ${path}: ${(error as Error).message}`,
        {
          hint: "check that the file is a Parquet file and load_args.columns names existing columns",
        },
      );
    }
  }

  /**
   * Writes row objects as a Parquet table, column types from `save_args.schema` or inferred. No rows is an
   * empty table, as pandas writes an empty frame: its columns are `save_args.schema`'s (typed as declared),
   * since an empty array carries no column names; without a schema it has none. Either loads back as `[]`.
   */
  protected async encode(rows: Row[]): Promise<Uint8Array> {
    assertRows(
      rows,
      "ParquetDataset saves an array of row objects",
      "return rows like [{a: 1, b: 'x'}] from the node",
    );
    const args = this.saveArgs as ParquetSaveArgs;
    const declared = args.schema ?? {};
    const columns = rows.length === 0 ? Object.keys(declared) : savedColumns(rows);
    assertCells(rows, columns, {
      format: "Parquet",
      nestedHint: "save it to a pickle dataset",
      bigint: "int64",
      nan: true,
      bytes: true,
      nested: true,
    });
    // pyarrow refuses a schema field the table lacks; ignoring it would leave the intended column unpinned.
    const unknown = Object.keys(declared).filter((c) => !columns.includes(c));
    if (unknown.length > 0) {
      throw new DatasetError(
        "dataset/bad-columns",
        `save_args.schema names columns the rows do not have: ${unknown.join(", ")}`,
        { hint: columnsHint(unknown, columns) },
      );
    }
    const previous = await this.previousColumnTypes();
    const columnData = columns.map((name) => {
      const values = rows.map((r) => r[name] ?? null);
      const type = name in declared ? DTYPES[declared[name]] : inferColumnType(values, previous[name]);
      return { name, data: coerceColumn(name, values, type), type };
    });
    const rowGroupSize = args.row_group_size;
    const { parquetWriteBuffer } = await import("hyparquet-writer");
    return new Uint8Array(parquetWriteBuffer({
      columnData,
      codec: CODECS[args.compression ?? "snappy"],
      compressors: (await codecs()).compressors,
      ...(rowGroupSize ? { rowGroupSize } : {}),
    }));
  }

  /**
   * The column types of the file this save replaces (the newest version when versioned); only its footer is
   * read.
   * @ignore
   */
  private async previousColumnTypes(): Promise<Record<string, ColumnType>> {
    let path: string | undefined = this.filepath;
    if (this.versioned) {
      const newest = this.versioned.listVersions()[0];
      path = newest === undefined ? undefined : this.versioned.pathOf(newest);
    }
    if (path === undefined) return {};
    try {
      const { parquetMetadata } = await import("hyparquet");
      return columnTypesOf(parquetMetadata(await readFooter(path)).schema);
    } catch {
      return {}; // no previous file, or not a Parquet file: nothing to keep
    }
  }
}

async function readFooter(path: string): Promise<Uint8Array> {
  using file = await Deno.open(path);
  const size = (await file.stat()).size;
  const tail = new Uint8Array(8);
  await file.seek(size - 8, Deno.SeekMode.Start);
  await file.read(tail);
  const length = new DataView(tail.buffer).getUint32(0, true);
  const footer = new Uint8Array(length + 8);
  await file.seek(size - 8 - length, Deno.SeekMode.Start);
  let read = 0;
  while (read < footer.length) {
    const n = await file.read(footer.subarray(read));
    if (n === null) break;
    read += n;
  }
  return footer;
}

function unBig(value: unknown): unknown {
  return typeof value === "bigint" && value <= BigInt(Number.MAX_SAFE_INTEGER) &&
      value >= BigInt(Number.MIN_SAFE_INTEGER)
    ? Number(value)
    : value;
}
