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
  /**
   * The HTTP status `mlflow models serve` answers with (400 for a bad request, 500 for a failed prediction).
   */
  readonly status: number;
  /** MLflow's `error_code` (e.g. `BAD_REQUEST`). */
  readonly errorCode: string;

  /** The kmlf code is `options.code`, else `model/<error code in kebab case>`. */
  constructor(
    status: number,
    errorCode: string,
    message: string,
    options: { hint?: string; cause?: unknown; code?: string } = {},
  ) {
    super(options.code ?? `model/${errorCode.toLowerCase().replaceAll("_", "-")}`, message, options);
    this.status = status;
    this.errorCode = errorCode;
  }
}
