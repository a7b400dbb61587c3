/**
 * Input validation mirroring MLflow's `mlflow/utils/validation.py`: key names, length limits,
 * metric values, batch limits, experiment names. Every store calls these before writing, so bad
 * input fails the same way everywhere (TrackingError, code `INVALID_PARAMETER_VALUE`).
 *
 * @module
 */
import type { TrackingError } from "../errors.ts";
import type { DatasetInput, KeyValue, Metric } from "./entities.ts";
import { LIMITS } from "./limits.ts";
import { pyFloatRepr, pyJsonString } from "./py_format.ts";
import { mlflowError } from "./tracking_errors.ts";

/** Options shared by the value validators. */
export interface ValidationOptions {
  /**
   * Truncate param values over 6000 and tag values over 8000 characters instead of failing, as an
   * MLflow server does with `MLFLOW_TRUNCATE_LONG_VALUES=true`. Default false: kmlf never drops data
   * silently, so an over-long value is an error.
   */
  truncateLongValues?: boolean;
}

// Python's `\w` is Unicode-aware: letters, digits and underscore (marks are not included).
const VALID_KEY = /^[\p{L}\p{N}_/.\- :]*$/u;
const BAD_CHARACTERS =
  "Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) " +
  "and slashes (/).";

/**
 * `posixpath.normpath`: collapses `//` and `/./`, resolves `..`, drops a trailing `/`.
 *
 * @example
 * ```ts
 * posixNormpath("a//b/./c/"); // "a/b/c"
 * ```
 */
export function posixNormpath(path: string): string {
  if (path === "") return ".";
  const initialSlashes = path.startsWith("/")
    ? (path.startsWith("//") && !path.startsWith("///") ? 2 : 1)
    : 0;
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part !== ".." || (!initialSlashes && out.length === 0) || out.at(-1) === "..") out.push(part);
    else if (out.length > 0) out.pop();
  }
  return "/".repeat(initialSlashes) + out.join("/") || ".";
}

function pathNotUnique(name: string): boolean {
  const norm = posixNormpath(name);
  return norm !== name || norm === "." || norm.startsWith("..") || norm.startsWith("/");
}

// Keys repeat (100,000 points of 10 metrics): remember valid ones instead of re-checking them.
const knownGoodKeys = new Set<string>();

/** MLflow's `invalid_value(path, value, message)` for a string value. */
function invalidName(path: string, name: string | null, message: string, hint?: string): TrackingError {
  const value = name === null ? "null" : pyJsonString(name);
  return mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Invalid value ${value} for parameter '${path}' supplied: ${message}`,
    hint,
  );
}

// MLflow's _RUN_ID_REGEX; Python's `$` also matches before a final newline, `\w` is Unicode.
const RUN_ID = /^[a-zA-Z0-9][\p{L}\p{N}_-]{0,255}\n?$/u;

/**
 * MLflow's `_validate_run_id`: `Invalid value "<id>" for parameter 'run_id' supplied.` (400) for an
 * id that is empty, too long (> 256) or holds characters other than letters, digits, `_` and `-`.
 *
 * @example
 * ```ts
 * validateRunId("../../etc"); // throws INVALID_PARAMETER_VALUE
 * ```
 */
export function validateRunId(runId: string): void {
  if (!RUN_ID.test(runId)) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Invalid value ${pyJsonString(runId)} for parameter 'run_id' supplied.`,
    );
  }
}

/**
 * Checks a metric, param or tag key: MLflow's character set, a normalized relative path, ≤ 250 chars,
 * refused with MLflow's words; `path` is the parameter the message names (`name` for metrics, `key`
 * otherwise; `metrics[0].name` inside a batch).
 *
 * @example
 * ```ts
 * validateKey("metric", "val/loss"); // ok
 * validateKey("metric", "../x"); // throws TrackingError INVALID_PARAMETER_VALUE
 * ```
 */
export function validateKey(
  kind: "metric" | "parameter" | "tag",
  name: unknown,
  path: string = kind === "metric" ? "name" : "key",
): asserts name is string {
  if (typeof name === "string" && knownGoodKeys.has(name)) return;
  if (typeof name !== "string") {
    const what = kind === "metric" ? "Metric" : kind === "parameter" ? "Parameter" : "Tag";
    throw invalidName(path, null, `${what} name cannot be None. A key name must be provided.`);
  }
  if (!VALID_KEY.test(name)) {
    throw invalidName(
      path,
      name,
      BAD_CHARACTERS,
      "rename the key using letters, digits and _ - . / : or space",
    );
  }
  if (pathNotUnique(name)) {
    throw invalidName(
      path,
      name,
      "Names may be treated as files in certain cases, and must not resolve to other names when treated " +
        `as such. This name would resolve to '${posixNormpath(name)}'`,
      "keys must be non-empty and must not start with '/' or '..', end with '/', or contain '//' or '/./'",
    );
  }
  const label = kind === "metric" ? "Metric name" : kind === "parameter" ? "Param key" : "Tag key";
  checkLength(label, LIMITS.keyLength, name);
  if (knownGoodKeys.size >= 10000) knownGoodKeys.clear();
  knownGoodKeys.add(name);
}

