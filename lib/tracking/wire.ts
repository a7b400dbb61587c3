/**
 * MLflow's JSON wire format (REST API 2.0, snake_case) ⇄ kmlf's entities (camelCase), in one place
 * for the REST store and the server. Writers follow MLflow's server exactly: int64 as JSON numbers,
 * non-finite doubles as "NaN"/"Infinity"/"-Infinity", enums as names, empty lists and unset fields
 * omitted. Readers are lenient: missing lists are empty, int64 may be strings, enums may be numbers.
 *
 * @module
 */
import {
  type DatasetInput,
  type Experiment,
  type FileInfo,
  type LifecycleStage,
  type Metric,
  type Run,
  type RunInfo,
  setEntry,
} from "./entities.ts";
import {
  doubleFromWire,
  doubleToWire,
  int64FromWire,
  type KeyValueWire,
  recordFromWire,
  recordToWire,
  runStatusFromWire,
  type WireDouble,
} from "./wire_values.ts";

function omitEmpty<T>(list: T[]): T[] | undefined {
  return list.length ? list : undefined;
}

/** Experiment JSON. */
export interface ExperimentWire {
  experiment_id: string;
  name: string;
  artifact_location?: string;
  lifecycle_stage?: string;
  last_update_time?: number;
  creation_time?: number;
  tags?: KeyValueWire[];
}
/** RunInfo JSON. */
export interface RunInfoWire {
  run_uuid?: string;
  experiment_id: string;
  run_name?: string;
  user_id?: string;
  status?: string | number;
  start_time?: number | string;
  end_time?: number | string;
  artifact_uri?: string;
  lifecycle_stage?: string;
  run_id: string;
}
/** Metric JSON. */
export interface MetricWire {
  key: string;
  value: WireDouble | string;
  timestamp: number | string;
  step?: number | string;
}
/** DatasetInput JSON. */
export interface DatasetInputWire {
  tags?: KeyValueWire[];
  dataset: {
    name: string;
    digest: string;
    source_type: string;
    source: string;
    schema?: string;
    profile?: string;
  };
}
/** Run JSON. */
export interface RunWire {
  info: RunInfoWire;
  data?: { metrics?: MetricWire[]; params?: KeyValueWire[]; tags?: KeyValueWire[] };
  inputs?: { dataset_inputs?: DatasetInputWire[] };
}
/** FileInfo JSON. */
export interface FileInfoWire {
  path: string;
  is_dir?: boolean;
  file_size?: number | string;
}
/**
 * Experiment → JSON.
 *
 * @example
 * ```ts
 * JSON.stringify({ experiment: experimentToWire(experiment) });
 * ```
 */
export function experimentToWire(e: Experiment): ExperimentWire {
  const wire: ExperimentWire = {
    experiment_id: e.experimentId,
    name: e.name,
    artifact_location: e.artifactLocation,
    lifecycle_stage: e.lifecycleStage,
  };
  if (e.lastUpdateTime !== null) wire.last_update_time = e.lastUpdateTime;
  if (e.creationTime !== null) wire.creation_time = e.creationTime;
  const tags = omitEmpty(recordToWire(e.tags));
  if (tags) wire.tags = tags;
  return wire;
}

/**
 * JSON → Experiment.
 *
 * @example
 * ```ts
 * experimentFromWire(body.experiment).experimentId; // "1"
 * ```
 */
export function experimentFromWire(w: ExperimentWire): Experiment {
  return {
    experimentId: String(w.experiment_id),
    name: w.name,
    artifactLocation: w.artifact_location ?? "",
    lifecycleStage: (w.lifecycle_stage ?? "active") as LifecycleStage,
    creationTime: int64FromWire(w.creation_time, null),
    lastUpdateTime: int64FromWire(w.last_update_time, null),
    tags: recordFromWire(w.tags),
  };
}

/**
 * RunInfo → JSON (MLflow's field order; `run_uuid` duplicates `run_id` as MLflow still sends it).
 *
 * @example
 * ```ts
 * runInfoToWire(run.info).status; // "FINISHED"
 * ```
 */
export function runInfoToWire(i: RunInfo): RunInfoWire {
  const wire: Record<string, unknown> = {
    run_uuid: i.runId,
    experiment_id: i.experimentId,
    run_name: i.runName,
    user_id: i.userId,
    status: i.status,
    start_time: i.startTime,
  };
  if (i.endTime !== null) wire.end_time = i.endTime;
  wire.artifact_uri = i.artifactUri;
  wire.lifecycle_stage = i.lifecycleStage;
  wire.run_id = i.runId;
  return wire as unknown as RunInfoWire;
}

/**
 * JSON → RunInfo.
 *
 * @example
 * ```ts
 * runInfoFromWire(body.run_info).endTime; // null while running
 * ```
 */
export function runInfoFromWire(w: RunInfoWire): RunInfo {
  const end = int64FromWire(w.end_time, null);
  return {
    runId: w.run_id ?? w.run_uuid,
    runName: w.run_name ?? "",
    experimentId: String(w.experiment_id),
    userId: w.user_id ?? "",
    status: runStatusFromWire(w.status ?? "RUNNING"),
    startTime: int64FromWire(w.start_time, 0),
    // proto2 leaves end_time 0 when unset.
    endTime: end === 0 ? null : end,
    artifactUri: w.artifact_uri ?? "",
    lifecycleStage: (w.lifecycle_stage ?? "active") as LifecycleStage,
  };
}

