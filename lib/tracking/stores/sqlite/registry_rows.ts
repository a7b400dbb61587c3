/**
 * Reading MLflow's registry tables (`registered_models`, `model_versions`, their tag tables and
 * `registered_model_aliases`) into registry entities, in bulk so a search costs a few queries.
 * Tags and aliases come back in the order they were first set (rowid order), as MLflow returns them.
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
import type { SqliteDb, SqlValue } from "./db.ts";

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

/** Inspects the registry tables of an open database. */
export function registrySchema(db: SqliteDb): RegistrySchema {
  const tables = new Set(
    db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").map((r) => r.name),
  );
  const columns = new Set(db.all<{ name: string }>('PRAGMA table_info("model_versions")').map((c) => c.name));
  return {
    hasAliases: tables.has("registered_model_aliases"),
    hasStorageLocation: columns.has("storage_location"),
  };
}

function inList(names: readonly string[]): string {
  return names.map(() => "?").join(", ");
}

/** Runs `sql` (with one `(?, …)` placeholder list `%IN%`) over names in chunks below SQLite's variable limit. */
function byNames<T>(db: SqliteDb, sql: string, names: readonly string[], ...extra: SqlValue[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < names.length; i += 500) {
    const chunk = names.slice(i, i + 500);
    out.push(...db.all<T>(sql.replace("%IN%", inList(chunk)), ...chunk, ...extra));
  }
  return out;
}

/** Tags of the given models, grouped by name. */
function modelTags(db: SqliteDb, names: readonly string[]): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  const rows = byNames<{ name: string; key: string; value: string | null }>(
    db,
    'SELECT name, "key", value FROM registered_model_tags WHERE name IN (%IN%) ORDER BY rowid',
    names,
  );
  for (const r of rows) {
    if (!out.has(r.name)) out.set(r.name, {});
    setEntry(out.get(r.name)!, r.key, r.value ?? "");
  }
  return out;
}

/** Aliases of the given models, grouped by name, as [alias, version] pairs. */
function modelAliases(
  db: SqliteDb,
  schema: RegistrySchema,
  names: readonly string[],
): Map<string, [string, number][]> {
  const out = new Map<string, [string, number][]>();
  if (!schema.hasAliases) return out;
  const rows = byNames<{ name: string; alias: string; version: number }>(
    db,
    "SELECT name, alias, version FROM registered_model_aliases WHERE name IN (%IN%) ORDER BY rowid",
    names,
  );
  for (const r of rows) {
    if (!out.has(r.name)) out.set(r.name, []);
    out.get(r.name)!.push([r.alias, Number(r.version)]);
  }
  return out;
}

/** Version tags of the given models, keyed by `name\0version`. */
function versionTags(db: SqliteDb, names: readonly string[]): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  const rows = byNames<{ name: string; version: number; key: string; value: string | null }>(
    db,
    'SELECT name, version, "key", value FROM model_version_tags WHERE name IN (%IN%) ORDER BY rowid',
    names,
  );
  for (const r of rows) {
    const id = `${r.name}\u0000${r.version}`;
    if (!out.has(id)) out.set(id, {});
    setEntry(out.get(id)!, r.key, r.value ?? "");
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
 * const versions = versionsOf(db, schema, db.all<VersionRow>("SELECT * FROM model_versions"));
 * ```
 */
export function versionsOf(
  db: SqliteDb,
  schema: RegistrySchema,
  rows: readonly VersionRow[],
): ModelVersion[] {
  const names = [...new Set(rows.map((r) => r.name))];
  const tags = versionTags(db, names);
  const aliases = modelAliases(db, schema, names);
  return rows.map((r) => toVersion(r, tags, aliases));
}

/**
 * Registered models for rows of `registered_models`: tags, aliases and the latest version per stage.
 * Latest versions carry no aliases, as in MLflow's `RegisteredModel.latest_versions`.
 *
 * @example
 * ```ts
 * const models = modelsOf(db, schema, db.all<ModelRow>("SELECT * FROM registered_models"));
 * ```
 */
export function modelsOf(db: SqliteDb, schema: RegistrySchema, rows: readonly ModelRow[]): RegisteredModel[] {
  const names = rows.map((r) => r.name);
  const tags = modelTags(db, names);
  const aliases = modelAliases(db, schema, names);
  const vTags = versionTags(db, names);
  const versions = new Map<string, VersionRow[]>();
  for (
    const v of byNames<VersionRow>(
      db,
      "SELECT * FROM model_versions WHERE name IN (%IN%) AND current_stage != ? ORDER BY rowid",
      names,
      DELETED_STAGE,
    )
  ) {
    if (!versions.has(v.name)) versions.set(v.name, []);
    versions.get(v.name)!.push(v);
  }
  return rows.map((r) => {
    const aliasRecord: Record<string, string> = {};
    for (const [alias, version] of aliases.get(r.name) ?? []) setEntry(aliasRecord, alias, String(version));
    return {
      name: r.name,
      creationTimestamp: r.creation_time === null ? null : Number(r.creation_time),
      lastUpdatedTimestamp: r.last_updated_time === null ? null : Number(r.last_updated_time),
      description: r.description,
      latestVersions: latestPerStage(
        (versions.get(r.name) ?? []).map((v) => toVersion(v, vTags, NO_ALIASES)),
        (v) => ({ stage: v.currentStage, version: Number(v.version) }),
      ),
      tags: tags.get(r.name) ?? {},
      aliases: aliasRecord,
    };
  });
}

/** A database and what its registry tables offer: what every registry query needs. */
export interface RegistryDb {
  db: SqliteDb;
  schema: RegistrySchema;
}

/** A model's row, else RESOURCE_DOES_NOT_EXIST. */
export function modelRow({ db }: RegistryDb, name: string): ModelRow {
  validateModelName(name);
  const row = db.get<ModelRow>("SELECT * FROM registered_models WHERE name = ?", name);
  if (!row) throw registeredModelNotFound(name);
  return row;
}

/** A live version's row, else RESOURCE_DOES_NOT_EXIST (MLflow's `_get_sql_model_version`: the model is not looked up on its own). */
export function versionRow({ db }: RegistryDb, name: string, version: string): VersionRow {
  validateModelName(name);
  const number = parseModelVersion(version);
  const row = db.get<VersionRow>(
    "SELECT * FROM model_versions WHERE name = ? AND version = ? AND current_stage != ?",
    name,
    number,
    DELETED_STAGE,
  );
  if (!row) throw modelVersionNotFound(name, version);
  return row;
}

/** A registered model entity. */
export function readModel(r: RegistryDb, name: string): RegisteredModel {
  return r.db.read(() => modelsOf(r.db, r.schema, [modelRow(r, name)])[0]);
}

/** A model version entity. */
export function readVersion(r: RegistryDb, name: string, version: string): ModelVersion {
  return r.db.read(() => versionsOf(r.db, r.schema, [versionRow(r, name, version)])[0]);
}

/** Refuses alias calls on a database whose MLflow schema predates aliases (MLflow < 2.3). */
export function requireAliases({ db, schema }: RegistryDb): void {
  if (!schema.hasAliases) {
    throw new TrackingError(
      "tracking/unsupported-schema",
      `Cannot use aliases in ${db.path}: its MLflow schema predates them`,
      { hint: `upgrade it with 'mlflow db upgrade sqlite:///${db.path}'` },
    );
  }
}