function lengthError(entity: string, limit: number, value: string): TrackingError {
  return mlflowError(
    "INVALID_PARAMETER_VALUE",
    `${entity} '${value.slice(0, 250)}' had length ${value.length}, which exceeded length limit of ${limit}`,
  );
}

/** MLflow's `_validate_length_limit` wording for dataset fields. */
function fieldLength(field: string, limit: number, value: string): void {
  if (value.length > limit) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `'${field}' exceeds the maximum length of ${limit} characters`,
    );
  }
}

function checkLength(entity: string, limit: number, value: string, truncate = false): string {
  if (value.length <= limit) return value;
  if (truncate) return value.slice(0, limit);
  throw lengthError(entity, limit, value);
}

/**
 * Checks a metric key, value, timestamp and step (MLflow's `_validate_metric`; `path` is the item's
 * place in a batch, e.g. `metrics[0]`).
 *
 * @example
 * ```ts
 * validateMetric({ key: "loss", value: 0.1, timestamp: Date.now(), step: 0 });
 * ```
 */
export function validateMetric(metric: Metric, path = ""): void {
  const { key, value, timestamp, step } = metric;
  const at = (field: string) => (path ? `${path}.${field}` : field);
  validateKey("metric", key, at("name"));
  const v = typeof value === "number" ? pyFloatRepr(value) : String(value);
  if (typeof value !== "number") {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Invalid value ${String(value)} for parameter '${
        at("value")
      }' supplied: metric '${key}' (timestamp=${timestamp}). ` +
        "Please specify value as a valid double (64-bit floating point)",
    );
  }
  if (typeof timestamp !== "number" || !Number.isInteger(timestamp) || timestamp < 0) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Invalid value ${String(timestamp)} for parameter '${
        at("timestamp")
      }' supplied: metric '${key}' (value=${v}). ` +
        "Timestamp must be a nonnegative long (64-bit integer) ",
    );
  }
  if (typeof step !== "number" || !Number.isInteger(step)) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Invalid value ${String(step)} for parameter '${at("step")}' supplied: metric '${key}' (value=${v}). ` +
        "Step must be a valid long (64-bit integer).",
    );
  }
  checkLength("Metric name", LIMITS.keyLength, key);
}

/**
 * Checks a param and returns its value (truncated to 6000 characters when `truncateLongValues`).
 *
 * @example
 * ```ts
 * validateParam("lr", "0.1"); // "0.1"
 * ```
 */
export function validateParam(
  key: string,
  value: string,
  options: ValidationOptions = {},
  path = "",
): string {
  validateKey("parameter", key, path ? `${path}.key` : "key");
  if (typeof value !== "string") {
    throw mlflowError("INVALID_PARAMETER_VALUE", `Param value for key '${key}' must be a string`);
  }
  return checkLength("Param value", LIMITS.paramValueLength, value, options.truncateLongValues);
}

/**
 * Checks a run tag and returns its value (truncated to 8000 characters when `truncateLongValues`).
 *
 * @example
 * ```ts
 * validateTag("team", "ml"); // "ml"
 * ```
 */
export function validateTag(key: string, value: string, options: ValidationOptions = {}, path = ""): string {
  validateKey("tag", key, path ? `${path}.key` : "key");
  if (typeof value !== "string") {
    throw mlflowError("INVALID_PARAMETER_VALUE", `Tag value for key '${key}' must be a string`);
  }
  return checkLength("Tag value", LIMITS.tagValueLength, value, options.truncateLongValues);
}

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
  checkLength("Tag value", LIMITS.experimentTagValueLength, value);
}

function checkBatchLimit(entity: string, limit: number, length: number): void {
  if (length > limit) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `A batch logging request can contain at most ${limit} ${entity}. Got ${length} ${entity}. ` +
        `Please split up ${entity} across multiple requests and try again.`,
      "MlflowClient.logBatch splits large batches for you",
    );
  }
}

/**
 * Checks the log-batch limits: ≤ 1000 metrics, ≤ 100 params, ≤ 100 tags, ≤ 1000 in total.
 *
 * @example
 * ```ts
 * validateBatchLimits(1000, 0, 0); // ok
 * ```
 */
export function validateBatchLimits(metrics: number, params: number, tags: number): void {
  checkBatchLimit("metrics", LIMITS.metricsPerBatch, metrics);
  checkBatchLimit("params", LIMITS.paramsPerBatch, params);
  checkBatchLimit("tags", LIMITS.tagsPerBatch, tags);
  checkBatchLimit("metrics, params, and tags", LIMITS.entitiesPerBatch, metrics + params + tags);
}

function validateParamKeysUnique(params: readonly KeyValue[]): void {
  const seen = new Set<string>();
  const dupes: string[] = [];
  for (const p of params) {
    if (seen.has(p.key)) dupes.push(p.key);
    seen.add(p.key);
  }
  if (dupes.length > 0) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Duplicate parameter keys have been submitted: [${dupes.map((k) => `'${k}'`).join(", ")}]. ` +
        "Please ensure the request contains only one param value per param key.",
    );
  }
}

