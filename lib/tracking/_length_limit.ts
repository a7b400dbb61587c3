/**
 * MLflow's `_validate_length_limit` for names and values: refused with MLflow's words, or truncated where
 * the caller allows it. Shared by the key, logged-value and experiment validators.
 *
 * @module
 */
import type { TrackingError } from "../errors.ts";
import { mlflowError } from "./tracking_errors.ts";
import { pyLength } from "../code_points.ts";

// Limits and truncation count as MLflow's Python does (code points), never cutting a character in half.
export { pyLength };

/** The first `count` code points of `text` (Python's `text[:count]`). */
export function pyPrefix(text: string, count: number): string {
  if (!/[\uD800-\uDFFF]/.test(text)) return text.slice(0, count);
  let end = 0;
  let n = 0;
  for (const c of text) {
    if (n++ === count) break;
    end += c.length;
  }
  return text.slice(0, end);
}

function lengthError(entity: string, limit: number, value: string): TrackingError {
  return mlflowError(
    "INVALID_PARAMETER_VALUE",
    `${entity} '${pyPrefix(value, 250)}' had length ${
      pyLength(value)
    }, which exceeded length limit of ${limit}`,
  );
}

/**
 * Whether an over-long value is cut instead of refused: `true` cuts it, a function cuts it and is told
 * (with MLflow's warning) — so a server that truncates says so in its log, as MLflow's does.
 */
export type Truncation = boolean | ((warning: string) => void);

/**
 * `value`, or MLflow's length error when it is over `limit` characters (code points, as Python counts
 * them; cut to `limit` when `truncate`, reporting the cut when `truncate` is a function).
 *
 * @example
 * ```ts
 * checkLength("Param value", 6000, "😀".repeat(6000)); // kept whole: 6000 characters
 * ```
 */
export function checkLength(
  entity: string,
  limit: number,
  value: string,
  truncate: Truncation = false,
): string {
  if (value.length <= limit || pyLength(value) <= limit) return value;
  if (!truncate) throw lengthError(entity, limit, value);
  if (typeof truncate === "function") {
    truncate(
      `${entity} '${pyPrefix(value, 100)}...' had length ${pyLength(value)}, which exceeded length limit ` +
        `of ${limit}: truncated to ${limit} characters (MLFLOW_TRUNCATE_LONG_VALUES=false refuses such values)`,
    );
  }
  return pyPrefix(value, limit);
}

/**
 * Refuses (INVALID_PARAMETER_VALUE, in MLflow's length words) a value wider than its column in MLflow's schema,
 * which PostgreSQL enforces and SQLite does not: every kmlf store refuses it alike.
 *
 * @example
 * ```ts
 * checkSchemaWidth("User id", 256, "alice", "runs.user_id"); // passes
 * ```
 */
export function checkSchemaWidth(what: string, limit: number, value: string, column: string): void {
  try {
    checkLength(what, limit, value);
  } catch (error) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      (error as Error).message,
      `shorten it to ${limit} characters: MLflow's ${column} column holds no more (PostgreSQL refuses ` +
        "longer text), so every kmlf store refuses it",
    );
  }
}
