/**
 * The model registry's input rules and error messages, worded as MLflow 2.17.2's
 * (`mlflow/utils/validation.py`, the registry stores), so every store fails the same way.
 *
 * @module
 */
import type { TrackingError } from "../../errors.ts";
import { mlflowError } from "../tracking_errors.ts";
import { posixNormpath } from "../key_validation.ts";
import { checkSchemaWidth, pyLength, pyPrefix } from "../_length_limit.ts";
import { writtenLocalLocationProblem } from "../artifacts/local_uri.ts";

/** MLflow 2.17's registry limits (`registered_model_tags.value` and friends are VARCHAR(5000)). */
export const REGISTRY_LIMITS = {
  tagKeyLength: 250,
  tagValueLength: 5000,
  aliasLength: 255,
  /** `registered_models.name` is VARCHAR(256). */
  nameLength: 256,
  /** `registered_models.description` and `model_versions.description` are VARCHAR(5000). */
  descriptionLength: 5000,
  /** `model_versions.run_link` is VARCHAR(500). */
  runLinkLength: 500,
  searchModelsMaxResults: 1000,
  searchModelsDefault: 100,
  searchVersionsMaxResults: 200_000,
  searchVersionsDefault: 10_000,
} as const;

const KEY_CHARACTERS = /^[\p{L}\p{N}_/.\- :]*$/u;
const ALIAS_CHARACTERS = /^[\p{L}\p{N}_-]*$/u;

/**
 * A string as Python's `json.dumps` writes it (non-ASCII escaped), which MLflow uses in messages.
 *
 * @example
 * ```ts
 * pythonJsonString("k\u0000"); // "\"k\\u0000\""
 * ```
 */
export function pythonJsonString(value: string): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

function invalidValue(parameter: string, value: string, rule: string): TrackingError {
  return mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Invalid value ${pythonJsonString(value)} for parameter '${parameter}' supplied: ${rule}`,
  );
}

function checkLength(entity: string, limit: number, value: string): void {
  if (value.length > limit && pyLength(value) > limit) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `${entity} '${pyPrefix(value, 250)}' had length ${
        pyLength(value)
      }, which exceeded length limit of ${limit}`,
    );
  }
}

/**
 * A registered model name given to find a model: not empty (MLflow's only rule; a name that cannot
 * exist is simply not found).
 *
 * @example
 * ```ts
 * validateModelName(""); // throws "Registered model name cannot be empty."
 * ```
 */
export function validateModelName(name: string): void {
  if (!name) throw mlflowError("INVALID_PARAMETER_VALUE", "Registered model name cannot be empty.");
}

/**
 * A name for a new (or renamed) model: not empty, no control characters (SQLite would cut the text at
 * a NUL, a file name cannot hold one), at most 256 characters (the width of MLflow's
 * `registered_models.name`, which MLflow on PostgreSQL or MySQL enforces).
 *
 * @example
 * ```ts
 * validateNewModelName("iris"); // ok
 * ```
 */
export function validateNewModelName(name: string): void {
  validateModelName(name);
  if ([...name].some((c) => c.charCodeAt(0) < 0x20)) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Invalid name: ${pythonJsonString(name)}. Registered model name cannot contain control characters`,
      "use letters, digits, spaces and punctuation",
    );
  }
  if (name.length > REGISTRY_LIMITS.nameLength && pyLength(name) > REGISTRY_LIMITS.nameLength) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Registered model name '${pyPrefix(name, 250)}' had length ${
        pyLength(name)
      }, which exceeded length limit ` +
        `of ${REGISTRY_LIMITS.nameLength}`,
    );
  }
}

/**
 * A stored text (description, tag value, source, run link): no NUL character, which SQLite would cut
 * the text at; a description or run link no wider than its column (PostgreSQL enforces the widths, so
 * every store refuses alike).
 *
 * @example
 * ```ts
 * validateStoredText("description", "the demo model");
 * ```
 */
export function validateStoredText(field: string, value: string | null | undefined): void {
  if (value?.includes("\u0000")) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Invalid value ${pythonJsonString(value.slice(0, 250))} for '${field}': it contains a NUL character`,
      "remove the NUL (\\u0000) character",
    );
  }
  const width = COLUMN_WIDTHS[field];
  if (value && width) checkSchemaWidth(width.what, width.limit, value, width.column);
}

