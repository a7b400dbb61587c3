/** The one interface every tracking store implements (SQLite, file, REST). */
import type {
  Experiment,
  LogBatch,
  Metric,
  Page,
  Run,
  RunStatus,
  SearchRunsOptions,
  ViewType,
} from "./entities.ts";

/**
 * MLflow's AbstractStore, async and camelCase. Errors are `TrackingError`s whose `code` is MLflow's
 * error code (`RESOURCE_DOES_NOT_EXIST`, `INVALID_PARAMETER_VALUE`, `RESOURCE_ALREADY_EXISTS`).
 *
 * @example
 * ```ts
 * const store: TrackingStore = await SqliteStore.open("/p/mlflow.db");
 * const id = await store.createExperiment("iris");
 * ```
 */
export interface TrackingStore {
  createExperiment(
    name: string,
    options?: { artifactLocation?: string; tags?: Record<string, string> },
  ): Promise<string>;
  getExperiment(experimentId: string): Promise<Experiment>;
  getExperimentByName(name: string): Promise<Experiment | undefined>;
  searchExperiments(
    options?: { viewType?: ViewType; maxResults?: number; pageToken?: string },
  ): Promise<Page<Experiment>>;
  renameExperiment(experimentId: string, name: string): Promise<void>;
  deleteExperiment(experimentId: string): Promise<void>;
  restoreExperiment(experimentId: string): Promise<void>;
  setExperimentTag(experimentId: string, key: string, value: string): Promise<void>;

  createRun(
    experimentId: string,
    options?: { userId?: string; startTime?: number; runName?: string; tags?: Record<string, string> },
  ): Promise<Run>;
  getRun(runId: string): Promise<Run>;
  updateRun(
    runId: string,
    options: { status?: RunStatus; endTime?: number; runName?: string },
  ): Promise<void>;
  deleteRun(runId: string): Promise<void>;
  restoreRun(runId: string): Promise<void>;
  deleteTag(runId: string, key: string): Promise<void>;
  logBatch(runId: string, batch: LogBatch): Promise<void>;
  getMetricHistory(
    runId: string,
    key: string,
    options?: { maxResults?: number; pageToken?: string },
  ): Promise<Page<Metric>>;
  searchRuns(options: SearchRunsOptions): Promise<Page<Run>>;
  close(): void;
}
