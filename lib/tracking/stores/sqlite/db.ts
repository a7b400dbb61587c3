/**
 * A `node:sqlite` connection set up for several processes writing at once: WAL journal, a busy
 * timeout, MLflow's pragmas (foreign keys, case-sensitive LIKE), cached prepared statements, and
 * `BEGIN IMMEDIATE` write transactions so a writer waits for the lock instead of failing midway.
 *
 * @module
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { TrackingError } from "../../../errors.ts";
import { ioProblem } from "../../../io_errors.ts";

/** A value SQLite binds or returns. */
export type SqlValue = string | number | bigint | null | Uint8Array;

/** Options of {@link SqliteDb}. */
export interface SqliteDbOptions {
  /** How long a writer waits for another process's lock, in ms (default 20000, like MLflow). */
  busyTimeoutMs?: number;
  /**
   * Read through a memory map (up to 256 MiB): a long-running server's searches over a large store are ~12%
   * faster. Off by default: the kernel maps 64 KB around each page read, so a one-shot command's few hundred
   * page reads cost it megabytes of peak memory (a tracked run on a 27 MB store: +4.7 MB).
   */
  memoryMap?: boolean;
}

/**
 * Maps SQLite's "database is locked" to a retryable MLflow error and disk failures (full, read-only, I/O)
 * to a TrackingError naming the store; other errors pass through.
 */
export function mapSqliteError(error: unknown, path: string): unknown {
  // Deno's node:sqlite reports only the message (no errcode), so match SQLITE_BUSY / SQLITE_LOCKED text.
  if (error instanceof Error && /database (?:table )?is locked|database is busy/.test(error.message)) {
    return new TrackingError(
      "TEMPORARILY_UNAVAILABLE",
      `Cannot write to ${path}: the database stayed locked by another process past the busy timeout`,
      { cause: error, hint: "retry, or raise busyTimeoutMs when many processes log at once" },
    );
  }
  return diskError(error, path, "use") ?? error;
}

/**
 * An error opening the database at `path` as a TrackingError naming the file and what is wrong with it
 * (not a database, unreadable, on a full or failing disk); other errors pass through.
 *
 * @example
 * ```ts
 * throw openError(error, "/project/mlflow.db");
 * ```
 */
export function openError(error: unknown, path: string): unknown {
  // Errors already mapped while opening (a pragma reads the file) are worded as an open failure.
  const original =
    error instanceof TrackingError && error.code.startsWith("tracking/") && error.cause !== undefined
      ? error.cause
      : error;
  return diskError(original, path, "open") ?? error;
}

function diskError(error: unknown, path: string, verb: "open" | "use"): TrackingError | undefined {
  if (error instanceof TrackingError) return undefined;
  const problem = ioProblem(error, path);
  if (!problem) return undefined;
  return new TrackingError(
    `tracking/${problem.code}`,
    `Cannot ${verb} the SQLite tracking store ${path}: ${problem.what}`,
    {
      cause: error,
      hint: problem.code === "not-a-database"
        ? "point mlflow_tracking_uri (or --backend-store-uri) at an MLflow SQLite database or a new file " +
          "(a folder selects MLflow's file store), or move this file away"
        : problem.hint,
    },
  );
}

function cannotOpen(path: string, error: unknown): TrackingError {
  return new TrackingError("tracking/cannot-open-database", `Cannot open SQLite database ${path}`, {
    cause: error,
    hint: "check that the directory exists and is writable, on a file system mounted read-write (SQLite " +
      "creates <database>-wal and -shm files beside it), and that --allow-read/--allow-write cover it",
  });
}

/**
 * One open SQLite database.
 *
 * @example
 * ```ts
 * const db = new SqliteDb("/tmp/mlflow.db");
 * db.write(() => db.run("INSERT INTO alembic_version VALUES (?)", "x"));
 * ```
 */
export class SqliteDb {
  readonly path: string;
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();
  readonly #arrayStatements = new Map<string, StatementSync>();
  #depth = 0;

