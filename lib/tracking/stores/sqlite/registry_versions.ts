/**
 * Writing model versions, their tags and the aliases in MLflow's SQLite registry tables, as MLflow
 * 2.17.2's `SqlAlchemyStore` writes them. Each function runs in one `BEGIN IMMEDIATE` transaction.
 *
 * @module
 */
import { ACTIVE_STAGES, canonicalStage, DELETED_STAGE } from "../../registry/entities.ts";
import type { CreateModelVersionOptions, TransitionStageOptions } from "../../registry/registry_store.ts";
import {
  cannotArchiveInStage,
  validateModelName,
  validateModelVersionTag,
  validateStoredText,
  validateVersionTexts,
} from "../../registry/rules.ts";
import { modelRow, type RegistryDb, versionRow } from "./registry_rows.ts";

function touchModel({ db }: RegistryDb, name: string, now: number): void {
  db.run("UPDATE registered_models SET last_updated_time = ? WHERE name = ?", now, name);
}

/**
 * Inserts the next version of a model (READY, stage None); returns its number. Deleted versions keep
 * their rows, so numbers are never reused.
 */
export function insertModelVersion(
  r: RegistryDb,
  name: string,
  source: { source: string; storageLocation: string },
  options: CreateModelVersionOptions,
  now: number,
): string {
  validateModelName(name);
  validateVersionTexts(source.source, options);
  const tags = Object.entries(options.tags ?? {});
  for (const [k, v] of tags) validateModelVersionTag(k, v);
  return r.db.write(() => {
    modelRow(r, name);
    const max = r.db.get<{ v: number | null }>(
      "SELECT MAX(version) AS v FROM model_versions WHERE name = ?",
      name,
    );
    const next = Number(max?.v ?? 0) + 1;
    const row: Record<string, string | number | null> = {
      name,
      version: next,
      creation_time: now,
      last_updated_time: now,
      description: options.description ?? null,
      user_id: null,
      current_stage: "None",
      source: source.source,
      run_id: options.runId ?? null,
      status: "READY",
      status_message: null,
      run_link: options.runLink ?? null,
    };
    if (r.schema.hasStorageLocation) row.storage_location = source.storageLocation;
    const columns = Object.keys(row);
    r.db.run(
      `INSERT INTO model_versions (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
      ...Object.values(row),
    );
    for (const [k, v] of tags) {
      r.db.run(
        'INSERT INTO model_version_tags ("key", value, name, version) VALUES (?, ?, ?, ?)',
        k,
        v,
        name,
        next,
      );
    }
    touchModel(r, name, now);
    return String(next);
  });
}

/** Replaces a version's description; returns its number. */
export function updateVersionDescription(
  r: RegistryDb,
  name: string,
  version: string,
  description: string | null,
): string {
  validateStoredText("description", description);
  return r.db.write(() => {
    const row = versionRow(r, name, version);
    r.db.run(
      "UPDATE model_versions SET description = ?, last_updated_time = ? WHERE name = ? AND version = ?",
      description,
      Date.now(),
      name,
      row.version,
    );
    return String(row.version);
  });
}

/** Moves a version to a stage, optionally archiving the others in it; returns its number. */
export function transitionStage(
  r: RegistryDb,
  name: string,
  version: string,
  stage: string,
  options: TransitionStageOptions,
): string {
  const target = canonicalStage(stage);
  if (options.archiveExistingVersions && !ACTIVE_STAGES.includes(target)) throw cannotArchiveInStage(stage);
  const now = Date.now();
  return r.db.write(() => {
    const row = versionRow(r, name, version);
    if (options.archiveExistingVersions) {
      r.db.run(
        "UPDATE model_versions SET current_stage = 'Archived', last_updated_time = ? " +
          "WHERE name = ? AND version != ? AND current_stage = ?",
        now,
        name,
        row.version,
        target,
      );
    }
    r.db.run(
      "UPDATE model_versions SET current_stage = ?, last_updated_time = ? WHERE name = ? AND version = ?",
      target,
      now,
      name,
      row.version,
    );
    touchModel(r, name, now);
    return String(row.version);
  });
}

/**
 * Deletes a version as MLflow does: the row stays (stage Deleted_Internal) with what pointed at the
 * model redacted, and the aliases pointing at it go.
 */
export function deleteVersion(r: RegistryDb, name: string, version: string): void {
  const now = Date.now();
  r.db.write(() => {
    const row = versionRow(r, name, version);
    if (r.schema.hasAliases) {
      r.db.run("DELETE FROM registered_model_aliases WHERE name = ? AND version = ?", name, row.version);
    }
    r.db.run(
      "UPDATE model_versions SET current_stage = ?, last_updated_time = ?, description = NULL, user_id = NULL, " +
        "source = 'REDACTED-SOURCE-PATH', run_id = 'REDACTED-RUN-ID', run_link = 'REDACTED-RUN-LINK', " +
        "status_message = NULL WHERE name = ? AND version = ?",
      DELETED_STAGE,
      now,
      name,
      row.version,
    );
    touchModel(r, name, now);
  });
}

/** Sets (value) or removes (undefined) a version tag. */
export function writeVersionTag(
  r: RegistryDb,
  name: string,
  version: string,
  key: string,
  value: string | undefined,
): void {
  validateModelVersionTag(key, value ?? "");
  r.db.write(() => {
    const row = versionRow(r, name, version);
    if (value === undefined) {
      r.db.run(
        'DELETE FROM model_version_tags WHERE name = ? AND version = ? AND "key" = ?',
        name,
        row.version,
        key,
      );
    } else {
      r.db.run(
        'INSERT INTO model_version_tags ("key", value, name, version) VALUES (?, ?, ?, ?) ' +
          'ON CONFLICT ("key", name, version) DO UPDATE SET value = excluded.value',
        key,
        value,
        name,
        row.version,
      );
    }
  });
}

/** Points an alias at a version (the version must be live). */
export function setAlias(r: RegistryDb, name: string, alias: string, version: string): void {
  r.db.write(() => {
    const row = versionRow(r, name, version);
    r.db.run(
      "INSERT INTO registered_model_aliases (alias, version, name) VALUES (?, ?, ?) " +
        "ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version",
      alias,
      row.version,
      name,
    );
  });
}

/** Removes an alias (the model must exist; a missing alias is fine). */
export function deleteAlias(r: RegistryDb, name: string, alias: string): void {
  r.db.write(() => {
    modelRow(r, name);
    r.db.run("DELETE FROM registered_model_aliases WHERE name = ? AND alias = ?", name, alias);
  });
}
