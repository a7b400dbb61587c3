/**
 * Tracking benchmarks (issue 3) on the SQLite store, medians:
 * - 100,000 metric points (10 keys × 10,000 steps) logged through the client's active run into SQLite
 *   (target ≤ 1 s), the file store (≤ 2 s) and, over REST, kmlf's own server;
 * - 1,000 unbuffered `client.logMetric` calls per store (the reference MLflow client: 0.6 s into a file
 *   store, 11.9 s against a server);
 * - `searchRuns` over 10,000 runs (20 params, 10 metrics each) with a metric filter + order (≤ 50 ms for a
 *   page of 100, ≤ 40 ms for a page of 1,000: issue 13);
 * - `getRun` of such a run (≤ 1 ms).
 * Run: `deno run -A bench/tracking_bench.ts`. Prints figures; asserts nothing. About 20–40 s.
 * `deno run -A bench/tracking_bench.ts --search-only` skips the logging figures (search and getRun only).
 */
import { join } from "node:path";
import { createRequestHandler } from "../lib/server/mod.ts";
import { FileStore, MlflowClient, openStore, SqliteStore } from "../lib/tracking/mod.ts";
import { median, report } from "./bench_utils.ts";
import { seedSearchRuns } from "./seed_runs.ts";

const dir = await Deno.makeTempDir({ prefix: "kmlf-tracking-bench-" });
const clientOf = (path: string, options: { memoryMap?: boolean } = {}) =>
  new MlflowClient(SqliteStore.open(path, options), {
    processHooks: false,
    context: { user: "bench", sourceName: "bench" },
  });

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** A client over a fresh store of one kind; `close` also stops what the store needed (a server). */
type StoreKind = "SQLite" | "file store" | "REST (kmlf server)";

async function freshClient(
  kind: StoreKind,
  name: string,
): Promise<{ client: MlflowClient; close(): Promise<void> }> {
  const context = { user: "bench", sourceName: "bench" };
  if (kind === "SQLite") {
    const client = new MlflowClient(SqliteStore.open(join(dir, `${name}.db`)), {
      processHooks: false,
      context,
    });
    return { client, close: () => client.store.close() };
  }
  if (kind === "file store") {
    const client = new MlflowClient(await FileStore.open(join(dir, `${name}-mlruns`)), {
      processHooks: false,
      context,
    });
    return { client, close: () => client.store.close() };
  }
  // The REST store against kmlf's own server over loopback (MLflow's client: 11.9 s per 1,000 calls).
  const backend = SqliteStore.open(join(dir, `${name}-server.db`));
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    createRequestHandler(backend, { artifactsDestination: join(dir, `${name}-artifacts`) }),
  );
  const store = await openStore(`http://127.0.0.1:${server.addr.port}`, { baseDir: dir });
  const client = new MlflowClient(store, { processHooks: false, context });
  return {
    client,
    close: async () => {
      await store.close();
      await server.shutdown();
      await backend.close();
    },
  };
}

async function logBenchmarks(): Promise<void> {
  // 1. 100,000 points through an active run (buffered into batches of 1000), a fresh store each time.
  const kinds: [StoreKind, number][] = [["SQLite", 1000], ["file store", 2000], ["REST (kmlf server)", 2000]];
  for (const [kind, target] of kinds) {
    const logTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { client, close } = await freshClient(kind, `log-${i}`);
      logTimes.push(
        await timed(async () => {
          const run = await client.startRun({ runName: "log-100k" });
          const t0 = Date.now();
          for (let step = 0; step < 10_000; step++) {
            for (let k = 0; k < 10; k++) {
              run.logMetric(`metric_${k}`, Math.sin(step + k), { step, timestamp: t0 + step });
            }
          }
          await run.end();
        }),
      );
      await close();
    }
    report(`log 100,000 metric points (client → ${kind})`, median(logTimes), "ms", target);
  }

  // 2. 1,000 single logMetric calls, each its own write (or request), like MLflow's log_metric.
  const references: [StoreKind, number][] = [["SQLite", 600], ["file store", 600], [
    "REST (kmlf server)",
    11_900,
  ]];
  for (const [kind, reference] of references) {
    const single: number[] = [];
    for (let i = 0; i < 3; i++) {
      const { client, close } = await freshClient(kind, `single-${i}`);
      const { info } = await client.createRun("0");
      single.push(
        await timed(async () => {
          for (let step = 0; step < 1000; step++) {
            await client.logMetric(info.runId, "loss", 1 / (step + 1), { step });
          }
        }),
      );
      await close();
    }
    report(`1,000 unbuffered logMetric calls (${kind})`, median(single), "ms", reference, reference);
  }
}

const searchOnly = Deno.args.includes("--search-only");

try {
  if (!searchOnly) await logBenchmarks();

  // 2. A store with 10,000 runs of 20 params and 10 metrics each.
  // Opened as `kmlf server` and `kmlf mlflow ui` open it: searches read through SQLite's memory map.
  const client = clientOf(join(dir, "search.db"), { memoryMap: true });
  const store = client.store;
  const { experimentId, runIds: ids } = await seedSearchRuns(store);

  for (const maxResults of [100, 1000]) {
    const times: number[] = [];
    let count = 0;
    for (let i = 0; i < 15; i++) {
      times.push(
        await timed(async () => {
          const page = await store.searchRuns({
            experimentIds: [experimentId],
            filter: "metrics.metric_0 > 0.5",
            orderBy: ["metrics.metric_1 DESC"],
            maxResults,
          });
          count = page.runs.length;
        }),
      );
    }
    report(
      `searchRuns 10,000 runs, filter + order (page of ${count})`,
      median(times.slice(2)),
      "ms",
      maxResults === 1000 ? 40 : 50,
    );
  }

  const getTimes: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const id = ids[(i * 4999) % ids.length];
    getTimes.push(await timed(() => store.getRun(id)));
  }
  report("getRun (20 params, 10 metrics)", median(getTimes.slice(100)), "ms", 1);
  await store.close();
} finally {
  await Deno.remove(dir, { recursive: true });
}
