/**
 * kedro-mlflow's MlflowModelTrackingDataset: save logs a model into the active run (and registers it with
 * `save_args.registered_model_name`); load reads `load_args.model_uri`, else the model saved last.
 *
 * @module
 */
import { DatasetError } from "../../errors.ts";
import type { Dataset } from "../../catalog/mod.ts";
import { registerLoggedModel } from "../model_logging.ts";
import { loadModelUri, type ModelDatasetBase, type ModelSaveSettings } from "./model_access.ts";
import { requireRun } from "./run_access.ts";
import { makeTempFolder } from "../../temp_folder.ts";

/** Options of {@link MlflowModelTrackingDataset}. */
export interface ModelTrackingOptions extends ModelDatasetBase, ModelSaveSettings {
  /** `load_args.model_uri`: any model URI (`runs:/…`, `models:/iris@champion`, a folder). */
  modelUri?: string;
  /** The key `modelUri` came from, for messages: `load_args.model_uri` (default) or 1.x's `run_id`. */
  modelUriKey?: string;
  /** `save_args.name`: the artifact path under the run (default: the catalog name). */
  artifactPath: string;
  /** `save_args.registered_model_name`. */
  registeredModelName?: string;
}

/**
 * Logs a model into the run; with tracking disabled for the pipeline it is kept for this run only (and
 * the run's output says so).
 *
 * @example
 * ```ts
 * const ds = new MlflowModelTrackingDataset({ name: "clf", flavor: jsValueFlavor, state, projectRoot, loadArgs: {}, signature: null, flavorArgs: {}, artifactPath: "clf" });
 * await ds.save({ threshold: 2.45 });
 * ```
 */
export class MlflowModelTrackingDataset implements Dataset {
  #lastUri?: string;
  #kept?: { model: unknown };

  constructor(readonly options: ModelTrackingOptions) {}

  async load(): Promise<unknown> {
    const uri = this.options.modelUri ?? this.#lastUri;
    if (uri === undefined) {
      if (this.#kept) return this.#kept.model;
      throw new DatasetError(
        "mlflow/no-model-uri",
        `To load from a given model_uri, you must either: specify 'model_uri' in 'load_args' of dataset "${this.options.name}", or have saved a model before`,
        {
          hint:
            "set load_args.model_uri (runs:/<run_id>/<name>, models:/<name>@<alias>, …), or run the node " +
            "that saves this dataset first in the same run",
        },
      );
    }
    return (await loadModelUri(uri, this.options)).model;
  }

  async save(model: unknown): Promise<void> {
    const { name, state, artifactPath } = this.options;
    if (this.options.modelUri !== undefined) {
      throw new DatasetError(
        "mlflow/model-uri-set",
        `It is impossible to save a model when '${
          this.options.modelUriKey ?? "model_uri"
        }' is specified (dataset "${name}"). Because mlflow does not let you override an existing model.`,
        {
          hint: `remove ${
            this.options.modelUriKey ?? "load_args.model_uri"
          } to log a new model into the run, or save to another dataset`,
        },
      );
    }
    if (!state.loggingEnabled) {
      this.#kept = { model };
      state.notify?.(
        `Model of dataset "${name}" not logged: ${state.loggingOffReason} (kept in memory for this run)`,
      );
      return;
    }
    const { client, runId } = await requireRun(state, undefined, name);
    const tracking = await import("../../tracking/mod.ts");
    const dir = await makeTempFolder("kmlf-model-");
    try {
      const { model: mlmodel, notes } = await tracking.saveModelFolder(dir, model, this.options.flavor, {
        flavorArgs: this.options.flavorArgs,
        signature: this.options.signature,
        inputExample: this.options.inputExample,
        artifactPath,
        runId,
      });
      await client.logArtifacts(runId, dir, artifactPath);
      const run = await client.getRun(runId);
      const history = tracking.appendLogModelHistory(run.data.tags["mlflow.log-model.history"], mlmodel);
      await client.logBatch(runId, { tags: { "mlflow.log-model.history": history } });
      this.#lastUri = `runs:/${runId}/${artifactPath}`;
      for (const note of notes) state.notify?.(`Model note (dataset "${name}"): ${note}`);
      state.notify?.(`Dataset "${name}" logged model ${this.#lastUri} (flavor ${this.options.flavor.name})`);
    } finally {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
    const registered = this.options.registeredModelName;
    if (registered) {
      const v = await registerLoggedModel(client, this.#lastUri, registered);
      state.notify?.(`Model registered: "${v.name}" version ${v.version} (dataset "${name}")`);
    }
  }

  exists(): boolean {
    return this.options.modelUri !== undefined || this.#lastUri !== undefined || this.#kept !== undefined;
  }

  describe(): Record<string, unknown> {
    return {
      flavor: this.options.flavor.name,
      name: this.options.artifactPath,
      ...(this.options.registeredModelName
        ? { registered_model_name: this.options.registeredModelName }
        : {}),
      model_uri: this.options.modelUri ?? this.#lastUri ?? null,
    };
  }
}
