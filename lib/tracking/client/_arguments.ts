/**
 * How `MlflowClient` checks the arguments a plain-JavaScript caller may get wrong (a missing id, a number
 * for an id, a status that is not one, a record where a list goes), so every store answers with the
 * argument's name and the fix instead of a SQLite binding error or a file written beside the runs.
 *
 * @module
 */
import { RUN_STATUSES, type RunStatus } from "../entities.ts";
import { mlflowError } from "../tracking_errors.ts";
import { TrackingError } from "../../errors.ts";
import type { SearchRunsOptions } from "../stores/store.ts";
import type { ClientSearchRunsOptions } from "./client_options.ts";

/**
 * A run id given to `method`: a non-empty string, else INVALID_PARAMETER_VALUE naming `run_id`.
 *
 * @example
 * ```ts
 * runIdArgument(run.info.runId, "logMetric"); // the id
 * runIdArgument(undefined, "logMetric"); // throws: Missing value for required parameter 'run_id'
 * ```
 */
export function runIdArgument(value: unknown, method: string): string {
  if (typeof value === "string" && value !== "") return value;
  throw mlflowError(
    "INVALID_PARAMETER_VALUE",
    value === undefined || value === null || value === ""
      ? `Missing value for required parameter 'run_id' of MlflowClient.${method}`
      : `Invalid value ${
        describe(value)
      } for parameter 'run_id' of MlflowClient.${method}: a run id is a string`,
    "pass a run's id as a string: `run.info.runId` (from createRun, getRun or searchRuns)",
  );
}

/**
 * An experiment id given to `method`: a string, or a whole number (`1` → `"1"`, as MLflow's ids are
 * integers in a string); anything else is INVALID_PARAMETER_VALUE naming `experiment_id`.
 *
 * @example
 * ```ts
 * experimentIdArgument(1, "getExperiment"); // "1"
 * ```
 */
export function experimentIdArgument(value: unknown, method: string): string {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return String(value);
  throw mlflowError(
    "INVALID_PARAMETER_VALUE",
    value === undefined || value === null || value === ""
      ? `Missing value for required parameter 'experiment_id' of MlflowClient.${method}`
      : `Invalid value ${describe(value)} for parameter 'experiment_id' of MlflowClient.${method}`,
    "pass an experiment's id as a string: `experiment.experimentId` (from getExperimentByName or " +
      "getOrCreateExperiment)",
  );
}

/**
 * A run status: one of MLflow's five, else INVALID_PARAMETER_VALUE listing them.
 *
 * @example
 * ```ts
 * statusArgument("FINISHED", "setTerminated"); // "FINISHED"
 * ```
 */
export function statusArgument(value: unknown, method: string): RunStatus {
  if (RUN_STATUSES.includes(value as RunStatus)) return value as RunStatus;
  throw mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Invalid value ${describe(value)} for parameter 'status' of MlflowClient.${method}`,
    `use one of ${RUN_STATUSES.join(", ")}`,
  );
}

/**
 * A list argument (`metrics` of logBatch): an array or undefined, else INVALID_PARAMETER_VALUE.
 *
 * @example
 * ```ts
 * listArgument(batch.metrics, "metrics", "logBatch", "[{ key, value, timestamp, step }]");
 * ```
 */
export function listArgument<T>(
  value: readonly T[] | undefined,
  name: string,
  method: string,
  shape: string,
): readonly T[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  throw mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Parameter '${name}' of MlflowClient.${method} must be a list, got ${describe(value)}`,
    `pass ${name} as a list: ${shape}`,
  );
}

/**
 * A record argument (`params` of logParams, `metrics` of logMetrics): a plain object, else
 * INVALID_PARAMETER_VALUE — `Object.entries` of a string or a list would log "0", "1", … silently.
 *
 * @example
 * ```ts
 * recordArgument(params, "params", "logParams", "{ lr: 0.1 }");
 * ```
 */
export function recordArgument<T>(value: T, name: string, method: string, example: string): T {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) return value;
  throw mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Parameter '${name}' of MlflowClient.${method} must be an object of key → value, got ${describe(value)}`,
    `pass ${name} as an object: ${example}`,
  );
}

/**
 * Params or tags of logBatch/setTags: an object of key → value or a list of `{key, value}`.
 *
 * @example
 * ```ts
 * keyValuesArgument(batch.tags, "tags", "logBatch");
 * ```
 */
export function keyValuesArgument<T>(value: T, name: string, method: string): T {
  if (value === undefined || value === null || typeof value === "object") return value;
  throw mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Parameter '${name}' of MlflowClient.${method} must be an object of key → value or a list of ` +
      `{ key, value }, got ${describe(value)}`,
    `pass ${name} as { name: "value" } or [{ key: "name", value: "value" }]`,
  );
}

/**
 * A metric key to read: a string, else INVALID_PARAMETER_VALUE naming `metric_key` (MLflow's REST name).
 *
 * @example
 * ```ts
 * metricKeyArgument("loss", "getMetricHistory"); // "loss"
 * ```
 */
