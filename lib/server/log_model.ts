/**
 * `runs/log-model` (MLflow's legacy RPC, still called by the Python client's `log_model`): appends
 * the model's description to the run's `mlflow.log-model.history` tag, a JSON list, as MLflow's
 * stores' `record_logged_model` do.
 *
 * @module
 */
import { mlflowError, type TrackingStore } from "../tracking/mod.ts";
import { isDict, pyJsonLoads, type PyValue } from "./request/py_values.ts";

/** The tag MLflow keeps the logged models of a run in. */
export const LOGGED_MODELS_TAG = "mlflow.log-model.history";

const MANDATORY = ["artifact_path", "flavors", "run_id", "utc_time_created"];

/**
 * Checks `modelJson` as MLflow's `_log_model` does and appends it to the run's history tag.
 *
 * @example
 * ```ts
 * await logModelHistory(store, runId, JSON.stringify({ artifact_path: "model", flavors: {}, run_id: runId, utc_time_created: "2024-01-01 00:00:00.000000" }));
 * ```
 */
export async function logModelHistory(store: TrackingStore, runId: string, modelJson: string): Promise<void> {
  const model: PyValue | undefined = pyJsonLoads(modelJson);
  if (model === undefined) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Malformed model info. \n ${modelJson} \n is not a valid JSON.`,
    );
  }
  if (!isDict(model)) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Malformed model info: model_json must hold a JSON object, e.g. {"artifact_path": "model", …}.`,
    );
  }
  const missing = MANDATORY.filter((field) => !model.has(field));
  if (missing.length) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Model json is missing mandatory fields: {${missing.map((f) => `'${f}'`).join(", ")}}`,
    );
  }
  const run = await store.getRun(runId);
  const previous = run.data.tags[LOGGED_MODELS_TAG];
  let history: unknown[] = [];
  if (previous) {
    try {
      const parsed = JSON.parse(previous);
      if (Array.isArray(parsed)) history = parsed;
    } catch { /* an unreadable history is replaced, as a fresh list */ }
  }
  history.push(JSON.parse(modelJson));
  await store.setTag(runId, LOGGED_MODELS_TAG, pythonJsonDumps(history));
}

/** `json.dumps(v)` with Python's default separators (", " and ": "), as MLflow writes the tag. */
function pythonJsonDumps(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(pythonJsonDumps).join(", ")}]`;
  if (v !== null && typeof v === "object") {
    return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${pythonJsonDumps(x)}`).join(", ")}}`;
  }
  return JSON.stringify(v);
}
