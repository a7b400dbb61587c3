/**
 * The UI's bulk metric endpoints, as MLflow 2.17.2 answers them:
 * - `metrics/get-history-bulk-interval`: one metric of up to 100 runs, sampled to at most
 *   `max_results` steps with MLflow's own algorithm (`_get_sampled_steps_from_steps`), each run's
 *   first and last step always kept, optionally within a step range;
 * - `ajax-api/…/metrics/get-history-bulk`: every point of one metric for several runs.
 *
 * @module
 */
import {
  type Metric,
  type MetricStepSummary,
  metricStepSummary,
  metricToWire,
  type MetricWire,
  mlflowError,
  type TrackingStore,
} from "../tracking/mod.ts";
import { invalidValueError } from "./request/schema.ts";

/** MLflow's limits for the bulk endpoints. */
export const BULK_LIMITS = { maxRuns: 100, maxResults: 2500, maxHistory: 25000 } as const;

/** Index of the first element ≥ x (Python's `bisect_left`). */
function bisectLeft(sorted: readonly number[], x: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index after the last element ≤ x (Python's `bisect_right`). */
function bisectRight(sorted: readonly number[], x: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < sorted[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * MLflow's `_get_sampled_steps_from_steps`, ported as is: the steps of `allSteps` (sorted, unique)
 * within [start, end]; over `maxResults` of them, every `n/maxResults`-th one plus the last. (The
 * `idx < numSteps` bound compares an absolute index with a count, as MLflow does.)
 *
 * @example
 * ```ts
 * sampledStepsFromSteps(0, 9, 5, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]); // Set {0, 2, 4, 6, 8, 9}
 * ```
 */
export function sampledStepsFromSteps(
  startStep: number,
  endStep: number,
  maxResults: number,
  allSteps: readonly number[],
): Set<number> {
  const startIdx = bisectLeft(allSteps, startStep);
  const endIdx = bisectRight(allSteps, endStep);
  if (endIdx - startIdx <= maxResults) return new Set(allSteps.slice(startIdx, endIdx));
  const numSteps = endIdx - startIdx;
  const interval = numSteps / maxResults;
  const sampled: number[] = [];
  for (let i = 0; i < maxResults; i++) {
    const idx = startIdx + Math.trunc(i * interval);
    if (idx < numSteps) sampled.push(allSteps[idx]);
  }
  sampled.push(allSteps[endIdx - 1]);
  return new Set(sampled);
}

/**
 * The steps MLflow's bulk-interval handler keeps for the step lists of several runs: the sampled
 * steps of their union plus each run's min and max step, within the range (default 0 … the last
 * step), sorted.
 *
 * @example
 * ```ts
 * sampleRunSteps([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]], 5); // [0, 2, 4, 6, 8, 9]
 * ```
 */
export function sampleRunSteps(
  runSteps: readonly (readonly number[])[],
  maxResults: number,
  range?: { start: number; end: number },
): number[] {
  return sampleSteps(metricStepSummary(runSteps), maxResults, range);
}

/**
 * {@link sampleRunSteps} from a summary of the runs' steps (all distinct steps, each run's extremes):
 * what a store that reads only sampled points hands the server.
 *
 * @example
 * ```ts
 * sampleSteps({ steps: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], extremes: [[0, 9]] }, 5); // [0, 2, 4, 6, 8, 9]
 * ```
 */
export function sampleSteps(
  summary: MetricStepSummary,
  maxResults: number,
  range?: { start: number; end: number },
): number[] {
  const allSteps = summary.steps;
  const start = range?.start ?? 0;
  const end = range?.end ?? (allSteps.at(-1) ?? 0);
  const sampled = sampledStepsFromSteps(start, end, maxResults, allSteps);
  for (const [min, max] of summary.extremes) {
    for (const step of [min, max]) if (step >= start && step <= end) sampled.add(step);
  }
  return [...sampled].sort((a, b) => a - b);
}

/** A Python `int()` of a query value, or MLflow's 400 for one that is not an integer. */
function queryInt(name: string, raw: string): number {
  const text = raw.trim();
  if (!/^[+-]?\d+$/.test(text)) throw invalidValueError(name, raw);
  return Number(text);
}

/** Options of {@link bulkIntervalHistory}: the run ids and key from the message, the rest from the query. */
export interface BulkIntervalOptions {
  runIds: readonly string[];
  metricKey: string;
  startStep?: string;
  endStep?: string;
  maxResults?: string;
}

/**
 * The sampled points of one metric for several runs, each with its `run_id`, in run order then step.
 *
 * @example
 * ```ts
 * const points = await bulkIntervalHistory(store, { runIds: [runId], metricKey: "loss", maxResults: "320" });
 * ```
 */
export async function bulkIntervalHistory(
  store: TrackingStore,
  options: BulkIntervalOptions,
): Promise<(MetricWire & { run_id: string })[]> {
  const maxResults = options.maxResults === undefined
    ? BULK_LIMITS.maxResults
    : queryInt("max_results", options.maxResults);
  let range: { start: number; end: number } | undefined;
  if (options.startStep !== undefined && options.endStep !== undefined) {
    range = { start: queryInt("start_step", options.startStep), end: queryInt("end_step", options.endStep) };
    if (range.start > range.end) {
      throw mlflowError(
        "INVALID_PARAMETER_VALUE",
        `end_step must be greater than start_step. Found start_step=${range.start} and end_step=${range.end}.`,
      );
    }
  } else if (options.startStep !== undefined || options.endStep !== undefined) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      "If either start step or end step are specified, both must be specified.",
    );
  }
  // Without a range MLflow samples from step 0 to the last step, so its charts silently drop every point
  // logged at a negative step (a warm-up at -3 … -1; all of a run logged below 0): kmlf starts at the
  // first step when it is below 0.
  const pick = (summary: MetricStepSummary) =>
    sampleSteps(summary, maxResults, range ?? wholeRange(summary.steps));
  const histories = store.sampledMetricHistories
    ? await store.sampledMetricHistories(options.runIds, options.metricKey, {
      pick,
      maxPerRun: BULK_LIMITS.maxHistory,
    })
    : await sampleWholeHistories(store, options.runIds, options.metricKey, pick);
  const out: (MetricWire & { run_id: string })[] = [];
  options.runIds.forEach((runId, i) => {
    for (const m of histories[i]) out.push({ ...metricToWire(m), run_id: runId });
  });
  return out;
}

// From the first step (0 when it is above) to the last, so no logged step is left out.
function wholeRange(steps: readonly number[]): { start: number; end: number } {
  return { start: Math.min(0, steps[0] ?? 0), end: steps.at(-1) ?? 0 };
}

// A store without sampledMetricHistories: whole histories read, then sampled here.
async function sampleWholeHistories(
  store: TrackingStore,
  runIds: readonly string[],
  key: string,
  pick: (summary: MetricStepSummary) => number[],
): Promise<Metric[][]> {
  const histories: Metric[][] = [];
  for (const runId of runIds) histories.push((await store.getMetricHistory(runId, key)).metrics);
  // Not Math.min(...steps): a spread of a history past ~125,000 points overflows the stack (a 500).
  const steps = new Set(pick(metricStepSummary(histories.map((h) => h.map((m) => m.step)))));
  return histories.map((history) => {
    const kept = history.filter((m) => steps.has(m.step));
    kept.sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
    return kept.slice(0, BULK_LIMITS.maxHistory);
  });
}

/**
 * `ajax-api/2.0/mlflow/metrics/get-history-bulk?run_id=…&metric_key=…[&max_results=N]`: every point
 * of one metric for up to 100 runs (runs in id order, points by timestamp, step, value), at most
 * `max_results` (≤ 25000) in all.
 *
 * @example
 * ```ts
 * await historyBulk(store, new URLSearchParams("run_id=abc&metric_key=loss"));
 * ```
 */
export async function historyBulk(
  store: TrackingStore,
  query: URLSearchParams,
): Promise<{ metrics: (MetricWire & { run_id: string })[] }> {
  const runIds = query.getAll("run_id");
  if (runIds.length === 0) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      "GetMetricHistoryBulk request must specify at least one run_id.",
    );
  }
  if (runIds.length > BULK_LIMITS.maxRuns) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `GetMetricHistoryBulk request cannot specify more than ${BULK_LIMITS.maxRuns} run_ids. Received ${runIds.length} run_ids.`,
    );
  }
  const metricKey = query.get("metric_key");
  if (metricKey === null) {
    throw mlflowError("INVALID_PARAMETER_VALUE", "GetMetricHistoryBulk request must specify a metric_key.");
  }
  const raw = query.get("max_results");
  const maxResults = Math.min(
    raw === null ? BULK_LIMITS.maxHistory : queryInt("max_results", raw),
    BULK_LIMITS.maxHistory,
  );
  const metrics: (MetricWire & { run_id: string })[] = [];
  for (const runId of [...new Set(runIds)].sort()) {
    const history = [...(await store.getMetricHistory(runId, metricKey)).metrics];
    history.sort((a, b) => a.timestamp - b.timestamp || a.step - b.step || a.value - b.value);
    for (const m of history) metrics.push({ ...metricToWire(m), run_id: runId });
  }
  // Python slicing: a negative max_results drops that many points from the end.
  return { metrics: metrics.slice(0, maxResults) };
}
