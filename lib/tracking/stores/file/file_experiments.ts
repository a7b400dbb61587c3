/**
 * The experiments of an `mlruns` folder: one folder each, holding meta.yaml and `tags/`, moved to `.trash`
 * with their runs when deleted and back when restored, written in the layout MLflow 2.x uses. Name
 * changes happen under the store lock, so two processes never take the same name.
 *
 * @module
 */
import { join } from "../../../path.ts";
import type { Experiment } from "../../entities.ts";
import { type ExperimentsPage, searchExperimentsInMemory } from "../../search/evaluate.ts";
import type { SearchExperimentsOptions } from "../../search/evaluate.ts";
import type { CreateExperimentOptions } from "../store.ts";
import {
  cannotRenameDeleted,
  experimentExists,
  experimentNotActive,
  experimentTagNotFound,
  mlflowError,
} from "../../tracking_errors.ts";
import { validateArtifactLocation, validateExperimentName, validateExperimentTag } from "../../validation.ts";
import { validateKey } from "../../key_validation.ts";
import {
  cannotDeleteDefault,
  deletedExperimentNotFound,
  experimentIdNotFound,
  experimentNameTaken,
  isExperimentId,
  validateExperimentId,
} from "./file_errors.ts";
import {
  checkKeyFitsFileName,
  checkKeyPaths,
  keyFile,
  readMeta,
  writeAtomic,
  writeAtomicInRun,
  writeMeta,
} from "./file_format.ts";
import { withStoreLock } from "./store_lock.ts";
import { readExperiment } from "./file_read.ts";
import {
  allExperiments,
  experimentBases,
  experimentDir,
  setRunsStage,
  TRASH,
  updateExperimentMeta,
} from "./file_tree.ts";

/**
 * The experiment operations of a `FileStore`, over the mlruns folder `root`: each method is the
 * `TrackingStore` method of the same name without "Experiment" (`create` is `createExperiment`).
 *
 * @example
 * ```ts
 * const experiments = new FileExperiments("/project/mlruns", "file:///project/mlruns");
 * await experiments.writeDefault();
 * const id = await experiments.create("iris");
 * ```
 */
export class FileExperiments {
  readonly #root: string;
  readonly #artifactRoot: string;

  /** `artifactRoot` (no trailing slash) is where new experiments keep their artifacts, `<artifactRoot>/<id>`. */
  constructor(root: string, artifactRoot: string) {
    this.#root = root;
    this.#artifactRoot = artifactRoot;
  }

  /** Writes experiment 0 "Default" unless it exists, active or deleted. */
  async writeDefault(): Promise<void> {
    const root = this.#root;
    if (
      !(await readMeta(join(root, "0", "meta.yaml"))) &&
      !(await readMeta(join(root, TRASH, "0", "meta.yaml")))
    ) {
      const now = Date.now();
      await writeMeta(join(root, "0", "meta.yaml"), {
        artifact_location: `${this.#artifactRoot}/0`,
        creation_time: now,
        experiment_id: "0",
        last_update_time: now,
        lifecycle_stage: "active",
        name: "Default",
      }, { createFolders: true });
    }
  }

