/**
 * MLflow-compatible tracking: entities, the `TrackingStore` interface and its stores (SQLite and
 * PostgreSQL with MLflow's own schema — PostgreSQL loaded only through `openStore` — mlruns files, and
 * REST for an MLflow server), MLflow's search grammar, local, S3 and proxied artifacts, the wire format,
 * and `MlflowClient`.
 * Standalone: it imports nothing of the pipeline, catalog, runner, config or session layers.
 *
 * @example
 * ```ts
 * import { MlflowClient } from "./lib/tracking/mod.ts";
 * const client = await MlflowClient.open("sqlite:///mlflow.db", { baseDir: Deno.cwd() });
 * await client.withRun({ experimentName: "iris", runName: "baseline" }, async (run) => {
 *   await run.logParams({ C: 1.0, model: "logreg" });
 *   for (let step = 0; step < 10; step++) run.logMetric("loss", 1 / (step + 1), { step });
 * });
 * const { runs } = await client.searchRuns("1", { filter: "metrics.loss < 0.2", orderBy: ["metrics.loss"] });
 * ```
 *
 * @module
 */

// Entities
export {
  type DatasetInput,
  DEFAULT_EXPERIMENT,
  type Experiment,
  type FileInfo,
  isTerminalStatus,
  type KeyValue,
  type LifecycleStage,
  type Metric,
  MLFLOW_TAGS,
  type Run,
  RUN_STATUSES,
  type RunData,
  type RunDataset,
  type RunInfo,
  type RunInputs,
  type RunStatus,
  setEntry,
  stagesForViewType,
  type ViewType,
} from "./entities.ts";

// Errors and validation
export {
  experimentNotFound,
  HTTP_STATUS_OF_ERROR,
  mlflowError,
  type MlflowErrorCode,
  runNotFound,
} from "./tracking_errors.ts";
export { LIMITS } from "./limits.ts";
export { pyFloatRepr, pyJsonString } from "./py_format.ts";
export {
  checkLocalArtifactLocation,
  validateArtifactLocation,
  validateDatasetInputs,
  validateExperimentName,
  validateExperimentTag,
  validateMaxResults,
  validateRunName,
} from "./validation.ts";
export { posixNormpath, validateKey, validateRunId } from "./key_validation.ts";
export {
  validateBatch,
  validateBatchLimits,
  validateMetric,
  validateParam,
  validateTag,
  type ValidationOptions,
} from "./batch_validation.ts";

// Search grammar, evaluator, SQL translator, page tokens
export {
  type Comparator,
  type EntityType,
  type FilterClause,
  type OrderByClause,
  parseFilter,
  parseOrderBy,
  parseOrderByList,
  type SearchGrammar,
} from "./search/parser.ts";
export {
  compareCodePoints,
  experimentMatchesFilter,
  type ExperimentsPage,
  runMatchesFilter,
  type RunsPage,
  searchExperimentsInMemory,
  type SearchExperimentsOptions,
  searchRunsInMemory,
  type SearchRunsOptions,
  sortExperiments,
  sortRuns,
} from "./search/evaluate.ts";
export { experimentSearchSql, runSearchSql, type SqlQuery } from "./search/sql.ts";
export { decodePageToken, encodePageToken, paginate } from "./search/page_token.ts";

// Stores
export type {
  CreateExperimentOptions,
  CreateRunOptions,
  LogBatch,
  MetricHistoryOptions,
  MetricHistoryPage,
  MetricStepSummary,
  SampledHistoryOptions,
  TrackingStore,
  UpdateRunOptions,
} from "./stores/store.ts";
export { metricStepSummary } from "./stores/step_summary.ts";
export { SqliteStore, type SqliteStoreOptions } from "./stores/sqlite/sqlite_store.ts";
export { type OpenedSqliteDb, openSqliteDb } from "./stores/sqlite/open_db.ts";

// Model registry
export {
  ACTIVE_STAGES,
  canonicalStage,
  DELETED_STAGE,
  MODEL_VERSION_STAGES,
  type ModelVersion,
  type ModelVersionStage,
  type ModelVersionStatus,
  type RegisteredModel,
} from "./registry/entities.ts";
export type {
  CreateModelVersionOptions,
  CreateRegisteredModelOptions,
  ModelRegistryStore,
  ModelVersionsPage,
  RegisteredModelsPage,
  RegistrySearchOptions,
  TransitionStageOptions,
} from "./registry/registry_store.ts";
export { registerModel, type RegisterModelOptions } from "./registry/register_model.ts";
export { type ModelsUri, versionOfModelUri } from "./registry/models_source.ts";
export {
  parseModelVersion,
  pythonJsonString,
  REGISTRY_LIMITS,
  validateAliasName,
  validateModelName,
  validateModelVersionTag,
  validateRegisteredModelTag,
  validateVersionSource,
} from "./registry/rules.ts";
export {
  modelVersionMatches,
  parseModelVersionFilter,
  parseModelVersionOrderBy,
  parseRegisteredModelFilter,
  parseRegisteredModelOrderBy,
  registeredModelMatches,
  type RegistryClause,
  type RegistryOrder,
  sortRegistry,
} from "./registry/search.ts";
export {
  modelVersionFromWire,
  modelVersionToWire,
  type ModelVersionWire,
  registeredModelFromWire,
  registeredModelToWire,
  type RegisteredModelWire,
} from "./registry/wire.ts";
export { ALEMBIC_REVISION, MLFLOW_SCHEMA } from "./stores/sqlite/schema.ts";
export { parseTrackingUri, type TrackingTarget, type TrackingUriOptions } from "./stores/tracking_uri.ts";
export { openStore, type OpenStoreOptions } from "./stores/open_store.ts";
export type { DeletedRun, HardDeletes } from "./stores/hard_delete.ts";
export { type PreparedStore, prepareStore } from "./stores/prepare_store.ts";
export { newRunId, randomRunName } from "./run_names.ts";

