/**
 * kedro-mlflow's MlflowModelRegistryDataset: load-only, the version of a registered model an alias points
 * at, a version number, a stage, or the latest (`models:/<name>@<alias>`, `models:/<name>/<version|stage|
 * latest>`), through the tracking store's registry. It says which version and run it loaded.
 *
 * @module
 */
import type { Dataset } from "../../catalog/mod.ts";
import { DatasetError, KmlfError } from "../../errors.ts";
import { loadModelUri, type ModelDatasetBase } from "./model_access.ts";

// The registry's answers that mean "no such model version" (resolve_model.ts's explainRegistryMiss).
const REGISTRY_MISSES = new Set([
  "model/unknown-model",
  "model/unknown-version",
  "model/unknown-alias",
  "model/no-version",
]);

/** Options of {@link MlflowModelRegistryDataset}. */
export interface ModelRegistryOptions extends ModelDatasetBase {
  modelName: string;
  /** Exclusive with `stageOrVersion`. */
  alias?: string;
  /** A version number, a stage, or `latest` (the default when neither is given). */
  stageOrVersion?: string;
}

/**
 * The `models:/` URI of a registry dataset: kedro-mlflow's rules (alias XOR stage_or_version, neither →
 * latest).
 *
 * @example
 * ```ts
 * registryModelUri({ modelName: "iris", alias: "champion" }); // "models:/iris@champion"
 * ```
 */
export function registryModelUri(o: { modelName: string; alias?: string; stageOrVersion?: string }): string {
  if (o.alias !== undefined && o.stageOrVersion !== undefined) {
    throw new DatasetError(
      "mlflow/alias-and-version",
      `You cannot specify 'alias' and 'stage_or_version' simultaneously (alias=${o.alias} and stage_or_version=${o.stageOrVersion})`,
      { hint: "keep one: alias: champion, or stage_or_version: 3 (or Production, or latest)" },
    );
  }
  return o.alias !== undefined
    ? `models:/${o.modelName}@${o.alias}`
    : `models:/${o.modelName}/${o.stageOrVersion ?? "latest"}`;
}

/**
 * A registered model version, loaded through a flavor.
 *
 * @example
 * ```ts
 * const ds = new MlflowModelRegistryDataset({ name: "champion", modelName: "iris", alias: "champion", flavor, state, projectRoot, loadArgs: {} });
 * const model = await ds.load();
 * ```
 */
export class MlflowModelRegistryDataset implements Dataset {
  readonly modelUri: string;

  constructor(readonly options: ModelRegistryOptions) {
    this.modelUri = registryModelUri(options);
  }

  async load(): Promise<unknown> {
    const { model, resolved } = await loadModelUri(this.modelUri, this.options);
    const v = resolved.version;
    this.options.state.notify?.(
      `Dataset "${this.options.name}" loaded ${this.modelUri}` +
        (v ? ` ("${v.name}" version ${v.version})` : "") +
        (resolved.runId ? ` from run_id='${resolved.runId}'` : ""),
    );
    return model;
  }

  save(): never {
    throw new DatasetError(
      "mlflow/registry-save",
      "The 'save' method is not implemented for MlflowModelRegistryDataset. You can pass " +
        "'registered_model_name' argument in 'MLflowModelTrackingDataset(..., save_args={registered_model_name='my_model'}' " +
        "to save and register a model in the same step.",
      {
        hint:
          `save the model with type: mlflow_model_tracking and save_args.registered_model_name: ${this.options.modelName}` +
          ` (dataset "${this.options.name}" only loads)`,
      },
    );
  }

  /**
   * Whether the registry has the version this dataset names, asked of the registry alone (the model is not
   * downloaded): false when the model, version, stage or alias does not exist, or without a tracking store;
   * any other failure (a store it cannot reach) is an error, not a "no".
   */
  async exists(): Promise<boolean> {
    const client = await this.options.state.storeClient();
    if (!client) return false;
    try {
      await client.resolveModelVersion(this.modelUri);
      return true;
    } catch (error) {
      if (error instanceof KmlfError && REGISTRY_MISSES.has(error.code)) return false;
      throw error;
    }
  }

  describe(): Record<string, unknown> {
    return { model_uri: this.modelUri, flavor: this.options.flavor.name };
  }
}