  async create(name: string, options: CreateExperimentOptions = {}): Promise<string> {
    validateExperimentName(name);
    for (const [k, v] of Object.entries(options.tags ?? {})) {
      validateExperimentTag(k, v);
      checkKeyFitsFileName(k, "tag"); // before the experiment exists: a refused create leaves nothing
    }
    checkKeyPaths(undefined, Object.keys(options.tags ?? {}), "tag");
    if (options.artifactLocation) validateArtifactLocation(options.artifactLocation);
    // Checking the name is free and taking it is one step: other processes and requests wait their turn.
    return await withStoreLock(this.#root, async () => {
      const taken = (await allExperiments(this.#root)).find((e) => e.name === name);
      if (taken) throw experimentNameTaken(name, taken.lifecycleStage !== "active");
      let id = "";
      do id = String(BigInt("0x" + crypto.randomUUID().replaceAll("-", "").slice(0, 15)) % 10n ** 18n)
        .padStart(18, "1"); while (await experimentDir(this.#root, id));
      const now = Date.now();
      await writeMeta(join(this.#root, id, "meta.yaml"), {
        artifact_location: options.artifactLocation || `${this.#artifactRoot}/${id}`,
        creation_time: now,
        experiment_id: id,
        last_update_time: now,
        lifecycle_stage: "active",
        name,
      }, { createFolders: true });
      for (const [k, v] of Object.entries(options.tags ?? {})) {
        await writeAtomic(join(this.#root, id, "tags", k), v, { createFolders: true });
      }
      return id;
    });
  }

  async get(experimentId: string): Promise<Experiment> {
    validateExperimentId(experimentId);
    const dir = await experimentDir(this.#root, experimentId);
    if (!dir) throw experimentIdNotFound(experimentId);
    return await readExperiment(dir);
  }

  async getByName(name: string): Promise<Experiment | undefined> {
    const matches = (await allExperiments(this.#root)).filter((e) => e.name === name);
    matches.sort((a, b) => Number(a.lifecycleStage !== "active") - Number(b.lifecycleStage !== "active"));
    return matches[0];
  }

  async search(options: SearchExperimentsOptions = {}): Promise<ExperimentsPage> {
    return searchExperimentsInMemory(await allExperiments(this.#root), options);
  }

  async rename(experimentId: string, newName: string): Promise<void> {
    validateExperimentName(newName, "new_name");
    await withStoreLock(this.#root, async () => {
      const e = await this.get(experimentId);
      if (e.lifecycleStage !== "active") throw cannotRenameDeleted();
      const taken = (await allExperiments(this.#root)).find((x) =>
        x.name === newName && x.experimentId !== experimentId
      );
      if (taken) throw experimentNameTaken(newName, taken.lifecycleStage !== "active");
      await updateExperimentMeta(this.#root, experimentId, { name: newName });
    });
  }

  async delete(experimentId: string): Promise<void> {
    // MLflow's file store looks an id up without checking its form here: a malformed one is not found.
    if (!isExperimentId(experimentId)) throw experimentIdNotFound(experimentId);
    if (experimentId === "0") throw cannotDeleteDefault();
    await withStoreLock(this.#root, async () => {
      const e = await this.get(experimentId);
      if (e.lifecycleStage !== "active") throw experimentIdNotFound(experimentId);
      if (!experimentBases(this.#root).includes(join(this.#root, TRASH))) {
        throw mlflowError(
          "INVALID_PARAMETER_VALUE",
          `Cannot delete experiment ${experimentId}: the store's ${TRASH} folder is a symbolic link leading out ` +
            "of the store, and kmlf moves no experiment out of it.",
          "remove the link (kmlf creates a plain .trash folder when the store is opened)",
        );
      }
      await updateExperimentMeta(this.#root, experimentId, { lifecycle_stage: "deleted" });
      await setRunsStage(join(this.#root, experimentId), "deleted");
      Deno.renameSync(join(this.#root, experimentId), join(this.#root, TRASH, experimentId));
    });
  }

  async restore(experimentId: string): Promise<void> {
    if (!isExperimentId(experimentId)) throw deletedExperimentNotFound(experimentId);
    await withStoreLock(this.#root, async () => {
      const e = await this.get(experimentId).catch((error) => {
        throw error.code === "RESOURCE_DOES_NOT_EXIST" ? deletedExperimentNotFound(experimentId) : error;
      });
      if (e.lifecycleStage === "active") throw deletedExperimentNotFound(experimentId);
      if (
        (await allExperiments(this.#root)).some((x) => x.name === e.name && x.lifecycleStage === "active")
      ) {
        throw experimentExists(e.name);
      }
      Deno.renameSync(join(this.#root, TRASH, experimentId), join(this.#root, experimentId));
      await updateExperimentMeta(this.#root, experimentId, { lifecycle_stage: "active" });
      await setRunsStage(join(this.#root, experimentId), "active");
    });
  }

  async setTag(experimentId: string, key: string, value: string): Promise<void> {
    validateExperimentTag(key, value);
    const e = await this.get(experimentId);
    if (e.lifecycleStage !== "active") throw experimentNotActive(experimentId, e.lifecycleStage);
    checkKeyPaths(join(this.#root, experimentId, "tags"), [key], "tag");
    // Never re-creates the experiment folder, should the experiment be deleted meanwhile.
    await writeAtomicInRun(join(this.#root, experimentId), `tags/${key}`, value).catch((error) => {
      throw error instanceof Deno.errors.NotFound ? experimentNotActive(experimentId, "deleted") : error;
    });
  }

  async deleteTag(experimentId: string, key: string): Promise<void> {
    validateKey("tag", key);
    const e = await this.get(experimentId);
    if (e.lifecycleStage !== "active") throw experimentNotActive(experimentId, e.lifecycleStage);
    if (!(key in e.tags)) throw experimentTagNotFound(experimentId, key);
    await Deno.remove(keyFile(join(this.#root, experimentId, "tags"), key, "tag"));
  }
}