/**
 * Validates a whole batch (limits, duplicate params, every entry) and returns it with values
 * truncated when `truncateLongValues`.
 *
 * @example
 * ```ts
 * const batch = validateBatch({ params: [{ key: "lr", value: "0.1" }] });
 * ```
 */
export function validateBatch(
  batch: { metrics?: readonly Metric[]; params?: readonly KeyValue[]; tags?: readonly KeyValue[] },
  options: ValidationOptions & {
    /** Name entries by their place in the request (`metrics[0].name`), as MLflow's log-batch does. */
    indexedPaths?: boolean;
  } = {},
): { metrics: Metric[]; params: KeyValue[]; tags: KeyValue[] } {
  const metrics = [...(batch.metrics ?? [])];
  const path = (list: string, i: number) => (options.indexedPaths ? `${list}[${i}]` : "");
  // MLflow's order: every entry, then the batch limits, then duplicate params.
  metrics.forEach((m, i) => validateMetric(m, path("metrics", i)));
  const params = (batch.params ?? []).map((p, i) => ({
    key: p.key,
    value: validateParam(p.key, p.value, options, path("params", i)),
  }));
  const tags = (batch.tags ?? []).map((t, i) => ({
    key: t.key,
    value: validateTag(t.key, t.value, options, path("tags", i)),
  }));
  validateBatchLimits(metrics.length, params.length, tags.length);
  validateParamKeysUnique(params);
  return { metrics, params, tags };
}

/**
 * Experiment names: non-empty strings of at most 500 characters.
 *
 * @example
 * ```ts
 * validateExperimentName("iris");
 * ```
 */
export function validateExperimentName(name: unknown): asserts name is string {
  if (name === "" || name === null || name === undefined) {
    throw mlflowError("INVALID_PARAMETER_VALUE", `Invalid experiment name: '${name ?? "None"}'`);
  }
  if (typeof name !== "string") {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Invalid experiment name: ${String(name)}. Expects a string.`,
    );
  }
  if (name.length > LIMITS.experimentNameLength) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `'name' exceeds the maximum length of ${LIMITS.experimentNameLength} characters`,
    );
  }
}

/**
 * Run names: strings of at most 250 characters (the width of `runs.name`).
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
  checkLength("Run name", LIMITS.runNameLength, name);
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
 * Checks dataset inputs against MLflow's limits (name 500, digest 36, source 65535, schema 1 MB,
 * profile 16 MB, input tag key 255 / value 500).
 *
 * @example
 * ```ts
 * validateDatasetInputs([{ dataset: { name: "iris", digest: "abc", sourceType: "local", source: "{}" }, tags: {} }]);
 * ```
 */
export function validateDatasetInputs(inputs: readonly DatasetInput[]): void {
  for (const { dataset: d, tags } of inputs) {
    const required = { name: d.name, digest: d.digest, source_type: d.sourceType, source: d.source };
    for (const [field, value] of Object.entries(required)) {
      if (typeof value !== "string" || value === "") {
        throw mlflowError("INVALID_PARAMETER_VALUE", `Dataset ${field} must be a non-empty string`);
      }
    }
    fieldLength("name", LIMITS.datasetName, d.name);
    fieldLength("digest", LIMITS.datasetDigest, d.digest);
    fieldLength("source", LIMITS.datasetSource, d.source);
    if (d.schema !== undefined) fieldLength("schema", LIMITS.datasetSchema, d.schema);
    if (d.profile !== undefined) fieldLength("profile", LIMITS.datasetProfile, d.profile);
    for (const [key, value] of Object.entries(tags)) {
      fieldLength("key", LIMITS.inputTagKey, key);
      fieldLength("value", LIMITS.inputTagValue, value);
    }
  }
}
