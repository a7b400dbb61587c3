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
  /** The query; or, instead, `sqlFilepath`. */
  sql?: string;
  /** A file holding the query, read at each load (Kedro's SQLQueryDataset `filepath`). */
  sqlFilepath?: string;
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
  /** The query a load runs (undefined when it is read from {@link sqlFilepath}). */
  readonly sql?: string;
  /** The file a load reads the query from, when `sql` is not given. */
  readonly sqlFilepath?: string;
  /** Bound parameters of the query (`load_args.params`): positional `?` or named `:name`. */
  readonly params?: unknown[] | Record<string, unknown>;
  /** The entry's free-form `metadata`. */
  readonly metadata?: Record<string, unknown>;

  /** Takes the catalog entry's `filepath`, `sql` (or a file of it) and `load_args.params`. */
  constructor(options: SqliteQueryOptions) {
    this.filepath = localFilePath(options.filepath, "filepath");
    if ((options.sql === undefined) === (options.sqlFilepath === undefined)) {
      throw new DatasetError("catalog/bad-argument", "A SQL query dataset needs either sql or a file of it", {
        hint: "write sql: SELECT … or filepath: queries/q.sql (one of them, not both)",
      });
    }
    this.sql = options.sql;
    this.sqlFilepath = options.sqlFilepath;
    this.params = options.loadArgs?.params;
    this.metadata = options.metadata;
  }

  /** Runs the query (read-only) and returns its rows. */
  load(): Promise<SqlRow[]> {
    return promised(() => {
      const sql = this.sql ?? readQueryFile(this.sqlFilepath!);
      return withDb(this.filepath, { write: false }, (db) => readRows(db.prepare(sql), this.params));
    });
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
    return this.sql === undefined
      ? { filepath: this.filepath, sql_filepath: this.sqlFilepath }
      : { filepath: this.filepath, sql: this.sql };
  }
}

// The query file of Kedro's SQLQueryDataset `filepath`, read when the dataset loads (as Kedro reads it).
function readQueryFile(path: string): string {
  try {
    return Deno.readTextFileSync(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    throw new DatasetError("dataset/file-not-found", `The SQL file ${path} does not exist`, {
      hint:
        "fix the entry's filepath (the query file, relative to the project root), or write the query as sql:",
    });
  }
}
