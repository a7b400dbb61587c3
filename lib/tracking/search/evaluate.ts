/**
 * The in-memory search evaluator: filters, sorts and pages runs and experiments exactly like the
 * SQL translator does in SQLite (same NaN handling, ±inf as the SQL stores hold it (`metric_value.ts`),
 * same LIKE semantics, same null ordering), so the file store (which searches in memory) and the SQLite
 * store return the same results.
 *
 * @module
 */
import { type Experiment, type Run, stagesForViewType, type ViewType } from "../entities.ts";
import { validateMaxResults } from "../validation.ts";
import { paginate } from "./page_token.ts";
import {
  type Comparator,
  type FilterClause,
  type OrderByClause,
  parseOrderByList,
  parseSearch,
} from "./parser.ts";
import { compareCodePoints } from "../../code_points.ts";
import { searchableMetric } from "./metric_value.ts";

export { compareCodePoints };

const likeCache = new Map<string, RegExp>();

/** SQL LIKE (`%` any run, `_` one character) as an anchored RegExp; everything else is literal. */
export function likeToRegExp(pattern: string): RegExp {
  let re = likeCache.get(pattern);
  if (!re) {
    const body = pattern.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&").replaceAll("%", ".*").replaceAll("_", ".");
    re = new RegExp(`^${body}$`, "su");
    if (likeCache.size > 1000) likeCache.clear();
    likeCache.set(pattern, re);
  }
  return re;
}

/** SQLite's `lower()`: ASCII letters only, which is what ILIKE compares in the SQLite store. */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** Compares a present string value with a filter value. */
export function compareString(lhs: string, comparator: Comparator, value: unknown): boolean {
  switch (comparator) {
    case "=":
      return lhs === value;
    case "!=":
      return lhs !== value;
    case "LIKE":
      return likeToRegExp(value as string).test(lhs);
    case "ILIKE":
      return likeToRegExp(asciiLower(value as string)).test(asciiLower(lhs));
    case "IN":
      return (value as string[]).includes(lhs);
    case "NOT IN":
      return !(value as string[]).includes(lhs);
    default:
      return false;
  }
}

/** Compares a present number with a filter value (NaN matches only `!=`, as in Python). */
export function compareNumber(lhs: number, comparator: Comparator, value: number): boolean {
  switch (comparator) {
    case "=":
      return lhs === value;
    case "!=":
      return lhs !== value;
    case ">":
      return lhs > value;
    case ">=":
      return lhs >= value;
    case "<":
      return lhs < value;
    case "<=":
      return lhs <= value;
    default:
      return false;
  }
}

function runAttribute(run: Run, key: string): string | number | null {
  const i = run.info;
  switch (key) {
    case "run_id":
      return i.runId;
    case "run_name":
      return i.runName;
    case "status":
      return i.status;
    case "user_id":
      return i.userId;
    case "artifact_uri":
      return i.artifactUri;
    case "start_time":
      return i.startTime;
    case "end_time":
      return i.endTime;
    default:
      return null;
  }
}

function clauseMatchesRun(run: Run, c: FilterClause): boolean {
  if (c.type === "dataset") {
    return run.inputs.datasetInputs.some((d) => {
      const lhs = c.key === "context"
        ? d.tags["mlflow.data.context"]
        : c.key === "name"
        ? d.dataset.name
        : d.dataset.digest;
      return lhs !== undefined && compareString(lhs, c.comparator, c.value);
    });
  }
  if (c.type === "metric") {
    const lhs = run.data.metrics[c.key];
    // ±Infinity compare as the SQL stores hold them (±MAX_VALUE), on both sides.
    return lhs !== undefined &&
      compareNumber(searchableMetric(lhs), c.comparator, searchableMetric(c.value as number));
  }
  if (c.type === "attribute") {
    const lhs = runAttribute(run, c.key);
    if (lhs === null) return false;
    return typeof lhs === "number"
      ? compareNumber(lhs, c.comparator, c.value as number)
      : compareString(lhs, c.comparator, c.value);
  }
  const record = c.type === "parameter" ? run.data.params : run.data.tags;
  const lhs = Object.hasOwn(record, c.key) ? record[c.key] : undefined;
  if (c.comparator === "IS NULL") return lhs === undefined;
  if (c.comparator === "IS NOT NULL") return lhs !== undefined;
  return lhs !== undefined && compareString(lhs, c.comparator, c.value);
}

/**
 * Whether a run satisfies every clause.
 *
 * @example
 * ```ts
 * runMatchesFilter(run, parseFilter("metrics.acc > 0.9"));
 * ```
 */
