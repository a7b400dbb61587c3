/**
 * MLflow's rules for run and experiment ids (`mlflow/utils/validation.py`: `_validate_run_id`,
 * `_validate_experiment_id`). Stores that turn ids into folder names (the file store) check them on every
 * call, reads included, so an id can never name a path outside the store.
 *
 * @module
 */
import { mlflowError } from "./tracking_errors.ts";

// Python's `\w` is Unicode-aware (letters, digits, underscore), as in validation.ts' key rule.
const RUN_ID = /^[a-zA-Z0-9][\p{L}\p{N}_-]{0,255}$/u;
const EXPERIMENT_ID = /^[a-zA-Z0-9][\p{L}\p{N}_-]{0,63}$/u;

/** An id shown in a message: control characters escaped, at most 100 characters (never a whole body). */
function shown(id: string): string {
  const escaped = JSON.stringify(id.length > 100 ? `${id.slice(0, 100)}…` : id);
  return escaped.slice(1, -1);
}

/**
 * Checks a run id with MLflow's rule `^[a-zA-Z0-9][\w-]{0,255}$` (INVALID_PARAMETER_VALUE otherwise).
 *
 * @example
 * ```ts
 * validateRunId("0123456789abcdef0123456789abcdef"); // ok
 * validateRunId("../../etc"); // throws TrackingError INVALID_PARAMETER_VALUE
 * ```
 */
export function validateRunId(runId: unknown): asserts runId is string {
  if (typeof runId === "string" && RUN_ID.test(runId)) return;
  throw mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Invalid value "${shown(String(runId))}" for parameter 'run_id' supplied.`,
    "a run id is the 32-character hex id MLflow gave the run (letters, digits, _ and -)",
  );
}

/**
 * Checks an experiment id with MLflow's rule `^[a-zA-Z0-9][\w-]{0,63}$` (INVALID_PARAMETER_VALUE otherwise).
 *
 * @example
 * ```ts
 * validateExperimentId("683674119392571893"); // ok
 * validateExperimentId("0/../1"); // throws TrackingError INVALID_PARAMETER_VALUE
 * ```
 */
export function validateExperimentId(experimentId: unknown): asserts experimentId is string {
  if (typeof experimentId === "string" && EXPERIMENT_ID.test(experimentId)) return;
  throw mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Invalid experiment ID: '${shown(String(experimentId))}'`,
    "an experiment id is the id the store gave it (letters, digits, _ and -), e.g. '0'",
  );
}

/**
 * Whether `experimentId` follows MLflow's rule (for searches, where an unknown id just finds nothing).
 *
 * @example
 * ```ts
 * isValidExperimentId("../x"); // false
 * ```
 */
export function isValidExperimentId(experimentId: string): boolean {
  return EXPERIMENT_ID.test(experimentId);
}
