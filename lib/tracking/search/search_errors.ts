/**
 * The error for a filter or order_by MLflow would refuse: MLflow's own message (clients match on it),
 * the position of the token at fault, and a hint that explains it with the input and a caret.
 *
 * @module
 */
import { TrackingError } from "../../errors.ts";

const WINDOW = 60;

/** Refuses with MLflow's message, the offset of the token at fault, and an explanation for the hint. */
export type Fail = (message: string, pos: number, explain: string) => never;

/**
 * A refused filter or order_by (`INVALID_PARAMETER_VALUE`).
 *
 * @example
 * ```ts
 * throw searchSyntaxError("filter", "metrics.acc >", 12, "Invalid clause(s) in filter string: …", "…");
 * ```
 */
export function searchSyntaxError(
  what: "filter" | "order_by",
  input: string,
  pos: number,
  message: string,
  explain: string,
): TrackingError {
  // Long inputs are shown around the fault only.
  const from = Math.max(0, pos - WINDOW);
  const to = Math.min(input.length, pos + WINDOW);
  const shown = (from > 0 ? "…" : "") + input.slice(from, to) + (to < input.length ? "…" : "");
  const caret = " ".repeat(pos - from + (from > 0 ? 1 : 0)) + "^";
  return new TrackingError("INVALID_PARAMETER_VALUE", message, {
    source: { keyPath: what, column: pos + 1 },
    hint: `${explain} (${what}, character ${pos + 1}):\n    ${shown}\n    ${caret}`,
  });
}

/**
 * The longest filter or order_by clause kmlf reads (50,000 characters): parsing is quadratic in the worst
 * case, as it is in MLflow, and a longer text is no search anyone writes.
 */
export const MAX_SEARCH_TEXT = 50_000;

/**
 * Refuses a filter or order_by clause over {@link MAX_SEARCH_TEXT} characters.
 *
 * @example
 * ```ts
 * checkSearchLength("filter", filter);
 * ```
 */
export function checkSearchLength(what: "filter" | "order_by", text: string): void {
  if (text.length <= MAX_SEARCH_TEXT) return;
  throw new TrackingError(
    "INVALID_PARAMETER_VALUE",
    `Invalid ${what === "filter" ? "filter string" : "order_by clause"}: ${text.length} characters, over ` +
      `kmlf's limit of ${MAX_SEARCH_TEXT}`,
    { source: { keyPath: what }, hint: "split the search into several smaller ones" },
  );
}
