/**
 * MLflow's `mlruns` file store: one folder per experiment (deleted ones moved to `.trash`), one per
 * run with meta.yaml, `params/`, `tags/`, `metrics/` (one line per point) and `artifacts/`. Read and
 * written in the layout MLflow 2.x uses, so either tool opens what the other wrote. The experiment
 * operations live in `file_experiments.ts`, reading and writing run folders in `file_read.ts` and
 * `run_writes.ts`.
 */
import { join, pathToFileUri, resolve } from "../../../path.ts";
import type { ArtifactRepository } from "../../artifacts/artifact_repository.ts";
import { artifactRepositoryFor } from "../../artifacts/repository_for.ts";
import {
  type DatasetInput,
  type Experiment,
  type Metric,
  MLFLOW_TAGS,
  type Run,
  type RunInfo,
} from "../../entities.ts";
import { newRunId, randomRunName } from "../../run_names.ts";
import { type ExperimentsPage, type RunsPage, searchRunsInMemory } from "../../search/evaluate.ts";
import type { SearchExperimentsOptions, SearchRunsOptions } from "../../search/evaluate.ts";
import { paginate } from "../../search/page_token.ts";
import type {
  CreateExperimentOptions,
  CreateRunOptions,
  LogBatch,
  MetricHistoryOptions,
  MetricHistoryPage,
  SampledHistoryOptions,
  TrackingStore,
  UpdateRunOptions,
} from "../store.ts";
import {
  experimentNotActive,
  mlflowError,
  paramValueChanged,
  runNotActive,
  runTagNotFound,
} from "../../tracking_errors.ts";
import {
  checkLocalArtifactLocation,
  validateDatasetInputs,
  validatePageSize,
  validateRunName,
  validateRunStatus,
  validateRunTime,
  validateUserId,
} from "../../validation.ts";
import { validateBatch, validateTag, type ValidationOptions } from "../../batch_validation.ts";
import { validateKey, validateRunId } from "../../key_validation.ts";
import { experimentNotActiveForRun } from "./file_errors.ts";
import {
  checkKeyFitsFileName,
  checkKeyPaths,
  keyFile,
  readKeyFiles,
  readMeta,
  statusToCode,
  storeIoError,
  writeAtomicInRun,
  writeMeta,
} from "./file_format.ts";
import { writeRunInputs } from "./file_inputs.ts";
import { inHistoryOrder, readHistory, readRun, readRunIfAny, sampledHistories } from "./file_read.ts";
import { FileRegistry } from "./file_registry.ts";
import { fileHardDeletes } from "./file_hard_delete.ts";
import type { HardDeletes } from "../hard_delete.ts";
import { MetricFileWriter, writeRunBatch } from "./run_writes.ts";
import { experimentDir, RunFolders, setRunStage, TRASH } from "./file_tree.ts";
import { FileExperiments } from "./file_experiments.ts";

/**
 * A tracking store in an `mlruns` folder.
 *
 * @example
 * ```ts
 * const store = await FileStore.open("/project/mlruns");
 * const id = await store.createExperiment("iris");
 * ```
 */
export class FileStore implements TrackingStore {
  readonly kind = "file";
  readonly uri: string;
  readonly root: string;
  readonly artifactRoot: string;
  readonly #validation: ValidationOptions;
  readonly #metricFiles = new MetricFileWriter();
  readonly #runs: RunFolders;
  readonly #experiments: FileExperiments;
  /** The model registry under `<root>/models`, in MLflow's file layout. */
  readonly registry: FileRegistry;
  /** `kmlf gc`'s permanent deletes. */
  readonly hardDeletes: HardDeletes;

