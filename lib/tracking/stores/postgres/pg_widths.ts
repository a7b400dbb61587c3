/**
 * Column widths of MLflow's schema that only PostgreSQL enforces (SQLite and mlruns keep longer text):
 * artifact locations and run artifact URIs, which follow from where the store keeps artifacts. Refused
 * with the limit and the fix before the insert would fail with the server's bare "value too long".
 *
 * @module
 */
import { checkLength, pyLength, pyPrefix } from "../../_length_limit.ts";
import { LIMITS } from "../../limits.ts";
import { mlflowError } from "../../tracking_errors.ts";
import { TrackingError } from "../../../errors.ts";
import { appendToUri } from "../sql/rows.ts";

/**
 * Throws INVALID_PARAMETER_VALUE (with the fix) when an experiment's artifact location is wider than
 * `experiments.artifact_location`.
 *
 * @example
 * ```ts
 * checkArtifactLocationWidth("s3://bucket/experiments/1");
 * ```
 */
export function checkArtifactLocationWidth(location: string): void {
  try {
    checkLength("Artifact location", LIMITS.artifactLocationColumn, location);
  } catch (error) {
    if (!(error instanceof TrackingError)) throw error;
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `${error.message} (MLflow's schema on PostgreSQL: experiments.artifact_location holds ` +
        `${LIMITS.artifactLocationColumn} characters)`,
      "choose a shorter artifact location (or a shorter --default-artifact-root for the server)",
    );
  }
}

// What a run adds to its experiment's location: "/<32-hex run id>/artifacts".
const RUN_SUFFIX = 1 + 32 + "/artifacts".length;

/**
 * Throws INVALID_PARAMETER_VALUE (with the fix) when runs of the experiment at `location` would get
 * artifact URIs wider than `runs.artifact_uri` (200).
 *
 * @example
 * ```ts
 * checkRunArtifactUriWidth("3", "s3://bucket/experiments/3");
 * ```
 */
export function checkRunArtifactUriWidth(experimentId: string, location: string): void {
  const room = LIMITS.runArtifactUriColumn - RUN_SUFFIX;
  if (pyLength(appendToUri(location, "0".repeat(32), "artifacts")) <= LIMITS.runArtifactUriColumn) return;
  const length = pyLength(location);
  throw mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Cannot create a run in experiment ${experimentId}: its artifact location '${
      pyPrefix(location, 250)
    }' has length ${length}, so its runs' artifact URIs (location/<run id>/artifacts) would exceed the ` +
      `${LIMITS.runArtifactUriColumn} characters runs.artifact_uri holds in MLflow's schema on PostgreSQL`,
    `log to an experiment whose artifact location has at most ${room} characters (a shorter ` +
      "--default-artifact-root for new experiments, or an explicit short artifact location)",
  );
}

/**
 * A value PostgreSQL refused as too long for its column (SQLSTATE 22001) that no check above caught,
 * as INVALID_PARAMETER_VALUE rather than a crash.
 *
 * @example
 * ```ts
 * valueTooLong(new Error("value too long for type character varying(250)"));
 * ```
 */
export function valueTooLong(error: unknown): TrackingError {
  return mlflowError(
    "INVALID_PARAMETER_VALUE",
    `A value is longer than its column in MLflow's schema on PostgreSQL holds: ${(error as Error).message}`,
    "shorten the value (MLflow's limits: names 250 or 256 characters, tag values 8000, params 6000)",
  );
}
