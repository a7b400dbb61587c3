/**
 * Errors of MLflow's scoring protocol: an HTTP status, MLflow's `error_code` and message, rendered as the
 * JSON body `mlflow models serve` answers with.
 *
 * @module
 */
import { KmlfError } from "../errors.ts";

/**
 * A request the model cannot score (bad JSON, wrong columns or types, …) or a failed prediction.
 *
 * @example
 * ```ts
 * throw new ScoringError(400, "BAD_REQUEST", "Invalid input. …");
 * ```
 */
export class ScoringError extends KmlfError {
  readonly status: number;
  readonly errorCode: string;

  constructor(
    status: number,
    errorCode: string,
    message: string,
    options: { hint?: string; cause?: unknown } = {},
  ) {
    super(`model/${errorCode.toLowerCase().replaceAll("_", "-")}`, message, options);
    this.status = status;
    this.errorCode = errorCode;
  }
}
