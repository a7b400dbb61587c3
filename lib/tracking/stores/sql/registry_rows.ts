/**
 * Reading MLflow's registry tables (`registered_models`, `model_versions`, their tag tables and
 * `registered_model_aliases`) into registry entities, in bulk so a search costs a few queries; the
 * same jobs on SQLite and PostgreSQL (`sql_job.ts`). Tags and aliases come back in the order the
 * engine keeps rows (SQLite: first set; PostgreSQL: physical order), as MLflow returns them; a
 * model's versions in version order.
 *
 * @module
 */
import {
  DELETED_STAGE,
  latestPerStage,
  type ModelVersion,
  type ModelVersionStatus,
  type RegisteredModel,
} from "../../registry/entities.ts";
import { setEntry } from "../../entities.ts";
import { TrackingError } from "../../../errors.ts";
import {
  modelVersionNotFound,
  parseModelVersion,
  registeredModelNotFound,
  validateModelName,
} from "../../registry/rules.ts";
import type { SqlDialect } from "../../search/sql_dialect.ts";
import { all, get, type SqlJob, type SqlParam } from "./sql_job.ts";

/** A `registered_models` row. */
export interface ModelRow {
  name: string;
  creation_time: number | null;
  last_updated_time: number | null;
  description: string | null;
}

/** A `model_versions` row. */
export interface VersionRow {
  name: string;
  version: number;
  creation_time: number | null;
  last_updated_time: number | null;
  description: string | null;
  user_id: string | null;
  current_stage: string | null;
  source: string | null;
  run_id: string | null;
  status: string | null;
  status_message: string | null;
  run_link: string | null;
  storage_location?: string | null;
}

/** What the database's registry tables offer (older MLflow schemas lack aliases and storage_location). */
export interface RegistrySchema {
  hasAliases: boolean;
  hasStorageLocation: boolean;
}

/** What every registry job needs to know about its database. */
export interface RegistrySql {
  dialect: SqlDialect;
  schema: RegistrySchema;
  /** The database for messages. */
  where: string;
  /** The database as a tracking URI (for `mlflow db upgrade` hints). */
  uri: string;
}

/**
 * Rows of `sql` (whose `%IN%` becomes "`column` is one of the names") over all `names`, in chunks
 * the engine accepts; `extra` parameters follow the list's.
 */
function* byNames<T>(
  r: RegistrySql,
  sql: string,
  column: string,
  names: readonly string[],
  ...extra: SqlParam[]
): SqlJob<T[]> {
  const out: T[] = [];
  for (let i = 0; i < names.length; i += r.dialect.maxList) {
    const list = r.dialect.inList(column, names.slice(i, i + r.dialect.maxList));
    out.push(...(yield* all<T>(sql.replace("%IN%", list.sql), [...list.params, ...extra])));
  }
  return out;
}

/** Tags of the given models, grouped by name. */
function* modelTags(r: RegistrySql, names: readonly string[]): SqlJob<Map<string, Record<string, string>>> {
  const out = new Map<string, Record<string, string>>();
  const rows = yield* byNames<{ name: string; key: string; value: string | null }>(
    r,
    `SELECT name, "key", value FROM registered_model_tags WHERE %IN% ORDER BY ${r.dialect.rowOrder}`,
    "name",
    names,
  );
  for (const row of rows) {
    if (!out.has(row.name)) out.set(row.name, {});
    setEntry(out.get(row.name)!, row.key, row.value ?? "");
  }
  return out;
}

/** Aliases of the given models, grouped by name, as [alias, version] pairs. */
function* modelAliases(r: RegistrySql, names: readonly string[]): SqlJob<Map<string, [string, number][]>> {
  const out = new Map<string, [string, number][]>();
  if (!r.schema.hasAliases) return out;
  const rows = yield* byNames<{ name: string; alias: string; version: number }>(
    r,
    `SELECT name, alias, version FROM registered_model_aliases WHERE %IN% ORDER BY ${r.dialect.rowOrder}`,
    "name",
    names,
  );
  for (const row of rows) {
    if (!out.has(row.name)) out.set(row.name, []);
    out.get(row.name)!.push([row.alias, Number(row.version)]);
  }
  return out;
}

/** Version tags of the given models, keyed by `name\0version`. */
function* versionTags(r: RegistrySql, names: readonly string[]): SqlJob<Map<string, Record<string, string>>> {
  const out = new Map<string, Record<string, string>>();
  const rows = yield* byNames<{ name: string; version: number; key: string; value: string | null }>(
    r,
    `SELECT name, version, "key", value FROM model_version_tags WHERE %IN% ORDER BY ${r.dialect.rowOrder}`,
    "name",
    names,
  );
  for (const row of rows) {
    const id = `${row.name}\u0000${row.version}`;
    if (!out.has(id)) out.set(id, {});
    setEntry(out.get(id)!, row.key, row.value ?? "");
  }
  return out;
}

const NO_ALIASES = new Map<string, [string, number][]>();

function toVersion(
  row: VersionRow,
  tags: Map<string, Record<string, string>>,
  aliases: Map<string, [string, number][]>,
): ModelVersion {
  return {
    name: row.name,
    version: String(row.version),
    creationTimestamp: row.creation_time === null ? null : Number(row.creation_time),
    lastUpdatedTimestamp: row.last_updated_time === null ? null : Number(row.last_updated_time),
    description: row.description,
    userId: row.user_id,
    currentStage: row.current_stage ?? "None",
    source: row.source,
    runId: row.run_id,
    runLink: row.run_link,
    status: (row.status ?? "READY") as ModelVersionStatus,
    statusMessage: row.status_message,
    tags: tags.get(`${row.name}\u0000${row.version}`) ?? {},
    aliases: (aliases.get(row.name) ?? []).filter(([, v]) => v === Number(row.version)).map(([a]) => a),
  };
}

