/** The rows of a SQL query against a SQLite database (load only). */
import { DatasetError } from "../../errors.ts";
import { pathExists } from "../atomic.ts";
import { localFilePath } from "../local_path.ts";
import type { Dataset } from "../dataset.ts";
import { readRows, type SqlRow, withDb } from "./_sqlite.ts";
import { promised } from "../../promised.ts";

/** Options of {@link SqliteQueryDataset}. */
export interface SqliteQueryOptions {
  /** The database file (absolute). */
  filepath: string;
  sql: string;
  /** `params`: values bound to `?` (an array) or `:name` placeholders (an object). */
  loadArgs?: { params?: unknown[] | Record<string, unknown> };
  metadata?: Record<string, unknown>;
}

/**
 * The rows of `sql`, with `load_args.params` bound to its placeholders. Saving is an error.
 *
 * @example
 * ```ts
 * const ds = new SqliteQueryDataset({
 *   filepath: "/tmp/db.sqlite",
 *   sql: "SELECT * FROM scores WHERE score > ?",
 *   loadArgs: { params: [0.5] },
 * });
 * ```
 */
export class SqliteQueryDataset implements Dataset<SqlRow[]> {
  readonly filepath: string;
  readonly sql: string;
  readonly params?: unknown[] | Record<string, unknown>;
  readonly metadata?: Record<string, unknown>;

  constructor(options: SqliteQueryOptions) {
    this.filepath = localFilePath(options.filepath, "filepath");
    this.sql = options.sql;
    this.params = options.loadArgs?.params;
    this.metadata = options.metadata;
  }

  load(): Promise<SqlRow[]> {
    return promised(() =>
      withDb(this.filepath, { write: false }, (db) => readRows(db.prepare(this.sql), this.params))
    );
  }

  save(): never {
    throw new DatasetError("dataset/read-only", "SqliteQueryDataset is read-only", {
      hint: "save through a sqlite_table dataset instead",
    });
  }

  exists(): Promise<boolean> {
    return promised(() => pathExists(this.filepath));
  }

  describe(): Record<string, unknown> {
    return { filepath: this.filepath, sql: this.sql };
  }
}
