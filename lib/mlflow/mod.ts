/**
 * The kedro-mlflow layer: `mlflow.yml`, the tracking hook and the Mlflow datasets, packaged as a plugin.
 *
 * @module
 */
export { type MlflowConfig, resolveArtifactLocation } from "./mlflow_config.ts";
export { checkRegistryUri, resolveTrackingUri } from "./tracking_uri_rules.ts";
export { parseMlflowConfig } from "./parse_mlflow_config.ts";
export { mlflowYmlTemplate } from "./init_template.ts";
export { mlrunsLeftBehindNote } from "./mlruns_left_behind.ts";
export { orphanedRuns, orphanedRunsNote, processTags, type RunSearcher } from "./orphaned_runs.ts";
export { paramValueToString, randomRunName } from "../mlflow_conventions.ts";
export { type HeaderFunction, loadHeaderProvider, type RequestHeaderProvider } from "./header_provider.ts";
export { mlflowPlugin, type MlflowPluginOptions } from "./plugin.ts";
export { MlflowRunState } from "./run_state.ts";
export type {
  ExperimentRef,
  MetricPoint,
  ModelVersionRef,
  ResolvedModelRef,
  RunRef,
  TrackingPort,
} from "./tracking_port.ts";
export { MAX_PARAM_VALUE_LENGTH, planParams, sanitizeName } from "./params.ts";
export { trackingHooks } from "./tracking_hook.ts";
export { NODE_TIME_METRICS, NodeTimings, pipelineArtifact } from "./node_timings.ts";
export { planOutputs } from "./output_logging.ts";
export { filesToLog } from "./log_files.ts";
export { WORKFLOW_TAG } from "./experiment_setup.ts";
export {
  endWorkflowRun,
  startWorkflowRun,
  workflowEndStatus,
  type WorkflowRunEnding,
  type WorkflowRunOptions,
  workflowStatus,
} from "./workflow_run.ts";
export { MlflowArtifactDataset } from "./datasets/artifact_dataset.ts";
export {
  MlflowMetricDataset,
  MlflowMetricHistoryDataset,
  MlflowMetricsHistoryDataset,
} from "./datasets/metric_datasets.ts";
export { registerMlflowDatasets } from "./datasets/register.ts";
export { type ModelDatasetOptions, registerModelDatasets } from "./datasets/register_models.ts";
export { MlflowModelTrackingDataset, type ModelTrackingOptions } from "./datasets/model_tracking_dataset.ts";
export { MlflowModelLocalFileSystemDataset, type ModelLocalOptions } from "./datasets/model_local_dataset.ts";
export {
  MlflowModelRegistryDataset,
  type ModelRegistryOptions,
  registryModelUri,
} from "./datasets/model_registry_dataset.ts";
export { BUILTIN_FLAVORS, type FlavorProvider, resolveFlavor } from "./flavors/resolve_flavor.ts";
export {
  type LoggedModel,
  logInferenceModel,
  type LogModelOptions,
  registerLoggedModel,
  writeModelDir,
} from "./model_logging.ts";
export { type ModuleGraph, moduleGraph, scanImports } from "./module_graph.ts";