/**
 * Model versions for rows of `model_versions`, with their tags and aliases.
 *
 * @example
 * ```ts
 * const versions = yield* versionsOf(r, yield* all<VersionRow>("SELECT * FROM model_versions"));
 * ```
 */
export function* versionsOf(r: RegistrySql, rows: readonly VersionRow[]): SqlJob<ModelVersion[]> {
  const names = [...new Set(rows.map((row) => row.name))];
  const tags = yield* versionTags(r, names);
  const aliases = yield* modelAliases(r, names);
  return rows.map((row) => toVersion(row, tags, aliases));
}

/**
 * Registered models for rows of `registered_models`: tags, aliases and the latest version per stage.
 * Latest versions carry no aliases, as in MLflow's `RegisteredModel.latest_versions`.
 *
 * @example
 * ```ts
 * const models = yield* modelsOf(r, yield* all<ModelRow>("SELECT * FROM registered_models"));
 * ```
 */
export function* modelsOf(r: RegistrySql, rows: readonly ModelRow[]): SqlJob<RegisteredModel[]> {
  const names = rows.map((row) => row.name);
  const tags = yield* modelTags(r, names);
  const aliases = yield* modelAliases(r, names);
  const vTags = yield* versionTags(r, names);
  const versions = new Map<string, VersionRow[]>();
  // Version order is the order MLflow inserted them in (rowid order on SQLite), and stable on PostgreSQL.
  const live = yield* byNames<VersionRow>(
    r,
    "SELECT * FROM model_versions WHERE %IN% AND current_stage != ? ORDER BY version",
    "name",
    names,
    DELETED_STAGE,
  );
  for (const v of live) {
    if (!versions.has(v.name)) versions.set(v.name, []);
    versions.get(v.name)!.push(v);
  }
  return rows.map((row) => {
    const aliasRecord: Record<string, string> = {};
    for (const [alias, version] of aliases.get(row.name) ?? []) setEntry(aliasRecord, alias, String(version));
    return {
      name: row.name,
      creationTimestamp: row.creation_time === null ? null : Number(row.creation_time),
      lastUpdatedTimestamp: row.last_updated_time === null ? null : Number(row.last_updated_time),
      description: row.description,
      latestVersions: latestPerStage(
        (versions.get(row.name) ?? []).map((v) => toVersion(v, vTags, NO_ALIASES)),
        (v) => ({ stage: v.currentStage, version: Number(v.version) }),
      ),
      tags: tags.get(row.name) ?? {},
      aliases: aliasRecord,
    };
  });
}

// No stored text holds a NUL (PostgreSQL refuses one, every store refuses to write one): such a name
// or key names nothing, and is not sent to the engine.
function findable(text: string): boolean {
  return !text.includes("\u0000");
}

/**
 * A version number as MLflow's `model_versions.version` (INTEGER) can hold it, else undefined: a
 * number out of that range names no version (PostgreSQL would refuse to compare with it).
 */
function storedVersion(version: string): number | undefined {
  const n = parseModelVersion(version);
  return Number.isSafeInteger(n) && n >= -2147483648 && n <= 2147483647 ? n : undefined;
}

/** A model's row, else RESOURCE_DOES_NOT_EXIST. */
export function* modelRow(name: string): SqlJob<ModelRow> {
  validateModelName(name);
  const row = findable(name)
    ? yield* get<ModelRow>("SELECT * FROM registered_models WHERE name = ?", [name])
    : undefined;
  if (!row) throw registeredModelNotFound(name);
  return row;
}

/** A live version's row, else RESOURCE_DOES_NOT_EXIST (MLflow's `_get_sql_model_version`: the model is not looked up on its own). */
export function* versionRow(name: string, version: string): SqlJob<VersionRow> {
  validateModelName(name);
  const number = storedVersion(version);
  const row = number !== undefined && findable(name)
    ? yield* get<VersionRow>(
      "SELECT * FROM model_versions WHERE name = ? AND version = ? AND current_stage != ?",
      [name, number, DELETED_STAGE],
    )
    : undefined;
  if (!row) throw modelVersionNotFound(name, version);
  return row;
}

/** A registered model entity. */
export function* readModel(r: RegistrySql, name: string): SqlJob<RegisteredModel> {
  return (yield* modelsOf(r, [yield* modelRow(name)]))[0];
}

/** A model version entity. */
export function* readVersion(r: RegistrySql, name: string, version: string): SqlJob<ModelVersion> {
  return (yield* versionsOf(r, [yield* versionRow(name, version)]))[0];
}

/** The version an alias of a model points at, if the alias is set. */
export function* aliasVersion(name: string, alias: string): SqlJob<number | undefined> {
  if (!findable(name) || !findable(alias)) return undefined;
  const row = yield* get<{ version: number }>(
    "SELECT version FROM registered_model_aliases WHERE name = ? AND alias = ?",
    [name, alias],
  );
  return row === undefined ? undefined : Number(row.version);
}

/** Refuses alias calls on a database whose MLflow schema predates aliases (MLflow < 2.3). */
export function requireAliases(r: RegistrySql): void {
  if (!r.schema.hasAliases) {
    throw new TrackingError(
      "tracking/unsupported-schema",
      `Cannot use aliases in ${r.where}: its MLflow schema predates them`,
      { hint: `upgrade it with 'mlflow db upgrade ${r.uri}'` },
    );
  }
}
