/**
 * Input validation mirroring MLflow's `mlflow/utils/validation.py` for experiments (names, tags,
 * artifact locations), run names, search `max_results` and dataset inputs. Every store calls these
 * before writing, so bad input fails the same way everywhere (TrackingError, code
 * `INVALID_PARAMETER_VALUE`). Keys and run ids are checked in `key_validation.ts`, what a run logs
 * (metrics, params, tags, batches) in `batch_validation.ts`.
 *
 * @module
 */
import { type DatasetInput, RUN_STATUSES, type RunStatus } from "./entities.ts";
import { LIMITS } from "./limits.ts";
import { mlflowError } from "./tracking_errors.ts";
import { validateKey } from "./key_validation.ts";
import { checkLength, checkSchemaWidth, pyLength } from "./_length_limit.ts";
import { checkLocalArtifactLocation } from "./artifacts/local_uri.ts";
import { refuseNul } from "./nul_check.ts";

export { checkLocalArtifactLocation };

/**
 * Checks an experiment tag (limits 250 / 5000, never truncated).
 *
 * @example
 * ```ts
 * validateExperimentTag("project", "iris");
 * ```
 */
export function validateExperimentTag(key: string, value: string): void {
  validateKey("tag", key);
  if (typeof value !== "string") {
    throw mlflowError("INVALID_PARAMETER_VALUE", `Tag value for key '${key}' must be a string`);
  }
  refuseNul("value", value);
  checkLength("Tag value", LIMITS.experimentTagValueLength, value);
}

/**
 * Experiment names: non-empty strings of at most 256 characters (500 in MLflow's words, then the
 * width of `experiments.name`), without NUL; `field` is the request field MLflow names in the NUL
 * message (`new_name` for a rename).
 *
 * @example
 * ```ts
 * validateExperimentName("iris");
 * ```
 */
export function validateExperimentName(name: unknown, field = "name"): asserts name is string {
  if (name === "" || name === null || name === undefined) {
    throw mlflowError("INVALID_PARAMETER_VALUE", `Invalid experiment name: '${name ?? "None"}'`);
  }
  if (typeof name !== "string") {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Invalid experiment name: ${String(name)}. Expects a string.`,
    );
  }
  refuseNul(field, name);
  if (pyLength(name) > LIMITS.experimentNameLength) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `'name' exceeds the maximum length of ${LIMITS.experimentNameLength} characters`,
    );
  }
  // MLflow's schema holds 256 (its PostgreSQL store fails over it, its SQLite one keeps more): every
  // store refuses what one of them cannot hold, so a tracking URI change never loses an experiment.
  checkSchemaWidth("Experiment name", LIMITS.experimentNameColumn, name, "experiments.name");
}

/**
 * A run's user id: at most 256 characters (the width of `runs.user_id`), without NUL.
 *
 * @example
 * ```ts
 * validateUserId("alice");
 * ```
 */
export function validateUserId(userId: string | undefined): void {
  refuseNul("user_id", userId);
  if (userId !== undefined) checkSchemaWidth("User id", LIMITS.userIdLength, userId, "runs.user_id");
}

/**
 * Run names: strings of at most 250 characters (the width of `runs.name`), without NUL.
 *
 * @example
 * ```ts
 * validateRunName("baseline");
 * ```
 */
export function validateRunName(name: unknown): asserts name is string {
  if (typeof name !== "string") {
    throw mlflowError("INVALID_PARAMETER_VALUE", `Invalid run name: ${String(name)}. Expects a string.`);
  }
  refuseNul("run_name", name);
  checkLength("Run name", LIMITS.runNameLength, name);
}

/**
 * A run's start or end time (ms since the epoch): an integer, refused in the words kmlf's server uses
 * for the request field (MLflow's server stores 0 for 1.5; a local store would store 1.5 in an int64
 * column).
 *
 * @example
 * ```ts
 * validateRunTime("start_time", 1700000000000);
 * ```
 */
export function validateRunTime(field: "start_time" | "end_time", value: number | undefined): void {
  if (value === undefined || Number.isSafeInteger(value)) return;
  throw mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Invalid value ${value} for parameter '${field}' supplied: expected an integer (int64). ` +
      "See the API docs for more information about request parameters.",
  );
}

/**
 * A run status given to `updateRun`: one of MLflow's five names. (MLflow's server skips a name it does
 * not know and keeps the old status; SQLite's CHECK would fail and a file store would write garbage.)
 *
 * @example
 * ```ts
 * validateRunStatus("FINISHED");
 * ```
 */