  constructor(path: string, options: SqliteDbOptions = {}) {
    this.path = path;
    try {
      this.#db = new DatabaseSync(path);
    } catch (error) {
      throw cannotOpen(path, error);
    }
    try {
      this.#db.exec(`PRAGMA busy_timeout = ${options.busyTimeoutMs ?? 20000}`);
      this.#db.exec("PRAGMA foreign_keys = ON");
      // Reads through a memory map skip a read() per page (SqliteDbOptions.memoryMap says when it pays).
      // Writes and the WAL are unaffected; the pages are file-backed and reclaimable.
      if (options.memoryMap) this.#db.exec("PRAGMA mmap_size = 268435456");
      // MLflow sets this too: LIKE is case-sensitive, ILIKE is lower(x) LIKE lower(p).
      this.#db.exec("PRAGMA case_sensitive_like = true");
      if (path !== ":memory:") {
        this.#guard(() => this.#db.exec("PRAGMA journal_mode = WAL"));
        // In WAL mode NORMAL is safe against application crashes; only a power loss can drop the last commits.
        this.#db.exec("PRAGMA synchronous = NORMAL");
      }
    } catch (error) {
      this.#db.close();
      // SQLITE_CANTOPEN once the file is open: WAL's -wal and -shm files cannot be made beside it (a
      // read-only file system or folder), which SQLite words as the file itself failing to open.
      if (error instanceof Error && /unable to open database file/i.test(error.message)) {
        throw cannotOpen(path, error);
      }
      throw openError(error, path);
    }
  }

  /** A cached prepared statement. */
  statement(sql: string): StatementSync {
    let st = this.#statements.get(sql);
    if (!st) {
      st = this.#db.prepare(sql);
      this.#statements.set(sql, st);
    }
    return st;
  }

  /** All rows of a query, as plain objects. */
  all<T>(sql: string, ...params: SqlValue[]): T[] {
    return this.#guard(() => this.statement(sql).all(...params) as T[]);
  }

  /** All rows of a query as arrays of column values (about twice as fast as objects for big results). */
  rows<T extends unknown[]>(sql: string, ...params: SqlValue[]): T[] {
    return this.#guard(() => {
      let st = this.#arrayStatements.get(sql);
      if (!st) {
        st = this.#db.prepare(sql);
        // Present at run time in Deno 2.9 (Node 24's API) but missing from the bundled type definitions.
        (st as StatementSync & { setReturnArrays(enabled: boolean): void }).setReturnArrays(true);
        this.#arrayStatements.set(sql, st);
      }
      return st.all(...params) as unknown as T[];
    });
  }

  /** The first row of a query, or undefined. */
  get<T>(sql: string, ...params: SqlValue[]): T | undefined {
    return this.#guard(() => this.statement(sql).get(...params) as T | undefined);
  }

  /** Runs a statement; returns the number of changed rows. */
  run(sql: string, ...params: SqlValue[]): number {
    return this.#guard(() => Number(this.statement(sql).run(...params).changes));
  }

  /** Runs an INSERT; returns the rowid of the new row. */
  insert(sql: string, ...params: SqlValue[]): number {
    return this.#guard(() => Number(this.statement(sql).run(...params).lastInsertRowid));
  }

  /** Executes SQL text without parameters (DDL, pragmas). */
  exec(sql: string): void {
    this.#guard(() => this.#db.exec(sql));
  }

  /** Runs `fn` in a `BEGIN IMMEDIATE` transaction (nested calls join the outer one). */
  write<T>(fn: () => T): T {
    return this.#transaction("BEGIN IMMEDIATE", fn);
  }

  /** Runs `fn` in a read transaction, so several SELECTs see one consistent snapshot. */
  read<T>(fn: () => T): T {
    return this.#transaction("BEGIN", fn);
  }

  /** Closes the connection. */
  close(): void {
    this.#statements.clear();
    this.#arrayStatements.clear();
    if (this.#db.isOpen) this.#db.close();
  }

  #transaction<T>(begin: string, fn: () => T): T {
    if (this.#depth > 0) return fn();
    this.exec(begin);
    this.#depth++;
    try {
      const result = fn();
      this.exec("COMMIT");
      return result;
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec("ROLLBACK");
      throw error;
    } finally {
      this.#depth--;
    }
  }

  #guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw mapSqliteError(error, this.path);
    }
  }
}
