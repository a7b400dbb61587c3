/** Shared plumbing of the SQLite datasets (node:sqlite). */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { recordFloatColumns } from "../../source_keys.ts";
import { DatasetError } from "../../errors.ts";
import { pathExists } from "../atomic.ts";
import type { CellRules } from "./_table_cells.ts";

/** A row as node:sqlite returns it. */
export type SqlRow = Record<string, unknown>;

/** Opens the database for the duration of `fn`; reading a missing database file is an error. */
export function withDb<T>(
  path: string,
  options: { write: boolean },
  fn: (db: DatabaseSync) => T,
): T {
  if (!options.write && !pathExists(path)) {
    throw new DatasetError("dataset/file-not-found", `SQLite database ${path} does not exist`, {
      hint: "check filepath (Kedro's SQL types: the credentials' con), or save the table first",
    });
  }
  const db = new DatabaseSync(path);
  try {
    db.exec("PRAGMA busy_timeout = 5000");
    return fn(db);
  } finally {
    db.close();
  }
}

/** `"name"` with embedded quotes doubled. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Whether `table` exists in `db`. */
export function tableExists(db: DatabaseSync, table: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
}

/** Column type for a sample value (SQLite is dynamically typed; this sets the affinity). */
export function sqlType(sample: unknown): string {
  if (typeof sample === "number") return Number.isInteger(sample) ? "INTEGER" : "REAL";
  if (typeof sample === "boolean" || typeof sample === "bigint") return "INTEGER";
  if (sample instanceof Uint8Array) return "BLOB";
  return "TEXT";
}

/**
 * A JS value as a bindable SQLite value: booleans → 0/1 (as pandas' to_sql), Dates → ISO text; check the
 * rows with {@link SQLITE_CELLS} first, other objects are JSON text.
 */
export function sqlValue(value: unknown): null | number | bigint | string | Uint8Array {
  if (value === undefined || value === null) return null;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  if (
    typeof value === "number" || typeof value === "bigint" || typeof value === "string" ||
    value instanceof Uint8Array
  ) {
    return value;
  }
  return JSON.stringify(value);
}

/**
 * The rows of a statement as ordinary objects (node:sqlite's have a null prototype). Integers are read as
 * BigInts, so one beyond 2^53 neither throws nor rounds; each comes back as a number when the number is
 * exactly it, else as the BigInt.
 *
 * @example
 * ```ts
 * readRows(db.prepare("SELECT * FROM scores")); // [{ id: 1, score: 0.9 }]
 * ```
 */
export function readRows(
  statement: StatementSync,
  params: unknown[] | Record<string, unknown> = [],
): SqlRow[] {
  statement.setReadBigInts(true);
  type Bindable = null | number | bigint | string | Uint8Array;
  const rows = Array.isArray(params)
    ? statement.all(...(params as Bindable[]))
    : statement.all(params as Record<string, Bindable>);
  // pandas' read_sql makes float64 of a column with a REAL value (a JS number here: integers are BigInts),
  // or of integers with a NULL: recorded for a signature inferred from the rows (`5.0` is 5 here).
  const floats = new Set<string>();
  const integers = new Set<string>();
  const nulls = new Set<string>();
  const out = rows.map((row) => {
    const plain: SqlRow = {};
    for (const key in row) {
      const value = row[key];
      if (typeof value === "number") floats.add(key);
      else if (typeof value === "bigint") integers.add(key);
      else if (value === null) nulls.add(key);
      plain[key] = typeof value === "bigint" && BigInt(Number(value)) === value ? Number(value) : value;
    }
    return plain;
  });
  for (const key of integers) if (nulls.has(key)) floats.add(key);
  recordFloatColumns(out, floats);
  return out;
}

/** The limits of SQLite's cells, for {@link assertCells}. */
export const SQLITE_CELLS: CellRules = {
  format: "SQLite",
  nestedHint: "save the rows to a JSON or Parquet dataset, which keep nested values",
  bigint: "int64",
  nan: false,
  bytes: true,
};
