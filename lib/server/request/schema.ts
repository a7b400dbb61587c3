/**
 * MLflow's handler schemas (`_assert_required`, `_assert_string`, `_assert_intlike`, … in
 * `mlflow/server/handlers.py`) and the order it applies them in: field by field in schema order,
 * type checks only when the proto parse failed, Python-lenient conversions (`int("5")`,
 * `int(1.5)`, `float(True)`). Where Python would raise something other than an assertion (a list
 * given to `int()`: MLflow's HTML 500), kmlf reports the field as invalid instead.
 *
 * @module
 */
import { mlflowError } from "../../tracking/mod.ts";
import { pyLength } from "../../code_points.ts";
import { isDict, pyFloat, pyInt, pyJsonDumps, pyTypeName, type PyValue } from "./py_values.ts";

/** What one check did with a value. */
type Outcome =
  | undefined
  | { assertion: string | undefined }
  | { raises: true };

/** One validation function of a schema. */
export interface Check {
  /** Type checks are skipped when the proto parse succeeded (MLflow's `_TYPE_VALIDATORS`). */
  readonly type: boolean;
  readonly run: (value: PyValue) => Outcome;
}

const ok = undefined;
const failed = (message?: string): Outcome => ({ assertion: message });
const raises: Outcome = { raises: true };

/** `_assert_required`: not None and not "". */
export const required: Check = {
  type: false,
  run: (v) => (v === null || v === "" ? failed() : ok),
};
/** `_assert_string`. */
export const string: Check = { type: true, run: (v) => (typeof v === "string" ? ok : failed()) };
/** `_assert_bool`. */
export const bool: Check = { type: true, run: (v) => (typeof v === "boolean" ? ok : failed()) };
/** `_assert_array`. */
export const array: Check = { type: true, run: (v) => (Array.isArray(v) ? ok : failed()) };
/** `_assert_intlike`: `int(x)` works (ValueError → invalid; TypeError → MLflow's 500). */
export const intlike: Check = {
  type: true,
  run: (v) => {
    const n = pyInt(v);
    return "ok" in n ? ok : n.raises === "ValueError" ? failed() : raises;
  },
};
/** `_assert_floatlike`: `float(x)` works. */
export const floatlike: Check = {
  type: true,
  run: (v) => {
    const n = pyFloat(v);
    return "ok" in n ? ok : n.raises === "ValueError" ? failed() : raises;
  },
};
/** `_assert_item_type_string`: every item is a str (a str or dict iterates as strs; scalars raise). */
export const itemStrings: Check = {
  type: true,
  run: (v) => {
    if (typeof v === "string" || isDict(v)) return ok;
    if (!Array.isArray(v)) return raises;
    return v.every((item) => typeof item === "string") ? ok : failed();
  },
};

/**
 * `lambda x: _assert_less_than_or_equal(int(x), max, message)` (always run, not a type check).
 *
 * @example
 * ```ts
 * atMost(50000); // runs/search max_results
 * ```
 */
export function atMost(max: bigint, message?: (v: PyValue) => string): Check {
  return {
    type: false,
    run: (v) => {
      const n = pyInt(v);
      if (!("ok" in n)) return raises;
      return n.ok > max ? failed(message?.(v)) : ok;
    },
  };
}

/** `lambda x: _assert_intlike_within_range(int(x), min, max, message)`. */
export function intWithin(min: bigint, max: bigint, message: string): Check {
  return {
    type: false,
    run: (v) => {
      const n = pyInt(v);
      if (!("ok" in n)) return raises;
      return n.ok < min || n.ok > max ? failed(message) : ok;
    },
  };
}

/** `lambda x: _assert_less_than_or_equal(len(x), max, message)`. */
export function lengthAtMost(max: number, message: (length: number) => string): Check {
  return {
    type: false,
    run: (v) => {
      const length = typeof v === "string"
        ? pyLength(v)
        : Array.isArray(v)
        ? v.length
        : isDict(v)
        ? v.size
        : undefined;
      if (length === undefined) return raises;
      return length > max ? failed(message(length)) : ok;
    },
  };
}

/** A check of a field's items: `f(items)` returns the failing item's path and value, if any. */
export function items(
  find: (value: PyValue) => { path: string; value: PyValue; missing: boolean } | undefined,
): Check {
  return {
    type: false,
    run: (v) => {
      const bad = find(v);
      if (!bad) return ok;
      if (bad.missing) return failed(missingValue(bad.path));
      throw invalidValueError(bad.path, bad.value);
    },
  };
}

/** A handler schema: fields in the order MLflow checks them. */
export type Schema = readonly (readonly [string, readonly Check[]])[];

/**
 * `missing_value(path)`.
 *
 * @example
 * ```ts
 * missingValue("run_id"); // "Missing value for required parameter 'run_id'."
 * ```
 */
export function missingValue(path: string): string {
  return `Missing value for required parameter '${path}'.`;
}

/**
 * `invalid_value(path, value, message)`: the value spelled as Python's `json.dumps` does.
 *
 * @example
 * ```ts
 * invalidValue("max_results", 0n, "It must be a positive integer"); // "Invalid value 0 for parameter 'max_results' supplied: It must be a positive integer"
 * ```
 */
export function invalidValue(path: string, value: PyValue, message?: string): string {
  const v = pyJsonDumps(value);
  return message === undefined
    ? `Invalid value ${v} for parameter '${path}' supplied.`
    : `Invalid value ${v} for parameter '${path}' supplied: ${message}`;
}

const API_DOCS = " See the API docs for more information about request parameters.";

/** The 400 MLflow answers when a schema check fails. */
function schemaError(message: string) {
  return mlflowError("INVALID_PARAMETER_VALUE", message + API_DOCS);
}

/**
 * The 400 for a value of the wrong type: MLflow's template with Python's type name (also what kmlf
 * answers where MLflow's own check crashes with a 500).
 */
export function invalidValueError(path: string, value: PyValue, reason?: string) {
  return schemaError(
    invalidValue(
      path,
      value,
      reason === undefined ? ` Hint: Value was of type '${pyTypeName(value)}'.` : `${reason}.`,
    ),
  );
}

/**
 * Runs `schema` over the request JSON as `_get_request_message` does and throws MLflow's 400 for
 * the first failing check.
 *
 * @example
 * ```ts
 * validateSchema([["run_id", [required, string]]], new Map(), true); // throws "Missing value …"
 * ```
 */
export function validateSchema(schema: Schema, json: Map<string, PyValue>, parseSucceeded: boolean): void {
  for (const [key, checks] of schema) {
    if (!json.has(key) && !checks.includes(required)) continue;
    let value = json.get(key) ?? null;
    if (key === "run_id" && value === null && json.has("run_uuid")) value = json.get("run_uuid") ?? null;
    for (const check of checks) {
      if (check.type && parseSucceeded) continue;
      const outcome = check.run(value);
      if (outcome === undefined) continue;
      if ("raises" in outcome) throw invalidValueError(key, value);
      if (outcome.assertion !== undefined) throw schemaError(outcome.assertion);
      if (check === required) throw schemaError(missingValue(key));
      throw invalidValueError(key, value);
    }
  }
}
