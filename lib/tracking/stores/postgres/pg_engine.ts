/**
 * The PostgreSQL engine of the shared SQL jobs (`../sql/sql_job.ts`): a job runs inside one pooled
 * transaction (retried whole when the connection drops), its `?` placeholders numbered.
 *
 * @module
 */
import { POSTGRESQL } from "../../search/sql_dialect.ts";
import { runJobAsync, type SqlEngine, type SqlJob, type SqlStep } from "../sql/sql_job.ts";
import type { PgDb, PgQuery } from "./pg_db.ts";

// Jobs repeat a few dozen statements: number each one's placeholders once.
const numbered = new Map<string, string>();

function exec(q: PgQuery, step: SqlStep): Promise<unknown> {
  let sql = numbered.get(step.sql);
  if (sql === undefined) {
    sql = POSTGRESQL.placeholders(step.sql);
    if (numbered.size < 1000) numbered.set(step.sql, sql);
  }
  switch (step.kind) {
    case "all":
      return q.all(sql, step.params);
    case "get":
      return q.get(sql, step.params);
    case "run":
      return q.run(sql, step.params);
  }
}

/**
 * Jobs over one PostgreSQL database.
 *
 * @example
 * ```ts
 * const engine = pgEngine(await PgDb.connect("postgresql://mlflow@127.0.0.1/mlflow"));
 * ```
 */
export function pgEngine(db: PgDb): SqlEngine {
  return {
    dialect: POSTGRESQL,
    where: db.where,
    uri: db.where,
    read: <T>(job: () => SqlJob<T>) => db.read((q) => runJobAsync(job(), (s) => exec(q, s))),
    write: <T>(job: () => SqlJob<T>) => db.write((q) => runJobAsync(job(), (s) => exec(q, s))),
  };
}
