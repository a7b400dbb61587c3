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
  /** Absolute path of the database file. */
  readonly filepath: string;
  /** The query a load runs. */
  readonly sql: string;
  /** Bound parameters of the query (`load_args.params`): positional `?` or named `:name`. */
  readonly params?: unknown[] | Record<string, unknown>;
  /** The entry's free-form `metadata`. */
  readonly metadata?: Record<string, unknown>;

  /** Takes the catalog entry's `filepath`, `sql` and `load_args.params`. */
  constructor(options: SqliteQueryOptions) {
    this.filepath = localFilePath(options.filepath, "filepath");
    this.sql = options.sql;
    this.params = options.loadArgs?.params;
    this.metadata = options.metadata;
  }

  /** Runs the query (read-only) and returns its rows. */
  load(): Promise<SqlRow[]> {
    return promised(() =>
      withDb(this.filepath, { write: false }, (db) => readRows(db.prepare(this.sql), this.params))
    );
  }

  /** Always throws `dataset/read-only`: a query cannot be saved to. */
  save(): never {
    throw new DatasetError("dataset/read-only", "SqliteQueryDataset is read-only", {
      hint: "save through a sqlite_table dataset instead",
    });
  }

  /** Whether the database file exists. */
  exists(): Promise<boolean> {
    return promised(() => pathExists(this.filepath));
  }

  describe(): Record<string, unknown> {
    return { filepath: this.filepath, sql: this.sql };
  }
}
