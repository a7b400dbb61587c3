/**
 * Runs in MLflow's PostgreSQL schema: create, read, update, delete/restore, tags, params, batches and
 * metric history. Writes are safe with many processes logging at once: rows that may already exist are
 * written with `ON CONFLICT`, so two processes never fail each other.
 *
 * @module
 */
import { type Metric, MLFLOW_TAGS, type Run, type RunInfo } from "../../entities.ts";
import { newRunId } from "../../run_names.ts";
import { newRunTags } from "../sql/run_inputs.ts";
import { decodePageToken, encodePageToken } from "../../search/page_token.ts";
import { RUN_INFO_COLUMNS } from "../../search/columns.ts";
import type { CreateRunOptions, LogBatch, MetricHistoryPage, UpdateRunOptions } from "../store.ts";
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
import { appendToUri, isNewerMetric, type RunRow, storedMetricValue, toRunInfo } from "../sql/rows.ts";
import type { PgDb, PgQuery } from "./pg_db.ts";
import { refuseNul } from "../../nul_check.ts";
import { checkRunArtifactUriWidth } from "./pg_widths.ts";
import { activeExperimentRow } from "./pg_experiments.ts";
import { loadPgRuns } from "./pg_rows.ts";

const SELECT_RUN = `SELECT ${RUN_INFO_COLUMNS} FROM runs r WHERE r.run_uuid = $1`;

/** The row of a run, or RESOURCE_DOES_NOT_EXIST. */
export async function runRow(q: PgQuery, runId: string): Promise<RunRow> {
  refuseNul("run_id", runId); // as SQLite does (it would cut the id at NUL)
  const row = await q.get<RunRow>(SELECT_RUN, [runId]);
  if (!row) throw runNotFound(runId);
  return row;
}

async function activeRunRow(q: PgQuery, runId: string): Promise<RunRow> {
  const row = await runRow(q, runId);
  if (row.lifecycle_stage !== "active") throw runNotActive(runId, row.lifecycle_stage ?? "");
  return row;
}

/** A complete run (deleted ones too). */
export async function getRun(db: PgDb, runId: string, hasInputs: boolean): Promise<Run> {
  return await db.read(async (q) => (await loadPgRuns(q, [await runRow(q, runId)], { hasInputs }))[0]);
}

/** Creates a RUNNING run; returns its id. */
export async function createRun(
  db: PgDb,
  options: CreateRunOptions,
  validation: ValidationOptions,
  now: number,
): Promise<string> {
  const { runName, tags } = newRunTags(options, validation);
  const runId = newRunId();
  return await db.write(async (q) => {
    const experiment = await activeExperimentRow(q, options.experimentId);
    checkRunArtifactUriWidth(String(experiment.experiment_id), experiment.artifact_location ?? "");
    const artifactUri = appendToUri(experiment.artifact_location ?? "", runId, "artifacts");
    await q.run(
      "INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, status, " +
        "start_time, end_time, deleted_time, source_version, lifecycle_stage, artifact_uri, experiment_id) " +
        "VALUES ($1, $2, 'UNKNOWN', '', '', $3, 'RUNNING', $4, NULL, NULL, '', 'active', $5, $6)",
      [
        runId,
        runName,
        options.userId ?? "",
        options.startTime ?? now,
        artifactUri,
        experiment.experiment_id,
      ],
    );
    await setTagRows(q, runId, tags);
    return runId;
  });
}

/** Updates status, end time or name of an active run; returns the new info. */
export async function updateRun(db: PgDb, runId: string, update: UpdateRunOptions): Promise<RunInfo> {
  if (update.runName !== undefined) validateRunName(update.runName);
  validateRunStatus(update.status);
  validateRunTime("end_time", update.endTime);
  return await db.write(async (q) => {
    await activeRunRow(q, runId);
    if (update.status !== undefined) {
      await q.run("UPDATE runs SET status = $1 WHERE run_uuid = $2", [update.status, runId]);
    }
    if (update.endTime !== undefined) {
      await q.run("UPDATE runs SET end_time = $1 WHERE run_uuid = $2", [update.endTime, runId]);
    }
    if (update.runName) await setTagRows(q, runId, [{ key: MLFLOW_TAGS.runName, value: update.runName }]);
    return toRunInfo(await runRow(q, runId));
  });
}

