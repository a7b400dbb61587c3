/** kedro-mlflow's MlflowArtifactDataset: save through any dataset, then log the file (or folder) to the run. */
import { basename, dirname } from "../../path.ts";
import type { Dataset } from "../../catalog/mod.ts";
import { hasFilePath } from "../../catalog/file_dataset.ts";
import { DatasetError } from "../../errors.ts";
import type { MlflowRunState } from "../run_state.ts";
import { onDatasetRun, requireRun } from "./run_access.ts";
import { copyFile } from "../../file_io.ts";
import { makeTempFolder } from "../../temp_folder.ts";

/** Options of {@link MlflowArtifactDataset}. */
export interface ArtifactDatasetOptions {
  name: string;
  inner: Dataset;
  state: MlflowRunState;
  runId?: string;
  artifactPath?: string;
}

/**
 * Wraps a file dataset (versioned ones too): `save` writes locally, then logs the written file (or
 * folder) to the active run or `run_id` under `artifact_path`; with `run_id`, `load` first downloads the
 * artifact over the local file. Without a run (tracking off) it only does the local I/O.
 *
 * @example
 * ```ts
 * const ds = new MlflowArtifactDataset({ name: "model", inner: new PickleDataset({ filepath }), state });
 * ```
 */
export class MlflowArtifactDataset implements Dataset {
  /** The local versions of the wrapped dataset; absent with `run_id`, whose load downloads the pinned one. */
  readonly listVersions?: () => string[] | Promise<string[]>;

  constructor(readonly options: ArtifactDatasetOptions) {
    const inner = options.inner;
    if (!options.runId && inner.listVersions) this.listVersions = () => inner.listVersions?.() ?? [];
    if (!hasFilePath(options.inner) && typeof (options.inner as { path?: unknown }).path !== "string") {
      throw new DatasetError(
        "mlflow/artifact-needs-file",
        `MlflowArtifactDataset "${options.name}" wraps a dataset without a local file`,
        {
          // About its `dataset:` (the catalog shows it there).
          source: { keyPath: "dataset" },
          hint: "wrap a file dataset (csv, json, pickle, parquet, …) or a partitioned folder",
        },
      );
    }
  }

  load(): Promise<unknown> {
    return onDatasetRun(this.options.name, this.options.runId, () => this.#load());
  }

  async #load(): Promise<unknown> {
    const { runId, state } = this.options;
    if (runId) {
      const { client } = await requireRun(state, runId, this.options.name);
      const local = this.downloadTarget();
      const remote = this.options.artifactPath
        ? `${this.options.artifactPath}/${basename(local)}`
        : basename(local);
      const tmp = await makeTempFolder("kmlf-artifact-");
      try {
        const downloaded = await client.downloadArtifacts(runId, remote, tmp);
        Deno.mkdirSync(dirname(local), { recursive: true });
        if (Deno.statSync(downloaded).isDirectory) {
          // A folder dataset (partitions, a model folder): the run's copy replaces the local folder.
          await Deno.remove(local, { recursive: true }).catch(() => {});
          // node:fs loads on this first use: importing it costs every run ~20 ms of Deno's Node polyfills.
          const { cp } = await import("node:fs/promises");
          await cp(downloaded, local, { recursive: true });
        } else await copyFile(downloaded, local);
      } finally {
        await Deno.remove(tmp, { recursive: true });
      }
    }
    return await this.options.inner.load();
  }

  save(data: unknown): Promise<void> {
    return onDatasetRun(this.options.name, this.options.runId, () => this.#save(data));
  }

  async #save(data: unknown): Promise<void> {
    await this.options.inner.save(data);
    const state = this.options.state;
    const runId = this.options.runId ?? state.runId;
    if (!state.loggingEnabled || !runId) return;
    // With its own run_id outside a tracked run (a script's catalog), it logs into that run of the project's
    // store, as kedro-mlflow's MlflowClient().log_artifact(run_id, …) does.
    const client = this.options.runId
      ? (await requireRun(state, runId, this.options.name)).client
      : state.client;
    if (!client) return;
    const local = this.localPath();
    if (Deno.statSync(local).isDirectory) {
      // As kedro-mlflow lays a folder out: <artifact_path>/<folder name>/…
      const under = this.options.artifactPath
        ? `${this.options.artifactPath}/${basename(local)}`
        : basename(local);
      await client.logArtifacts(runId, local, under);
    } else await client.logArtifact(runId, local, this.options.artifactPath);
  }

  exists(): Promise<boolean> | boolean {
    return this.options.inner.exists();
  }

  release(): Promise<void> | void {
    return this.options.inner.release?.();
  }

  describe(): Record<string, unknown> {
    return {
      dataset: this.options.inner.describe(),
      run_id: this.options.runId ?? null,
      artifact_path: this.options.artifactPath ?? null,
    };
  }

  // Where the run's copy goes: the local file, or — a versioned dataset with no local version yet, as on a
  // fresh checkout — the catalog's save version, which the inner load then finds as the latest.
  private downloadTarget(): string {
    try {
      return this.localPath();
    } catch (error) {
      const versioned = (this.options.inner as {
        versioned?: { savePath(): string; pathOf(version: string): string; pinned?: string };
      }).versioned;
      if (error instanceof DatasetError && error.code === "dataset/no-versions" && versioned) {
        return versioned.savePath();
      }
      // A pinned version the run has but this checkout lacks: kedro-mlflow downloads it to its folder.
      if (error instanceof DatasetError && error.code === "dataset/version-not-found" && versioned?.pinned) {
        return versioned.pathOf(versioned.pinned);
      }
      throw error;
    }
  }

  private localPath(): string {
    const inner = this.options.inner;
    return hasFilePath(inner) ? inner.filePath() : (inner as unknown as { path: string }).path;
  }
}
