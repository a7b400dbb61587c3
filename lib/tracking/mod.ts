/**
 * MLflow-compatible tracking: entities, stores and the client.
 *
 * @module
 */
export type {
  Experiment,
  FileInfo,
  LogBatch,
  Metric,
  Page,
  Run,
  RunInfo,
  RunStatus,
  SearchRunsOptions,
  ViewType,
} from "./entities.ts";
export type { TrackingStore } from "./store.ts";
export { SqliteStore } from "./sqlite/sqlite_store.ts";
export { LocalArtifactRepository } from "./artifacts.ts";
export { type Clause, type OrderClause, parseFilter, parseOrderBy } from "./search/filter.ts";
export { LIMITS, validateBatch, validateKey } from "./validation.ts";
