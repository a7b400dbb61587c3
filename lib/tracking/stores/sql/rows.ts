/**
 * What the SQL stores (SQLite, PostgreSQL) share about MLflow's rows: the row shapes they select,
 * their conversion to entities, how metric values are stored, and artifact URIs of new rows.
 *
 * @module
 */
import type { Experiment, LifecycleStage, RunInfo, RunStatus } from "../../entities.ts";
import { storedMetricNumber } from "../../search/metric_value.ts";

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

/**
 * The value MLflow stores for a metric value, and whether it is NaN: NaN is value 0 with `is_nan`,
 * ±Infinity is ±1.7976931348623157e308, exactly as MLflow's SqlAlchemyStore does.
 *
 * @example
 * ```ts
 * storedMetricValue(NaN); // { value: 0, isNan: 1 }
 * ```
 */
export function storedMetricValue(value: number): { value: number; isNan: 0 | 1 } {
  return { value: storedMetricNumber(value), isNan: Number.isNaN(value) ? 1 : 0 };
}

/** Whether metric point `a` replaces `b` as the latest: the max by (step, timestamp, value), ties keep `b`. */
export function isNewerMetric(
  a: { step: number; timestamp: number; value: number },
  b: { step: number; timestamp: number; value: number },
): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  return a.value > b.value;
}

/**
 * `<uri>/<part>/<part>` without doubling slashes (MLflow's append_to_uri_path).
 *
 * @example
 * ```ts
 * appendToUri("s3://bucket/mlflow/", "1"); // "s3://bucket/mlflow/1"
 * ```
 */
export function appendToUri(uri: string, ...parts: string[]): string {
  return [uri.replace(/\/+$/, ""), ...parts].join("/");
}
