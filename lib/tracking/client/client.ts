/**
 * `MlflowClient`: MLflow's tracking client API in TypeScript (camelCase) over any TrackingStore,
 * plus `startRun` for code that records runs (buffered metrics, nested runs, default tags). How a run
 * starts is in `_start_run.ts`, the stack of started runs in `_run_stack.ts`, batching within MLflow's
 * limits in `_batches.ts`, each run's artifact repository in `_run_repositories.ts` and the artifact
 * writes the client adds to a repository's in `_artifact_writes.ts`.
 *
 * @module
 */
import type { ActiveRun } from "./active_run.ts";
import type { ArtifactRepository } from "../artifacts/artifact_repository.ts";
import type { DatasetInput, Experiment, FileInfo, Metric, Run, RunStatus } from "../entities.ts";
import { MLFLOW_TAGS } from "../entities.ts";
import { openStore, type OpenStoreOptions } from "../stores/open_store.ts";
import { defaultRunContext, type RunContext } from "./run_context.ts";
import {
  type ClientSearchRunsOptions,
  type KeyValueInput,
  type MlflowClientOptions,
  paramValueToString,
  type StartRunOptions,
} from "./client_options.ts";
import type { ExperimentsPage, RunsPage, SearchExperimentsOptions } from "../search/evaluate.ts";
import type { CreateExperimentOptions, TrackingStore, UpdateRunOptions } from "../stores/store.ts";
import type { ModelVersion } from "../registry/entities.ts";
import type {
  ModelVersionsPage,
  RegisteredModelsPage,
  RegistrySearchOptions,
} from "../registry/registry_store.ts";
import type { RegisterModelOptions } from "../registry/register_model.ts";
import type { ResolvedModel, ResolveModelOptions } from "../models/resolve_model.ts";
import { getOrCreateExperiment } from "./_start_run.ts";
import { buildArtifactsWith, dictText } from "./_artifact_writes.ts";
import { fullMetricHistory, logBatchInLimits, metricPoints } from "./_batches.ts";
import { insideRun, RunStack } from "./_run_stack.ts";
import { checkArtifactLocationOf, RunRepositories } from "./_run_repositories.ts";
import {
  clientClosed,
  experimentIdArgument,
  keyValuesArgument,
  recordArgument,
  runIdArgument,
  SEARCH_EXPERIMENTS_OPTIONS,
  SEARCH_REGISTRY_OPTIONS,
  searchOptionsArgument,
  searchRunsArguments,
  statusArgument,
  storeArgument,
} from "./_arguments.ts";

/**
 * MLflow's tracking client over any store.
 *
 * @example
 * ```ts
 * import { MlflowClient } from "kmlf";
 * const client = await MlflowClient.open("sqlite:///mlflow.db", { baseDir: Deno.cwd() });
 * const experimentId = await client.createExperiment("iris");
 * const run = await client.createRun(experimentId, { runName: "baseline" });
 * await client.logParam(run.info.runId, "C", 1.0);
 * await client.logMetric(run.info.runId, "acc", 0.93);
 * await client.setTerminated(run.info.runId);
 * (await client.getRun(run.info.runId)).data.metrics.acc; // 0.93
 * ```
 */
export class MlflowClient {
  readonly #store: TrackingStore;
  #closed = false;
  readonly #options: MlflowClientOptions;
  readonly #repositories = new RunRepositories();
  readonly #runs = new RunStack();
  #context: RunContext | undefined;

  /**
   * Wraps an opened store; {@link MlflowClient.open} opens one from a tracking URI. Fails with
   * `tracking/no-store` when `store` is not a tracking store.
   */
  constructor(store: TrackingStore, options: MlflowClientOptions = {}) {
    this.#store = storeArgument(store);
    this.#options = options;
  }

  /** Opens the store a tracking URI names and wraps it in a client (relative paths: from `baseDir`, else the working directory). */
  static async open(
    uri: string,
    options: OpenStoreOptions & MlflowClientOptions = { baseDir: Deno.cwd() },
  ): Promise<MlflowClient> {
    return new MlflowClient(await openStore(uri, options), options ?? {});
  }

