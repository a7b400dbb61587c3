/**
 * Tracking-server benchmarks (issue: `kmlf mlflow ui`), medians on this machine:
 * - `kmlf server` start to the first `/health` answer on an existing store (≤ 60 ms, issue 13), and to the
 *   first API answer on a new database file (schema created; `mlflow server` takes 4.9 s here);
 * - `runs/search` over 10,000 runs (20 params, 10 metrics each), metric filter + order, measured
 *   server-side through the request handler (≤ 50 ms);
 * - `runs/get` throughput over loopback against a `kmlf server` process (≥ 5,000 requests/s).
 * Run: `deno run --allow-all bench/server_bench.ts`.
 */
import { join } from "node:path";
import { createRequestHandler } from "../lib/server/mod.ts";
import { SqliteStore } from "../lib/tracking/mod.ts";
import { loadAverage, median, report } from "./bench_utils.ts";
import { seedSearchRuns } from "./seed_runs.ts";
import { KMLF_RUN_FLAGS } from "../lib/cli/project_runtime.ts";

const CLI = new URL("../cli.ts", import.meta.url).pathname;
const dir = await Deno.makeTempDir({ prefix: "kmlf-server-bench-" });

/** Spawns `kmlf server` and resolves with its URL once it printed it. */
async function spawnServer(db: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...KMLF_RUN_FLAGS,
      "--quiet",
      CLI,
      "server",
      "--backend-store-uri",
      `sqlite:///${db}`,
      "--port",
      "0",
    ],
    cwd: dir,
    stdout: "piped",
    stderr: "null",
    env: { NO_COLOR: "1" },
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!/listening on (http\S+)/.test(seen)) {
    const { value, done } = await reader.read();
    if (done) throw new Error("kmlf server exited early");
    seen += value;
  }
  // Keep draining stdout so the child never blocks on a full pipe.
  (async () => {
    while (!(await reader.read()).done) { /* drain */ }
  })();
  return {
    url: seen.match(/listening on (http\S+)/)![1],
    async stop() {
      child.kill("SIGINT");
      await child.status;
    },
  };
}

async function startToFirstAnswer(db: (i: number) => string, path: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 8; i++) {
    const start = performance.now();
    const server = await spawnServer(db(i));
    const res = await fetch(`${server.url}${path}`);
    await res.body?.cancel();
    times.push(performance.now() - start);
    await server.stop();
  }
  return median(times.slice(1));
}

async function seed(db: string): Promise<string[]> {
  const store = SqliteStore.open(db);
  const { runIds } = await seedSearchRuns(store);
  await store.close();
  return runIds;
}

try {
  console.log(`load average ${loadAverage() ?? "?"} at start`);
  const db = join(dir, "search.db");
  const ids = await seed(db);
  report(
    "kmlf server start → first /health (10,000-run store)",
    await startToFirstAnswer(() => db, "/health"),
    "ms",
    60,
  );
  report(
    "kmlf server start → first API answer (new database)",
    await startToFirstAnswer(
      (i) => join(dir, `start-${i}.db`),
      "/api/2.0/mlflow/experiments/get?experiment_id=0",
    ),
    "ms",
    200,
    4900,
  );

  const store = SqliteStore.open(db);
  const handler = createRequestHandler(store, { artifactsDestination: join(dir, "mlartifacts") });
  for (const maxResults of [100, 1000]) {
    const times: number[] = [];
    let count = 0;
    for (let i = 0; i < 12; i++) {
      const start = performance.now();
      const res = await handler(
        new Request("http://127.0.0.1/api/2.0/mlflow/runs/search", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            experiment_ids: ["1"],
            filter: "metrics.metric_3 > 0.5",
            order_by: ["metrics.metric_1 DESC"],
            max_results: maxResults,
          }),
        }),
      );
      // Server-side: until the answer's bytes exist; the client's JSON parsing is not the server's time.
      const bytes = await res.arrayBuffer();
      times.push(performance.now() - start);
      count = (JSON.parse(new TextDecoder().decode(bytes)).runs ?? []).length;
    }
    report(
      `runs/search 10,000 runs, filter + order (page ${count}), handler`,
      median(times.slice(2)),
      "ms",
      maxResults === 1000 ? 40 : 50,
    );
  }
  await store.close();

  // runs/get over loopback: a kmlf server process, 16 requests in flight, bounded count.
  const server = await spawnServer(db);
  const total = 20_000;
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const id = ids[next++ % ids.length];
      const res = await fetch(`${server.url}/api/2.0/mlflow/runs/get?run_id=${id}`);
      if (res.status !== 200) throw new Error(`runs/get answered ${res.status}`);
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: 16 }, () => worker())); // warm-up pass
  next = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: 16 }, () => worker()));
  const perSecond = total / ((performance.now() - start) / 1000);
  await server.stop();
  const ok = perSecond >= 5000 ? "ok" : "UNDER TARGET";
  console.log(
    `${"runs/get over loopback (16 in flight)".padEnd(52)} ${
      perSecond.toFixed(0).padStart(9)
    } req/s  target ≥ 5000 req/s  ${ok}`,
  );
  console.log(`load average ${loadAverage() ?? "?"} at end`);
} finally {
  await Deno.remove(dir, { recursive: true });
}
