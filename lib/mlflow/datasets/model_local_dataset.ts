/**
 * kedro-mlflow's MlflowModelLocalFileSystemDataset: an MLflow Model folder on local disk, saved and loaded
 * through a flavor, versioned like any dataset (`versioned: true` → `<filepath>/<version>/<name>/`).
 * It does not log to MLflow; wrap it in `mlflow_artifact` for that, as in kedro-mlflow.
 *
 * @module
 */
import { join } from "../../path.ts";
import { atomicFolder, pathExists } from "../../catalog/atomic.ts";
import { type Dataset, localFilePath } from "../../catalog/mod.ts";
import { VersionedPath, type VersionSpec } from "../../catalog/versioning.ts";
import { DatasetError } from "../../errors.ts";
import type { ModelDatasetBase, ModelSaveSettings } from "./model_access.ts";
import { promised } from "../../promised.ts";

/** Options of {@link MlflowModelLocalFileSystemDataset}. */
export interface ModelLocalOptions extends ModelDatasetBase, ModelSaveSettings {
  /** The model folder (absolute). */
  filepath: string;
  /** Set when the entry says `versioned: true`. */
  version?: VersionSpec;
}

/**
 * A model folder on disk. A save replaces the folder only once the new one is complete.
 *
 * @example
 * ```ts
 * const ds = new MlflowModelLocalFileSystemDataset({ name: "clf", filepath: "/p/data/06_models/clf", flavor: jsValueFlavor, state, projectRoot: "/p", loadArgs: {}, signature: null, flavorArgs: {} });
 * await ds.save({ threshold: 2.45 });
 * ```
 */
export class MlflowModelLocalFileSystemDataset implements Dataset {
  readonly versioned: VersionedPath | undefined;
  #lastSaved?: string;

  constructor(readonly options: ModelLocalOptions) {
    localFilePath(options.filepath, "filepath");
    this.versioned = options.version
      ? new VersionedPath(options.filepath, options.version, options.name)
      : undefined;
  }

  async load(): Promise<unknown> {
    const dir = this.versioned ? this.versioned.loadPath() : this.options.filepath;
    if (!pathExists(join(dir, "MLmodel"))) {
      throw new DatasetError(
        "dataset/file-not-found",
        `Model folder ${dir} does not exist or holds no MLmodel`,
        {
          hint: "check filepath in the catalog, or run the node that saves this model first",
        },
      );
    }
    const { loadModelFolder } = await import("../../tracking/mod.ts");
    return await loadModelFolder(dir, this.options.flavor, this.options.loadArgs);
  }

  async save(model: unknown): Promise<void> {
    const target = this.versioned ? this.versioned.savePath() : this.options.filepath;
    const { saveModelFolder } = await import("../../tracking/mod.ts");
    // Written beside the target, then swapped in: a failed save leaves the previous model as it was.
    await atomicFolder(target, async (tmp) => {
      const { notes } = await saveModelFolder(tmp, model, this.options.flavor, {
        flavorArgs: this.options.flavorArgs,
        signature: this.options.signature,
        inputExample: this.options.inputExample,
      });
      for (const note of notes) {
        this.options.state.notify?.(`Model note (dataset "${this.options.name}"): ${note}`);
      }
    });
    this.versioned?.committed();
    this.#lastSaved = target;
  }

  exists(): Promise<boolean> {
    return promised(() =>
      this.versioned ? this.versioned.exists() : pathExists(join(this.options.filepath, "MLmodel"))
    );
  }

  release(): void {
    this.versioned?.reset();
  }

  /** The model folder: the one last saved, else the one a load reads (for `mlflow_artifact` wrapping). */
  filePath(): string {
    if (this.#lastSaved !== undefined) return this.#lastSaved;
    return this.versioned ? this.versioned.loadPath() : this.options.filepath;
  }

  describe(): Record<string, unknown> {
    return {
      filepath: this.options.filepath,
      flavor: this.options.flavor.name,
      ...(this.versioned ? { versioned: true } : {}),
    };
  }
}
