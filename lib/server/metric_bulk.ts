/**
 * `metrics/get-history-bulk-interval`: one metric of up to 100 runs, optionally within a step range,
 * sampled down to at most `max_results` steps (first and last step always kept) — what charts need to
 * draw long histories without shipping every point.
 *
 * @module
 */
import {
  type Metric,
  metricToWire,
  type MetricWire,
  mlflowError,
  type TrackingStore,
} from "../tracking/mod.ts";

/** MLflow's limits for the bulk-interval endpoint. */
export const BULK_LIMITS = { maxRuns: 100, maxResults: 2500 } as const;

/** Options of {@link bulkIntervalHistory}. */
export interface BulkIntervalOptions {
  runIds: readonly string[];
  metricKey: string;
  startStep?: number;
  endStep?: number;
  /** Steps to keep, 1..2500 (default 2500). */
  maxResults?: number;
}

/**
 * Evenly spaced steps from a sorted list, keeping the first and the last.
 *
 * @example
 * ```ts
 * sampleSteps([0, 1, 2, 3, 4], 3); // [0, 2, 4]
 * ```
 */
export function sampleSteps(sortedSteps: readonly number[], maxResults: number): number[] {
  if (sortedSteps.length <= maxResults) return [...sortedSteps];
  if (maxResults === 1) return [sortedSteps[0]];
  const picked = new Set<number>();
  const last = sortedSteps.length - 1;
  for (let i = 0; i < maxResults; i++) picked.add(sortedSteps[Math.round((i * last) / (maxResults - 1))]);
  return [...picked];
}

/**
 * The sampled points of one metric for several runs, each with its `run_id`, ordered by run then step.
 *
 * @example
 * ```ts
 * const points = await bulkIntervalHistory(store, { runIds: [runId], metricKey: "loss", maxResults: 320 });
 * ```
 */
export async function bulkIntervalHistory(
  store: TrackingStore,
  options: BulkIntervalOptions,
): Promise<(MetricWire & { run_id: string })[]> {
  const { runIds, metricKey, startStep, endStep } = options;
  const maxResults = options.maxResults ?? BULK_LIMITS.maxResults;
  if (runIds.length === 0) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      "GetMetricHistoryBulkInterval request must specify at least one run_id.",
    );
  }
  if (runIds.length > BULK_LIMITS.maxRuns) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `GetMetricHistoryBulkInterval request cannot specify more than ${BULK_LIMITS.maxRuns} run_ids. Received ${runIds.length} run_ids.`,
    );
  }
  if (maxResults < 1 || maxResults > BULK_LIMITS.maxResults) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `max_results must be between 1 and ${BULK_LIMITS.maxResults}, got ${maxResults}.`,
    );
  }
  if ((startStep === undefined) !== (endStep === undefined)) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      "If either start step or end step are specified, both must be specified.",
    );
  }
  if (startStep !== undefined && endStep !== undefined && startStep > endStep) {
    throw mlflowError("INVALID_PARAMETER_VALUE", "end_step must be greater than start_step.");
  }
  const histories = new Map<string, Metric[]>();
  const steps = new Set<number>();
  for (const runId of runIds) {
    const { metrics } = await store.getMetricHistory(runId, metricKey);
    const inRange = startStep === undefined
      ? metrics
      : metrics.filter((m) => m.step >= startStep && m.step <= endStep!);
    histories.set(runId, inRange);
    for (const m of inRange) steps.add(m.step);
  }
  const keep = new Set(sampleSteps([...steps].sort((a, b) => a - b), maxResults));
  const out: (MetricWire & { run_id: string })[] = [];
  for (const [runId, metrics] of histories) {
    const sampled = metrics.filter((m) => keep.has(m.step)).sort((a, b) =>
      a.step - b.step || a.timestamp - b.timestamp
    );
    for (const m of sampled) out.push({ ...metricToWire(m), run_id: runId });
  }
  return out;
}
