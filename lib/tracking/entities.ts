/**
 * MLflow's tracking entities in TypeScript form (camelCase). The snake_case JSON wire shapes are
 * converted in one place, `wire.ts`.
 *
 * @module
 */

/** Status of a run. Terminal statuses are FINISHED, FAILED and KILLED. */
export type RunStatus = "RUNNING" | "SCHEDULED" | "FINISHED" | "FAILED" | "KILLED";

/**
 * Every run status, in MLflow's enum order (RUNNING=1 … KILLED=5).
 *
 * @example
 * ```ts
 * RUN_STATUSES.indexOf("FINISHED") + 1; // 3, MLflow's enum number
 * ```
 */
export const RUN_STATUSES: readonly RunStatus[] = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"];

/**
 * Whether a status ends a run.
 *
 * @example
 * ```ts
 * isTerminalStatus("FAILED"); // true
 * ```
 */
export function isTerminalStatus(status: RunStatus): boolean {
  return status === "FINISHED" || status === "FAILED" || status === "KILLED";
}

/** Soft-deletion state of experiments and runs. */
export type LifecycleStage = "active" | "deleted";

/** Which lifecycle stages a search returns. */
export type ViewType = "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL";

/**
 * The lifecycle stages a view type selects.
 *
 * @example
 * ```ts
 * stagesForViewType("ALL"); // ["active", "deleted"]
 * ```
 */
export function stagesForViewType(viewType: ViewType): LifecycleStage[] {
  if (viewType === "ACTIVE_ONLY") return ["active"];
  if (viewType === "DELETED_ONLY") return ["deleted"];
  return ["active", "deleted"];
}

/** One metric point. `timestamp` is in ms since the epoch; `value` may be NaN or ±Infinity. */
export interface Metric {
  /** The metric's name. */
  key: string;
  /** The value (NaN and ±Infinity allowed). */
  value: number;
  /** ms since the epoch. */
  timestamp: number;
  /** The training step or epoch (MLflow's `step`; 0 when not given). */
  step: number;
}

/** A key/value pair of a run (param or tag) as logged in a batch. */
export interface KeyValue {
  /** The param or tag name. */
  key: string;
  /** Its value, always text. */
  value: string;
}

/** An experiment. Ids are strings (file-store ids exceed 2^53). */
export interface Experiment {
  /** The experiment's id, a decimal string ("0" is MLflow's Default experiment). */
  experimentId: string;
  /** The experiment's unique name. */
  name: string;
  /** Where its runs store artifacts (a path, `file://`, `s3://` or `mlflow-artifacts:` URI). */
  artifactLocation: string;
  /** "active", or "deleted" after a soft delete. */
  lifecycleStage: LifecycleStage;
  /** ms since the epoch; null in databases written by very old MLflow versions. */
  creationTime: number | null;
  /** ms since the epoch of the last change; null in databases written by very old MLflow versions. */
  lastUpdateTime: number | null;
  /** The experiment's tags. */
  tags: Record<string, string>;
}

/** Metadata of a run. */
export interface RunInfo {
  /** The run's id (32 hex digits). */
  runId: string;
  /** The run's name (`mlflow.runName` tag). */
  runName: string;
  /** The id of the experiment it belongs to. */
  experimentId: string;
  /** Who started it (`mlflow.user`). */
  userId: string;
  /** RUNNING, SCHEDULED, FINISHED, FAILED or KILLED. */
  status: RunStatus;
  /** ms since the epoch. */
  startTime: number;
  /** null while the run has not ended. */
  endTime: number | null;
  /** The root of the run's artifacts (e.g. `mlflow-artifacts:/1/<run id>/artifacts`). */
  artifactUri: string;
  /** "active", or "deleted" after a soft delete. */
  lifecycleStage: LifecycleStage;
}

/**
 * What was logged to a run. `metrics`, `params` and `tags` are plain key→value records (for
 * metrics the latest value, i.e. the max by (step, timestamp, value)); the full history is
 * available through `getMetricHistory`.
 */
export interface RunData {
  /** Metric name → latest value. */
  metrics: Record<string, number>;
  /** Param name → value. */
  params: Record<string, string>;
  /** Tag name → value (MLflow's `mlflow.*` tags included). */
  tags: Record<string, string>;
  /** The same latest metrics as full points (with step and timestamp), as MLflow's wire format carries. */
  latestMetrics: Record<string, Metric>;
}

/** A dataset used as a run input. */
export interface RunDataset {
  /** The dataset's name (e.g. the catalog entry). */
  name: string;
  /** A short hash of its content, telling versions apart. */
  digest: string;
  /** Kind of source, e.g. `local`, `s3`, `http`. */
  sourceType: string;
  /** Where it came from, as a JSON string (e.g. `{"uri": "data/01_raw/iris.csv"}`). */
  source: string;
  /** Its schema as a JSON string (MLflow's `mlflow_colspec` form), when known. */
  schema?: string;
  /** Its profile as a JSON string (e.g. row and column counts), when known. */
  profile?: string;
}

/** A dataset input of a run with its input tags (e.g. `mlflow.data.context: training`). */
export interface DatasetInput {
  /** The dataset. */
  dataset: RunDataset;
  /** Input tags, e.g. `mlflow.data.context: training`. */
  tags: Record<string, string>;
}

/** Inputs of a run. */
export interface RunInputs {
  /** The datasets the run used, each with its input tags. */
  datasetInputs: DatasetInput[];
}

/** A run: its metadata, logged data and inputs. */
export interface Run {
  /** Ids, name, status, times and artifact location. */
  info: RunInfo;
  /** Metrics, params and tags. */
  data: RunData;
  /** The datasets the run used. */
  inputs: RunInputs;
}

/** One entry of an artifact listing. `path` is relative to the run's artifact root. */
export interface FileInfo {
  /** Path relative to the run's artifact root, with `/` separators. */
  path: string;
  /** Whether it is a folder. */
  isDir: boolean;
  /** Size in bytes; null for directories. */
  fileSize: number | null;
}

/**
 * Reserved tag keys used by MLflow.
 *
 * @example
 * ```ts
 * run.data.tags[MLFLOW_TAGS.parentRunId]; // the parent of a nested run
 * ```
 */
export const MLFLOW_TAGS = {
  runName: "mlflow.runName",
  parentRunId: "mlflow.parentRunId",
  user: "mlflow.user",
  sourceName: "mlflow.source.name",
  sourceType: "mlflow.source.type",
  gitCommit: "mlflow.source.git.commit",
  note: "mlflow.note.content",
  datasetContext: "mlflow.data.context",
} as const;

/**
 * The id and name of the default experiment every store has.
 *
 * @example
 * ```ts
 * await store.getExperiment(DEFAULT_EXPERIMENT.id); // "Default"
 * ```
 */
export const DEFAULT_EXPERIMENT = { id: "0", name: "Default" } as const;

/**
 * Sets `record[key]`, also for the key `__proto__` (a valid MLflow key that plain assignment would
 * swallow).
 *
 * @example
 * ```ts
 * const params: Record<string, string> = {};
 * setEntry(params, "__proto__", "x"); // Object.keys(params) → ["__proto__"]
 * ```
 */
export function setEntry<T>(record: Record<string, T>, key: string, value: T): void {
  if (key === "__proto__") Object.defineProperty(record, key, { value, enumerable: true, writable: true });
  else record[key] = value;
}