const COLUMN_WIDTHS: Record<string, { what: string; limit: number; column: string }> = {
  description: { what: "Description", limit: REGISTRY_LIMITS.descriptionLength, column: "description" },
  run_link: { what: "Run link", limit: REGISTRY_LIMITS.runLinkLength, column: "model_versions.run_link" },
};

/**
 * The texts of a new model version (source, run id, run link, description): no NUL character.
 *
 * @example
 * ```ts
 * validateVersionTexts("s3://bucket/model", { description: "first" });
 * ```
 */
export function validateVersionTexts(
  source: string,
  options: { runId?: string | null; runLink?: string | null; description?: string | null },
): void {
  validateStoredText("source", source);
  validateStoredText("run_id", options.runId);
  validateStoredText("run_link", options.runLink);
  validateStoredText("description", options.description);
  validateVersionSource(source);
}

/**
 * Refuses (INVALID_PARAMETER_VALUE) a model version source written as a local folder that names none of this
 * machine — `file:` (MLflow reads the file system's root), `file://<host>/x` (MLflow drops the host),
 * `file:///C:/x` or `C:\x` off Windows, `~/x`, a `%2F` — by the rule of every written artifact location
 * (lib/tracking/artifacts/local_uri.ts): stored, such a version loads no file, or another one. Remote and
 * registry URIs (`runs:/`, `models:/`, `s3://`) pass.
 *
 * @example
 * ```ts
 * validateVersionSource("file:///srv/mlruns/1/abc/artifacts/model"); // passes
 * validateVersionSource("file:///C:/mlruns/model"); // throws INVALID_PARAMETER_VALUE off Windows
 * ```
 */
