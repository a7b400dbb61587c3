/**
 * Validation of names that become paths, mirroring MLflow's `mlflow/utils/validation.py`: metric, param
 * and tag keys (character set, normalized relative path, length) and run ids, refused with MLflow's words
 * (TrackingError, code `INVALID_PARAMETER_VALUE`).
 *
 * @module
 */
import type { TrackingError } from "../errors.ts";
import { LIMITS } from "./limits.ts";
import { pyJsonString } from "./py_format.ts";
import { mlflowError } from "./tracking_errors.ts";
import { checkLength } from "./_length_limit.ts";

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
  // A missing id (undefined from JavaScript) must not pass as the text "undefined" and name a folder.
  if (typeof runId !== "string" || !RUN_ID.test(runId)) {
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