export function metricKeyArgument(value: unknown, method: string): string {
  if (typeof value === "string") return value;
  throw mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Missing value for required parameter 'metric_key' of MlflowClient.${method}`,
    'pass the metric\'s key as a string, e.g. "loss"',
  );
}

/**
 * The error of any call on a closed client.
 *
 * @example
 * ```ts
 * throw clientClosed();
 * ```
 */
export function clientClosed(): TrackingError {
  return new TrackingError(
    "tracking/store-closed",
    "This MlflowClient is closed: close() released its store",
    {
      hint: "open a new client with MlflowClient.open(uri, options), or call close() only when done",
    },
  );
}

/**
 * The store `new MlflowClient(store)` wraps: anything with a tracking store's methods, else
 * `tracking/no-store` with how to open one.
 *
 * @example
 * ```ts
 * storeArgument(await openStore("sqlite:///mlflow.db")); // the store
 * ```
 */
export function storeArgument<S extends { getRun?: unknown }>(store: S): S {
  if (typeof store?.getRun !== "function") {
    throw new TrackingError("tracking/no-store", "new MlflowClient(store) needs a tracking store", {
      hint:
        'open one by its URI: await MlflowClient.open("sqlite:///mlflow.db"), or new MlflowClient(await openStore(uri))',
    });
  }
  return store;
}

/** What an option of a search holds (`orderBy` may also be one string, as MLflow's single order_by). */
type OptionKind = "string" | "number" | "view" | "order";

/** The options of searchRuns / searchExperiments, by kmlf name. */
export const SEARCH_RUNS_OPTIONS: Record<string, OptionKind> = {
  filter: "string",
  runViewType: "view",
  maxResults: "number",
  orderBy: "order",
  pageToken: "string",
};
export const SEARCH_EXPERIMENTS_OPTIONS: Record<string, OptionKind> = {
  ...SEARCH_RUNS_OPTIONS,
  viewType: "view",
};
delete SEARCH_EXPERIMENTS_OPTIONS.runViewType;
/** Options of the registry searches (`searchRegisteredModels`, `searchModelVersions`): no view type. */
export const SEARCH_REGISTRY_OPTIONS: Record<string, OptionKind> = { ...SEARCH_RUNS_OPTIONS };
delete SEARCH_REGISTRY_OPTIONS.runViewType;

// MLflow's Python keyword arguments by their kmlf names.
const PYTHON_NAMES: Record<string, string> = {
  filter_string: "filter",
  filterString: "filter",
  run_view_type: "runViewType",
  view_type: "viewType",
  max_results: "maxResults",
  order_by: "orderBy",
  page_token: "pageToken",
};

/**
 * The options object of a search, checked: MLflow's `search_runs(ids, "metrics.x > 1")` passes the filter
 * second, and `filter_string=` is its keyword — here either would be ignored and every run returned. A
 * string, an unknown key or a value of the wrong kind is INVALID_PARAMETER_VALUE naming the option.
 *
 * @example
 * ```ts
 * searchOptionsArgument({ filter: "metrics.x > 1" }, SEARCH_RUNS_OPTIONS, "searchRuns"); // the options
 * ```
 */
export function searchOptionsArgument<T extends object>(
  value: T | undefined,
  known: Record<string, OptionKind>,
  method: string,
): T {
  if (value === undefined || value === null) return {} as T;
  if (typeof value !== "object" || Array.isArray(value)) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `The options of MlflowClient.${method} must be an object, got ${describe(value)}`,
      typeof value === "string"
        ? `a filter goes in the options: ${method}(${method === "searchRuns" ? "ids, " : ""}{ filter: ${
          JSON.stringify(value)
        } })`
        : `pass { ${Object.keys(known).join(", ")} }`,
    );
  }
  for (const [key, given] of Object.entries(value)) {
    if (given === undefined) continue;
    const kind = known[key];
    if (kind === undefined) {
      const name = PYTHON_NAMES[key];
      throw mlflowError(
        "INVALID_PARAMETER_VALUE",
        `MlflowClient.${method} has no option '${key}'`,
        `${name && name in known ? `MLflow's ${key} is ${name} here; ` : ""}options: ${
          Object.keys(known).join(", ")
        }`,
      );
    }
    const ok = kind === "string"
      ? typeof given === "string"
      : kind === "number"
      ? typeof given === "number"
      : kind === "view"
      ? ["ACTIVE_ONLY", "DELETED_ONLY", "ALL"].includes(given)
      : typeof given === "string" || (Array.isArray(given) && given.every((g) => typeof g === "string"));
    if (!ok) {
      throw mlflowError(
        "INVALID_PARAMETER_VALUE",
        `Invalid value ${describe(given)} for option '${key}' of MlflowClient.${method}`,
        kind === "view"
          ? "use one of ACTIVE_ONLY, DELETED_ONLY, ALL"
          : kind === "order"
          ? 'pass a list of order clauses: ["metrics.accuracy DESC"]'
          : `pass a ${kind}`,
      );
    }
  }
  // A single order_by string would be read character by character.
  const orderBy = (value as { orderBy?: unknown }).orderBy;
  return typeof orderBy === "string" ? { ...value, orderBy: [orderBy] } : value;
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "a list";
  if (value !== null && typeof value === "object") return "an object";
  return `${String(value)} (${typeof value})`;
}

/**
 * The store request of `searchRuns(experimentIds, given)`: one id or a list, each checked, and the
 * options checked as {@link searchOptionsArgument} does.
 *
 * @example
 * ```ts
 * searchRunsArguments("1", { filter: "metrics.acc > 0.9" }); // { experimentIds: ["1"], filter: … }
 * ```
 */
export function searchRunsArguments(
  experimentIds: string | readonly string[],
  given: ClientSearchRunsOptions,
): SearchRunsOptions {
  const options = searchOptionsArgument(given, SEARCH_RUNS_OPTIONS, "searchRuns");
  const ids = Array.isArray(experimentIds) ? experimentIds : [experimentIds];
  return { experimentIds: ids.map((id) => experimentIdArgument(id, "searchRuns")), ...options };
}
