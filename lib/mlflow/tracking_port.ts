/**
 * The part of the tracking client the kedro-mlflow layer uses. `lib/tracking`'s client satisfies it;
 * keeping it narrow documents exactly what tracking a pipeline run needs.
 */

/** Experiment fields the hook reads. */
export interface ExperimentRef {
  experimentId: string;
  name: string;
  lifecycleStage: string;
  artifactLocation: string;
}

/** Run fields the hook and datasets read. */
export interface RunRef {
  info: { runId: string; experimentId: string; status: string; artifactUri: string; lifecycleStage: string };
  data: { metrics: Record<string, number>; params: Record<string, string>; tags: Record<string, string> };
}

/** One metric point. */
export interface MetricPoint {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

/** A registered model version, as the mlflow layer reads it. */
export interface ModelVersionRef {
  name: string;
  version: string;
  runId: string | null;
  source: string | null;
}

/** A model URI resolved to a local folder holding `MLmodel`. */
export interface ResolvedModelRef {
  dir: string;
  /** The run that logged it, when known. */
  runId?: string;
  /** For `models:/` URIs: the registered version it resolved to. */
  version?: ModelVersionRef;
}

/** What a pipeline run's tracking needs from an MLflow client. */
export interface TrackingPort {
  getExperimentByName(name: string): Promise<ExperimentRef | undefined>;
  createExperiment(
    name: string,
    options?: { artifactLocation?: string; tags?: Record<string, string> },
  ): Promise<string>;
  restoreExperiment(experimentId: string): Promise<void>;
  createRun(
    experimentId: string,
    options: { runName?: string; startTime?: number; tags?: Record<string, string> },
  ): Promise<RunRef>;
  getRun(runId: string): Promise<RunRef>;
  /** One page of an experiment's runs matching an MLflow search filter. */
  searchRuns(
    experimentIds: string,
    options: { filter?: string; maxResults?: number },
  ): Promise<{ runs: RunRef[] }>;
  updateRun(runId: string, options: { status?: string; endTime?: number }): Promise<void>;
  logBatch(
    runId: string,
    batch: { metrics?: MetricPoint[]; params?: Record<string, string>; tags?: Record<string, string> },
  ): Promise<void>;
  getMetricHistory(runId: string, key: string): Promise<MetricPoint[]>;
  /** Fails (with the fix) when artifacts cannot be stored at `artifactUri`: checked before any node runs. */
  checkArtifactLocation(artifactUri: string): Promise<void>;
  logArtifact(runId: string, localPath: string, artifactPath?: string): Promise<void>;
  logArtifacts(runId: string, localDir: string, artifactPath?: string): Promise<void>;
  /** A folder `fill` writes, logged under `artifactPath` (written in place when the store is local). */
  buildArtifacts<T>(runId: string, artifactPath: string, fill: (dir: string) => Promise<T>): Promise<T>;
  logText(runId: string, text: string, artifactFile: string): Promise<void>;
  listArtifacts(runId: string, path?: string): Promise<{ path: string; isDir: boolean }[]>;
  downloadArtifacts(runId: string, path: string, dstDir: string): Promise<string>;
  setTerminated(runId: string, status: "FINISHED" | "FAILED" | "KILLED", endTime?: number): Promise<void>;
  /** MLflow's `register_model`: the model at `modelUri` becomes the next version of `name` (created if new). */
  registerModel(
    modelUri: string,
    name: string,
    options?: { tags?: Record<string, string> },
  ): Promise<ModelVersionRef>;
  /** The local folder of the model a URI names (`runs:/`, `models:/`, a folder); downloads go to `cacheDir`. */
  resolveModel(modelUri: string, options: { cacheDir: string; baseDir?: string }): Promise<ResolvedModelRef>;
  /** The registered version a `models:/` URI names, from the registry alone (no download). */
  resolveModelVersion(modelUri: string): Promise<ModelVersionRef>;
  /** Releases the store once the pipeline run is over (a SQLite store checkpoints its write-ahead log). */
  close?(): Promise<void>;
}
