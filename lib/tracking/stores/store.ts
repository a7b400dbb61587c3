/**
 * The `TrackingStore` interface every backend implements (SQLite, file store, REST, PostgreSQL), with the
 * semantics the contract suite (`tests/tracking/store_contract.ts`) checks for each of them.
 *
 * Rules shared by every implementation:
 * - Errors are `TrackingError`s whose `code` is MLflow's error code (`RESOURCE_DOES_NOT_EXIST`,
 *   `INVALID_PARAMETER_VALUE`, `RESOURCE_ALREADY_EXISTS`, `INVALID_STATE`); use the factories in
 *   `tracking_errors.ts` and the checks in `validation.ts` so wording matches across stores.
 * - Ids are strings end to end. Run ids are 32 lowercase hex characters (uuid4 hex).
 * - Experiment "0" named "Default" exists in every store.
 * - Validation happens before any write; a failing `logBatch` writes nothing.
 * - `getRun` returns deleted runs too; `data.metrics` holds the latest value per key, the max by
 *   (step, timestamp, value).
 * - Setting the tag `mlflow.runName` renames the run; `updateRun({runName})` updates that tag.
 * - ±Infinity metrics may come back as ±1.7976931348623157e308 (SQL stores, like MLflow's).
 *
 * Implementing a store: search with `searchRunsInMemory` / `searchExperimentsInMemory` over
 * loaded entities (file store) or `runSearchSql` / `experimentSearchSql` (SQL); convert REST JSON
 * with `wire.ts`; then register `runStoreContract(name, factory)` from
 * `tests/tracking/store_contract.ts` and make it pass.
 *
 * @module
 */
import type { DatasetInput, Experiment, KeyValue, Metric, Run, RunInfo, RunStatus } from "../entities.ts";
import type { ArtifactRepository } from "../artifacts/artifact_repository.ts";
import type { ModelRegistryStore } from "../registry/registry_store.ts";
import type { HardDeletes } from "./hard_delete.ts";
import type {
  ExperimentsPage,
  RunsPage,
  SearchExperimentsOptions,
  SearchRunsOptions,
} from "../search/evaluate.ts";

export type { ExperimentsPage, RunsPage, SearchExperimentsOptions, SearchRunsOptions };

/** Options of {@link TrackingStore.createExperiment}. */
export interface CreateExperimentOptions {
  /** Where runs of this experiment store artifacts; default `<artifact root>/<experiment id>`. */
  artifactLocation?: string;
  /** Tags of the new experiment. */
  tags?: Record<string, string>;
}

/** Options of {@link TrackingStore.createRun}. */
export interface CreateRunOptions {
  /** The experiment the run belongs to (must be active). */
  experimentId: string;
  /** Default "". */
  userId?: string;
  /** ms since the epoch; default now. */
  startTime?: number;
  /** Default: the `mlflow.runName` tag, else a random adjective-noun-NNN name. */
  runName?: string;
  /** Tags of the new run (MLflow's `mlflow.*` tags included, e.g. `mlflow.source.name`). */
  tags?: Record<string, string>;
}

/** Fields {@link TrackingStore.updateRun} can change. */
export interface UpdateRunOptions {
  /** New status; RUNNING, SCHEDULED, FINISHED, FAILED or KILLED. */
  status?: RunStatus;
  /** ms since the epoch the run ended. */
  endTime?: number;
  /** New name (also rewrites the `mlflow.runName` tag). */
  runName?: string;
}

/** What one {@link TrackingStore.logBatch} call writes (≤ 1000 metrics, ≤ 100 params, ≤ 100 tags). */
export interface LogBatch {
  /** Metric points to append. */
  metrics?: readonly Metric[];
  /** Params to log; each key may be logged once per run (same value again is fine). */
  params?: readonly KeyValue[];
  /** Tags to set (overwriting). */
  tags?: readonly KeyValue[];
  /**
   * Word errors as MLflow's log-batch does: a server relaying `runs/log-batch`, or a client's
   * `logBatch`/`logParams`. Without it, a lone param is worded (and a REST store sends it) as log_param.
   */
  asBatch?: boolean;
}

/** Options of {@link TrackingStore.getMetricHistory}. */
export interface MetricHistoryOptions {
  /** Page size; default: everything. */
  maxResults?: number;
  /** The `nextPageToken` of the previous page, to read the next one. */
  pageToken?: string;
}

/** A page of metric history. */
export interface MetricHistoryPage {
  /** The points of this page, by timestamp, then step, then value (MLflow's SQL order). */
  metrics: Metric[];
  /** Present when more points follow: pass it as `pageToken`. */
  nextPageToken?: string;
}

/** What a step picker of {@link TrackingStore.sampledMetricHistories} sees of one metric over several runs. */
export interface MetricStepSummary {
  /** Every distinct step the runs logged the metric at, ascending. */
  steps: number[];
  /** Each run's smallest and largest step, `[min, max]` (runs that never logged the metric are left out). */
  extremes: [number, number][];
}

