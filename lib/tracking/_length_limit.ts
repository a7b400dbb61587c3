/**
 * MLflow's `_validate_length_limit` for names and values: refused with MLflow's words, or truncated where
 * the caller allows it. Shared by the key, logged-value and experiment validators.
 *
 * @module
 */
import type { TrackingError } from "../errors.ts";
import { mlflowError } from "./tracking_errors.ts";

function lengthError(entity: string, limit: number, value: string): TrackingError {
  return mlflowError(
    "INVALID_PARAMETER_VALUE",
    `${entity} '${value.slice(0, 250)}' had length ${value.length}, which exceeded length limit of ${limit}`,
  );
}

/** `value`, or MLflow's length error when it is over `limit` (cut to `limit` when `truncate`). */
export function checkLength(entity: string, limit: number, value: string, truncate = false): string {
  if (value.length <= limit) return value;
  if (truncate) return value.slice(0, limit);
  throw lengthError(entity, limit, value);
}
