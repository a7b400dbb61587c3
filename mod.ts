/**
 * kmlf's public API, importable as `"kmlf"` from a project made by `kmlf new` (its deno.json maps it):
 * run projects programmatically, type node functions, write datasets, hooks and plugins, and read
 * tracked runs with the MLflow client.
 *
 * @example
 * ```ts
 * import { KmlfSession, MlflowClient } from "kmlf";
 * const session = await KmlfSession.create({ projectRoot: "/path/to/project" });
 * await session.run({ pipelineNames: ["training"] });
 * const client = await MlflowClient.open("sqlite:///mlflow.db", { baseDir: "/path/to/project" });
 * const experiment = await client.getExperimentByName("iris"); // mlflow.yml's, default: the project's name
 * const { runs } = await client.searchRuns(experiment!.experimentId, {
 *   orderBy: ["metrics.`metrics.accuracy` DESC"], // the iris example's catalog entry `metrics`, key `accuracy`
 * });
 * runs[0].data.metrics["metrics.accuracy"]; // plain objects: metrics, params, tags by key
 * ```
 *
 * @module
 */
export {
  ConfigError,
  DatasetError,
  didYouMean,
  HookError,
  KmlfAggregateError,
  KmlfError,
  NodeError,
  PipelineDefinitionError,
  RunError,
  type SourceLocation,
  TrackingError,
  UsageError,
} from "./lib/errors.ts";
export { renderError, type RenderOptions } from "./lib/error_render.ts";
import { setBuiltinPlugins } from "./lib/session/mod.ts";
import { builtinPlugins } from "./lib/cli/plugins.ts";
// A session made from a script has kmlf's built-in plugins (kmlf-mlflow: tracking, the mlflow_* datasets),
// as `kmlf run` has them.
setBuiltinPlugins(() => builtinPlugins());

export {
  KmlfSession,
  type Plugin,
  type PluginContext,
  type PluginFactory,
  type RunnerFlags,
  type SessionOptions,
  type SessionRunOptions,
} from "./lib/session/mod.ts";
export {
  type ArgumentAlias,
  BinaryDataset,
  Catalog,
  type CatalogNote,
  type CatalogWarning,
  type CopyMode,
  CsvDataset,
  type CsvRow,
  type Dataset,
  type DatasetFactory,
  type DatasetFactoryContext,
  DatasetRegistry,
  type DatasetType,
  type DatasetTypeDefinition,
  type DatasetTypeInfo,
  FileDataset,
  generateVersion,
  type IfExists,
  JsonDataset,
  MemoryDataset,
  type NestedDatasetOptions,
  type ParameterSources,
  ParquetDataset,
  type ParquetRow,
  PartitionedDataset,
  type PartitionFolder,
  type PartitionLoaders,
  PickleDataset,
  type RegisterOptions,
  SqliteQueryDataset,
  SqliteTableDataset,
  type SqlRow,
  TextDataset,
  type VersionedPath,
  type VersionSpec,
  YamlDataset,
} from "./lib/catalog/mod.ts";
export {
  type DatasetField,
  type FuncLocation,
  type InferenceSpec,
  type InputBinding,
  loadPipelines,
  type MlBinding,
  type NamespacedName,
  Node,
  type NodeFunction,
  type NodeSpec,
  type OutputBinding,
  Pipeline,
  type PipelineFilter,
  type PipelineJson,
} from "./lib/pipeline/mod.ts";
export {
  type HOOK_NAMES,
  type HookArgs,
  type HookConfigLoader,
  type HookContext,
  HookManager,
  type HookName,
  type HookOrigin,
  type HookResult,
  type Hooks,
  type NodeHookArgs,
  type RunParams,
} from "./lib/hooks/mod.ts";
export {
  createRunner,
  type NodeCompletedEvent,
  type NodeFailedEvent,
  type NodeScope,
  type NodeStartedEvent,
  type NodeTiming,
  ParallelRunner,
  PipelineRunError,
  type Runner,
  type RunnerConstructorOptions,
  type RunnerKind,
  type RunnerOptions,
  type RunnerSpec,
  type RunReporter,
  type RunResult,
  SequentialRunner,
  ThreadRunner,
} from "./lib/runner/mod.ts";
export {
  ConfigLoader,
  type HookRef,
  type KeyPath,
  type LoadedConfig,
  parseRuntimeParams,
  type PluginRef,
  type ProjectSettings,
  type RunnerSetting,
} from "./lib/config/mod.ts";
export { KMLF_VERSION } from "./lib/version.ts";
export {
  type KmlfModel,
  loadModel,
  type LoadModelOptions,
  type ModelOrigin,
  ScoringError,
} from "./lib/models/mod.ts";
export {
  type ActiveRun,
  type ArtifactRepository,
  type ClientSearchRunsOptions,
  type ColSpec,
  type ColumnType,
  type CreateExperimentOptions,
  type CreateModelVersionOptions,
  type CreateRegisteredModelOptions,
  type CreateRunOptions,
  type DatasetInput,
  type DeletedRun,
  type Experiment,
  type ExperimentsPage,
  type FileInfo,
  type HardDeletes,
  type HeaderSource,
  type HookedRun,
  type KeyValue,
  type KeyValueInput,
  type LifecycleStage,
  type ListArtifactsOptions,
  type LogBatch,
  type Metric,
  type MetricHistoryOptions,
  type MetricHistoryPage,
  type MetricOptions,
  type MetricStepSummary,
  MlflowClient,
  type MlflowClientOptions,
  type MlModel,
  type ModelRegistryStore,
  type ModelSignature,
  type ModelVersion,
  type ModelVersionsPage,
  type ModelVersionStatus,
  openStore,
  type OpenStoreOptions,
  type ParamSpec,
  type RegisteredModel,
  type RegisteredModelsPage,
  type RegisterModelOptions,
  type RegistrySearchOptions,
  type ResolvedModel,
  type ResolveModelOptions,
  type Run,
  type RunContext,
  type RunData,
  type RunDataset,
  type RunInfo,
  type RunInputs,
  type RunsPage,
  type RunStatus,
  type SampledHistoryOptions,
  type SavedInputExampleInfo,
  type ScalarType,
  type SearchExperimentsOptions,
  type SearchRunsOptions,
  type SignatureStrings,
  type StartRunOptions,
  type TrackingStore,
  type TransitionStageOptions,
  type UpdateRunOptions,
  type ViewType,
} from "./lib/tracking/mod.ts";
