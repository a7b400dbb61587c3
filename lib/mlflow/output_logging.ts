/**
 * pipelinex's automatic logging of node outputs that are not in the catalog (opt-in with
 * `tracking.log_outputs_not_in_catalog` in mlflow.yml): numbers become metrics, strings, booleans,
 * lists and plain objects become params (JSON text for lists and objects). Anything else (class
 * instances, typed arrays, dates…) and values too long for an MLflow param are left out, with a reason.
 */
import { paramValueToString } from "../mlflow_conventions.ts";
import { MAX_PARAM_VALUE_LENGTH, sanitizeName } from "./params.ts";
import type { MetricPoint } from "./tracking_port.ts";

/** What to log for one node's outputs. */
export interface OutputPlan {
  metrics: MetricPoint[];
  params: Record<string, string>;
  /** Outputs left out, with why (for a note to the user). */
  skipped: { name: string; reason: string }[];
}

/**
 * Plans the logging of the outputs `isListed` says are not catalog entries.
 *
 * @example
 * ```ts
 * planOutputs({ score: 0.9, best: "rf", model: {} }, (n) => n === "model", 0);
 * // { metrics: [{ key: "score", value: 0.9, step: 0, timestamp: 0 }], params: { best: "rf" }, skipped: [] }
 * ```
 */
export function planOutputs(
  outputs: Record<string, unknown>,
  isListed: (name: string) => boolean,
  timestamp: number,
): OutputPlan {
  const plan: OutputPlan = { metrics: [], params: {}, skipped: [] };
  for (const [name, value] of Object.entries(outputs)) {
    if (isListed(name) || value === null || value === undefined) continue;
    const key = sanitizeName(name);
    if (typeof value === "number" || typeof value === "bigint") {
      plan.metrics.push({ key, value: Number(value), step: 0, timestamp });
      continue;
    }
    if (typeof value !== "string" && typeof value !== "boolean" && !isListOrDict(value)) {
      plan.skipped.push({
        name,
        reason: `${describe(value)} is neither a number, a string, a list nor a dict`,
      });
      continue;
    }
    let text: string;
    try {
      text = paramValueToString(value);
    } catch (error) {
      plan.skipped.push({ name, reason: `it cannot be written as JSON (${(error as Error).message})` });
      continue;
    }
    if (text.length > MAX_PARAM_VALUE_LENGTH) {
      plan.skipped.push({
        name,
        reason: `its text is ${text.length} characters, over MLflow's ${MAX_PARAM_VALUE_LENGTH} for a param`,
      });
      continue;
    }
    plan.params[key] = text;
  }
  return plan;
}

function isListOrDict(value: unknown): boolean {
  if (Array.isArray(value)) return true;
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (typeof value !== "object" || value === null) return `a ${typeof value}`;
  return `a ${Object.getPrototypeOf(value)?.constructor?.name ?? "object"}`;
}
