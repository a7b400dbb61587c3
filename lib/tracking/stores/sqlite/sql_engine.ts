/**
 * The SQLite engine of the shared SQL jobs (`../sql/sql_job.ts`): a job runs synchronously inside
 * one `node:sqlite` transaction, so no other call on the connection can interleave with it and
 * nothing is awaited between its statements.
 *
 * @module
 */
import { SQLITE } from "../../search/sql_dialect.ts";
import { runJobSync, type SqlEngine, type SqlJob, type SqlStep } from "../sql/sql_job.ts";
import type { SqliteDb, SqlValue } from "./db.ts";

function exec(db: SqliteDb, step: SqlStep): unknown {
  // SQLite lists expand to one `?` per value (SqlDialect.inList), so no parameter is an array here.
  const params = step.params as SqlValue[];
  switch (step.kind) {
    case "all":
      return db.all(step.sql, ...params);
    case "get":
      return db.get(step.sql, ...params);
    case "run":
      return db.run(step.sql, ...params);
  }
}

/**
 * Jobs over one SQLite database.
 *
 * @example
 * ```ts
 * const engine = sqliteEngine(new SqliteDb("/tmp/mlflow.db"));
 * ```
 */
export function sqliteEngine(db: SqliteDb): SqlEngine {
  const settle = <T>(fn: () => T): Promise<T> => {
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(error);
    }
  };
  return {
    dialect: SQLITE,
    where: db.path,
    uri: `sqlite:///${db.path}`,
    read: <T>(job: () => SqlJob<T>) => settle(() => db.read(() => runJobSync(job(), (s) => exec(db, s)))),
    write: <T>(job: () => SqlJob<T>) => settle(() => db.write(() => runJobSync(job(), (s) => exec(db, s)))),
  };
}
