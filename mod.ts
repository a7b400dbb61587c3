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
 * const { runs } = await client.searchRuns("1", { orderBy: ["metrics.accuracy DESC"] });
 * runs[0].data.metrics.accuracy; // plain objects: metrics, params, tags by key
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
  renderError,
  type SourceLocation,
  TrackingError,
  UsageError,
} from "./lib/errors.ts";
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
  BinaryDataset,
  Catalog,
  type CatalogWarning,
  CsvDataset,
  type Dataset,
  type DatasetFactory,
  type DatasetFactoryContext,
  DatasetRegistry,
  type DatasetTypeDefinition,
  FileDataset,
  generateVersion,
  JsonDataset,
  MemoryDataset,
  ParquetDataset,
  PartitionedDataset,
  PickleDataset,
  type RegisterOptions,
  SqliteQueryDataset,
  SqliteTableDataset,
  TextDataset,
  YamlDataset,
} from "./lib/catalog/mod.ts";
export { loadPipelines, Node, type NodeFunction, Pipeline, type PipelineFilter } from "./lib/pipeline/mod.ts";
export {
  type HookContext,
  HookManager,
  type HookName,
  type HookOrigin,
  type Hooks,
  type NodeHookArgs,
  type RunParams,
} from "./lib/hooks/mod.ts";
export {
  createRunner,
  type NodeCompletedEvent,
  type NodeFailedEvent,
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
export { ConfigLoader, parseRuntimeParams, type ProjectSettings } from "./lib/config/mod.ts";
export { KMLF_VERSION } from "./lib/version.ts";
export { type KmlfModel, loadModel, type LoadModelOptions, ScoringError } from "./lib/models/mod.ts";
export {
  type ActiveRun,
  type ClientSearchRunsOptions,
  type CreateExperimentOptions,
  type CreateRunOptions,
  type DatasetInput,
  type Experiment,
  type ExperimentsPage,
  type FileInfo,
  type KeyValueInput,
  type LifecycleStage,
  type Metric,
  type MetricHistoryOptions,
  MlflowClient,
  type MlflowClientOptions,
  openStore,
  type OpenStoreOptions,
  type Run,
  type RunData,
  type RunInfo,
  type RunsPage,
  type RunStatus,
  type SearchExperimentsOptions,
  type StartRunOptions,
  type TrackingStore,
  type UpdateRunOptions,
  type ViewType,
} from "./lib/tracking/mod.ts";
