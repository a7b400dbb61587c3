/**
 * Experiments in MLflow's SQL schema: create, read, rename, delete/restore, tags (search: searches.ts).
 *
 * @module
 */
import type { Experiment, LifecycleStage } from "../../entities.ts";
import { setEntry } from "../../entities.ts";
import type { CreateExperimentOptions } from "../store.ts";
import {
  cannotRenameDeleted,
  experimentExists,
  experimentNotActive,
  experimentNotFound,
  experimentTagNotFound,
} from "../../tracking_errors.ts";
import { validateArtifactLocation, validateExperimentName, validateExperimentTag } from "../../validation.ts";
import type { SqliteDb } from "./db.ts";
import { appendToUri, type ExperimentRow, toExperiment } from "../sql/rows.ts";
import { refuseNul } from "../../nul_check.ts";

const COLUMNS = "experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time";

function loadTags(db: SqliteDb, ids: readonly (number | string)[]): Map<string, Record<string, string>> {
  const tags = new Map<string, Record<string, string>>();
  const rows = db.all<{ experiment_id: number; key: string; value: string | null }>(
    "SELECT experiment_id, key, value FROM experiment_tags WHERE experiment_id IN (SELECT value FROM json_each(?))",
    JSON.stringify(ids.map((id) => (typeof id === "string" && /^\d{1,15}$/.test(id) ? Number(id) : id))),
  );
  for (const r of rows) {
    const id = String(r.experiment_id);
    if (!tags.has(id)) tags.set(id, {});
    setEntry(tags.get(id)!, r.key, r.value ?? "");
  }
  return tags;
}

export function withTags(db: SqliteDb, rows: readonly ExperimentRow[]): Experiment[] {
  if (rows.length === 0) return [];
  const tags = loadTags(db, rows.map((r) => r.experiment_id));
  return rows.map((r) => toExperiment(r, tags.get(String(r.experiment_id)) ?? {}));
}

function rowById(db: SqliteDb, experimentId: string, stages?: readonly LifecycleStage[]): ExperimentRow {
  refuseNul("experiment_id", experimentId); // SQLite would cut the id at NUL and find "0" for "0\0"
  const row = db.get<ExperimentRow>(
    `SELECT ${COLUMNS} FROM experiments WHERE experiment_id = ?`,
    experimentId,
  );
  if (!row || (stages && !stages.includes((row.lifecycle_stage ?? "active") as LifecycleStage))) {
    throw experimentNotFound(experimentId);
  }
  return row;
}

/** Creates an experiment; returns its id. */
export function createExperiment(
  db: SqliteDb,
  artifactRoot: string,
  name: string,
  options: CreateExperimentOptions,
  now: number,
): string {
  validateExperimentName(name);
  const tags = Object.entries(options.tags ?? {});
  for (const [k, v] of tags) validateExperimentTag(k, v);
  if (options.artifactLocation) validateArtifactLocation(options.artifactLocation);
  return db.write(() => {
    if (db.get("SELECT 1 AS one FROM experiments WHERE name = ?", name)) throw experimentExists(name);
    const id = db.insert(
      "INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time) " +
        "VALUES (?, ?, 'active', ?, ?)",
      name,
      options.artifactLocation || null,
      now,
      now,
    );
    if (!options.artifactLocation) {
      db.run(
        "UPDATE experiments SET artifact_location = ? WHERE experiment_id = ?",
        appendToUri(artifactRoot, String(id)),
        id,
      );
    }
    for (const [k, v] of tags) {
      db.run("INSERT INTO experiment_tags (key, value, experiment_id) VALUES (?, ?, ?)", k, v, id);
    }
    return String(id);
  });
}

/** An experiment by id, any stage. */
export function getExperiment(db: SqliteDb, experimentId: string): Experiment {
  return db.read(() => withTags(db, [rowById(db, experimentId)])[0]);
}

/** An experiment by name, any stage, or undefined. */
export function getExperimentByName(db: SqliteDb, name: string): Experiment | undefined {
  if (name.includes("\0")) return undefined; // no name holds NUL; SQLite would match the part before it
  return db.read(() => {
    const rows = db.all<ExperimentRow>(`SELECT ${COLUMNS} FROM experiments WHERE name = ?`, name);
    // Newer MLflow makes names unique per workspace: prefer an active experiment.
    rows.sort((a, b) => Number(a.lifecycle_stage !== "active") - Number(b.lifecycle_stage !== "active"));
    return rows.length ? withTags(db, [rows[0]])[0] : undefined;
  });
}

/** An experiment's row, checked to be active (for creating runs in it). */
export function activeExperimentRow(db: SqliteDb, experimentId: string): ExperimentRow {
  const row = rowById(db, experimentId);
  if (row.lifecycle_stage !== "active") throw experimentNotActive(experimentId, row.lifecycle_stage ?? "");
  return row;
}

/** Renames an active experiment. */
export function renameExperiment(db: SqliteDb, experimentId: string, newName: string, now: number): void {
  validateExperimentName(newName, "new_name");
  db.write(() => {
    const row = rowById(db, experimentId);
    if (row.lifecycle_stage !== "active") throw cannotRenameDeleted();
    const other = db.get<{ experiment_id: number }>(
      "SELECT experiment_id FROM experiments WHERE name = ?",
      newName,
    );
    if (other && String(other.experiment_id) !== String(row.experiment_id)) throw experimentExists(newName);
    db.run(
      "UPDATE experiments SET name = ?, last_update_time = ? WHERE experiment_id = ?",
      newName,
      now,
      row.experiment_id,
    );
  });
}

/** Soft-deletes an active experiment and marks all its runs deleted. */
export function deleteExperiment(db: SqliteDb, experimentId: string, now: number): void {
  db.write(() => {
    const row = rowById(db, experimentId, ["active"]);
    db.run(
      "UPDATE experiments SET lifecycle_stage = 'deleted', last_update_time = ? WHERE experiment_id = ?",
      now,
      row.experiment_id,
    );
    db.run(
      "UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = ? WHERE experiment_id = ?",
      now,
      row.experiment_id,
    );
  });
}

/** Restores a deleted experiment and all its runs. */
export function restoreExperiment(db: SqliteDb, experimentId: string, now: number): void {
  db.write(() => {
    const row = rowById(db, experimentId, ["deleted"]);
    db.run(
      "UPDATE experiments SET lifecycle_stage = 'active', last_update_time = ? WHERE experiment_id = ?",
      now,
      row.experiment_id,
    );
    db.run(
      "UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE experiment_id = ?",
      row.experiment_id,
    );
  });
}

/** Sets a tag of an active experiment. */
export function setExperimentTag(db: SqliteDb, experimentId: string, key: string, value: string): void {
  validateExperimentTag(key, value);
  db.write(() => {
    const row = activeExperimentRow(db, experimentId);
    db.run(
      "INSERT INTO experiment_tags (key, value, experiment_id) VALUES (?, ?, ?) " +
        "ON CONFLICT (key, experiment_id) DO UPDATE SET value = excluded.value",
      key,
      value,
      row.experiment_id,
    );
  });
}

/** Deletes a tag of an active experiment. */
export function deleteExperimentTag(db: SqliteDb, experimentId: string, key: string): void {
  db.write(() => {
    const row = activeExperimentRow(db, experimentId);
    const n = db.run(
      "DELETE FROM experiment_tags WHERE key = ? AND experiment_id = ?",
      key,
      row.experiment_id,
    );
    if (n === 0) throw experimentTagNotFound(experimentId, key);
  });
}
