/**
 * Registers the Mlflow datasets with the catalog's registry, by short and kedro-mlflow names. Every project
 * command registers them, so only their names load here: each group's code and schemas load when a catalog
 * first uses one of its types.
 */
import type { DatasetRegistry, DatasetTypeDefinition } from "../../catalog/mod.ts";
// The registry module alone (tests/layers.ts, START_UP_ENTRIES): the catalog's mod.ts loads every dataset.
import { type BuiltinTypeDefinition, registerBuiltinLazy } from "../../catalog/registry.ts";
import type { MlflowRunState } from "../run_state.ts";
import {
  MODEL_DATASET_NAMES,
  type ModelDatasetOptions,
  type ModelDatasetType,
} from "./model_dataset_names.ts";
import { RUN_DATASET_NAMES, type RunDatasetType } from "./run_dataset_names.ts";

/**
 * Adds `mlflow_artifact`, `mlflow_metric`, `mlflow_metric_history` and `mlflow_metrics_history` (also
 * `MlflowArtifactDataset`, `kedro_mlflow.io.artifacts.MlflowArtifactDataset`, …; `run_dataset_types.ts`)
 * and the model datasets (`register_models.ts`). Metric keys and the metrics prefix default to the catalog
 * entry's name, as in kedro-mlflow.
 *
 * @example
 * ```ts
 * registerMlflowDatasets(registry, new MlflowRunState());
 * ```
 */
export function registerMlflowDatasets(
  registry: DatasetRegistry,
  state: MlflowRunState,
  options: ModelDatasetOptions = {},
): void {
  // Their schemas are later schemas: built, with zod loaded, when an entry is not in the validation cache.
  let runTypes: Promise<Record<RunDatasetType, BuiltinTypeDefinition>> | undefined;
  for (const [type, names] of Object.entries(RUN_DATASET_NAMES)) {
    registerBuiltinLazy(registry, [...names], async () => {
      runTypes ??= runDatasetTypes().then((m) => m.runDatasetDefinitions(state));
      return (await runTypes)[type as RunDatasetType];
    });
  }
  // The model datasets (and the model logging behind them).
  let models: Promise<Record<ModelDatasetType, DatasetTypeDefinition>> | undefined;
  for (const [type, names] of Object.entries(MODEL_DATASET_NAMES)) {
    registry.registerLazy([...names], async () => {
      models ??= modelTypes().then((m) => m.modelDatasetDefinitions(state, options));
      return (await models)[type as ModelDatasetType];
    });
  }
}

// By computed URLs, which Deno does not read with this module (the bundle makes each an entry point). In a
// project with an mlflow.yml the artifact and metric types are loaded already (lib/mlflow/tracked_layer.ts).
const runDatasetTypes = (): Promise<typeof import("./run_dataset_types.ts")> =>
  import(new URL("./run_dataset_types.ts", import.meta.url).href);
const modelTypes = (): Promise<typeof import("./register_models.ts")> =>
  import(new URL("./register_models.ts", import.meta.url).href);
