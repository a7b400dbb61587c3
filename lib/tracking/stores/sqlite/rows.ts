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
} from "../../entities.ts";
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
 * One JSON object per run of the page (`ids`, a JSON array): `{key: value}` of `table`, built by
 * SQLite in index order (the order the rows were written) and parsed by V8 — far cheaper than a JS
 * row per entry. A NULL value reads as "". JSON.parse keeps a `__proto__` key as an own property, as
 * {@link setEntry} does.
 */
function keyValueObjects(
  db: SqliteDb,
  ids: string,
  count: number,
  table: "params" | "tags",
): Record<string, string>[] {
  const objects = new Array<Record<string, string>>(count);
  for (
    const [i, json] of db.rows<[number, string]>(
      "SELECT j.key, (SELECT json_group_object(t.key, coalesce(t.value, '')) " +
        `FROM ${table} t WHERE t.run_uuid = j.value) FROM json_each(?) j`,
      ids,
    )
  ) objects[i] = JSON.parse(json);
  return objects;
}

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
  const params = keyValueObjects(db, ids, rows.length, "params");
  const tags = keyValueObjects(db, ids, rows.length, "tags");
  const runs = rows.map((row, i): Run => ({
    info: toRunInfo(row, tags[i]),
    data: { metrics: {}, params: params[i], tags: tags[i], latestMetrics: {} },
    inputs: { datasetInputs: [] },
  }));
  const latest = db.rows<[number, string, number, number | null, number | null, number]>(
    "SELECT j.key, m.key, m.value, m.timestamp, m.step, m.is_nan " +
      "FROM json_each(?) j JOIN latest_metrics m ON m.run_uuid = j.value",
    ids,
  );
  for (const [i, key, stored, timestamp, step, isNan] of latest) {
    const data = runs[i].data;
    const metric: Metric = { key, value: isNan ? NaN : stored, timestamp: timestamp ?? 0, step: step ?? 0 };
    setEntry(data.metrics, key, metric.value);
    setEntry(data.latestMetrics, key, metric);
  }
  if (options.hasInputs) {
    const positions = new Map(rows.map((r, i) => [r.run_uuid, i]));
    for (const [runId, inputs] of loadInputs(db, ids)) {
      runs[positions.get(runId)!].inputs.datasetInputs = inputs;
    }
  }
  return runs;
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