export function runMatchesFilter(run: Run, clauses: readonly FilterClause[]): boolean {
  return clauses.every((c) => clauseMatchesRun(run, c));
}

type SortValue = string | number | null | undefined;

// Present values first, then NaN, then missing — in both directions, like the SQLite store's CASE.
function compareSortValues(a: SortValue, b: SortValue, ascending: boolean): number {
  const rank = (
    v: SortValue,
  ) => (v === null || v === undefined ? 2 : typeof v === "number" && Number.isNaN(v) ? 1 : 0);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb || ra !== 0) return ra - rb;
  const d = typeof a === "number" ? a - (b as number) : compareCodePoints(a as string, b as string);
  return ascending ? d : -d;
}

function runSortValue(run: Run, o: OrderByClause): SortValue {
  if (o.type === "metric") {
    const value = run.data.metrics[o.key];
    return value === undefined ? undefined : searchableMetric(value);
  }
  if (o.type === "parameter") {
    return Object.hasOwn(run.data.params, o.key) ? run.data.params[o.key] : undefined;
  }
  if (o.type === "tag") return Object.hasOwn(run.data.tags, o.key) ? run.data.tags[o.key] : undefined;
  return runAttribute(run, o.key);
}

/**
 * Sorts runs by order_by clauses, then by start time (newest first) and run id.
 *
 * @example
 * ```ts
 * sortRuns(runs, parseOrderByList(["metrics.acc DESC"]));
 * ```
 */
export function sortRuns(runs: readonly Run[], orderBy: readonly OrderByClause[]): Run[] {
  const keyed = runs.map((run) => ({ run, keys: orderBy.map((o) => runSortValue(run, o)) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < orderBy.length; i++) {
      const d = compareSortValues(a.keys[i], b.keys[i], orderBy[i].ascending);
      if (d !== 0) return d;
    }
    return b.run.info.startTime - a.run.info.startTime ||
      compareCodePoints(a.run.info.runId, b.run.info.runId);
  });
  return keyed.map((k) => k.run);
}

/** Options of a run search. */
export interface SearchRunsOptions {
  /** The experiments to search (at least one). */
  experimentIds: readonly string[];
  /** MLflow search filter, e.g. `metrics.acc > 0.9 and tags.team = 'ml'`; default: every run. */
  filter?: string;
  /** "ACTIVE_ONLY" (default), "DELETED_ONLY" or "ALL". */
  runViewType?: ViewType;
  /** 1..50000, default 1000. */
  maxResults?: number;
  /** MLflow order-by clauses, e.g. `["metrics.acc DESC"]`; default newest start time first. */
  orderBy?: readonly string[];
  /** The `nextPageToken` of the previous page, to read the next one. */
  pageToken?: string;
}

/** A page of runs. */
export interface RunsPage {
  /** The runs of this page. */
  runs: Run[];
  /** Present when more runs follow: pass it as `pageToken`. */
  nextPageToken?: string;
}

/**
 * Runs a whole search in memory over complete runs (what the file store does).
 *
 * @example
 * ```ts
 * const { runs } = searchRunsInMemory(allRuns, { experimentIds: ["1"], filter: "metrics.acc > 0.9" });
 * ```
 */
export function searchRunsInMemory(runs: readonly Run[], options: SearchRunsOptions): RunsPage {
  const maxResults = options.maxResults ?? 1000;
  validateMaxResults(maxResults);
  const { clauses, orderBy } = parseSearch(options.filter, options.orderBy);
  const stages = stagesForViewType(options.runViewType ?? "ACTIVE_ONLY");
  const experiments = new Set(options.experimentIds);
  const matching = runs.filter((r) =>
    experiments.has(r.info.experimentId) && stages.includes(r.info.lifecycleStage) &&
    runMatchesFilter(r, clauses)
  );
  const page = paginate(sortRuns(matching, orderBy), options.pageToken, maxResults);
  return page.nextPageToken ? { runs: page.items, nextPageToken: page.nextPageToken } : { runs: page.items };
}

// Experiment ids are decimal strings (file-store ids exceed 2^53): compare by length, then digits.
function compareExperimentIds(a: string, b: string): number {
  const numeric = /^\d+$/.test(a) && /^\d+$/.test(b);
  if (numeric) {
    const x = a.replace(/^0+(?=\d)/, "");
    const y = b.replace(/^0+(?=\d)/, "");
    return x.length - y.length || compareCodePoints(x, y);
  }
  return compareCodePoints(a, b);
}

