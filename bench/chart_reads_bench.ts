/**
 * Server side of the web UI's chart view (issue 16's bench): `metrics/get-history-bulk-interval` for 5
 * metrics × 100 runs × 1,000 steps sampled to 320 points, through the request handler (no sockets), on the
 * SQLite and file stores, each with the store's sampled reads (`sampledMetricHistories`) and without them
 * (whole histories read, then sampled: what a store without the method gets). Medians of 7.
 * Run: `deno run -A bench/chart_reads_bench.ts`. Prints figures; asserts nothing.
 */
import { join } from "node:path";
import { createRequestHandler } from "../lib/server/mod.ts";
import { FileStore, SqliteStore, type TrackingStore } from "../lib/tracking/mod.ts";
import { loadAverage, median } from "./bench_utils.ts";

const RUNS = 100, METRICS = 5, STEPS = 1000, SAMPLED = 320;

/** The store without its sampled-read method, as a store that does not implement it. */
function wholeHistoriesOnly(store: TrackingStore): TrackingStore {
  return new Proxy(store, {
    get(target, key) {
      if (key === "sampledMetricHistories") return undefined;
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

const dir = await Deno.makeTempDir({ prefix: "kmlf-chart-reads-" });
try {
  console.log(`load average ${loadAverage() ?? "?"} at start`);
  for (const kind of ["sqlite", "file"] as const) {
    const store: TrackingStore = kind === "sqlite"
      ? SqliteStore.open(join(dir, "mlflow.db"))
      : await FileStore.open(join(dir, "mlruns"));
    const experimentId = await store.createExperiment("charts");
    const runIds: string[] = [];
    for (let r = 0; r < RUNS; r++) {
      const run = await store.createRun({ experimentId });
      runIds.push(run.info.runId);
      for (let m = 0; m < METRICS; m++) {
        await store.logBatch(run.info.runId, {
          metrics: Array.from({ length: STEPS }, (_, step) => ({
            key: `metric_${m}`,
            value: Math.sin(step / 50 + r),
            timestamp: 1_700_000_000_000 + step,
            step,
          })),
        });
      }
    }
    for (
      const [label, subject] of [["whole histories", wholeHistoriesOnly(store)], ["sampled reads", store]]
    ) {
      const handler = createRequestHandler(subject as TrackingStore, {
        artifactsDestination: join(dir, "art"),
      });
      const times: number[] = [];
      for (let i = 0; i < 7; i++) {
        const start = performance.now();
        for (let m = 0; m < METRICS; m++) {
          const query = new URLSearchParams({ metric_key: `metric_${m}`, max_results: String(SAMPLED) });
          for (const id of runIds) query.append("run_ids", id);
          const res = await handler(
            new Request(`http://127.0.0.1/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval?${query}`),
          );
          if (res.status !== 200) throw new Error(`bulk-interval answered ${res.status}`);
          await res.arrayBuffer();
        }
        times.push(performance.now() - start);
      }
      console.log(
        `${`chart reads, ${kind} store, ${label}`.padEnd(52)} ${median(times).toFixed(0).padStart(6)} ms` +
          `  (${METRICS} metrics × ${RUNS} runs × ${STEPS} steps → ${SAMPLED})`,
      );
    }
    await store.close();
  }
  console.log(`load average ${loadAverage() ?? "?"} at end`);
} finally {
  await Deno.remove(dir, { recursive: true });
}
