/**
 * A metric value as searches compare it: MLflow's SQL stores (and kmlf's) hold ±Infinity as
 * ±1.7976931348623157e308 (`Number.MAX_VALUE`), so every kmlf store filters and sorts on that form —
 * the file store, which keeps `inf` in its files, included — and a filter's infinite bound
 * (`metrics.m >= 1e309`) is read the same way. NaN stays NaN: it matches only `!=` and sorts after numbers.
 * Which point of a metric is its latest is decided on the stored form too, NaN as its stored 0.
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

/**
 * The value MLflow's SQL stores hold for a metric value (NaN as 0, beside an `is_nan` flag; ±Infinity as
 * ±MAX_VALUE): what they compare when they pick a metric's latest point by (step, timestamp, value).
 *
 * @example
 * ```ts
 * storedMetricNumber(NaN); // 0
 * storedMetricNumber(-Infinity); // -1.7976931348623157e308
 * ```
 */
export function storedMetricNumber(value: number): number {
  return Number.isNaN(value) ? 0 : searchableMetric(value);
}
