/**
 * MLflow's size limits, in one table shared by validation, the client's batching and the stores.
 *
 * @module
 */

/**
 * MLflow's limits (2.17): key length, value lengths, batch sizes, search page size.
 *
 * @example
 * ```ts
 * if (value.length > LIMITS.paramValueLength) console.warn("too long for MLflow");
 * ```
 */
export const LIMITS = {
  keyLength: 250,
  paramValueLength: 6000,
  tagValueLength: 8000,
  experimentTagKeyLength: 250,
  experimentTagValueLength: 5000,
  experimentNameLength: 500,
  /** The width of `experiments.name` (MLflow checks 500; PostgreSQL holds 256). */
  experimentNameColumn: 256,
  /** The width of `runs.user_id`. */
  userIdLength: 256,
  /** The width of `experiments.artifact_location` (MLflow checks 2048; PostgreSQL holds 256). */
  artifactLocationColumn: 256,
  /** The width of `runs.artifact_uri`. */
  runArtifactUriColumn: 200,
  /** The width of `runs.name`. */
  runNameLength: 250,
  artifactLocationLength: 2048,
  metricsPerBatch: 1000,
  paramsPerBatch: 100,
  tagsPerBatch: 100,
  entitiesPerBatch: 1000,
  searchMaxResults: 50000,
  datasetName: 500,
  datasetDigest: 36,
  /** The width of `datasets.dataset_source_type`. */
  datasetSourceType: 36,
  datasetSource: 65535,
  datasetSchema: 1048575,
  datasetProfile: 16777215,
  inputTagKey: 255,
  inputTagValue: 500,
} as const;