/**
 * Metric → JSON.
 *
 * @example
 * ```ts
 * metricToWire({ key: "auc", value: NaN, timestamp: 1, step: 0 }).value; // "NaN"
 * ```
 */
export function metricToWire(m: Metric): MetricWire {
  return { key: m.key, value: doubleToWire(m.value), timestamp: m.timestamp, step: m.step };
}

/**
 * JSON → Metric.
 *
 * @example
 * ```ts
 * metricFromWire({ key: "auc", value: "NaN", timestamp: "1", step: 0 }).value; // NaN
 * ```
 */
export function metricFromWire(w: MetricWire): Metric {
  return {
    key: w.key,
    value: doubleFromWire(w.value),
    timestamp: int64FromWire(w.timestamp, 0),
    step: int64FromWire(w.step, 0),
  };
}

/**
 * DatasetInput → JSON.
 *
 * @example
 * ```ts
 * datasetInputToWire(run.inputs.datasetInputs[0]).dataset.source_type;
 * ```
 */
export function datasetInputToWire(d: DatasetInput): DatasetInputWire {
  const { name, digest, sourceType, source, schema, profile } = d.dataset;
  const dataset: DatasetInputWire["dataset"] = { name, digest, source_type: sourceType, source };
  if (schema !== undefined) dataset.schema = schema;
  if (profile !== undefined) dataset.profile = profile;
  const tags = omitEmpty(recordToWire(d.tags));
  return tags ? { tags, dataset } : { dataset };
}

/**
 * JSON → DatasetInput.
 *
 * @example
 * ```ts
 * datasetInputFromWire(body.datasets[0]).dataset.sourceType;
 * ```
 */
export function datasetInputFromWire(w: DatasetInputWire): DatasetInput {
  const d = w.dataset;
  return {
    dataset: {
      name: d.name,
      digest: d.digest,
      sourceType: d.source_type,
      source: d.source,
      ...(d.schema === undefined ? {} : { schema: d.schema }),
      ...(d.profile === undefined ? {} : { profile: d.profile }),
    },
    tags: recordFromWire(w.tags),
  };
}

/**
 * Run → JSON as `runs/get` answers it (`data.metrics` are the latest points).
 *
 * @example
 * ```ts
 * JSON.stringify({ run: runToWire(run) });
 * ```
 */
export function runToWire(run: Run): RunWire {
  // Plain loops: a search page converts thousands of entries, and this is its hot path.
  const latest: MetricWire[] = [];
  for (const key of Object.keys(run.data.metrics)) {
    latest.push(
      metricToWire(
        run.data.latestMetrics[key] ?? { key, value: run.data.metrics[key], timestamp: 0, step: 0 },
      ),
    );
  }
  const data: NonNullable<RunWire["data"]> = {};
  const metrics = omitEmpty(latest);
  const params = omitEmpty(recordToWire(run.data.params));
  const tags = omitEmpty(recordToWire(run.data.tags));
  if (metrics) data.metrics = metrics;
  if (params) data.params = params;
  if (tags) data.tags = tags;
  const inputs = omitEmpty(run.inputs.datasetInputs.map(datasetInputToWire));
  return { info: runInfoToWire(run.info), data, inputs: inputs ? { dataset_inputs: inputs } : {} };
}

/**
 * JSON → Run.
 *
 * @example
 * ```ts
 * runFromWire(body.run).data.metrics.acc; // 0.93
 * ```
 */
export function runFromWire(w: RunWire): Run {
  const metrics: Record<string, number> = {};
  const latestMetrics: Record<string, Metric> = {};
  for (const m of w.data?.metrics ?? []) {
    const metric = metricFromWire(m);
    setEntry(metrics, m.key, metric.value);
    setEntry(latestMetrics, m.key, metric);
  }
  return {
    info: runInfoFromWire(w.info),
    data: {
      metrics,
      params: recordFromWire(w.data?.params),
      tags: recordFromWire(w.data?.tags),
      latestMetrics,
    },
    inputs: { datasetInputs: (w.inputs?.dataset_inputs ?? []).map(datasetInputFromWire) },
  };
}

/**
 * FileInfo → JSON (`file_size` omitted for directories).
 *
 * @example
 * ```ts
 * fileInfoToWire({ path: "sub", isDir: true, fileSize: null }); // { path: "sub", is_dir: true }
 * ```
 */
export function fileInfoToWire(f: FileInfo): FileInfoWire {
  return f.isDir || f.fileSize === null
    ? { path: f.path, is_dir: f.isDir }
    : { path: f.path, is_dir: false, file_size: f.fileSize };
}

/**
 * JSON → FileInfo.
 *
 * @example
 * ```ts
 * fileInfoFromWire({ path: "a.txt", is_dir: false, file_size: 15 }).fileSize; // 15
 * ```
 */
export function fileInfoFromWire(w: FileInfoWire): FileInfo {
  return {
    path: w.path,
    isDir: w.is_dir ?? false,
    fileSize: w.is_dir ? null : int64FromWire(w.file_size, null),
  };
}
