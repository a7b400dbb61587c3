/** Shared plumbing of the SQLite datasets (node:sqlite). */
import { DatabaseSync } from "node:sqlite";
import { DatasetError } from "../../errors.ts";
import { pathExists } from "../atomic.ts";

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
      hint: "check filepath, or save the table first",
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

/** A JS value as a bindable SQLite value: booleans → 0/1, Dates → ISO text, objects → JSON text. */
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

/** node:sqlite rows have a null prototype; nodes and assertions expect ordinary objects. */
export function plainRow(row: Record<string, unknown>): SqlRow {
  return { ...row };
}
