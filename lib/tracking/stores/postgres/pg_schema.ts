/**
 * Creating MLflow 2.17.2's schema in an empty PostgreSQL database and checking an existing one, the
 * way `mlflow server` does: the tables, then the `alembic_version` row; a database at an older MLflow
 * revision is refused with MLflow's "out-of-date database schema" message. Processes opening a new
 * database at the same moment create the schema exactly once (a transaction-scoped advisory lock).
 *
 * @module
 */
import { ALEMBIC_REVISION, INPUT_TABLES, verifySchema } from "../sql/schema_rules.ts";
import type { RegistrySchema } from "../sql/registry_rows.ts";
import type { PgDb, PgQuery } from "./pg_db.ts";
import { PG_MLFLOW_SCHEMA } from "./pg_mlflow_schema.ts";

/** What an opened database offers beyond the core tables. */
export interface PgSchemaInfo {
  /** The alembic revision recorded in the database. */
  revision?: string;
  /** Whether dataset inputs can be stored (MLflow ≥ 2.4). */
  hasInputs: boolean;
  /** What the registry tables offer. */
  registry: RegistrySchema;
}

// Any fixed 64-bit key: every kmlf process creating a schema takes the same lock.
const SCHEMA_LOCK = 7_402_311_987;

const MLFLOW_TABLES = [
  "experiments",
  "runs",
  "metrics",
  "params",
  "tags",
  "latest_metrics",
  "alembic_version",
];

async function tableColumns(q: PgQuery): Promise<Map<string, Set<string>>> {
  const rows = await q.all<{ table_name: string; column_name: string }>(
    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()",
  );
  const tables = new Map<string, Set<string>>();
  for (const r of rows) {
    if (!tables.has(r.table_name)) tables.set(r.table_name, new Set());
    tables.get(r.table_name)!.add(r.column_name);
  }
  return tables;
}

/**
 * Creates the schema when the database has none of MLflow's tables, then checks it.
 *
 * @example
 * ```ts
 * const info = await ensurePgSchema(db); // { revision: "f5a4f2784254", hasInputs: true }
 * ```
 */
export async function ensurePgSchema(db: PgDb): Promise<PgSchemaInfo> {
  let tables = await tableColumns(db);
  if (!MLFLOW_TABLES.some((t) => tables.has(t))) {
    tables = await db.write(async (q) => {
      await q.run(`SELECT pg_advisory_xact_lock(${SCHEMA_LOCK})`);
      const now = await tableColumns(q);
      if (MLFLOW_TABLES.some((t) => now.has(t))) return now; // another process created it meanwhile
      for (const statement of PG_MLFLOW_SCHEMA) await q.run(statement);
      await q.run("INSERT INTO alembic_version (version_num) VALUES ($1)", [ALEMBIC_REVISION]);
      return await tableColumns(q);
    });
  }
  return await checkPgSchema(db, tables);
}

/** Verifies the core tables and columns and the alembic revision. */
async function checkPgSchema(db: PgDb, tables: Map<string, Set<string>>): Promise<PgSchemaInfo> {
  const revision = tables.has("alembic_version")
    ? (await db.get<{ version_num: string }>("SELECT version_num FROM alembic_version"))?.version_num
    : undefined;
  verifySchema({ where: db.where, uri: db.where }, tables, revision);
  return {
    revision,
    hasInputs: INPUT_TABLES.every((t) => tables.has(t)),
    registry: {
      hasAliases: tables.has("registered_model_aliases"),
      hasStorageLocation: tables.get("model_versions")?.has("storage_location") ?? false,
    },
  };
}
