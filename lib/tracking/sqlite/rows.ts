/**
 * Reading MLflow's rows into entities: run info, and run data (latest metrics, params, tags, dataset
 * inputs) for one run or for a whole page of runs with one query per table.
 *
 * @module
 */
import {
  type DatasetInput,
  type Experiment,
  type LifecycleStage,
  type Metric,
  type Run,
  type RunInfo,
  type RunStatus,
  setEntry,
} from "../entities.ts";
import type { SqliteDb } from "./db.ts";

/** A row of `runs` as selected by RUN_INFO_COLUMNS. */
export interface RunRow {
  run_uuid: string;
  name: string | null;
  experiment_id: number | string;
  user_id: string | null;
  status: string | null;
  start_time: number | null;
  end_time: number | null;
  artifact_uri: string | null;
  lifecycle_stage: string | null;
}

/** A row of `experiments`. */
export interface ExperimentRow {
  experiment_id: number | string;
  name: string;
  artifact_location: string | null;
  lifecycle_stage: string | null;
  creation_time: number | null;
  last_update_time: number | null;
}

/** An experiment from its row and tags. */
export function toExperiment(row: ExperimentRow, tags: Record<string, string>): Experiment {
  return {
    experimentId: String(row.experiment_id),
    name: row.name,
    artifactLocation: row.artifact_location ?? "",
    lifecycleStage: (row.lifecycle_stage ?? "active") as LifecycleStage,
    creationTime: row.creation_time,
    lastUpdateTime: row.last_update_time,
    tags,
  };
}

/** Run info from its row; the name falls back to the `mlflow.runName` tag (MLflow ≤ 1.29 rows). */
export function toRunInfo(row: RunRow, tags?: Record<string, string>): RunInfo {
  return {
    runId: row.run_uuid,
    runName: row.name ?? tags?.["mlflow.runName"] ?? "",
    experimentId: String(row.experiment_id),
    userId: row.user_id ?? "",
    status: (row.status ?? "RUNNING") as RunStatus,
    startTime: row.start_time ?? 0,
    endTime: row.end_time,
    artifactUri: row.artifact_uri ?? "",
    lifecycleStage: (row.lifecycle_stage ?? "active") as LifecycleStage,
  };
}

interface InputRow {
  run_uuid: string;
  input_uuid: string;
  name: string;
  digest: string;
  dataset_source_type: string;
  dataset_source: string;
  dataset_schema: string | null;
  dataset_profile: string | null;
}

const IDS = "SELECT value FROM json_each(?)";

/**
 * Loads complete runs for the given rows (order kept), with one query per table.
 *
 * @example
 * ```ts
 * const runs = loadRuns(db, rows, { hasInputs: true });
 * ```
 */
export function loadRuns(db: SqliteDb, rows: readonly RunRow[], options: { hasInputs: boolean }): Run[] {
  if (rows.length === 0) return [];
  const ids = JSON.stringify(rows.map((r) => r.run_uuid));
  const runs = new Map<string, Run>();
  for (const row of rows) {
    runs.set(row.run_uuid, {
      info: toRunInfo(row),
      data: { metrics: {}, params: {}, tags: {}, latestMetrics: {} },
      inputs: { datasetInputs: [] },
    });
  }
  const single = rows.length === 1;
  const where = single ? "run_uuid = ?" : `run_uuid IN (${IDS})`;
  const arg = single ? rows[0].run_uuid : ids;
  for (
    const [runId, key, value] of db.rows<[string, string, string | null]>(
      `SELECT run_uuid, key, value FROM params WHERE ${where}`,
      arg,
    )
  ) setEntry(runs.get(runId)!.data.params, key, value ?? "");
  for (
    const [runId, key, value] of db.rows<[string, string, string | null]>(
      `SELECT run_uuid, key, value FROM tags WHERE ${where}`,
      arg,
    )
  ) setEntry(runs.get(runId)!.data.tags, key, value ?? "");
  const latest = db.rows<[string, string, number, number | null, number | null, number]>(
    `SELECT run_uuid, key, value, timestamp, step, is_nan FROM latest_metrics WHERE ${where}`,
    arg,
  );
  for (const [runId, key, stored, timestamp, step, isNan] of latest) {
    const data = runs.get(runId)!.data;
    const metric: Metric = { key, value: isNan ? NaN : stored, timestamp: timestamp ?? 0, step: step ?? 0 };
    setEntry(data.metrics, key, metric.value);
    setEntry(data.latestMetrics, key, metric);
  }
  for (const row of rows) {
    const run = runs.get(row.run_uuid)!;
    if (row.name === null) run.info.runName = run.data.tags["mlflow.runName"] ?? "";
  }
  if (options.hasInputs) {
    for (const [runId, inputs] of loadInputs(db, single ? JSON.stringify([rows[0].run_uuid]) : ids)) {
      runs.get(runId)!.inputs.datasetInputs = inputs;
    }
  }
  return rows.map((r) => runs.get(r.run_uuid)!);
}

function loadInputs(db: SqliteDb, ids: string): Map<string, DatasetInput[]> {
  const result = new Map<string, DatasetInput[]>();
  const rows = db.all<InputRow>(
    "SELECT i.destination_id AS run_uuid, i.input_uuid, d.name, d.digest, d.dataset_source_type, " +
      "d.dataset_source, d.dataset_schema, d.dataset_profile FROM inputs i " +
      "JOIN datasets d ON d.dataset_uuid = i.source_id " +
      `WHERE i.source_type = 'DATASET' AND i.destination_type = 'RUN' AND i.destination_id IN (${IDS}) ` +
      "ORDER BY i.rowid",
    ids,
  );
  if (rows.length === 0) return result;
  const tags = new Map<string, Record<string, string>>();
  const tagRows = db.all<{ input_uuid: string; name: string; value: string }>(
    `SELECT input_uuid, name, value FROM input_tags WHERE input_uuid IN (${IDS})`,
    JSON.stringify(rows.map((r) => r.input_uuid)),
  );
  for (const t of tagRows) {
    if (!tags.has(t.input_uuid)) tags.set(t.input_uuid, {});
    setEntry(tags.get(t.input_uuid)!, t.name, t.value);
  }
  for (const r of rows) {
    const input: DatasetInput = {
      dataset: {
        name: r.name,
        digest: r.digest,
        sourceType: r.dataset_source_type,
        source: r.dataset_source,
        ...(r.dataset_schema === null ? {} : { schema: r.dataset_schema }),
        ...(r.dataset_profile === null ? {} : { profile: r.dataset_profile }),
      },
      tags: tags.get(r.input_uuid) ?? {},
    };
    if (!result.has(r.run_uuid)) result.set(r.run_uuid, []);
    result.get(r.run_uuid)!.push(input);
  }
  return result;
}
