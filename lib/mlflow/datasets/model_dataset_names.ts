/**
 * The names of kedro-mlflow's model dataset types, known without loading their code: the catalog's registry
 * lists them, and loads `register_models.ts` (and the model logging it needs) when a catalog uses one.
 *
 * @module
 */
import type { FlavorProvider } from "../flavors/resolve_flavor.ts";

/** Each model dataset type's names: short, kedro-mlflow class, kedro-mlflow path. */
export const MODEL_DATASET_NAMES = {
  mlflow_model_tracking: [
    "mlflow_model_tracking",
    "MlflowModelTrackingDataset",
    "kedro_mlflow.io.models.MlflowModelTrackingDataset",
  ],
  mlflow_model_local: [
    "mlflow_model_local",
    "MlflowModelLocalFileSystemDataset",
    "kedro_mlflow.io.models.MlflowModelLocalFileSystemDataset",
  ],
  mlflow_model_registry: [
    "mlflow_model_registry",
    "MlflowModelRegistryDataset",
    "kedro_mlflow.io.models.MlflowModelRegistryDataset",
  ],
} as const;

/** A model dataset type by its short name. */
export type ModelDatasetType = keyof typeof MODEL_DATASET_NAMES;

/** Options of the model dataset types. */
export interface ModelDatasetOptions {
  /** Flavors the host provides besides js_value (the CLI adds kmlf). */
  flavors?: Record<string, FlavorProvider>;
}
