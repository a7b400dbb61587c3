/**
 * Validation of what a run logs, mirroring MLflow's `mlflow/utils/validation.py`: metrics, params and
 * tags one at a time, and log-batch requests (limits, duplicate params, every entry). Every store calls
 * these before writing, so bad input fails the same way everywhere (TrackingError, code
 * `INVALID_PARAMETER_VALUE`).
 *
 * @module
 */
import { type KeyValue, type Metric, MLFLOW_TAGS } from "./entities.ts";
import { LIMITS } from "./limits.ts";
import { pyFloatRepr } from "./py_format.ts";
import { mlflowError } from "./tracking_errors.ts";
import { validateKey } from "./key_validation.ts";
import { checkLength, type Truncation } from "./_length_limit.ts";
import { refuseNul } from "./nul_check.ts";

/** Options shared by the value validators. */
export interface ValidationOptions {
  /**
   * Truncate param values over 6000 and tag values over 8000 characters instead of failing, as an
   * MLflow server does with `MLFLOW_TRUNCATE_LONG_VALUES=true`; a function also receives MLflow's warning
   * for each value cut (a server logs it). Default false: kmlf never drops data silently, so an
   * over-long value is an error.
   */
  truncateLongValues?: Truncation;
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
      `the value is ${kindOf(value)}: pass a number${typeof value === "string" ? " (Number(text))" : ""}`,
    );
  }
  if (typeof timestamp !== "number" || !Number.isInteger(timestamp) || timestamp < 0) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Invalid value ${String(timestamp)} for parameter '${
        at("timestamp")
      }' supplied: metric '${key}' (value=${v}). ` +
        "Timestamp must be a nonnegative long (64-bit integer) ",
      `the timestamp is ${kindOf(timestamp)}: pass whole milliseconds since the epoch (Date.now())`,
    );
  }
  if (typeof step !== "number" || !Number.isInteger(step)) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Invalid value ${String(step)} for parameter '${at("step")}' supplied: metric '${key}' (value=${v}). ` +
        "Step must be a valid long (64-bit integer).",
      `the step is ${kindOf(step)}: pass a whole number`,
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
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Param value for key '${key}' must be a string`,
      `the value is ${kindOf(value)}: pass String(value), or use logParam/logParams, which convert any value`,
    );
  }
  refuseNul(path ? `${path}.value` : "value", value);
  return checkLength("Param value", LIMITS.paramValueLength, value, options.truncateLongValues);
}

/**
 * Checks a run tag and returns its value (truncated to 8000 characters when `truncateLongValues`); the
 * `mlflow.runName` tag is a run name, at most 250 characters.
 *
 * @example
 * ```ts
 * validateTag("team", "ml"); // "ml"
 * ```
 */
export function validateTag(key: string, value: string, options: ValidationOptions = {}, path = ""): string {
  validateKey("tag", key, path ? `${path}.key` : "key");
  if (typeof value !== "string") {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Tag value for key '${key}' must be a string`,
      `the value is ${kindOf(value)}: pass String(value)`,
    );
  }
  refuseNul(path ? `${path}.value` : "value", value);
  const checked = checkLength("Tag value", LIMITS.tagValueLength, value, options.truncateLongValues);
  // The run-name tag is the run's name (runs.name, 250 wide): refused over it as a run name is, so no
  // store keeps a name PostgreSQL cannot hold (MLflow's SQLite kept it, its PostgreSQL store failed).
  if (key === MLFLOW_TAGS.runName) checkLength("Run name", LIMITS.runNameLength, checked);
  return checked;
}

// What a caller passed instead, for the hint (the messages keep MLflow's words).
function kindOf(value: unknown): string {
  if (typeof value === "string") return `the string ${JSON.stringify(value).slice(0, 40)}`;
  if (value === null || value === undefined) return String(value);
  if (typeof value === "number") return String(value);
  return Array.isArray(value) ? "a list" : `a ${typeof value}`;
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
