/** MLflow's tracking entities in TypeScript form (camelCase; the wire format is converted elsewhere). */

/** `RUNNING`, `SCHEDULED`, `FINISHED`, `FAILED` or `KILLED`. */
export type RunStatus = "RUNNING" | "SCHEDULED" | "FINISHED" | "FAILED" | "KILLED";

/** Which runs or experiments a search returns. */
export type ViewType = "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL";

/** An experiment. Ids are strings (file-store ids exceed 2^53). */
export interface Experiment {
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: "active" | "deleted";
  creationTime?: number;
  lastUpdateTime?: number;
  tags: Record<string, string>;
}

/** Run metadata. */
export interface RunInfo {
  runId: string;
  runName: string;
  experimentId: string;
  userId: string;
  status: RunStatus;
  startTime: number;
  endTime?: number;
  artifactUri: string;
  lifecycleStage: "active" | "deleted";
}

/**
 * A run. `data` holds plain key → value records (MLflow's RunData-as-dicts design): the latest value
 * of each metric, params and tags as strings. Full metric histories come from `getMetricHistory`.
 */
export interface Run {
  info: RunInfo;
  data: { metrics: Record<string, number>; params: Record<string, string>; tags: Record<string, string> };
}

/** One metric point. NaN and ±Infinity are allowed values. */
export interface Metric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

/** A batch of run data, logged atomically per store (params, then metrics, then tags). */
export interface LogBatch {
  metrics?: Metric[];
  params?: Record<string, string>;
  tags?: Record<string, string>;
}

/** An artifact listing entry. */
export interface FileInfo {
  path: string;
  isDir: boolean;
  fileSize?: number;
}

/** Arguments of searchRuns. */
export interface SearchRunsOptions {
  experimentIds: string[];
  filter?: string;
  runViewType?: ViewType;
  maxResults?: number;
  orderBy?: string[];
  pageToken?: string;
}

/** A page of results. */
export interface Page<T> {
  items: T[];
  nextPageToken?: string;
}
