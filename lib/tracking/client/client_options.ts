/**
 * Options and input types of `MlflowClient`, and how it turns loose inputs (records, non-string param
 * values) into MLflow's entities.
 *
 * @module
 */
import type { KeyValue, ViewType } from "../entities.ts";
import type { RunContext } from "./run_context.ts";

/** Params or tags given as a record or as `{key, value}` entries. */
export type KeyValueInput = Record<string, string> | readonly KeyValue[];

/** Options of {@link MlflowClient}. */
export interface MlflowClientOptions {
  /** Who and what starts runs (default: {@link defaultRunContext}, read lazily). */
  context?: Partial<RunContext>;
  /**
   * Flush and end active runs on SIGINT/SIGTERM (re-raised afterwards), uncaught errors (re-thrown)
   * and when the event loop empties. Default true.
   */
  processHooks?: boolean;
}

/** Options of {@link MlflowClient.searchRuns}. */
export interface ClientSearchRunsOptions {
  /** MLflow search filter, e.g. `metrics.acc > 0.9 and params.model = 'logreg'`; default: every run. */
  filter?: string;
  /** Which runs by lifecycle stage: "ACTIVE_ONLY" (default), "DELETED_ONLY" or "ALL". */
  runViewType?: ViewType;
  /** Page size, 1..50000; default 1000. */
  maxResults?: number;
  /** MLflow order-by clauses, e.g. `["metrics.acc DESC", "start_time"]`; default newest start time first. */
  orderBy?: readonly string[];
  /** The `nextPageToken` of the previous page, to read the next one. */
  pageToken?: string;
}

/** Options of {@link MlflowClient.startRun}. */
export interface StartRunOptions {
  /** Default: the parent's experiment for nested runs, else `experimentName`'s, else "0". */
  experimentId?: string;
  /** Experiment to use (created when missing) when no id is given. */
  experimentName?: string;
  /** Name of a new run (`mlflow.runName`); default: a random adjective-noun-NNN name. */
  runName?: string;
  /** Make the innermost active run (or `parentRunId`) this run's parent (`mlflow.parentRunId`). */
  nested?: boolean;
  /** Explicit parent run (sets `mlflow.parentRunId`) instead of the innermost active run. */
  parentRunId?: string;
  /** Extra tags for the run, merged over MLflow's default tags (`mlflow.user`, `mlflow.source.name`, …). */
  tags?: Record<string, string>;
  /** Stored as `mlflow.note.content`. */
  description?: string;
  /** Resume an existing run instead of creating one. */
  runId?: string;
}

/**
 * Params or tags as `{key, value}` entries.
 *
 * @example
 * ```ts
 * toKeyValues({ lr: "0.1" }); // [{ key: "lr", value: "0.1" }]
 * ```
 */
export function toKeyValues(input: KeyValueInput | undefined): KeyValue[] {
  if (!input) return [];
  return Array.isArray(input) ? [...input] : Object.entries(input).map(([key, value]) => ({ key, value }));
}

export { paramValueToString } from "../../mlflow_conventions.ts";