  private constructor(root: string, artifactRoot: string, validation: ValidationOptions) {
    this.root = root;
    this.#runs = new RunFolders(root);
    this.registry = new FileRegistry(root);
    this.hardDeletes = fileHardDeletes(root, this.#runs);
    this.uri = pathToFileUri(root);
    this.artifactRoot = artifactRoot.replace(/\/$/, "");
    this.#experiments = new FileExperiments(root, this.artifactRoot);
    this.#validation = validation;
  }

  /** Opens (creating when needed, with experiment 0 "Default") an mlruns folder. */
  static async open(
    root: string,
    options: { artifactRoot?: string } & ValidationOptions = {},
  ): Promise<FileStore> {
    const abs = resolve(root);
    // A root of no folder here (`file:`, `file://host/x`, `C:\x`) would give every experiment such a location.
    if (options.artifactRoot !== undefined) checkLocalArtifactLocation(options.artifactRoot);
    const store = new FileStore(abs, options.artifactRoot ?? pathToFileUri(abs), {
      truncateLongValues: options.truncateLongValues,
    });
    Deno.mkdirSync(join(abs, TRASH), { recursive: true });
    await store.#experiments.writeDefault();
    return store;
  }

  // ---- experiments ---------------------------------------------------------------------------

  createExperiment(name: string, options: CreateExperimentOptions = {}): Promise<string> {
    return this.#experiments.create(name, options);
  }

  getExperiment(experimentId: string): Promise<Experiment> {
    return this.#experiments.get(experimentId);
  }

  getExperimentByName(name: string): Promise<Experiment | undefined> {
    return this.#experiments.getByName(name);
  }

  searchExperiments(options: SearchExperimentsOptions = {}): Promise<ExperimentsPage> {
    return this.#experiments.search(options);
  }

  renameExperiment(experimentId: string, newName: string): Promise<void> {
    return this.#experiments.rename(experimentId, newName);
  }

  deleteExperiment(experimentId: string): Promise<void> {
    return this.#experiments.delete(experimentId);
  }

  restoreExperiment(experimentId: string): Promise<void> {
    return this.#experiments.restore(experimentId);
  }

  setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    return this.#experiments.setTag(experimentId, key, value);
  }

  deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    return this.#experiments.deleteTag(experimentId, key);
  }

  // ---- runs ----------------------------------------------------------------------------------

  async createRun(options: CreateRunOptions): Promise<Run> {
    const tags: Record<string, string> = {};
    for (const [k, v] of Object.entries(options.tags ?? {})) {
      tags[k] = validateTag(k, v, this.#validation);
      checkKeyFitsFileName(k, "tag"); // before the run exists: a refused create leaves nothing
    }
    if (options.runName !== undefined) validateRunName(options.runName);
    validateUserId(options.userId);
    validateRunTime("start_time", options.startTime);
    const tagName = tags[MLFLOW_TAGS.runName];
    if (options.runName && tagName && options.runName !== tagName) {
      throw mlflowError(
        "INVALID_PARAMETER_VALUE",
        `Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${options.runName}', mlflow.runName='${tagName}').`,
      );
    }
    const runName = options.runName || tagName || randomRunName();
    tags[MLFLOW_TAGS.runName] = runName;
    checkKeyPaths(undefined, Object.keys(tags), "tag");
    const e = await this.getExperiment(options.experimentId);
    if (e.lifecycleStage !== "active") throw experimentNotActiveForRun(options.experimentId);
    const runId = newRunId();
    const dir = join(this.root, e.experimentId, runId);
    // Created below the experiment folder, never with it, and filled without creating folders: if the
    // experiment is deleted meanwhile (moved to .trash), this fails instead of leaving a ghost folder.
    const gone = (error: unknown) => {
      throw error instanceof Deno.errors.NotFound ? experimentNotActive(e.experimentId, "deleted") : error;
    };
    try {
      Deno.mkdirSync(dir);
    } catch (error) {
      gone(error);
    }
    await writeMeta(join(dir, "meta.yaml"), {
      artifact_uri: `${e.artifactLocation.replace(/\/$/, "")}/${runId}/artifacts`,
      end_time: null,
      entry_point_name: "",
      experiment_id: e.experimentId,
      lifecycle_stage: "active",
      run_id: runId,
      run_name: runName,
      run_uuid: runId,
      source_name: "",
      source_type: 4,
      source_version: "",
      start_time: options.startTime ?? Date.now(),
      status: statusToCode("RUNNING"),
      tags: [],
      user_id: options.userId ?? "",
    }).catch(gone);
    try {
      for (const sub of ["metrics", "params", "artifacts"]) Deno.mkdirSync(join(dir, sub));
    } catch (error) {
      gone(error);
    }
    for (const [k, v] of Object.entries(tags)) await writeAtomicInRun(dir, `tags/${k}`, v).catch(gone);
    return await this.getRun(runId);
  }

  async getRun(runId: string): Promise<Run> {
    return await readRun(await this.#runs.find(runId));
  }

  async updateRun(runId: string, update: UpdateRunOptions): Promise<RunInfo> {
    if (update.runName !== undefined) validateRunName(update.runName);
    validateRunStatus(update.status);
    validateRunTime("end_time", update.endTime);
    const dir = await this.#runs.findActive(runId);
    const meta = (await readMeta(join(dir, "meta.yaml")))!;
    if (update.status !== undefined) meta.status = statusToCode(update.status);
    if (update.endTime !== undefined) meta.end_time = update.endTime;
    if (update.runName) {
      meta.run_name = update.runName;
      await writeAtomicInRun(dir, `tags/${MLFLOW_TAGS.runName}`, update.runName);
    }
    await writeMeta(join(dir, "meta.yaml"), meta);
    return (await readRun(dir)).info;
  }

  async deleteRun(runId: string): Promise<void> {
    await setRunStage(await this.#runs.find(runId), "deleted");
  }

  async restoreRun(runId: string): Promise<void> {
    await setRunStage(await this.#runs.find(runId), "active");
  }

  async setTag(runId: string, key: string, value: string): Promise<void> {
    await this.logBatch(runId, { tags: [{ key, value }] });
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    validateKey("tag", key);
    const dir = await this.#runs.findActive(runId);
    try {
      await Deno.remove(keyFile(join(dir, "tags"), key, "tag"));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) throw runTagNotFound(runId, key);
      throw error;
    }
  }

  async logBatch(runId: string, batch: LogBatch): Promise<void> {
    const { metrics, params, tags } = validateBatch(batch, this.#validation);
    for (const [kind, items] of [["metric", metrics], ["param", params], ["tag", tags]] as const) {
      for (const item of items) checkKeyFitsFileName(item.key, kind);
    }
    const dir = await this.#runs.findActive(runId);
    checkKeyPaths(join(dir, "metrics"), metrics.map((m) => m.key), "metric");
    checkKeyPaths(join(dir, "params"), params.map((p) => p.key), "param");
    checkKeyPaths(join(dir, "tags"), tags.map((t) => t.key), "tag");
    // Check every param before writing anything, so a conflict leaves the run unchanged.
    const existing = params.length ? await readKeyFiles(join(dir, "params")) : {};
    for (const p of params) {
      if (p.key in existing && existing[p.key] !== p.value) {
        throw paramValueChanged(runId, p.key, existing[p.key], p.value);
      }
    }
    try {
      await writeRunBatch(
        dir,
        { params: params.filter((p) => !(p.key in existing)), metrics, tags },
        this.#metricFiles,
      );
    } catch (error) {
      // The run folder vanished under us: its experiment was deleted while we were logging.
      if (error instanceof Deno.errors.NotFound) throw runNotActive(runId, "deleted");
      throw storeIoError(error, this.root);
    }
  }

  async sampledMetricHistories(
    runIds: readonly string[],
    key: string,
    options: SampledHistoryOptions,
  ): Promise<Metric[][]> {
    validateKey("metric", key);
    const dirs = [];
    for (const runId of runIds) {
      validateRunId(runId);
      dirs.push(await this.#runs.find(runId));
    }
    return await sampledHistories(dirs, key, options);
  }

  async getMetricHistory(
    runId: string,
    key: string,
    options: MetricHistoryOptions = {},
  ): Promise<MetricHistoryPage> {
    // MLflow's order: the run id, then the key (which names a file under the run), then the run.
    validatePageSize(options.maxResults);
    validateRunId(runId);
    validateKey("metric", key);
    const dir = await this.#runs.find(runId);
    const page = paginate(
      inHistoryOrder(await readHistory(dir, key)),
      options.pageToken,
      options.maxResults ?? 1_000_000_000,
    );
    return page.nextPageToken
      ? { metrics: page.items, nextPageToken: page.nextPageToken }
      : { metrics: page.items };
  }

  async searchRuns(options: SearchRunsOptions): Promise<RunsPage> {
    const runs: Run[] = [];
    for (const id of new Set(options.experimentIds)) { // an experiment named twice is listed once
      const dir = await experimentDir(this.root, id);
      if (!dir) continue;
      for (const e of Deno.readDirSync(dir)) {
        if (!e.isDirectory || !/^[0-9a-f]{32}$/.test(e.name)) continue;
        const run = await readRunIfAny(join(dir, e.name));
        if (run) runs.push(run);
      }
    }
    return searchRunsInMemory(runs, options);
  }

  async logInputs(runId: string, datasets: readonly DatasetInput[]): Promise<void> {
    validateDatasetInputs(datasets);
    const dir = await this.#runs.findActive(runId);
    await writeRunInputs(dir, runId, datasets);
  }

  getArtifactRepository(artifactUri: string): ArtifactRepository {
    return artifactRepositoryFor(artifactUri);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
