/**
 * The MLflow error codes and the error messages every store shares, so that the SQLite, file and
 * REST stores fail with the same `code` and wording (MLflow's own wording where it has one).
 *
 * @module
 */
import { TrackingError } from "../errors.ts";

/** MLflow error codes (`databricks_pb2.ErrorCode` names) used by the tracking stores. */
export type MlflowErrorCode =
  | "INVALID_PARAMETER_VALUE"
  | "RESOURCE_DOES_NOT_EXIST"
  | "RESOURCE_ALREADY_EXISTS"
  | "INVALID_STATE"
  | "INTERNAL_ERROR"
  | "BAD_REQUEST"
  | "TEMPORARILY_UNAVAILABLE"
  | "NOT_IMPLEMENTED"
  | "PERMISSION_DENIED"
  | "UNAUTHENTICATED"
  | "ENDPOINT_NOT_FOUND"
  | "REQUEST_LIMIT_EXCEEDED";

/**
 * HTTP status MLflow's server answers for each error code (`ERROR_CODE_TO_HTTP_STATUS`).
 *
 * @example
 * ```ts
 * HTTP_STATUS_OF_ERROR.RESOURCE_DOES_NOT_EXIST; // 404
 * ```
 */
export const HTTP_STATUS_OF_ERROR: Readonly<Record<MlflowErrorCode, number>> = {
  INVALID_PARAMETER_VALUE: 400,
  RESOURCE_DOES_NOT_EXIST: 404,
  RESOURCE_ALREADY_EXISTS: 400,
  INVALID_STATE: 500,
  INTERNAL_ERROR: 500,
  BAD_REQUEST: 400,
  TEMPORARILY_UNAVAILABLE: 503,
  NOT_IMPLEMENTED: 501,
  PERMISSION_DENIED: 403,
  UNAUTHENTICATED: 401,
  ENDPOINT_NOT_FOUND: 404,
  REQUEST_LIMIT_EXCEEDED: 429,
};

/**
 * A TrackingError whose `code` is an MLflow error code.
 *
 * @example
 * ```ts
 * throw mlflowError("INVALID_PARAMETER_VALUE", "Invalid metric name: 'a!'", "use letters, digits and _ - . / : space");
 * ```
 */
export function mlflowError(code: MlflowErrorCode, message: string, hint?: string): TrackingError {
  return new TrackingError(code, message, hint === undefined ? {} : { hint });
}

/**
 * "Run with id=… not found" (404).
 *
 * @example
 * ```ts
 * throw runNotFound(runId); // RESOURCE_DOES_NOT_EXIST "Run with id=… not found"
 * ```
 */
export function runNotFound(runId: string): TrackingError {
  return mlflowError("RESOURCE_DOES_NOT_EXIST", `Run with id=${runId} not found`);
}

/**
 * "No Experiment with id=… exists" (404).
 *
 * @example
 * ```ts
 * throw experimentNotFound("42"); // RESOURCE_DOES_NOT_EXIST "No Experiment with id=42 exists"
 * ```
 */
export function experimentNotFound(experimentId: string): TrackingError {
  return mlflowError("RESOURCE_DOES_NOT_EXIST", `No Experiment with id=${experimentId} exists`);
}

/** "Could not find experiment with name '…'" (404), as the REST API answers get-by-name. */
export function experimentNameNotFound(name: string): TrackingError {
  return mlflowError("RESOURCE_DOES_NOT_EXIST", `Could not find experiment with name '${name}'`);
}

/** A second experiment with the same name (including deleted ones). */
export function experimentExists(name: string): TrackingError {
  return mlflowError(
    "RESOURCE_ALREADY_EXISTS",
    `Experiment(name=${name}) already exists.`,
    "experiment names are unique, including deleted experiments; pick another name or restore the old one",
  );
}

/** Writing to a deleted run. */
export function runNotActive(runId: string, stage: string): TrackingError {
  return mlflowError(
    "INVALID_PARAMETER_VALUE",
    `The run ${runId} must be in the 'active' state. Current state is ${stage}.`,
    "restore the run first (restoreRun)",
  );
}

/** Creating runs in or tagging a deleted experiment. */
export function experimentNotActive(experimentId: string, stage: string): TrackingError {
  return mlflowError(
    "INVALID_PARAMETER_VALUE",
    `The experiment ${experimentId} must be in the 'active' state. Current state is ${stage}.`,
    "restore the experiment first (restoreExperiment)",
  );
}

/** Re-logging a param with a different value (MLflow's exact message). */
export function paramValueChanged(
  runId: string,
  key: string,
  oldValue: string,
  newValue: string,
): TrackingError {
  return mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Changing param values is not allowed. Param with key='${key}' was already logged with ` +
      `value='${oldValue}' for run ID='${runId}'. Attempted logging new value '${newValue}'.`,
    "params are immutable within a run; log the new value in a new (nested) run",
  );
}

/** Re-logging params with different values in one log-batch (MLflow's SQL store wording). */
export function paramValuesChanged(
  runId: string,
  changed: readonly { key: string; old: string; value: string }[],
): TrackingError {
  const q = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  const list = changed.map((c) =>
    `{'key': ${q(c.key)}, 'old_value': ${q(c.old)}, 'new_value': ${q(c.value)}}`
  );
  return mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Changing param values is not allowed. Params were already logged='[${
      list.join(", ")
    }]' for run ID='${runId}'.`,
    "params are immutable within a run; log the new values in a new (nested) run",
  );
}

/** Deleting a tag that is not there. */
export function runTagNotFound(runId: string, key: string): TrackingError {
  return mlflowError("RESOURCE_DOES_NOT_EXIST", `No tag with name: ${key} in run with id ${runId}`);
}

/** Deleting an experiment tag that is not there. */
export function experimentTagNotFound(experimentId: string, key: string): TrackingError {
  return mlflowError(
    "RESOURCE_DOES_NOT_EXIST",
    `No tag with name: ${key} in experiment with id ${experimentId}`,
  );
}

/** Renaming a deleted experiment (MLflow: INVALID_STATE, a 500 its clients retry; kmlf: 400). */
export function cannotRenameDeleted(): TrackingError {
  return mlflowError(
    "INVALID_PARAMETER_VALUE",
    "Cannot rename a non-active experiment.",
    "restore the experiment first (restoreExperiment)",
  );
}
