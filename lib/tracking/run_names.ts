/**
 * Run ids, and (from lib/mlflow_conventions.ts) MLflow-style random names for runs created without one.
 *
 * @module
 */
export { randomRunName } from "../mlflow_conventions.ts";

/**
 * A new run id: 32 lowercase hex characters (uuid4 hex, like MLflow).
 *
 * @example
 * ```ts
 * newRunId(); // "9cbcbf180edd44728f11c457696f7fd1"
 * ```
 */
export function newRunId(): string {
  return crypto.randomUUID().replaceAll("-", "");
}
