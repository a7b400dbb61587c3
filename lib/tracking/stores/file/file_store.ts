/**
 * MLflow's `mlruns` file store: one folder per experiment (deleted ones moved to `.trash`), one per
 * run with meta.yaml, `params/`, `tags/`, `metrics/` (one line per point) and `artifacts/`. Read and
 * written in the layout MLflow 2.x uses, so either tool opens what the other wrote.
 */
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
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
import {
  type ExperimentsPage,
  type RunsPage,
  searchExperimentsInMemory,
  searchRunsInMemory,
} from "../../search/evaluate.ts";
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
  cannotRenameDeleted,
  experimentExists,
  experimentNotActive,
  experimentTagNotFound,
  mlflowError,
  paramValueChanged,
  runNotActive,
  runTagNotFound,
} from "../../tracking_errors.ts";
import {
  validateArtifactLocation,
  validateDatasetInputs,
  validateExperimentName,
  validateExperimentTag,
  validateRunName,
} from "../../validation.ts";
import { validateBatch, validateTag, type ValidationOptions } from "../../batch_validation.ts";
import { validateKey, validateRunId } from "../../key_validation.ts";
import {
  cannotDeleteDefault,
  deletedExperimentNotFound,
  experimentIdNotFound,
  experimentNameTaken,
  experimentNotActiveForRun,
  isExperimentId,
  validateExperimentId,
} from "./file_errors.ts";
import {
  keyFile,
  mkdirInRun,
  readKeyFiles,
  readMeta,
  statusToCode,
  storeIoError,
  writeAtomic,
  writeAtomicInRun,
  writeMeta,
} from "./file_format.ts";
import { withStoreLock } from "./store_lock.ts";
import { readExperiment, readHistory, readRun, sampledHistories } from "./file_read.ts";
import { FileRegistry } from "./file_registry.ts";
import { MetricFileWriter, writeRunBatch } from "./run_writes.ts";
import {
  allExperiments,
  experimentDir,
  RunFolders,
  setRunsStage,
  setRunStage,
  TRASH,
  updateExperimentMeta,
} from "./file_tree.ts";

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
  /** The model registry under `<root>/models`, in MLflow's file layout. */
  readonly registry: FileRegistry;

  private constructor(root: string, artifactRoot: string, validation: ValidationOptions) {
    this.root = root;
    this.#runs = new RunFolders(root);
    this.registry = new FileRegistry(root);
    this.uri = pathToFileURL(root).href;
    this.artifactRoot = artifactRoot.replace(/\/$/, "");
    this.#validation = validation;
  }

  /** Opens (creating when needed, with experiment 0 "Default") an mlruns folder. */
  static async open(
    root: string,
    options: { artifactRoot?: string; truncateLongValues?: boolean } = {},
  ): Promise<FileStore> {
    const abs = resolve(root);
    const store = new FileStore(abs, options.artifactRoot ?? pathToFileURL(abs).href, {
      truncateLongValues: options.truncateLongValues,
    });
    await Deno.mkdir(join(abs, TRASH), { recursive: true });
    if (
      !(await readMeta(join(abs, "0", "meta.yaml"))) && !(await readMeta(join(abs, TRASH, "0", "meta.yaml")))
    ) {
      const now = Date.now();
      await writeMeta(join(abs, "0", "meta.yaml"), {
        artifact_location: `${store.artifactRoot}/0`,
        creation_time: now,
        experiment_id: "0",
        last_update_time: now,
        lifecycle_stage: "active",
        name: "Default",
      }, { createFolders: true });
    }
    return store;
  }

  // ---- experiments ---------------------------------------------------------------------------

  async createExperiment(name: string, options: CreateExperimentOptions = {}): Promise<string> {
    validateExperimentName(name);
    for (const [k, v] of Object.entries(options.tags ?? {})) validateExperimentTag(k, v);
    if (options.artifactLocation) validateArtifactLocation(options.artifactLocation);
    // Checking the name is free and taking it is one step: other processes and requests wait their turn.
    return await withStoreLock(this.root, async () => {
      const taken = (await allExperiments(this.root)).find((e) => e.name === name);
      if (taken) throw experimentNameTaken(name, taken.lifecycleStage !== "active");
      let id = "";
      do id = String(BigInt("0x" + crypto.randomUUID().replaceAll("-", "").slice(0, 15)) % 10n ** 18n)
        .padStart(18, "1"); while (await experimentDir(this.root, id));
      const now = Date.now();
      await writeMeta(join(this.root, id, "meta.yaml"), {
        artifact_location: options.artifactLocation || `${this.artifactRoot}/${id}`,
        creation_time: now,
        experiment_id: id,
        last_update_time: now,
        lifecycle_stage: "active",
        name,
      }, { createFolders: true });
      for (const [k, v] of Object.entries(options.tags ?? {})) {
        await writeAtomic(join(this.root, id, "tags", k), v, { createFolders: true });
      }
      return id;
    });
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    validateExperimentId(experimentId);
    const dir = await experimentDir(this.root, experimentId);
    if (!dir) throw experimentIdNotFound(experimentId);
    return await readExperiment(dir);
  }

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    const matches = (await allExperiments(this.root)).filter((e) => e.name === name);
    matches.sort((a, b) => Number(a.lifecycleStage !== "active") - Number(b.lifecycleStage !== "active"));
    return matches[0];
  }

  async searchExperiments(options: SearchExperimentsOptions = {}): Promise<ExperimentsPage> {
    return searchExperimentsInMemory(await allExperiments(this.root), options);
  }

  async renameExperiment(experimentId: string, newName: string): Promise<void> {
    validateExperimentName(newName);
    await withStoreLock(this.root, async () => {
      const e = await this.getExperiment(experimentId);
      if (e.lifecycleStage !== "active") throw cannotRenameDeleted();
      const taken = (await allExperiments(this.root)).find((x) =>
        x.name === newName && x.experimentId !== experimentId
      );
      if (taken) throw experimentNameTaken(newName, taken.lifecycleStage !== "active");
      await updateExperimentMeta(this.root, experimentId, { name: newName });
    });
  }

  async deleteExperiment(experimentId: string): Promise<void> {
    // MLflow's file store looks an id up without checking its form here: a malformed one is not found.
    if (!isExperimentId(experimentId)) throw experimentIdNotFound(experimentId);
    if (experimentId === "0") throw cannotDeleteDefault();
    await withStoreLock(this.root, async () => {
      const e = await this.getExperiment(experimentId);
      if (e.lifecycleStage !== "active") throw experimentIdNotFound(experimentId);
      await updateExperimentMeta(this.root, experimentId, { lifecycle_stage: "deleted" });
      await setRunsStage(join(this.root, experimentId), "deleted");
      await Deno.rename(join(this.root, experimentId), join(this.root, TRASH, experimentId));
    });
  }

  async restoreExperiment(experimentId: string): Promise<void> {
    if (!isExperimentId(experimentId)) throw deletedExperimentNotFound(experimentId);
    await withStoreLock(this.root, async () => {
      const e = await this.getExperiment(experimentId).catch((error) => {
        throw error.code === "RESOURCE_DOES_NOT_EXIST" ? deletedExperimentNotFound(experimentId) : error;
      });
      if (e.lifecycleStage === "active") throw deletedExperimentNotFound(experimentId);
      if ((await allExperiments(this.root)).some((x) => x.name === e.name && x.lifecycleStage === "active")) {
        throw experimentExists(e.name);
      }
      await Deno.rename(join(this.root, TRASH, experimentId), join(this.root, experimentId));
      await updateExperimentMeta(this.root, experimentId, { lifecycle_stage: "active" });
      await setRunsStage(join(this.root, experimentId), "active");
    });
  }

  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    validateExperimentTag(key, value);
    const e = await this.getExperiment(experimentId);
    if (e.lifecycleStage !== "active") throw experimentNotActive(experimentId, e.lifecycleStage);
    // Never re-creates the experiment folder, should the experiment be deleted meanwhile.
    await writeAtomicInRun(join(this.root, experimentId), `tags/${key}`, value).catch((error) => {
      throw error instanceof Deno.errors.NotFound ? experimentNotActive(experimentId, "deleted") : error;
    });
  }

  async deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    validateKey("tag", key);
    const e = await this.getExperiment(experimentId);
    if (e.lifecycleStage !== "active") throw experimentNotActive(experimentId, e.lifecycleStage);
    if (!(key in e.tags)) throw experimentTagNotFound(experimentId, key);
    await Deno.remove(await keyFile(join(this.root, experimentId, "tags"), key, "tag"));
  }

  // ---- runs ----------------------------------------------------------------------------------

  async createRun(options: CreateRunOptions): Promise<Run> {
    const tags: Record<string, string> = {};
    for (const [k, v] of Object.entries(options.tags ?? {})) tags[k] = validateTag(k, v, this.#validation);
    if (options.runName !== undefined) validateRunName(options.runName);
    const tagName = tags[MLFLOW_TAGS.runName];
    if (options.runName && tagName && options.runName !== tagName) {
      throw mlflowError(
        "INVALID_PARAMETER_VALUE",
        `Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${options.runName}', mlflow.runName='${tagName}').`,
      );
    }
    const runName = options.runName || tagName || randomRunName();
    tags[MLFLOW_TAGS.runName] = runName;
    const e = await this.getExperiment(options.experimentId);
    if (e.lifecycleStage !== "active") throw experimentNotActiveForRun(options.experimentId);
    const runId = newRunId();
    const dir = join(this.root, e.experimentId, runId);
    // Created below the experiment folder, never with it, and filled without creating folders: if the
    // experiment is deleted meanwhile (moved to .trash), this fails instead of leaving a ghost folder.
    const gone = (error: unknown) => {
      throw error instanceof Deno.errors.NotFound ? experimentNotActive(e.experimentId, "deleted") : error;
    };
    await Deno.mkdir(dir).catch(gone);
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
    for (const sub of ["metrics", "params", "artifacts"]) await Deno.mkdir(join(dir, sub)).catch(gone);
    for (const [k, v] of Object.entries(tags)) await writeAtomicInRun(dir, `tags/${k}`, v).catch(gone);
    return await this.getRun(runId);
  }

  async getRun(runId: string): Promise<Run> {
    return await readRun(await this.#runs.find(runId));
  }

  async updateRun(runId: string, update: UpdateRunOptions): Promise<RunInfo> {
    if (update.runName !== undefined) validateRunName(update.runName);
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
      await Deno.remove(await keyFile(join(dir, "tags"), key, "tag"));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) throw runTagNotFound(runId, key);
      throw error;
    }
  }

  async logBatch(runId: string, batch: LogBatch): Promise<void> {
    const { metrics, params, tags } = validateBatch(batch, this.#validation);
    const dir = await this.#runs.findActive(runId);
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
    validateRunId(runId);
    validateKey("metric", key);
    const dir = await this.#runs.find(runId);
    const page = paginate(
      await readHistory(dir, key),
      options.pageToken,
      options.maxResults ?? 1_000_000_000,
    );
    return page.nextPageToken
      ? { metrics: page.items, nextPageToken: page.nextPageToken }
      : { metrics: page.items };
  }

  async searchRuns(options: SearchRunsOptions): Promise<RunsPage> {
    const runs: Run[] = [];
    for (const id of options.experimentIds) {
      const dir = await experimentDir(this.root, id);
      if (!dir) continue;
      for (const e of Deno.readDirSync(dir)) {
        if (e.isDirectory && /^[0-9a-f]{32}$/.test(e.name)) runs.push(await readRun(join(dir, e.name)));
      }
    }
    return searchRunsInMemory(runs, options);
  }

  async logInputs(runId: string, datasets: readonly DatasetInput[]): Promise<void> {
    validateDatasetInputs(datasets);
    const dir = await this.#runs.findActive(runId);
    const expDir = join(dir, "..");
    for (const input of datasets) {
      const d = input.dataset;
      const datasetId = await md5(d.name + d.digest);
      await mkdirInRun(expDir, `datasets/${datasetId}`);
      await writeMeta(join(expDir, "datasets", datasetId, "meta.yaml"), {
        digest: d.digest,
        name: d.name,
        profile: d.profile ?? null,
        schema: d.schema ?? null,
        source: d.source,
        source_type: d.sourceType,
      });
      const inputId = await md5(datasetId + runId);
      await mkdirInRun(dir, `inputs/${inputId}`);
      await writeMeta(join(dir, "inputs", inputId, "meta.yaml"), {
        destination_id: runId,
        destination_type: "RUN",
        source_id: datasetId,
        source_type: "DATASET",
        tags: input.tags,
      });
    }
  }

  getArtifactRepository(artifactUri: string): ArtifactRepository {
    return artifactRepositoryFor(artifactUri);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

// node:crypto (Web Crypto has no MD5) is loaded only when dataset inputs are logged: every command that
// opens a store would pay ~5 ms for it otherwise.
async function md5(text: string): Promise<string> {
  const { createHash } = await import("node:crypto");
  return createHash("md5").update(text).digest("hex");
}