export function validateRunStatus(status: unknown): asserts status is RunStatus | undefined {
  if (status === undefined || RUN_STATUSES.includes(status as RunStatus)) return;
  throw mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Invalid value ${JSON.stringify(status)} for parameter 'status' supplied. It must be one of ${
      RUN_STATUSES.join(", ")
    }`,
  );
}

/**
 * Artifact locations of experiments: at most 2048 characters, no `runs:` URIs.
 *
 * @example
 * ```ts
 * validateArtifactLocation("file:///tmp/artifacts");
 * ```
 */
export function validateArtifactLocation(location: string): void {
  if (location.startsWith("runs:")) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Artifact location cannot be a runs:/ URI. Given: '${location}'`,
    );
  }
  checkLength("Artifact location", LIMITS.artifactLocationLength, location);
  checkLocalArtifactLocation(location);
  if (/[?#]/.test(location)) {
    const message = `Invalid artifact location '${location}': query parameters and fragments are not allowed`;
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      message,
      "use a plain path or URI, e.g. file:///data/mlartifacts",
    );
  }
}

/**
 * `max_results` of a search: an integer in 1..50000, refused with MLflow's words (a bigint keeps
 * the exact value a client sent, e.g. 2^63−1, for the message).
 *
 * @example
 * ```ts
 * validateMaxResults(1000);
 * ```
 */
export function validateMaxResults(maxResults: number | bigint): void {
  if (typeof maxResults === "number" && !Number.isInteger(maxResults) || maxResults < 1) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Invalid value ${maxResults} for parameter 'max_results' supplied. It must be a positive integer`,
    );
  }
  if (maxResults > LIMITS.searchMaxResults) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Invalid value ${maxResults} for parameter 'max_results' supplied. It must be at most ${LIMITS.searchMaxResults}`,
    );
  }
}

/**
 * The page size of a metric history read: a positive integer when given (no upper bound). MLflow's
 * stores answer 0 or a negative size each their own way (SQL: `LIMIT 0` / no limit; file store: a
 * Python slice that drops the last points) and its server ignores the size, so kmlf refuses it in
 * every store, with the words of MLflow's search check.
 *
 * @example
 * ```ts
 * validatePageSize(25000);
 * ```
 */
export function validatePageSize(maxResults: number | undefined): void {
  if (maxResults === undefined || Number.isInteger(maxResults) && maxResults >= 1) return;
  throw mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Invalid value ${maxResults} for parameter 'max_results' supplied. It must be a positive integer`,
  );
}

/** MLflow's `_validate_length_limit` wording for dataset fields. */
function fieldLength(field: string, limit: number, value: string): void {
  if (value.length > limit && pyLength(value) > limit) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `'${field}' exceeds the maximum length of ${limit} characters`,
    );
  }
}

/**
 * Checks dataset inputs against MLflow's limits (name 500, digest 36, source 65535, schema 1 MB,
 * profile 16 MB, input tag key 255 / value 500) and its schema's source type width (36).
 *
 * @example
 * ```ts
 * validateDatasetInputs([{ dataset: { name: "iris", digest: "abc", sourceType: "local", source: "{}" }, tags: {} }]);
 * ```
 */
export function validateDatasetInputs(inputs: readonly DatasetInput[]): void {
  for (const [i, { dataset: d, tags }] of inputs.entries()) {
    const required = { name: d.name, digest: d.digest, source_type: d.sourceType, source: d.source };
    for (const [field, value] of Object.entries(required)) {
      if (typeof value !== "string" || value === "") {
        throw mlflowError("INVALID_PARAMETER_VALUE", `Dataset ${field} must be a non-empty string`);
      }
    }
    // Named by their request fields, as a server refuses them.
    for (const [field, value] of Object.entries({ ...required, schema: d.schema, profile: d.profile })) {
      refuseNul(`datasets[${i}].dataset.${field}`, value);
    }
    Object.values(tags).forEach((value, j) => refuseNul(`datasets[${i}].tags[${j}].value`, value));
    fieldLength("name", LIMITS.datasetName, d.name);
    fieldLength("digest", LIMITS.datasetDigest, d.digest);
    fieldLength("source_type", LIMITS.datasetSourceType, d.sourceType); // datasets.dataset_source_type
    fieldLength("source", LIMITS.datasetSource, d.source);
    if (d.schema !== undefined) fieldLength("schema", LIMITS.datasetSchema, d.schema);
    if (d.profile !== undefined) fieldLength("profile", LIMITS.datasetProfile, d.profile);
    for (const [key, value] of Object.entries(tags)) {
      fieldLength("key", LIMITS.inputTagKey, key);
      fieldLength("value", LIMITS.inputTagValue, value);
    }
  }
}