export function validateVersionSource(source: string): void {
  const unusable = writtenLocalLocationProblem(source);
  if (!unusable) return;
  throw mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Invalid model version source '${JSON.stringify(source).slice(1, -1)}': ${unusable.problem}`,
    `${unusable.hint}; or register the model from its run (runs:/<run id>/<path>)`,
  );
}

/** A tag key: MLflow's key characters, a normalized relative path. */
function validateTagKey(key: string): void {
  if (!KEY_CHARACTERS.test(key)) {
    throw invalidValue(
      "key",
      key,
      "Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) " +
        "and slashes (/).",
    );
  }
  const norm = posixNormpath(key);
  if (norm !== key || norm === "." || norm.startsWith("..") || norm.startsWith("/")) {
    throw invalidValue(
      "key",
      key,
      "Names may be treated as files in certain cases, and must not resolve to other names when treated as " +
        `such. This name would resolve to '${norm}'`,
    );
  }
}

/**
 * A registered model's tag.
 *
 * @example
 * ```ts
 * validateRegisteredModelTag("team", "ml");
 * ```
 */
export function validateRegisteredModelTag(key: string, value: string): void {
  validateTagKey(key);
  validateStoredText("value", value);
  checkLength("Registered model key", REGISTRY_LIMITS.tagKeyLength, key);
  checkLength("Registered model value", REGISTRY_LIMITS.tagValueLength, value);
}

/**
 * A model version's tag.
 *
 * @example
 * ```ts
 * validateModelVersionTag("validated", "yes");
 * ```
 */
export function validateModelVersionTag(key: string, value: string): void {
  validateTagKey(key);
  validateStoredText("value", value);
  checkLength("Model version key", REGISTRY_LIMITS.tagKeyLength, key);
  checkLength("Model version value", REGISTRY_LIMITS.tagValueLength, value);
}

/**
 * A version number given as text; returns it as an integer (Python's `int()`: surrounding spaces
 * and leading zeros are fine).
 *
 * @example
 * ```ts
 * parseModelVersion(" 01 "); // 1
 * parseModelVersion("1.0"); // throws "Model version must be an integer, got '1.0'"
 * ```
 */
export function parseModelVersion(version: string | number): number {
  const text = String(version);
  if (!/^\s*[-+]?\d+(?:_\d+)*\s*$/.test(text)) {
    throw mlflowError("INVALID_PARAMETER_VALUE", `Model version must be an integer, got '${text}'`);
  }
  return Number(text.replaceAll("_", "").trim());
}

/**
 * An alias name: letters, digits, `_` and `-`, at most 255 characters, neither `latest` nor `v<digits>`
 * (those already mean something in `models:/` URIs).
 *
 * @example
 * ```ts
 * validateAliasName("champion"); // ok
 * validateAliasName("v2"); // throws "Version alias name 'v2' is reserved."
 * ```
 */
export function validateAliasName(alias: string): void {
  if (!alias) throw mlflowError("INVALID_PARAMETER_VALUE", "Registered model alias name cannot be empty.");
  if (!ALIAS_CHARACTERS.test(alias)) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Invalid alias name: '${alias}'. Names may only contain alphanumerics, underscores (_), and dashes (-).`,
    );
  }
  checkLength("Registered model alias name", REGISTRY_LIMITS.aliasLength, alias);
  if (alias.toLowerCase() === "latest") {
    throw mlflowError("INVALID_PARAMETER_VALUE", "'latest' alias name (case insensitive) is reserved.");
  }
  if (/^v\d+$/i.test(alias)) {
    throw mlflowError("INVALID_PARAMETER_VALUE", `Version alias name '${alias}' is reserved.`);
  }
}

/** "Registered Model with name=… not found" (404). */
export function registeredModelNotFound(name: string): TrackingError {
  return mlflowError("RESOURCE_DOES_NOT_EXIST", `Registered Model with name=${name} not found`);
}

/** "Registered Model (name=…) already exists." (400 RESOURCE_ALREADY_EXISTS). */
export function registeredModelExists(name: string): TrackingError {
  return mlflowError(
    "RESOURCE_ALREADY_EXISTS",
    `Registered Model (name=${name}) already exists.`,
    "registered model names are unique; add a version to the existing model or pick another name",
  );
}

/** "Model Version (name=…, version=…) not found" (404). */
export function modelVersionNotFound(name: string, version: string | number): TrackingError {
  return mlflowError("RESOURCE_DOES_NOT_EXIST", `Model Version (name=${name}, version=${version}) not found`);
}

/** An alias that is not set (MLflow answers 400, not 404). */
export function aliasNotFound(alias: string): TrackingError {
  return mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Registered model alias ${alias} not found.`,
    "set it first (registered-models/alias), or list the model's aliases with registered-models/get",
  );
}

/** `archive_existing_versions` with a target stage other than Staging or Production. */
export function cannotArchiveInStage(stage: string): TrackingError {
  return mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Model version transition cannot archive existing model versions because '${stage}' is not an Active ` +
      "stage. Valid stages are ['Staging', 'Production']",
  );
}

/**
 * A `max_results` for a registry search: a positive integer up to `limit`.
 *
 * @example
 * ```ts
 * validateRegistryMaxResults(100, 1000);
 * ```
 */
export function validateRegistryMaxResults(maxResults: number, limit: number): void {
  if (!Number.isInteger(maxResults) || maxResults < 1) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Invalid value for max_results. It must be a positive integer, but got ${maxResults}`,
    );
  }
  if (maxResults > limit) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Invalid value for request parameter max_results. It must be at most ${limit}, but got value ${maxResults}`,
    );
  }
}
