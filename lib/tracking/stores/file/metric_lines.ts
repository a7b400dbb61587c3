/**
 * A metric's history file in MLflow's file store: one `<timestamp> <value> <step>` line per point, the value
 * written as Python's `str()` writes a float.
 *
 * @module
 */
import { mlflowError } from "../../tracking_errors.ts";

/** A float as Python's `str()` writes it: `1.0`, `0.1`, `nan`, `inf`, `1e+300`. */
export function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return value.toFixed(1);
  return String(value);
}

/** Parses a metric line; NaN/inf in Python spelling. */
export function parseMetricLine(
  line: string,
  key: string,
): { key: string; timestamp: number; value: number; step: number } {
  const [ts, raw, step] = line.trim().split(/\s+/);
  if (raw === undefined) {
    throw mlflowError(
      "INTERNAL_ERROR",
      `Cannot read the history of metric '${key}': the line '${
        line.slice(0, 80)
      }' is not '<timestamp> <value> <step>'`,
      "the store's metric file was edited by hand or cut short; fix or remove that line",
    );
  }
  const lower = raw.toLowerCase();
  const value = lower === "nan"
    ? NaN
    : lower === "inf" || lower === "+inf"
    ? Infinity
    : lower === "-inf"
    ? -Infinity
    : Number(raw);
  return { key, timestamp: Number(ts), value, step: Number(step ?? 0) };
}
