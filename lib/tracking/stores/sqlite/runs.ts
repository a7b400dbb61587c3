/**
 * Runs in MLflow's SQL schema: create, read, update, delete/restore, tags, params and batches.
 *
 * @module
 */
import { MLFLOW_TAGS, type Run, type RunInfo } from "../../entities.ts";
import { newRunId } from "../../run_names.ts";
import { newRunTags } from "../sql/run_inputs.ts";
import type { CreateRunOptions, LogBatch, UpdateRunOptions } from "../store.ts";
import {
  paramValueChanged,
  paramValuesChanged,
  runNotActive,
  runNotFound,
  runTagNotFound,
} from "../../tracking_errors.ts";
import { validateBatch, validateTag, type ValidationOptions } from "../../batch_validation.ts";
import { validateRunId } from "../../key_validation.ts";
import { validateRunName, validateRunStatus, validateRunTime } from "../../validation.ts";
import type { SqliteDb } from "./db.ts";
import { activeExperimentRow } from "./experiments.ts";
import { appendToUri } from "../sql/rows.ts";
import { insertMetrics } from "./metrics.ts";
import { loadRuns, type RunRow, toRunInfo } from "./rows.ts";
import { RUN_INFO_COLUMNS } from "../../search/columns.ts";
import { refuseNul } from "../../nul_check.ts";

const SELECT_RUN = `SELECT ${RUN_INFO_COLUMNS} FROM runs r WHERE r.run_uuid = ?`;

/** The row of a run, or RESOURCE_DOES_NOT_EXIST. */
export function runRow(db: SqliteDb, runId: string): RunRow {
  refuseNul("run_id", runId); // SQLite would cut the id at NUL
  const row = db.get<RunRow>(SELECT_RUN, runId);
  if (!row) throw runNotFound(runId);
  return row;
}

function activeRunRow(db: SqliteDb, runId: string): RunRow {
  const row = runRow(db, runId);
  if (row.lifecycle_stage !== "active") throw runNotActive(runId, row.lifecycle_stage ?? "");
  return row;
}

/** A complete run (deleted ones too). */
export function getRun(db: SqliteDb, runId: string, hasInputs: boolean): Run {
  return db.read(() => loadRuns(db, [runRow(db, runId)], { hasInputs })[0]);
}

/** Creates a RUNNING run; returns its id. */
export function createRun(
  db: SqliteDb,
  options: CreateRunOptions,
  validation: ValidationOptions,
  now: number,
): string {
  const { runName, tags } = newRunTags(options, validation);
  const runId = newRunId();
  return db.write(() => {
    const experiment = activeExperimentRow(db, options.experimentId);
    db.run(
      "INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, status, " +
        "start_time, end_time, deleted_time, source_version, lifecycle_stage, artifact_uri, experiment_id) " +
        "VALUES (?, ?, 'UNKNOWN', '', '', ?, 'RUNNING', ?, NULL, NULL, '', 'active', ?, ?)",
      runId,
      runName,
      options.userId ?? "",
      options.startTime ?? now,
      appendToUri(experiment.artifact_location ?? "", runId, "artifacts"),
      experiment.experiment_id,
    );
    for (const t of tags) {
      db.run("INSERT INTO tags (key, value, run_uuid) VALUES (?, ?, ?)", t.key, t.value, runId);
    }
    return runId;
  });
}

/** Updates status, end time or name of an active run; returns the new info. */
export function updateRun(db: SqliteDb, runId: string, update: UpdateRunOptions): RunInfo {
  if (update.runName !== undefined) validateRunName(update.runName);
  validateRunStatus(update.status);
  validateRunTime("end_time", update.endTime);
  return db.write(() => {
    activeRunRow(db, runId);
    if (update.status !== undefined) {
      db.run("UPDATE runs SET status = ? WHERE run_uuid = ?", update.status, runId);
    }
    if (update.endTime !== undefined) {
      db.run("UPDATE runs SET end_time = ? WHERE run_uuid = ?", update.endTime, runId);
    }
    if (update.runName) setTagRow(db, runId, MLFLOW_TAGS.runName, update.runName);
    return toRunInfo(runRow(db, runId));
  });
}

/** Soft-deletes (or restores) a run. */
export function setRunDeleted(db: SqliteDb, runId: string, deleted: boolean, now: number): void {
  db.write(() => {
    runRow(db, runId);
    db.run(
      "UPDATE runs SET lifecycle_stage = ?, deleted_time = ? WHERE run_uuid = ?",
      deleted ? "deleted" : "active",
      deleted ? now : null,
      runId,
    );
  });
}

// A tag `mlflow.runName` is the run's name: keep runs.name in sync, like MLflow.
function setTagRow(db: SqliteDb, runId: string, key: string, value: string): void {
  db.run(
    "INSERT INTO tags (key, value, run_uuid) VALUES (?, ?, ?) ON CONFLICT (key, run_uuid) DO UPDATE SET value = excluded.value",
    key,
    value,
    runId,
  );
  if (key === MLFLOW_TAGS.runName) db.run("UPDATE runs SET name = ? WHERE run_uuid = ?", value, runId);
}

/** Sets a tag of an active run. */
export function setTag(
  db: SqliteDb,
  runId: string,
  key: string,
  value: string,
  validation: ValidationOptions,
): void {
  const checked = validateTag(key, value, validation);
  db.write(() => {
    activeRunRow(db, runId);
    setTagRow(db, runId, key, checked);
  });
}

/** Deletes a tag of an active run. */
export function deleteTag(db: SqliteDb, runId: string, key: string): void {
  db.write(() => {
    activeRunRow(db, runId);
    if (db.run("DELETE FROM tags WHERE run_uuid = ? AND key = ?", runId, key) === 0) {
      throw runTagNotFound(runId, key);
    }
  });
}

/** Logs params, then metrics, then tags (MLflow's order), all or nothing. */
export function logBatch(db: SqliteDb, runId: string, batch: LogBatch, validation: ValidationOptions): void {
  validateRunId(runId);
  const { metrics, params, tags } = validateBatch(batch, validation);
  if (metrics.length + params.length + tags.length === 0) {
    runRow(db, runId);
    return;
  }
  db.write(() => {
    activeRunRow(db, runId);
    const changed: { key: string; old: string; value: string }[] = [];
    for (const p of params) {
      const old = db.get<{ value: string }>(
        "SELECT value FROM params WHERE run_uuid = ? AND key = ?",
        runId,
        p.key,
      );
      if (old === undefined) {
        db.run("INSERT INTO params (key, value, run_uuid) VALUES (?, ?, ?)", p.key, p.value, runId);
      } else if (old.value !== p.value) changed.push({ key: p.key, old: old.value, value: p.value });
    }
    if (changed.length && batch.asBatch) throw paramValuesChanged(runId, changed);
    if (changed.length) throw paramValueChanged(runId, changed[0].key, changed[0].old, changed[0].value);
    insertMetrics(db, runId, metrics);
    for (const t of tags) setTagRow(db, runId, t.key, t.value);
  });
}