  /**
   * Releases the store: its connections and file handles (a SQLite database checkpoints its write-ahead
   * log, so the next process to open it does not replay it). Further calls fail.
   */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    return this.#store.close();
  }

  /** The store this client calls; after {@link close} it is refused with the fix. */
  get store(): TrackingStore {
    if (this.#closed) throw clientClosed();
    return this.#store;
  }

  /** The run context used for default tags. */
  get context(): RunContext {
    this.#context ??= { ...defaultRunContext(), ...this.#options.context };
    return this.#context;
  }

  // ---- experiments

  /**
   * Creates an experiment and returns its id (MLflow's `create_experiment`); a name already used, even by a
   * deleted experiment, is refused.
   */
  async createExperiment(name: string, options?: CreateExperimentOptions): Promise<string> {
    return await this.store.createExperiment(name, options);
  }
  /** An experiment by id, deleted ones included; an unknown id fails with RESOURCE_DOES_NOT_EXIST. */
  async getExperiment(experimentId: string): Promise<Experiment> {
    return await this.store.getExperiment(experimentIdArgument(experimentId, "getExperiment"));
  }
  /** An experiment by name (deleted ones included), or undefined when there is none. */
  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    return await this.store.getExperimentByName(name);
  }
  /**
   * MLflow's `search_experiments`: filter on `name`, `creation_time`, `last_update_time`, `tags.<key>`; one
   * page per call (follow `nextPageToken`).
   */
  async searchExperiments(options?: SearchExperimentsOptions): Promise<ExperimentsPage> {
    return await this.store.searchExperiments(
      searchOptionsArgument(options, SEARCH_EXPERIMENTS_OPTIONS, "searchExperiments"),
    );
  }
  /** Renames an active experiment; a name already taken is refused. */
  async renameExperiment(experimentId: string, newName: string): Promise<void> {
    return await this.store.renameExperiment(experimentIdArgument(experimentId, "renameExperiment"), newName);
  }
  /** Soft-deletes an experiment and its runs (lifecycle stage "deleted"; `kmlf gc` removes them for good). */
  async deleteExperiment(experimentId: string): Promise<void> {
    return await this.store.deleteExperiment(experimentIdArgument(experimentId, "deleteExperiment"));
  }
  /** Restores a deleted experiment and its runs. */
  async restoreExperiment(experimentId: string): Promise<void> {
    return await this.store.restoreExperiment(experimentIdArgument(experimentId, "restoreExperiment"));
  }
  /** Sets (overwrites) a tag of an active experiment. */
  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    return await this.store.setExperimentTag(
      experimentIdArgument(experimentId, "setExperimentTag"),
      key,
      value,
    );
  }
  /** Removes a tag of an experiment; a missing tag fails with RESOURCE_DOES_NOT_EXIST. */
  async deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    return await this.store.deleteExperimentTag(
      experimentIdArgument(experimentId, "deleteExperimentTag"),
      key,
    );
  }

  /**
   * The experiment named `name`, created when missing (MLflow's `set_experiment`); a deleted one is refused.
   *
   * @example
   * ```ts
   * const { experimentId } = await client.getOrCreateExperiment("iris");
   * ```
   */
  async getOrCreateExperiment(name: string, options?: CreateExperimentOptions): Promise<Experiment> {
    return await getOrCreateExperiment(this.store, name, options);
  }

  // ---- runs

  /** Creates a run; its user is `userId`, else the `mlflow.user` tag, else this client's user (as MLflow's client). */
  async createRun(
    experimentId: string,
    options: { runName?: string; startTime?: number; tags?: Record<string, string>; userId?: string } = {},
  ): Promise<Run> {
    const userId = options.userId ?? options.tags?.[MLFLOW_TAGS.user] ?? this.context.user;
    return await this.store.createRun({
      ...options,
      experimentId: experimentIdArgument(experimentId, "createRun"),
      userId,
    });
  }
  /**
   * A run by id with its info, data (metrics: latest value per key, params, tags) and inputs; deleted runs
   * included.
   */
  async getRun(runId: string): Promise<Run> {
    return await this.store.getRun(runIdArgument(runId, "getRun"));
  }
  /** Changes status, end time or name of an active run. */
  async updateRun(runId: string, update: UpdateRunOptions): Promise<void> {
    const status = update.status === undefined ? {} : { status: statusArgument(update.status, "updateRun") };
    await this.store.updateRun(runIdArgument(runId, "updateRun"), { ...update, ...status });
  }
  /** Ends a run: status (default FINISHED) and end time (default now). */
  async setTerminated(runId: string, status: RunStatus = "FINISHED", endTime?: number): Promise<void> {
    await this.store.updateRun(runIdArgument(runId, "setTerminated"), {
      status: statusArgument(status, "setTerminated"),
      endTime: endTime ?? Date.now(),
    });
  }
  /** Soft-deletes a run (lifecycle stage "deleted"); {@link restoreRun} undoes it. */
  async deleteRun(runId: string): Promise<void> {
    return await this.store.deleteRun(runIdArgument(runId, "deleteRun"));
  }
  /** Restores a deleted run. */
  async restoreRun(runId: string): Promise<void> {
    return await this.store.restoreRun(runIdArgument(runId, "restoreRun"));
  }
  /** Searches runs of one or more experiments (MLflow's filter grammar and order_by). */
  async searchRuns(
    experimentIds: string | readonly string[],
    given: ClientSearchRunsOptions = {},
  ): Promise<RunsPage> {
    return await this.store.searchRuns(searchRunsArguments(experimentIds, given));
  }

  // ---- logging

  /**
   * Logs one param; non-strings are stored as text (numbers and booleans with `String`, anything else as
   * JSON). Re-logging a key with a different value is refused, as in MLflow.
   */
  async logParam(runId: string, key: string, value: unknown): Promise<void> {
    return await this.store.logBatch(runIdArgument(runId, "logParam"), {
      params: [{ key, value: paramValueToString(value) }],
    });
  }
  /**
   * Logs several params at once (values stored as {@link logParam} stores them), in batches within MLflow's
   * limits.
   */
  async logParams(runId: string, params: Record<string, unknown>): Promise<void> {
    const list = Object.entries(recordArgument(params, "params", "logParams", '{ lr: 0.1, model: "logreg" }'))
      .map(([key, value]) => ({ key, value: paramValueToString(value) }));
    return await this.logBatch(runId, { params: list });
  }
  /**
   * Logs one metric point; `step` defaults to 0 and `timestamp` (ms since the epoch) to now. Written at once
   * (an {@link ActiveRun} buffers instead).
   */
  async logMetric(
    runId: string,
    key: string,
    value: number,
    options: { step?: number; timestamp?: number } = {},
  ): Promise<void> {
    return await this.store.logBatch(runIdArgument(runId, "logMetric"), {
      metrics: [{ key, value, timestamp: options.timestamp ?? Date.now(), step: options.step ?? 0 }],
    });
  }
  /**
   * Logs several metrics at one step and timestamp (defaults 0 and now), in batches within MLflow's limits.
   */
  async logMetrics(
    runId: string,
    metrics: Record<string, number>,
    options: { step?: number; timestamp?: number } = {},
  ): Promise<void> {
    return await this.logBatch(runId, { metrics: metricPoints(metrics, options) });
  }
  /** Sets (overwrites) one tag of an active run. */
  async setTag(runId: string, key: string, value: string): Promise<void> {
    return await this.store.setTag(runIdArgument(runId, "setTag"), key, value);
  }
  /** Sets several tags at once, given as a record or `{key, value}` entries. */
  async setTags(runId: string, tags: KeyValueInput): Promise<void> {
    return await this.logBatch(runId, { tags: keyValuesArgument(tags, "tags", "setTags") });
  }
  /** Removes a tag of an active run; a missing tag fails with RESOURCE_DOES_NOT_EXIST. */
  async deleteTag(runId: string, key: string): Promise<void> {
    return await this.store.deleteTag(runIdArgument(runId, "deleteTag"), key);
  }
  /** MLflow's `log_inputs`: records the datasets a run used (deduplicated by name and digest). */
  async logInputs(runId: string, datasets: readonly DatasetInput[]): Promise<void> {
    return await this.store.logInputs(runIdArgument(runId, "logInputs"), datasets);
  }

  /**
   * Logs metrics, params and tags of any size, split into requests within MLflow's batch limits
   * (≤ 100 params, ≤ 100 tags, ≤ 1000 entries per request).
   */
  async logBatch(
    runId: string,
    batch: { metrics?: readonly Metric[]; params?: KeyValueInput; tags?: KeyValueInput },
  ): Promise<void> {
    await logBatchInLimits(this.store, runId, batch);
  }

  /** Every point of one metric, by timestamp, then step, then value (MLflow's order). */
  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    return await fullMetricHistory(this.store, runId, key);
  }

  // ---- artifacts

  /** The artifact repository of a run (resolved from its `artifactUri`, cached). */
  async artifactRepository(runId: string): Promise<ArtifactRepository> {
    return await this.#repositories.of(this.store, runId);
  }
  /**
   * Checks an artifact location (an experiment's, or a run's artifact URI) can be used before any
   * work is done: an unsupported scheme, missing credentials, an unreachable S3 server, a missing
   * bucket, a local folder that cannot be written, or (for remote locations) no usable temp folder fail
   * here, with the fix.
   *
   * @example
   * ```ts
   * await client.checkArtifactLocation((await client.getExperiment("1")).artifactLocation);
   * ```
   */
  async checkArtifactLocation(artifactUri: string): Promise<void> {
    await checkArtifactLocationOf(this.store, artifactUri);
  }
  /**
   * Copies a local file into the run's artifacts, under `artifactPath` when given (MLflow's `log_artifact`).
   */
  async logArtifact(runId: string, localPath: string, artifactPath?: string): Promise<void> {
    await (await this.artifactRepository(runId)).logArtifact(localPath, artifactPath);
  }
  /**
   * Copies the contents of a local folder into the run's artifacts, under `artifactPath` when given (MLflow's
   * `log_artifacts`).
   */
  async logArtifacts(runId: string, localDir: string, artifactPath?: string): Promise<void> {
    await (await this.artifactRepository(runId)).logArtifacts(localDir, artifactPath);
  }
  /**
   * Lets `fill` write a folder of artifacts that lands under `artifactPath`: in place for a local artifact
   * root, else written to a temp folder and uploaded.
   *
   * @example
   * ```ts
   * await client.buildArtifacts(runId, "model", (dir) => Deno.writeTextFile(`${dir}/MLmodel`, text));
   * ```
   */
  async buildArtifacts<T>(
    runId: string,
    artifactPath: string,
    fill: (dir: string) => Promise<T>,
  ): Promise<T> {
    return await buildArtifactsWith(await this.artifactRepository(runId), artifactPath, fill);
  }
  /**
   * Writes `text` as the artifact file `artifactFile` (a path inside the run's artifacts, e.g.
   * `"notes/summary.txt"`).
   */
  async logText(runId: string, text: string, artifactFile: string): Promise<void> {
    await (await this.artifactRepository(runId)).writeArtifact(artifactFile, text);
  }
  /** Writes `dict` as YAML for `.yaml`/`.yml` files, otherwise as JSON (indent 2, like MLflow). */
  async logDict(runId: string, dict: unknown, artifactFile: string): Promise<void> {
    await this.logText(runId, await dictText(dict, artifactFile), artifactFile);
  }
  /**
   * The files and folders of a run's artifacts under `path` (default: the root), or the whole tree with
   * `recursive`.
   */
  async listArtifacts(runId: string, path?: string, options?: { recursive?: boolean }): Promise<FileInfo[]> {
    return await (await this.artifactRepository(runId)).listArtifacts(path, options);
  }
  /** Downloads a file or directory of a run's artifacts; returns its local path. */
  async downloadArtifacts(runId: string, path: string, dstDir?: string): Promise<string> {
    return await (await this.artifactRepository(runId)).downloadArtifacts(path, dstDir);
  }

  // ---- models

  /**
   * MLflow's `mlflow.register_model`: the model at `modelUri` (`runs:/<run id>/<path>`, an artifact URI,
   * `models:/…`) becomes the next version of `name`, which is created when it does not exist yet.
   */
  async registerModel(modelUri: string, name: string, options?: RegisterModelOptions): Promise<ModelVersion> {
    const { registerModel } = await registerModelModule();
    return await registerModel(this.store, modelUri, name, options);
  }
  /** MLflow's `search_registered_models`: filter on `name` and `tags.<key>`, order by name or timestamps. */
  async searchRegisteredModels(options?: RegistrySearchOptions): Promise<RegisteredModelsPage> {
    return await this.store.registry.searchRegisteredModels(
      searchOptionsArgument(options, SEARCH_REGISTRY_OPTIONS, "searchRegisteredModels"),
    );
  }
  /** MLflow's `search_model_versions`: filter on `name`, `version_number`, `run_id`, `source_path`, tags. */
  async searchModelVersions(options?: RegistrySearchOptions): Promise<ModelVersionsPage> {
    return await this.store.registry.searchModelVersions(
      searchOptionsArgument(options, SEARCH_REGISTRY_OPTIONS, "searchModelVersions"),
    );
  }
  /**
   * The local folder holding the model a URI names (`runs:/…`, `models:/<name>/<version or @alias>`, an
   * artifact URI); remote artifacts are downloaded once into `options.cacheDir`.
   */
  async resolveModel(modelUri: string, options: Omit<ResolveModelOptions, "store">): Promise<ResolvedModel> {
    const { resolveModel } = await resolveModelModule();
    return await resolveModel(modelUri, { ...options, store: this.store });
  }

  /**
   * The registered version a `models:/` URI names (`/<version>`, `/<stage>`, `/latest`, `@<alias>`), from the
   * registry alone: nothing is downloaded. A miss is `model/unknown-model`, `model/unknown-version`,
   * `model/unknown-alias` or `model/no-version`; a store it cannot reach keeps its own error.
   *
   * @example
   * ```ts
   * const { version, runId } = await client.resolveModelVersion("models:/iris@champion");
   * ```
   */
  async resolveModelVersion(modelUri: string): Promise<ModelVersion> {
    const { modelVersionOfUri } = await resolveModelModule();
    return await modelVersionOfUri(this.store, modelUri);
  }

  // ---- active runs

  /** The innermost run started with {@link startRun} and not yet ended. */
  activeRun(): ActiveRun | undefined {
    return this.#runs.innermost();
  }

  /** Every run started with {@link startRun} and not yet ended, outermost first (each nested in the one before). */
  activeRuns(): readonly ActiveRun[] {
    return this.#runs.all();
  }

  /**
   * Starts (or resumes) a run with MLflow's default tags; metrics logged through it are buffered.
   *
   * @example
   * ```ts
   * const parent = await client.startRun({ experimentName: "tuning", runName: "sweep" });
   * const child = await client.startRun({ runName: "trial-1", nested: true });
   * child.logMetric("acc", 0.9);
   * await child.end();
   * await parent.end();
   * ```
   */
  async startRun(options: StartRunOptions = {}): Promise<ActiveRun> {
    return await this.#runs.start(this, options, this.#options.processHooks ?? true);
  }

  /**
   * Runs `fn` inside a run: ends it FINISHED when `fn` resolves, FAILED (after flushing) when it throws.
   *
   * @example
   * ```ts
   * await client.withRun({ runName: "train" }, async (run) => run.logMetric("loss", 0.1));
   * ```
   */
  async withRun<T>(options: StartRunOptions, fn: (run: ActiveRun) => Promise<T> | T): Promise<T> {
    return await insideRun(await this.startRun(options), fn);
  }

  /** Ends every active run of this client, innermost first. */
  async endActiveRuns(status: RunStatus = "FINISHED"): Promise<void> {
    await this.#runs.endAll(status);
  }
}

// Registering and resolving models (model URIs, registry sources) load with their first call, not with the
// client every tracked run builds; by computed URLs, which Deno does not read with this module (the bundle
// makes each an entry point).
const registerModelModule = (): Promise<typeof import("../registry/register_model.ts")> =>
  import(new URL("../registry/register_model.ts", import.meta.url).href);
const resolveModelModule = (): Promise<typeof import("../models/resolve_model.ts")> =>
  import(new URL("../models/resolve_model.ts", import.meta.url).href);