/** Soft-deletes (or restores) a run. */
export async function setRunDeleted(db: PgDb, runId: string, deleted: boolean, now: number): Promise<void> {
  await db.write(async (q) => {
    await runRow(q, runId);
    await q.run("UPDATE runs SET lifecycle_stage = $1, deleted_time = $2 WHERE run_uuid = $3", [
      deleted ? "deleted" : "active",
      deleted ? now : null,
      runId,
    ]);
  });
}

// A tag `mlflow.runName` is the run's name: keep runs.name in sync, like MLflow.
async function setTagRows(q: PgQuery, runId: string, tags: readonly { key: string; value: string }[]) {
  if (tags.length === 0) return;
  // One statement per batch; a key given twice keeps its last value, as sequential upserts would.
  const last = new Map(tags.map((t) => [t.key, t.value]));
  await q.run(
    "INSERT INTO tags (key, value, run_uuid) SELECT k, v, $3 FROM unnest($1::text[], $2::text[]) AS t(k, v) " +
      "ON CONFLICT (key, run_uuid) DO UPDATE SET value = excluded.value",
    [[...last.keys()], [...last.values()], runId],
  );
  const name = last.get(MLFLOW_TAGS.runName);
  if (name !== undefined) await q.run("UPDATE runs SET name = $1 WHERE run_uuid = $2", [name, runId]);
}

/** Sets a tag of an active run. */
export async function setTag(
  db: PgDb,
  runId: string,
  key: string,
  value: string,
  validation: ValidationOptions,
) {
  const checked = validateTag(key, value, validation);
  await db.write(async (q) => {
    await activeRunRow(q, runId);
    await setTagRows(q, runId, [{ key, value: checked }]);
  });
}

/** Deletes a tag of an active run. */
export async function deleteTag(db: PgDb, runId: string, key: string): Promise<void> {
  await db.write(async (q) => {
    await activeRunRow(q, runId);
    if (await q.run("DELETE FROM tags WHERE run_uuid = $1 AND key = $2", [runId, key]) === 0) {
      throw runTagNotFound(runId, key);
    }
  });
}

/** Logs params, then metrics, then tags (MLflow's order), all or nothing. */
export async function logBatch(db: PgDb, runId: string, batch: LogBatch, validation: ValidationOptions) {
  validateRunId(runId);
  const { metrics, params, tags } = validateBatch(batch, validation);
  if (metrics.length + params.length + tags.length === 0) {
    await runRow(db, runId);
    return;
  }
  await db.write(async (q) => {
    await activeRunRow(q, runId);
    if (params.length > 0) await insertParams(q, runId, params, batch.asBatch ?? false);
    await insertMetrics(q, runId, metrics);
    await setTagRows(q, runId, tags);
  });
}

// New params are inserted; an existing one must keep its value (another process may have just written it).
// `asBatch` words a change as MLflow's log-batch does (every changed param), else as its log-param.
async function insertParams(
  q: PgQuery,
  runId: string,
  params: readonly { key: string; value: string }[],
  asBatch: boolean,
) {
  const keys = params.map((p) => p.key);
  await q.run(
    "INSERT INTO params (key, value, run_uuid) SELECT k, v, $3 FROM unnest($1::text[], $2::text[]) AS t(k, v) " +
      "ON CONFLICT (key, run_uuid) DO NOTHING",
    [keys, params.map((p) => p.value), runId],
  );
  const stored = new Map(
    (await q.all<{ key: string; value: string }>(
      "SELECT key, value FROM params WHERE run_uuid = $1 AND key = ANY($2::text[])",
      [runId, keys],
    )).map((r) => [r.key, r.value]),
  );
  const changed = params.flatMap((p) => {
    const old = stored.get(p.key);
    return old !== undefined && old !== p.value ? [{ key: p.key, old, value: p.value }] : [];
  });
  if (changed.length && asBatch) throw paramValuesChanged(runId, changed);
  if (changed.length) throw paramValueChanged(runId, changed[0].key, changed[0].old, changed[0].value);
}

