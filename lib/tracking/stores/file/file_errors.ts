/**
 * MLflow's FileStore checks and wording (`mlflow/store/tracking/file_store.py`): its run and
 * experiment id rules (which also keep ids from naming paths outside the store) and its messages,
 * so a kmlf file store refuses what MLflow's refuses, with the same words.
 *
 * @module
 */
import type { TrackingError } from "../../../errors.ts";
import { mlflowError } from "../../tracking_errors.ts";

// MLflow's _EXPERIMENT_ID_REGEX; Python's `$` also matches before a final newline, `\w` is Unicode.
const EXPERIMENT_ID = /^[a-zA-Z0-9][\p{L}\p{N}_-]{0,63}\n?$/u;

/** Whether `experimentId` is a valid FileStore experiment id (a safe folder name). */
export function isExperimentId(experimentId: string): boolean {
  return EXPERIMENT_ID.test(experimentId);
}

/**
 * `_validate_experiment_id`: `Invalid experiment ID: '<id>'` (400).
 *
 * @example
 * ```ts
 * validateExperimentId("../x"); // throws INVALID_PARAMETER_VALUE
 * ```
 */
export function validateExperimentId(experimentId: string): void {
  if (!isExperimentId(experimentId)) {
    throw mlflowError("INVALID_PARAMETER_VALUE", `Invalid experiment ID: '${experimentId}'`);
  }
}

/** "Could not find experiment with ID …" (404). */
export function experimentIdNotFound(experimentId: string): TrackingError {
  return mlflowError("RESOURCE_DOES_NOT_EXIST", `Could not find experiment with ID ${experimentId}`);
}

/** "Could not find deleted experiment with ID …" (404), for restoring. */
export function deletedExperimentNotFound(experimentId: string): TrackingError {
  return mlflowError("RESOURCE_DOES_NOT_EXIST", `Could not find deleted experiment with ID ${experimentId}`);
}

/** A second experiment with a name in use (the file store's wording). */
export function experimentNameTaken(name: string, deleted: boolean): TrackingError {
  return mlflowError(
    "RESOURCE_ALREADY_EXISTS",
    deleted
      ? `Experiment '${name}' already exists in deleted state. You can restore the experiment, or permanently ` +
        "delete the experiment from the .trash folder (under tracking server's root folder) in order to use " +
        "this experiment name again."
      : `Experiment '${name}' already exists.`,
    "experiment names are unique, including deleted experiments; pick another name or restore the old one",
  );
}

/** Creating a run in a deleted experiment (MLflow: INVALID_STATE, a 500; kmlf: 400). */
export function experimentNotActiveForRun(experimentId: string): TrackingError {
  return mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Could not create run under non-active experiment with ID ${experimentId}.`,
    "restore the experiment first (restoreExperiment)",
  );
}

/** "Run '…' not found" (404). */
export function fileRunNotFound(runId: string): TrackingError {
  return mlflowError("RESOURCE_DOES_NOT_EXIST", `Run '${runId}' not found`);
}

/** Writing to a deleted run (the file store's wording). */
export function fileRunNotActive(runId: string): TrackingError {
  return mlflowError(
    "INVALID_PARAMETER_VALUE",
    `The run ${runId} must be in 'active' lifecycle_stage.`,
    "restore the run first (restoreRun)",
  );
}

/** MLflow's file store keeps experiment 0 (MLflow: a 500; kmlf: 400). */
export function cannotDeleteDefault(): TrackingError {
  return mlflowError(
    "INVALID_PARAMETER_VALUE",
    "Cannot delete the default experiment '0'. This is an internally reserved experiment.",
  );
}
