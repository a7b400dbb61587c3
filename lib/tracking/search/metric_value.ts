/**
 * A metric value as searches compare it: MLflow's SQL stores (and kmlf's) hold ±Infinity as
 * ±1.7976931348623157e308 (`Number.MAX_VALUE`), so every kmlf store filters and sorts on that form —
 * the file store, which keeps `inf` in its files, included — and a filter's infinite bound
 * (`metrics.m >= 1e309`) is read the same way. NaN stays NaN: it matches only `!=` and sorts after numbers.
 *
 * @module
 */

/**
 * The value a search compares for a metric value.
 *
 * @example
 * ```ts
 * searchableMetric(Infinity); // 1.7976931348623157e308
 * searchableMetric(0.5); // 0.5
 * ```
 */
export function searchableMetric(value: number): number {
  if (value === Infinity) return Number.MAX_VALUE;
  if (value === -Infinity) return -Number.MAX_VALUE;
  return value;
}