// The row value comparison keeps the older point on ties, like MLflow's strict `>`.
const UPSERT_LATEST = "INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid) " +
  "SELECT k, v, ts, st, nan, $6 FROM unnest($1::text[], $2::float8[], $3::int8[], $4::int8[], $5::bool[]) " +
  "AS t(k, v, ts, st, nan) ON CONFLICT (key, run_uuid) DO UPDATE SET value = excluded.value, " +
  "timestamp = excluded.timestamp, step = excluded.step, is_nan = excluded.is_nan " +
  "WHERE (excluded.step, excluded.timestamp, excluded.value) > " +
  "(latest_metrics.step, coalesce(latest_metrics.timestamp, -1), latest_metrics.value)";

/** Appends metric points (exact duplicates are stored once) and updates `latest_metrics`. */
async function insertMetrics(q: PgQuery, runId: string, metrics: readonly Metric[]): Promise<void> {
  if (metrics.length === 0) return;
  const keys: string[] = [], values: number[] = [], stamps: number[] = [], steps: number[] = [];
  const nans: boolean[] = [];
  const best = new Map<string, { value: number; isNan: boolean; timestamp: number; step: number }>();
  for (const m of metrics) {
    const { value, isNan } = storedMetricValue(m.value);
    keys.push(m.key),
      values.push(value),
      stamps.push(m.timestamp),
      steps.push(m.step),
      nans.push(isNan === 1);
    const point = { value, isNan: isNan === 1, timestamp: m.timestamp, step: m.step };
    const current = best.get(m.key);
    if (!current || isNewerMetric(point, current)) best.set(m.key, point);
  }
  await q.run(
    "INSERT INTO metrics (key, value, timestamp, step, is_nan, run_uuid) SELECT k, v, ts, st, nan, $6 " +
      "FROM unnest($1::text[], $2::float8[], $3::int8[], $4::int8[], $5::bool[]) AS t(k, v, ts, st, nan) " +
      "ON CONFLICT DO NOTHING",
    [keys, values, stamps, steps, nans, runId],
  );
  const latest = [...best.entries()];
  await q.run(UPSERT_LATEST, [
    latest.map(([k]) => k),
    latest.map(([, p]) => p.value),
    latest.map(([, p]) => p.timestamp),
    latest.map(([, p]) => p.step),
    latest.map(([, p]) => p.isNan),
    runId,
  ]);
}

/**
 * A page of one metric's history in MLflow's SQL order (timestamp, step, value, a NaN after a 0: the
 * order points are logged in whenever timestamps increase), as the SQLite store reads it.
 */
export async function metricHistory(
  db: PgDb,
  runId: string,
  key: string,
  options: { maxResults?: number; pageToken?: string },
): Promise<MetricHistoryPage> {
  const offset = decodePageToken(options.pageToken);
  const limit = options.maxResults === undefined ? null : options.maxResults + 1;
  return await db.read(async (q) => {
    await runRow(q, runId);
    const rows = await q.all<{ value: number; timestamp: number; step: number; is_nan: boolean }>(
      "SELECT value, timestamp, step, is_nan FROM metrics WHERE run_uuid = $1 AND key = $2 " +
        "ORDER BY timestamp, step, value, is_nan LIMIT $3 OFFSET $4",
      [runId, key, limit, offset],
    );
    const more = options.maxResults !== undefined && rows.length > options.maxResults;
    const page = more ? rows.slice(0, options.maxResults) : rows;
    const metrics = page.map((r) => ({
      key,
      value: r.is_nan ? NaN : r.value,
      timestamp: r.timestamp,
      step: r.step,
    }));
    return more ? { metrics, nextPageToken: encodePageToken(offset + options.maxResults!) } : { metrics };
  });
}