function experimentAttribute(e: Experiment, key: string): string | number | null {
  if (key === "name") return e.name;
  if (key === "creation_time") return e.creationTime;
  if (key === "last_update_time") return e.lastUpdateTime;
  return e.experimentId;
}

/**
 * Whether an experiment satisfies every clause (attributes `name`, `creation_time`, `last_update_time`; tags).
 *
 * @example
 * ```ts
 * experimentMatchesFilter(experiment, parseFilter("name LIKE 'iris%'", "experiments"));
 * ```
 */
export function experimentMatchesFilter(e: Experiment, clauses: readonly FilterClause[]): boolean {
  return clauses.every((c) => {
    if (c.type === "tag") {
      const lhs = Object.hasOwn(e.tags, c.key) ? e.tags[c.key] : undefined;
      if (c.comparator === "IS NULL") return lhs === undefined;
      if (c.comparator === "IS NOT NULL") return lhs !== undefined;
      return lhs !== undefined && compareString(lhs, c.comparator, c.value);
    }
    const lhs = experimentAttribute(e, c.key);
    if (lhs === null) return false;
    return typeof lhs === "number"
      ? compareNumber(lhs, c.comparator, c.value as number)
      : compareString(lhs, c.comparator, c.value);
  });
}

/** The default order of experiment searches. */
export const DEFAULT_EXPERIMENT_ORDER = ["creation_time DESC", "experiment_id ASC"];

/**
 * Sorts experiments by order_by clauses (default: newest first, then by id), the remaining ties broken
 * by experiment id descending, as MLflow does. A missing time sorts last either way, as in MLflow's file
 * store (its SQL store leaves NULLs to the database: `experimentSearchSql`).
 *
 * @example
 * ```ts
 * sortExperiments(experiments, parseOrderByList(["name ASC"], "experiments"));
 * ```
 */
export function sortExperiments(
  experiments: readonly Experiment[],
  orderBy: readonly OrderByClause[],
): Experiment[] {
  const clauses = orderBy.length ? orderBy : parseOrderByList(DEFAULT_EXPERIMENT_ORDER, "experiments");
  return [...experiments].sort((a, b) => {
    for (const o of clauses) {
      if (o.key === "experiment_id") {
        const d = compareExperimentIds(a.experimentId, b.experimentId);
        return o.ascending ? d : -d;
      }
      const d = compareSortValues(experimentAttribute(a, o.key), experimentAttribute(b, o.key), o.ascending);
      if (d !== 0) return d;
    }
    // MLflow's tie-breaker when order_by leaves the id out (its SQL and file stores alike): newest id first.
    return -compareExperimentIds(a.experimentId, b.experimentId);
  });
}

/** Options of an experiment search. */
export interface SearchExperimentsOptions {
  /**
   * MLflow experiment filter on `name`, `creation_time`, `last_update_time`, `tags.<key>`, e.g. `name LIKE
   * 'iris%'`.
   */
  filter?: string;
  /** "ACTIVE_ONLY" (default), "DELETED_ONLY" or "ALL". */
  viewType?: ViewType;
  /** 1..50000, default 1000. */
  maxResults?: number;
  /** MLflow order-by clauses, e.g. `["name ASC"]`; default newest first. */
  orderBy?: readonly string[];
  /** The `nextPageToken` of the previous page, to read the next one. */
  pageToken?: string;
}

/** A page of experiments. */
export interface ExperimentsPage {
  /** The experiments of this page. */
  experiments: Experiment[];
  /** Present when more experiments follow: pass it as `pageToken`. */
  nextPageToken?: string;
}

/**
 * Runs an experiment search in memory.
 *
 * @example
 * ```ts
 * searchExperimentsInMemory(all, { filter: "name LIKE 'iris%'", orderBy: ["name"] });
 * ```
 */
export function searchExperimentsInMemory(
  experiments: readonly Experiment[],
  options: SearchExperimentsOptions = {},
): ExperimentsPage {
  const maxResults = options.maxResults ?? 1000;
  validateMaxResults(maxResults);
  const { clauses, orderBy } = parseSearch(options.filter, options.orderBy, "experiments");
  const stages = stagesForViewType(options.viewType ?? "ACTIVE_ONLY");
  const matching = experiments.filter((e) =>
    stages.includes(e.lifecycleStage) && experimentMatchesFilter(e, clauses)
  );
  const page = paginate(sortExperiments(matching, orderBy), options.pageToken, maxResults);
  return page.nextPageToken
    ? { experiments: page.items, nextPageToken: page.nextPageToken }
    : { experiments: page.items };
}