// Artifacts
export {
  type ArtifactRepository,
  type ListArtifactsOptions,
  safeArtifactPath,
} from "./artifacts/artifact_repository.ts";
export {
  isPartialArtifact,
  LocalArtifactRepository,
  localArtifactRepository,
  localPathOfUri,
  partialBeside,
  pathInsideRoot,
} from "./artifacts/local_repository.ts";
export { checkLocalArtifactRoot } from "./artifacts/local_access.ts";
export { artifactPathInUri, joinArtifactUri } from "./artifacts/artifact_uri_join.ts";
export { type LocalUriProblem, localUriProblem, writtenLocalLocationProblem } from "./artifacts/local_uri.ts";
export { notOwnArtifactRoot, runRootLeavesExperiment } from "./artifacts/run_root.ts";
export { MLFLOW_TEXT_EXTENSIONS } from "./artifacts/upload_content_type.ts";
export {
  artifactRepositoryFor,
  type ArtifactRepositoryOptions,
  SUPPORTED_ARTIFACT_LOCATIONS,
} from "./artifacts/repository_for.ts";
export {
  MULTIPART_THRESHOLD,
  parseS3Uri,
  PART_SIZE,
  S3ArtifactRepository,
  type S3RepositoryOptions,
} from "./artifacts/s3/s3_repository.ts";
export { type EnvReader, type S3Config, s3ConfigFromEnv } from "./artifacts/s3/s3_config.ts";

// Wire format
export {
  datasetInputFromWire,
  datasetInputToWire,
  type DatasetInputWire,
  experimentFromWire,
  experimentToWire,
  type ExperimentWire,
  fileInfoFromWire,
  fileInfoToWire,
  type FileInfoWire,
  metricFromWire,
  metricToWire,
  type MetricWire,
  runFromWire,
  runInfoFromWire,
  runInfoToWire,
  type RunInfoWire,
  runToWire,
  type RunWire,
} from "./wire.ts";
export {
  doubleFromWire,
  doubleToWire,
  errorFromWire,
  errorToWire,
  type ErrorWire,
  int64FromWire,
  keyValuesFromWire,
  type KeyValueWire,
  recordFromWire,
  recordToWire,
  runStatusFromWire,
  viewTypeFromWire,
  type WireDouble,
} from "./wire_values.ts";

// Client
export { MlflowClient } from "./client/client.ts";
export {
  type ClientSearchRunsOptions,
  type KeyValueInput,
  type MlflowClientOptions,
  paramValueToString,
  type StartRunOptions,
  toKeyValues,
} from "./client/client_options.ts";
export { ActiveRun, type MetricOptions } from "./client/active_run.ts";
export type { HookedRun } from "./client/process_hooks.ts";
export { defaultRunContext, type RunContext } from "./client/run_context.ts";

export { FileStore } from "./stores/file/file_store.ts";

// REST store (an MLflow server)
export { RestStore, type RestStoreOptions } from "./stores/rest/rest_store.ts";
export { type HeaderSource, HttpClient, type HttpClientOptions, withQuery } from "./http_client.ts";
export {
  artifactRepositoryForRest,
  HttpArtifactRepository,
  proxyLocation,
  STREAM_UPLOAD_BYTES,
} from "./artifacts/http_repository.ts";

// Models: model URIs, the MLmodel format, signatures
export { type ModelUri, parseModelUri } from "./models/model_uri.ts";
export {
  type FlavorLoadContext,
  loadModelFolder,
  type ModelFlavor,
  type SavedFlavor,
  saveModelFolder,
  type SaveModelFolderOptions,
} from "./models/flavor.ts";
export {
  folderSize,
  isRowList,
  type MlmodelFields,
  writeMlmodel,
  writeRowsInputExample,
} from "./models/model_folder.ts";
export {
  jsonProblem,
  jsValueFlavor,
  VALUE_SERIALIZATIONS,
  type ValueSerialization,
} from "./models/value_flavor.ts";
export {
  defaultModelCacheDir,
  modelVersionOfUri,
  type ResolvedModel,
  resolveModel,
  type ResolveModelOptions,
} from "./models/resolve_model.ts";
export {
  appendLogModelHistory,
  inputExampleFiles,
  type MlModel,
  MLMODEL_FORMAT_VERSION,
  mlmodelToYaml,
  parseMlmodel,
  type SavedInputExampleInfo,
  utcTimeCreated,
} from "./models/mlmodel.ts";
export {
  type ColSpec,
  type ColumnType,
  inferColumns,
  inferParams,
  type ModelSignature,
  type ParamSpec,
  parseSignature,
  pythonJson,
  type ScalarType,
  type SignatureStrings,
  signatureToStrings,
  typeName,
  typeOfValue,
} from "./models/signature.ts";