/** Options of {@link TrackingStore.sampledMetricHistories}. */
export interface SampledHistoryOptions {
  /** Chooses the steps to read from the summary of all of them. */
  pick(summary: MetricStepSummary): readonly number[];
  /** At most this many points per run (the first by step, then timestamp, then value). */
  maxPerRun: number;
}

/** A tracking backend. All methods are async so local and remote stores share one shape. */
export interface TrackingStore {
  /** "sqlite", "file", "rest" or "postgresql". */
  readonly kind: string;
  /** The tracking URI the store was opened with. */
  readonly uri: string;

  /** Creates an experiment and returns its id. Duplicate names (even deleted) → RESOURCE_ALREADY_EXISTS. */
  createExperiment(name: string, options?: CreateExperimentOptions): Promise<string>;
  /** An experiment by id (deleted ones too), else RESOURCE_DOES_NOT_EXIST. */
  getExperiment(experimentId: string): Promise<Experiment>;
  /** An experiment by name (deleted ones too), or undefined. */
  getExperimentByName(name: string): Promise<Experiment | undefined>;
  /** Filter on `name`, `creation_time`, `last_update_time`, `tags.<k>`; default order newest first. */
  searchExperiments(options?: SearchExperimentsOptions): Promise<ExperimentsPage>;
  /** Renames an active experiment (deleted → INVALID_STATE; taken name → RESOURCE_ALREADY_EXISTS). */
  renameExperiment(experimentId: string, newName: string): Promise<void>;
  /** Soft-deletes an active experiment and all its runs. */
  deleteExperiment(experimentId: string): Promise<void>;
  /** Restores a deleted experiment and its runs. */
  restoreExperiment(experimentId: string): Promise<void>;
  /** Sets (overwrites) an experiment tag; the experiment must be active. */
  setExperimentTag(experimentId: string, key: string, value: string): Promise<void>;
  /** Removes an experiment tag (missing → RESOURCE_DOES_NOT_EXIST). */
  deleteExperimentTag(experimentId: string, key: string): Promise<void>;

  /** Creates a RUNNING run in an active experiment and returns it (with the `mlflow.runName` tag). */
  createRun(options: CreateRunOptions): Promise<Run>;
  /** A run by id, deleted ones included. */
  getRun(runId: string): Promise<Run>;
  /** Changes status, end time or name of an active run and returns its info. */
  updateRun(runId: string, update: UpdateRunOptions): Promise<RunInfo>;
  /** Soft-deletes a run (records `deleted_time`). */
  deleteRun(runId: string): Promise<void>;
  /** Restores a deleted run. */
  restoreRun(runId: string): Promise<void>;
  /** Sets (overwrites) a tag of an active run. */
  setTag(runId: string, key: string, value: string): Promise<void>;
  /** Removes a tag of an active run (missing → RESOURCE_DOES_NOT_EXIST). */
  deleteTag(runId: string, key: string): Promise<void>;
  /**
   * Logs params, metrics and tags to an active run, atomically. Re-logging a param with the same
   * value is fine, with a different value → INVALID_PARAMETER_VALUE. Exact duplicate metric points
   * (key, timestamp, step, value) are stored once.
   */
  logBatch(runId: string, batch: LogBatch): Promise<void>;
  /**
   * Every logged point of one metric, by timestamp, then step, then value (a NaN after a 0), as MLflow's
   * SQL store returns them in every kmlf store: logging order whenever timestamps increase.
   * RESOURCE_DOES_NOT_EXIST for an unknown run.
   */
  getMetricHistory(runId: string, key: string, options?: MetricHistoryOptions): Promise<MetricHistoryPage>;
  /**
   * Optional, for the web UI's charts (get-history-bulk-interval): the points of one metric for several
   * runs at the steps `pick` chooses from a summary of their steps, each run's sorted by step, then
   * timestamp, then value; one list per run, in `runIds` order. A store that implements it reads only the points
   * it returns; without it the server reads whole histories through getMetricHistory and samples them.
   * An unknown run fails as getMetricHistory does.
   */
  sampledMetricHistories?(
    runIds: readonly string[],
    key: string,
    options: SampledHistoryOptions,
  ): Promise<Metric[][]>;
  /** MLflow's run search: filter grammar, order_by, view type, max results (≤ 50000) and page tokens. */
  searchRuns(options: SearchRunsOptions): Promise<RunsPage>;
  /** Records dataset inputs of a run (deduplicated by name and digest). */
  logInputs(runId: string, datasets: readonly DatasetInput[]): Promise<void>;

  /** The store's model registry (registered models, versions, tags, aliases), kept where the store keeps runs. */
  readonly registry: ModelRegistryStore;

  /** Permanent deletes for `kmlf gc` (MLflow's `_hard_delete_run`…); undefined for REST, which has none. */
  readonly hardDeletes?: HardDeletes;

  /**
   * Where new experiments keep artifacts when none is given (`<root>/<experiment id>`); undefined for a
   * store that does not choose (REST).
   */
  readonly artifactRoot?: string;
  /** The artifact repository serving an artifact URI of this store (a run's `artifactUri`). */
  getArtifactRepository(artifactUri: string): ArtifactRepository;
  /** Releases connections and file handles. Further calls fail. */
  close(): Promise<void>;
}
