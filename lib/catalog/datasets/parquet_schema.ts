/**
 * Column types of the Parquet dataset: names users write in `save_args.schema` (pandas/pyarrow dtypes),
 * inference from values, the types of an existing file, and pandas' index columns.
 */
import type { KeyValue, SchemaElement } from "hyparquet";
import { DatasetError } from "../../errors.ts";

/** The column types kmlf writes (hyparquet-writer's basic types). */
export type ColumnType =
  | "BOOLEAN"
  | "INT32"
  | "INT64"
  | "FLOAT"
  | "DOUBLE"
  | "STRING"
  | "TIMESTAMP"
  | "BYTE_ARRAY"
  | "JSON";

/** dtype names accepted in `save_args.schema` (pandas, numpy and pyarrow spellings) → column type. */
export const DTYPES: Readonly<Record<string, ColumnType>> = {
  int64: "INT64",
  Int64: "INT64",
  int: "INT64",
  int32: "INT32",
  Int32: "INT32",
  float64: "DOUBLE",
  Float64: "DOUBLE",
  double: "DOUBLE",
  float: "DOUBLE",
  float32: "FLOAT",
  Float32: "FLOAT",
  bool: "BOOLEAN",
  boolean: "BOOLEAN",
  string: "STRING",
  str: "STRING",
  object: "STRING",
  category: "STRING",
  "datetime64[ms]": "TIMESTAMP",
  "datetime64[ns]": "TIMESTAMP",
  timestamp: "TIMESTAMP",
  bytes: "BYTE_ARRAY",
  binary: "BYTE_ARRAY",
  json: "JSON",
};

/**
 * The type a column's values call for: booleans, 64-bit integers (every number an integer), doubles
 * (any other number), strings, timestamps, bytes, else JSON. `previous`, the column's type in the file
 * being replaced, wins whenever the values fit it, so a column's type does not flip with its values
 * (a double column whose values happen to be whole stays double).
 *
 * @example
 * ```ts
 * inferColumnType([1, 2, null]); // "INT64"
 * inferColumnType([1, 2], "DOUBLE"); // "DOUBLE"
 * ```
 */
export function inferColumnType(values: readonly unknown[], previous?: ColumnType): ColumnType {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (previous !== undefined && present.every((v) => fits(v, previous))) return previous;
  const all = (test: (v: unknown) => boolean) => present.every(test);
  if (present.length === 0 || all((v) => typeof v === "string")) return "STRING";
  if (all((v) => typeof v === "boolean")) return "BOOLEAN";
  if (all((v) => typeof v === "number")) {
    return all((v) => Number.isSafeInteger(v) || Object.is(v, -0)) ? "INT64" : "DOUBLE";
  }
  if (all((v) => typeof v === "bigint" || (typeof v === "number" && Number.isSafeInteger(v)))) return "INT64";
  if (all((v) => v instanceof Date)) return "TIMESTAMP";
  if (all((v) => v instanceof Uint8Array)) return "BYTE_ARRAY";
  return "JSON";
}

/**
 * Converts a column to what `type` stores, or throws a DatasetError naming the column and the bad value.
 *
 * @example
 * ```ts
 * coerceColumn("n", [1, "2"], "DOUBLE"); // throws: "2" is not a number
 * ```
 */
export function coerceColumn(name: string, values: unknown[], type: ColumnType): unknown[] {
  const bad = values.findIndex((v) => v !== null && v !== undefined && !fits(v, type));
  if (bad >= 0) {
    throw new DatasetError(
      "dataset/bad-column-type",
      `Column "${name}" is ${type} (save_args.schema) but row ${bad} holds ${
        JSON.stringify(String(values[bad]))
      }`,
      { hint: "fix the value in the node, or change the column's type in save_args.schema" },
    );
  }
  // hyparquet-writer takes INT64 values as BigInt.
  if (type === "INT64") return values.map((v) => (typeof v === "number" ? BigInt(v) : v ?? null));
  return values.map((v) => (v === undefined ? null : v));
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function fits(value: unknown, type: ColumnType): boolean {
  switch (type) {
    case "INT64":
      return (typeof value === "bigint" && value >= INT64_MIN && value <= INT64_MAX) ||
        (typeof value === "number" && Number.isSafeInteger(value));
    case "INT32":
      return typeof value === "number" && Number.isInteger(value) && Math.abs(value) < 2 ** 31;
    case "DOUBLE":
    case "FLOAT":
      return typeof value === "number";
    case "BOOLEAN":
      return typeof value === "boolean";
    case "STRING":
      return typeof value === "string";
    case "TIMESTAMP":
      return value instanceof Date && !Number.isNaN(value.getTime());
    case "BYTE_ARRAY":
      return value instanceof Uint8Array;
    case "JSON":
      return true;
  }
}

/**
 * The kmlf column type of each leaf column of a file's schema (unknown physical types are left out).
 *
 * @example
 * ```ts
 * columnTypesOf(metadata.schema); // { price: "DOUBLE", id: "INT64" }
 * ```
 */
export function columnTypesOf(schema: readonly SchemaElement[]): Record<string, ColumnType> {
  const types: Record<string, ColumnType> = {};
  for (const element of schema.slice(1)) {
    if (element.num_children) continue;
    const logical = element.logical_type?.type;
    const converted = element.converted_type;
    let type: ColumnType | undefined;
    if (converted === "JSON" || logical === "JSON") type = "JSON";
    else if (converted === "UTF8" || logical === "STRING") type = "STRING";
    else if (
      logical === "TIMESTAMP" || converted === "TIMESTAMP_MILLIS" || converted === "TIMESTAMP_MICROS"
    ) {
      type = "TIMESTAMP";
    } else if (element.type === "BYTE_ARRAY") type = "BYTE_ARRAY";
    else if (["BOOLEAN", "INT32", "INT64", "FLOAT", "DOUBLE"].includes(String(element.type))) {
      type = element.type as ColumnType;
    }
    if (type !== undefined) types[element.name] = type;
  }
  return types;
}

/**
 * pandas' index columns in a file it wrote: the `index_columns` of its `pandas` metadata that are stored
 * as columns (a RangeIndex is stored as a description, not a column).
 *
 * @example
 * ```ts
 * pandasIndexColumns(metadata.key_value_metadata); // ["__index_level_0__"]
 * ```
 */
export function pandasIndexColumns(kv: readonly KeyValue[] | undefined): string[] {
  const text = kv?.find((e) => e.key === "pandas")?.value;
  if (!text) return [];
  try {
    const meta = JSON.parse(text) as { index_columns?: unknown[] };
    return (meta.index_columns ?? []).filter((c): c is string => typeof c === "string");
  } catch {
    return [];
  }
}

/** Whether a column name is pandas' name for an unnamed index level. */
export function isUnnamedIndex(name: string): boolean {
  return /^__index_level_\d+__$/.test(name);
}
