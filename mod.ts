/**
 * kmlf's public API: run projects programmatically, define datasets and hooks, and build pipelines.
 *
 * @example
 * ```ts
 * import { KmlfSession } from "./mod.ts";
 * const session = await KmlfSession.create({ projectRoot: "/path/to/project" });
 * await session.run({ pipelineNames: ["training"] });
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
export {
  KmlfSession,
  type Plugin,
  type PluginContext,
  type SessionOptions,
  type SessionRunOptions,
} from "./lib/session/mod.ts";
export {
  BinaryDataset,
  Catalog,
  CsvDataset,
  type Dataset,
  type DatasetFactory,
  DatasetRegistry,
  FileDataset,
  generateVersion,
  JsonDataset,
  MemoryDataset,
  ParquetDataset,
  PartitionedDataset,
  PickleDataset,
  SqliteQueryDataset,
  SqliteTableDataset,
  TextDataset,
  YamlDataset,
} from "./lib/catalog/mod.ts";
export { loadPipelines, Node, Pipeline, type PipelineFilter } from "./lib/pipeline/mod.ts";
export { HookManager, type Hooks, type RunParams } from "./lib/hooks/mod.ts";
export {
  createRunner,
  ParallelRunner,
  PipelineRunError,
  type Runner,
  type RunnerSpec,
  type RunResult,
  SequentialRunner,
  ThreadRunner,
} from "./lib/runner/mod.ts";
export { ConfigLoader, parseRuntimeParams } from "./lib/config/mod.ts";
export { KMLF_VERSION } from "./lib/version.ts";
