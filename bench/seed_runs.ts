/** The search workload shared by the tracking, server and UI benchmarks. */
import type { TrackingStore } from "../lib/tracking/mod.ts";

/**
 * Fills `store` with an experiment "bench" of `count` runs (20 params and 10 metrics each, deterministic
 * values) and returns the experiment id and the run ids in creation order.
 *
 * @example
 * ```ts
 * const { experimentId, runIds } = await seedSearchRuns(SqliteStore.open("/tmp/bench.db"));
 * ```
 */
export async function seedSearchRuns(
  store: TrackingStore,
  count = 10_000,
): Promise<{ experimentId: string; runIds: string[] }> {
  const start = performance.now();
  const experimentId = await store.createExperiment("bench");
  const runIds: string[] = [];
  for (let r = 0; r < count; r++) {
    const run = await store.createRun({
      experimentId,
      runName: `run-${r}`,
      startTime: 1_700_000_000_000 + r,
    });
    runIds.push(run.info.runId);
    await store.logBatch(run.info.runId, {
      params: Array.from({ length: 20 }, (_, p) => ({ key: `param_${p}`, value: String((r * 7 + p) % 97) })),
      metrics: Array.from({ length: 10 }, (_, m) => ({
        key: `metric_${m}`,
        value: ((r * 31 + m * 17) % 1000) / 1000,
        timestamp: 1_700_000_000_000 + r,
        step: 0,
      })),
    });
  }
  console.log(
    `(seeded ${count.toLocaleString("en")} runs in ${((performance.now() - start) / 1000).toFixed(1)} s)`,
  );
  return { experimentId, runIds };
}
