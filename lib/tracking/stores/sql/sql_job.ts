/**
 * One piece of SQL logic for both SQL engines: a job is a generator that yields the statements it
 * needs and receives their results, so the same code runs synchronously on SQLite (`node:sqlite`,
 * inside one `BEGIN IMMEDIATE` that nothing else can interleave with, at SQLite's speed) and
 * asynchronously on PostgreSQL (inside one pooled transaction). Statements use `?` placeholders; the
 * engine numbers them for PostgreSQL. Write a job with `yield*`:
 *
 * ```ts
 * function* modelCount(): SqlJob<number> {
 *   const row = yield* get<{ n: number }>("SELECT COUNT(*) AS n FROM registered_models");
 *   return Number(row?.n ?? 0);
 * }
 * const n = await engine.read(modelCount);
 * ```
 *
 * @module
 */
import type { SqlDialect } from "../../search/sql_dialect.ts";

/** A value bound to a `?` (an array only where the dialect's {@link SqlDialect.inList} put one). */
export type SqlParam = string | number | null | readonly (string | number)[];

/** One statement a job asks its engine to run. */
export interface SqlStep {
  /** `all`: every row; `get`: the first row or undefined; `run`: the number of changed rows. */
  kind: "all" | "get" | "run";
  sql: string;
  params: readonly SqlParam[];
}

/** A unit of SQL work yielding statements and returning `T`. */
export type SqlJob<T> = Generator<SqlStep, T, unknown>;

/** Every row of a query. */
export function* all<T>(sql: string, params: readonly SqlParam[] = []): SqlJob<T[]> {
  return (yield { kind: "all", sql, params }) as T[];
}

/** The first row of a query, or undefined. */
export function* get<T>(sql: string, params: readonly SqlParam[] = []): SqlJob<T | undefined> {
  return (yield { kind: "get", sql, params }) as T | undefined;
}

/** Runs a statement; returns the number of rows it changed. */
export function* run(sql: string, params: readonly SqlParam[] = []): SqlJob<number> {
  return (yield { kind: "run", sql, params }) as number;
}

/** Runs jobs in transactions on one database. */
export interface SqlEngine {
  /** How the engine spells what differs (placeholders, row order, lists). */
  readonly dialect: SqlDialect;
  /** The database for messages: a SQLite path, or a PostgreSQL URL without its password. */
  readonly where: string;
  /** The database as a tracking URI, for `mlflow db upgrade <uri>` hints. */
  readonly uri: string;
  /** Runs a job in a read transaction (one consistent snapshot). */
  read<T>(job: () => SqlJob<T>): Promise<T>;
  /** Runs a job in a write transaction: all of it or nothing. */
  write<T>(job: () => SqlJob<T>): Promise<T>;
}

/**
 * Runs a job to the end, executing each step with `exec` synchronously; an error of a step is thrown
 * into the job (where it may be caught).
 *
 * @example
 * ```ts
 * const n = runJobSync(modelCount(), (step) => sqliteExec(db, step));
 * ```
 */
export function runJobSync<T>(job: SqlJob<T>, exec: (step: SqlStep) => unknown): T {
  let next = job.next();
  while (!next.done) {
    let result: unknown;
    try {
      result = exec(next.value);
    } catch (error) {
      next = job.throw(error);
      continue;
    }
    next = job.next(result);
  }
  return next.value;
}

/**
 * Runs a job to the end, awaiting each step's `exec`.
 *
 * @example
 * ```ts
 * const n = await runJobAsync(modelCount(), (step) => pgExec(q, step));
 * ```
 */
export async function runJobAsync<T>(job: SqlJob<T>, exec: (step: SqlStep) => Promise<unknown>): Promise<T> {
  let next = job.next();
  while (!next.done) {
    let result: unknown;
    try {
      result = await exec(next.value);
    } catch (error) {
      next = job.throw(error);
      continue;
    }
    next = job.next(result);
  }
  return next.value;
}

/**
 * Whether a statement failed on a unique constraint (PostgreSQL's SQLSTATE 23505, SQLite's
 * "UNIQUE constraint failed"), e.g. a name another writer took after the job checked it.
 *
 * @example
 * ```ts
 * try { yield* run(sql, params); } catch (error) { if (isUniqueViolation(error)) throw taken(); throw error; }
 * ```
 */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return e?.code === "23505" || /UNIQUE constraint failed/.test(String(e?.message ?? ""));
}
