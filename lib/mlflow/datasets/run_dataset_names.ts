/**
 * The names of kedro-mlflow's artifact and metric dataset types, known without loading their code: the
 * catalog's registry lists them, and loads `run_dataset_types.ts` when a catalog uses one.
 *
 * @module
 */

/** Each artifact / metric dataset type's names: short, kedro-mlflow class, kedro-mlflow path. */
export const RUN_DATASET_NAMES = {
  mlflow_artifact: [
    "mlflow_artifact",
    "MlflowArtifactDataset",
    "kedro_mlflow.io.artifacts.MlflowArtifactDataset",
  ],
  mlflow_metric: ["mlflow_metric", "MlflowMetricDataset", "kedro_mlflow.io.metrics.MlflowMetricDataset"],
  mlflow_metric_history: [
    "mlflow_metric_history",
    "MlflowMetricHistoryDataset",
    "kedro_mlflow.io.metrics.MlflowMetricHistoryDataset",
  ],
  mlflow_metrics_history: [
    "mlflow_metrics_history",
    "MlflowMetricsHistoryDataset",
    "kedro_mlflow.io.metrics.MlflowMetricsHistoryDataset",
  ],
} as const;

/** An artifact or metric dataset type by its short name. */
export type RunDatasetType = keyof typeof RUN_DATASET_NAMES;
