/**
 * Writing model versions, their tags and the aliases in MLflow's registry tables, as MLflow 2.17.2's
 * `SqlAlchemyStore` writes them; each function is one job run in one write transaction. Jobs that
 * change a model's versions update the model's row first: on PostgreSQL that row lock queues
 * concurrent writers of one model (so two processes never take the same version number), on SQLite
 * `BEGIN IMMEDIATE` already does.
 *
 * @module
 */
import { ACTIVE_STAGES, canonicalStage, DELETED_STAGE } from "../../registry/entities.ts";
import type { CreateModelVersionOptions, TransitionStageOptions } from "../../registry/registry_store.ts";
import {
  cannotArchiveInStage,
  registeredModelNotFound,
  validateModelName,
  validateModelVersionTag,
  validateStoredText,
  validateVersionTexts,
} from "../../registry/rules.ts";
import { modelRow, type RegistrySql, versionRow } from "./registry_rows.ts";
import { get, run, type SqlJob } from "./sql_job.ts";

/** Sets a model's last update time; returns whether the model exists. */
export function* touchModel(name: string, now: number): SqlJob<boolean> {
  if (name.includes("\u0000")) return false; // no stored name holds one (registry_rows.ts)
  return (yield* run("UPDATE registered_models SET last_updated_time = ? WHERE name = ?", [now, name])) > 0;
}

/**
 * Inserts the next version of a model (READY, stage None); returns its number. Deleted versions keep
 * their rows, so numbers are never reused.
 */
export function* insertModelVersion(
  r: RegistrySql,
  name: string,
  source: { source: string; storageLocation: string },
  options: CreateModelVersionOptions,
  now: number,
): SqlJob<string> {
  validateModelName(name);
  validateVersionTexts(source.source, options);
  const tags = Object.entries(options.tags ?? {});
  for (const [k, v] of tags) validateModelVersionTag(k, v);
  // The model row is locked (PostgreSQL) before the highest number is read.
  if (!(yield* touchModel(name, now))) throw registeredModelNotFound(name);
  const max = yield* get<{ v: number | null }>(
    "SELECT MAX(version) AS v FROM model_versions WHERE name = ?",
    [name],
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
  yield* run(
    `INSERT INTO model_versions (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
    Object.values(row),
  );
  for (const [k, v] of tags) {
    yield* run('INSERT INTO model_version_tags ("key", value, name, version) VALUES (?, ?, ?, ?)', [
      k,
      v,
      name,
      next,
    ]);
  }
  return String(next);
}

/** Replaces a version's description; returns its number. */
export function* updateVersionDescription(
  name: string,
  version: string,
  description: string | null,
  now: number,
): SqlJob<string> {
  validateStoredText("description", description);
  const row = yield* versionRow(name, version);
  yield* run(
    "UPDATE model_versions SET description = ?, last_updated_time = ? WHERE name = ? AND version = ?",
    [description, now, name, row.version],
  );
  return String(row.version);
}

/** Moves a version to a stage, optionally archiving the others in it; returns its number. */
export function* transitionStage(
  name: string,
  version: string,
  stage: string,
  options: TransitionStageOptions,
  now: number,
): SqlJob<string> {
  const target = canonicalStage(stage);
  if (options.archiveExistingVersions && !ACTIVE_STAGES.includes(target)) throw cannotArchiveInStage(stage);
  yield* touchModel(name, now);
  const row = yield* versionRow(name, version);
  if (options.archiveExistingVersions) {
    yield* run(
      "UPDATE model_versions SET current_stage = 'Archived', last_updated_time = ? " +
        "WHERE name = ? AND version != ? AND current_stage = ?",
      [now, name, row.version, target],
    );
  }
  yield* run(
    "UPDATE model_versions SET current_stage = ?, last_updated_time = ? WHERE name = ? AND version = ?",
    [target, now, name, row.version],
  );
  return String(row.version);
}

/**
 * Deletes a version as MLflow does: the row stays (stage Deleted_Internal) with what pointed at the
 * model redacted, and the aliases pointing at it go.
 */
export function* deleteVersion(r: RegistrySql, name: string, version: string, now: number): SqlJob<void> {
  yield* touchModel(name, now);
  const row = yield* versionRow(name, version);
  if (r.schema.hasAliases) {
    yield* run("DELETE FROM registered_model_aliases WHERE name = ? AND version = ?", [name, row.version]);
  }
  yield* run(
    "UPDATE model_versions SET current_stage = ?, last_updated_time = ?, description = NULL, user_id = NULL, " +
      "source = 'REDACTED-SOURCE-PATH', run_id = 'REDACTED-RUN-ID', run_link = 'REDACTED-RUN-LINK', " +
      "status_message = NULL WHERE name = ? AND version = ?",
    [DELETED_STAGE, now, name, row.version],
  );
}

/** Sets (value) or removes (undefined) a version tag. */
export function* writeVersionTag(
  name: string,
  version: string,
  key: string,
  value: string | undefined,
): SqlJob<void> {
  validateModelVersionTag(key, value ?? "");
  const row = yield* versionRow(name, version);
  if (value === undefined) {
    yield* run('DELETE FROM model_version_tags WHERE name = ? AND version = ? AND "key" = ?', [
      name,
      row.version,
      key,
    ]);
  } else {
    yield* run(
      'INSERT INTO model_version_tags ("key", value, name, version) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT ("key", name, version) DO UPDATE SET value = excluded.value',
      [key, value, name, row.version],
    );
  }
}

/** Points an alias at a version (the version must be live). */
export function* setAlias(name: string, alias: string, version: string): SqlJob<void> {
  const row = yield* versionRow(name, version);
  yield* run(
    "INSERT INTO registered_model_aliases (alias, version, name) VALUES (?, ?, ?) " +
      "ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version",
    [alias, row.version, name],
  );
}

/** Removes an alias (the model must exist; a missing alias is fine). */
export function* deleteAlias(name: string, alias: string): SqlJob<void> {
  yield* modelRow(name);
  yield* run("DELETE FROM registered_model_aliases WHERE name = ? AND alias = ?", [name, alias]);
}
