/** SQLite datasets: a whole table (load/save) or a query (load only), through node:sqlite. */
import { DatabaseSync } from "node:sqlite";
import { dirname } from "node:path";
import { DatasetError } from "../../errors.ts";
import { pathExists } from "../atomic.ts";
import type { Dataset } from "../dataset.ts";

type Row = Record<string, unknown>;

/** Options shared by the SQLite datasets: the database file (absolute). */
export interface SqliteOptions {
  filepath: string;
  loadArgs?: Record<string, unknown>;
  saveArgs?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

/**
 * A table as an array of row objects. `save_args.if_exists`: `replace` (default), `append` or `fail`.
 * Saving replaces the table inside one transaction, so readers never see half a table.
 *
 * @example
 * ```ts
 * const ds = new SqliteTableDataset({ filepath: "/tmp/db.sqlite", tableName: "scores" });
 * await ds.save([{ id: 1, score: 0.9 }]);
 * ```
 */
export class SqliteTableDataset implements Dataset<Row[]> {
  readonly filepath: string;
  readonly tableName: string;
  readonly saveArgs: Record<string, unknown>;

  constructor(options: SqliteOptions & { tableName: string }) {
    if (!/^[A-Za-z_][\w]*$/.test(options.tableName ?? "")) {
      throw new DatasetError(
        "dataset/bad-table-name",
        `Table name "${options.tableName}" is not a plain SQL identifier`,
        {
          hint: "use letters, digits and underscores, starting with a letter",
        },
      );
    }
    this.filepath = options.filepath;
    this.tableName = options.tableName;
    this.saveArgs = options.saveArgs ?? {};
  }

  async load(): Promise<Row[]> {
    return await withDb(
      this.filepath,
      false,
      (db) => db.prepare(`SELECT * FROM "${this.tableName}"`).all() as Row[],
    );
  }

  async save(rows: Row[]): Promise<void> {
    if (!Array.isArray(rows) || rows.length === 0) {
      throw new DatasetError(
        "dataset/not-rows",
        "SqliteTableDataset saves a non-empty array of row objects",
        {
          hint: "return rows like [{id: 1, name: 'x'}] from the node",
        },
      );
    }
    const mode = (this.saveArgs.if_exists as string | undefined) ?? "replace";
    if (!["replace", "append", "fail"].includes(mode)) {
      throw new DatasetError("dataset/bad-if-exists", `save_args.if_exists "${mode}" is not supported`, {
        hint: "use replace, append or fail",
      });
    }
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    await Deno.mkdir(dirname(this.filepath), { recursive: true });
    await withDb(this.filepath, true, (db) => {
      const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?").get(
        this.tableName,
      );
      if (exists && mode === "fail") {
        throw new DatasetError(
          "dataset/table-exists",
          `Table "${this.tableName}" already exists in ${this.filepath}`,
          {
            hint: "set save_args.if_exists to replace or append",
          },
        );
      }
      db.exec("BEGIN IMMEDIATE");
      try {
        if (exists && mode === "replace") db.exec(`DROP TABLE "${this.tableName}"`);
        if (!exists || mode === "replace") {
          const defs = columns.map((c) =>
            `"${c.replace(/"/g, '""')}" ${sqlType(rows.find((r) => r[c] != null)?.[c])}`
          );
          db.exec(`CREATE TABLE "${this.tableName}" (${defs.join(", ")})`);
        }
        const insert = db.prepare(
          `INSERT INTO "${this.tableName}" (${
            columns.map((c) => `"${c.replace(/"/g, '""')}"`).join(", ")
          }) VALUES (${columns.map(() => "?").join(", ")})`,
        );
        for (const r of rows) insert.run(...columns.map((c) => sqlValue(r[c])));
        db.exec("COMMIT");
      } catch (error) {
        db.exec("ROLLBACK");
        throw error;
      }
    });
  }

  async exists(): Promise<boolean> {
    if (!(await pathExists(this.filepath))) return false;
    return await withDb(
      this.filepath,
      false,
      (db) => !!db.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?").get(this.tableName),
    );
  }

  describe(): Record<string, unknown> {
    return { filepath: this.filepath, table_name: this.tableName };
  }
}

/**
 * The rows of a SQL query (`sql`, with `load_args.params` bound to `?` or `:name` placeholders). Load only.
 *
 * @example
 * ```ts
 * const ds = new SqliteQueryDataset({ filepath: "/tmp/db.sqlite", sql: "SELECT * FROM scores WHERE score > ?", loadArgs: { params: [0.5] } });
 * ```
 */
export class SqliteQueryDataset implements Dataset<Row[]> {
  readonly filepath: string;
  readonly sql: string;
  readonly loadArgs: Record<string, unknown>;

  constructor(options: SqliteOptions & { sql: string }) {
    this.filepath = options.filepath;
    this.sql = options.sql;
    this.loadArgs = options.loadArgs ?? {};
  }

  async load(): Promise<Row[]> {
    const params = this.loadArgs.params;
    return await withDb(this.filepath, false, (db) => {
      const stmt = db.prepare(this.sql);
      const rows = Array.isArray(params)
        ? stmt.all(...params)
        : params && typeof params === "object"
        ? stmt.all(params as Record<string, never>)
        : stmt.all();
      return rows as Row[];
    });
  }

  save(): void {
    throw new DatasetError("dataset/read-only", "SqliteQueryDataset is read-only", {
      hint: "save through a sqlite_table dataset instead",
    });
  }

  exists(): Promise<boolean> {
    return pathExists(this.filepath);
  }

  describe(): Record<string, unknown> {
    return { filepath: this.filepath, sql: this.sql };
  }
}

async function withDb<T>(path: string, write: boolean, fn: (db: DatabaseSync) => T): Promise<T> {
  if (!write && !(await pathExists(path))) {
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

function sqlType(sample: unknown): string {
  if (typeof sample === "number") return Number.isInteger(sample) ? "INTEGER" : "REAL";
  if (typeof sample === "boolean" || typeof sample === "bigint") return "INTEGER";
  if (sample instanceof Uint8Array) return "BLOB";
  return "TEXT";
}

function sqlValue(value: unknown): null | number | bigint | string | Uint8Array {
  if (value === undefined || value === null) return null;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (
    typeof value === "number" || typeof value === "bigint" || typeof value === "string" ||
    value instanceof Uint8Array
  ) return value;
  return JSON.stringify(value);
}
