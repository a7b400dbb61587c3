/**
 * Creating MLflow's schema in a fresh database and checking an existing one (written by kmlf or by
 * MLflow 2.17.2 or newer): the core tables and an alembic revision must be there, a revision before 2.17.2's
 * head is refused as MLflow refuses it ("out-of-date database schema"); extra tables and columns of newer
 * MLflow versions are ignored, and the alembic revision of an existing database is left untouched.
 *
 * @module
 */
import { TrackingError } from "../../../errors.ts";
import type { SqliteDb } from "./db.ts";
import { ALEMBIC_REVISION, MLFLOW_SCHEMA } from "./mlflow_schema.ts";
import type { RegistrySchema } from "../sql/registry_rows.ts";
import { INPUT_TABLES, verifySchema } from "../sql/schema_rules.ts";

export { ALEMBIC_REVISION, MLFLOW_SCHEMA };

/** What an opened database offers beyond the core tables. */
export interface SchemaInfo {
  /** The alembic revision recorded in the database (undefined when the table is empty). */
  revision?: string;
  /** Whether dataset inputs can be stored (tables `datasets`, `inputs`, `input_tags`; MLflow ≥ 2.4). */
  hasInputs: boolean;
}

function tableNames(db: SqliteDb): Set<string> {
  return new Set(
    db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").map((r) => r.name),
  );
}

/**
 * Creates the MLflow 2.17.2 schema when the database has none, then checks it. Runs under
 * `BEGIN IMMEDIATE` so processes opening a new file at the same time create it exactly once.
 *
 * @example
 * ```ts
 * const info = ensureSchema(new SqliteDb("/tmp/mlflow.db"));
 * ```
 */
export function ensureSchema(db: SqliteDb): SchemaInfo {
  const exists = () => tableNames(db).has("experiments");
  if (!exists()) {
    db.write(() => {
      if (exists()) return;
      const tables = tableNames(db);
      const foreign = [...tables].filter((t) => !t.startsWith("sqlite_"));
      if (foreign.length > 0) {
        throw new TrackingError(
          "tracking/not-an-mlflow-database",
          `Cannot use ${db.path} as a tracking database: it has tables (${
            foreign.join(", ")
          }) but no MLflow schema`,
          { hint: "point the tracking URI at a new file or at a database created by MLflow or kmlf" },
        );
      }
      for (const statement of MLFLOW_SCHEMA) db.exec(statement);
      db.run("INSERT INTO alembic_version (version_num) VALUES (?)", ALEMBIC_REVISION);
    });
  }
  return checkSchema(db);
}

/**
 * Verifies the core tables and columns and the alembic revision (as the PostgreSQL store does), and
 * reports the optional features.
 */
export function checkSchema(db: SqliteDb): SchemaInfo {
  // Every table's columns in one statement (the table-valued form of PRAGMA table_info): a PRAGMA per
  // table prepared ~30 statements at each open, on `kmlf server`'s way to listening.
  const tables = new Map<string, Set<string>>();
  // Virtual tables are left out: their columns need their module (an extension another program of the
  // database loads, `no such module` here), and no MLflow table is one.
  const columns = db.rows<[table: string, column: string]>(
    "SELECT m.name, c.name FROM sqlite_master AS m, pragma_table_info(m.name) AS c " +
      "WHERE m.type = 'table' AND m.sql NOT LIKE 'CREATE VIRTUAL TABLE%'",
  );
  for (const [table, column] of columns) {
    const known = tables.get(table);
    if (known) known.add(column);
    else tables.set(table, new Set([column]));
  }
  const revision = tables.has("alembic_version")
    ? db.get<{ version_num: string }>("SELECT version_num FROM alembic_version")?.version_num
    : undefined;
  verifySchema({ where: db.path, uri: `sqlite:///${db.path}` }, tables, revision);
  return { revision, hasInputs: INPUT_TABLES.every((t) => tables.has(t)) };
}

/**
 * What the database's registry tables offer (older MLflow schemas lack aliases and storage_location).
 *
 * @example
 * ```ts
 * registrySchema(db); // { hasAliases: true, hasStorageLocation: true }
 * ```
 */
export function registrySchema(db: SqliteDb): RegistrySchema {
  const columns = new Set(db.all<{ name: string }>('PRAGMA table_info("model_versions")').map((c) => c.name));
  return {
    hasAliases: tableNames(db).has("registered_model_aliases"),
    hasStorageLocation: columns.has("storage_location"),
  };
}
