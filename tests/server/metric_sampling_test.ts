/**
 * get-history-bulk-interval picks MLflow's exact steps: kmlf's port of `_get_sampled_steps_from_steps`
 * (and of how the handler adds each run's first and last step) against outputs of MLflow 2.17.2's
 * own Python functions over 301 random step sets (fixtures/mlflow-2.17.2/metric-sampling.json.gz),
 * plus properties checked on fresh random sets, plus the endpoint end to end.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { bulkIntervalHistory, sampledStepsFromSteps, sampleRunSteps } from "../../lib/server/mod.ts";
import { FileStore, SqliteStore, type TrackingStore } from "../../lib/tracking/mod.ts";
import { serverFixture } from "./server_harness.ts";

interface SamplingCase {
  runs: number[][];
  max_results: number;
  start_step?: number;
  end_step?: number;
  expected: number[];
}

async function loadCases(): Promise<SamplingCase[]> {
  const file = await Deno.open(new URL("../fixtures/mlflow-2.17.2/metric-sampling.json.gz", import.meta.url));
  const text = await new Response(file.readable.pipeThrough(new DecompressionStream("gzip"))).text();
  return JSON.parse(text).cases;
}

Deno.test("bulk-interval sampling gives MLflow 2.17.2's steps for 301 recorded random step sets", async () => {
  const cases = await loadCases();
  assert.equal(cases.length, 301);
  for (const [i, c] of cases.entries()) {
    const range = c.start_step === undefined ? undefined : { start: c.start_step, end: c.end_step! };
    assert.deepEqual(sampleRunSteps(c.runs, c.max_results, range), c.expected, `case ${i}`);
  }
});

Deno.test("MLflow's example: steps 0-9 sampled to 5 give 0, 2, 4, 6, 8, 9", () => {
  assert.deepEqual(sampleRunSteps([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]], 5), [0, 2, 4, 6, 8, 9]);
  assert.deepEqual(
    [...sampledStepsFromSteps(0, 9, 5, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])].sort((a, b) => a - b),
    [
      0,
      2,
      4,
      6,
      8,
      9,
    ],
  );
});

/** A small seeded generator, so a failure names a reproducible case. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

Deno.test("sampling properties hold on fresh random step sets", () => {
  const random = rng(7);
  for (let trial = 0; trial < 500; trial++) {
    const runs = Array.from(
      { length: 1 + Math.floor(random() * 4) },
      () => Array.from({ length: Math.floor(random() * 400) }, () => Math.floor(random() * 2000)),
    );
    const maxResults = 1 + Math.floor(random() * 300);
    const sampled = sampleRunSteps(runs, maxResults);
    const all = new Set(runs.flat());
    const sorted = [...all].sort((a, b) => a - b);
    const label = `trial ${trial}`;
    // Sorted, unique, and only steps some run logged.
    assert.deepEqual(sampled, [...new Set(sampled)].sort((a, b) => a - b), label);
    for (const s of sampled) assert(all.has(s), label);
    // Every run's first and last step is kept.
    for (const r of runs.filter((r) => r.length)) {
      assert(sampled.includes(Math.min(...r)) && sampled.includes(Math.max(...r)), label);
    }
    // Few enough steps are all kept; otherwise at most max_results + the extremes of each run.
    if (sorted.length <= maxResults) assert.deepEqual(sampled, sorted, label);
    else assert(sampled.length <= maxResults + 1 + 2 * runs.length, label);
    // Deterministic.
    assert.deepEqual(sampleRunSteps(runs, maxResults), sampled, label);
  }
});

Deno.test("get-history-bulk-interval answers the sampled points of each run", async () => {
  const fx = await serverFixture();
  try {
    const exp = await (await fx.post("/api/2.0/mlflow/experiments/create", { name: "sampling" })).json();
    const run = await (await fx.post("/api/2.0/mlflow/runs/create", { experiment_id: exp.experiment_id }))
      .json();
    const runId = run.run.info.run_id;
    const metrics = Array.from(
      { length: 10 },
      (_, step) => ({ key: "loss", value: step / 10, timestamp: 1, step }),
    );
    assert.equal((await fx.post("/api/2.0/mlflow/runs/log-batch", { run_id: runId, metrics })).status, 200);
    const answer = await fx.get("/api/2.0/mlflow/metrics/get-history-bulk-interval", {
      run_ids: runId,
      metric_key: "loss",
      max_results: "5",
    });
    assert.equal(answer.status, 200);
    const body = await answer.json();
    assert.deepEqual(body.metrics.map((m: { step: number }) => m.step), [0, 2, 4, 6, 8, 9]);
    assert(body.metrics.every((m: { run_id: string }) => m.run_id === runId));
  } finally {
    await fx.dispose();
  }
});

Deno.test("get-history-bulk-interval keeps steps below 0 (MLflow starts at step 0 and drops them)", async () => {
  const fx = await serverFixture();
  try {
    const exp = await (await fx.post("/api/2.0/mlflow/experiments/create", { name: "warm-up" })).json();
    const runIds: string[] = [];
    for (const steps of [[-3, -2, -1, 0, 1], [-10, 5]]) {
      const run = await (await fx.post("/api/2.0/mlflow/runs/create", { experiment_id: exp.experiment_id }))
        .json();
      const runId = run.run.info.run_id;
      runIds.push(runId);
      const metrics = steps.map((step) => ({ key: "loss", value: step, timestamp: 1, step }));
      assert.equal((await fx.post("/api/2.0/mlflow/runs/log-batch", { run_id: runId, metrics })).status, 200);
    }
    const stepsOf = async (query: Record<string, string>) => {
      const answer = await fx.get("/api/2.0/mlflow/metrics/get-history-bulk-interval", {
        run_ids: runIds,
        metric_key: "loss",
        ...query,
      });
      assert.equal(answer.status, 200);
      const body = await answer.json();
      return body.metrics.map((m: { run_id: string; step: number }) =>
        `${runIds.indexOf(m.run_id)}:${m.step}`
      );
    };
    assert.deepEqual(await stepsOf({}), ["0:-3", "0:-2", "0:-1", "0:0", "0:1", "1:-10", "1:5"]);
    // Sampled: each run's first and last step stay.
    assert.deepEqual(await stepsOf({ max_results: "2" }), ["0:-3", "0:-1", "0:1", "1:-10", "1:5"]);
    // An explicit range is kept as given.
    assert.deepEqual(await stepsOf({ start_step: "-2", end_step: "0" }), ["0:-2", "0:-1", "0:0"]);
  } finally {
    await fx.dispose();
  }
});

/** The store without its sampled-read fast path: the server then reads whole histories. */
function wholeHistoriesOnly(store: TrackingStore): TrackingStore {
  return new Proxy(store, {
    get(target, key) {
      if (key === "sampledMetricHistories") return undefined;
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

async function storesUnderTest(dir: string): Promise<[string, TrackingStore][]> {
  return [
    ["sqlite", SqliteStore.open(join(dir, "mlflow.db"))],
    ["file", await FileStore.open(join(dir, "mlruns"))],
  ];
}

Deno.test("stores that read only sampled points answer bulk-interval exactly as whole histories sampled", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-sampled-" });
  try {
    for (const [name, store] of await storesUnderTest(dir)) {
      assert.ok(store.sampledMetricHistories, `${name} store reads sampled points`);
      const random = rng(11);
      const exp = await store.createExperiment("sampled");
      const runIds: string[] = [];
      for (let r = 0; r < 6; r++) {
        const run = await store.createRun({ experimentId: exp });
        runIds.push(run.info.runId);
        // Unsorted steps, repeated steps at several timestamps, gaps, NaN and infinities; one run without it.
        const n = r === 3 ? 0 : Math.floor(random() * 700);
        const metrics = Array.from({ length: n }, (_, i) => ({
          key: "loss",
          value: i % 97 === 0 ? NaN : i % 89 === 0 ? -Infinity : random(),
          timestamp: 1_000 + Math.floor(random() * 50),
          step: Math.floor(random() * 900) - 20,
        }));
        for (let i = 0; i < metrics.length; i += 1000) {
          await store.logBatch(run.info.runId, { metrics: metrics.slice(i, i + 1000) });
        }
        await store.logBatch(run.info.runId, {
          metrics: [{ key: "other", value: 1, timestamp: 1, step: 5 }],
        });
      }
      const plain = wholeHistoriesOnly(store);
      for (let trial = 0; trial < 40; trial++) {
        const ids = runIds.filter(() => random() < 0.7);
        const maxResults = String(1 + Math.floor(random() * 400));
        const ranged = random() < 0.4;
        const start = Math.floor(random() * 500) - 30;
        const options = {
          runIds: ids,
          metricKey: trial % 10 === 9 ? "missing" : "loss",
          maxResults,
          ...(ranged
            ? { startStep: String(start), endStep: String(start + Math.floor(random() * 400)) }
            : {}),
        };
        assert.deepEqual(
          await bulkIntervalHistory(store, options),
          await bulkIntervalHistory(plain, options),
          `${name} trial ${trial}`,
        );
      }
      const unknown = { runIds: [runIds[0], "0123456789abcdef0123456789abcdef"], metricKey: "loss" };
      const fast = await bulkIntervalHistory(store, unknown).catch((e) => e);
      const whole = await bulkIntervalHistory(plain, unknown).catch((e) => e);
      assert.ok(fast instanceof Error && whole instanceof Error, `${name}: an unknown run fails`);
      assert.equal(fast.message, whole.message, name);
      await store.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bulk-interval over a store without sampled reads (PostgreSQL, REST) samples a 130,000-point history, no stack overflow", async () => {
  // Past ~125,000 points, Math.min(...steps) threw RangeError: the chart's request was a 500.
  const dir = await Deno.makeTempDir();
  try {
    const store = await SqliteStore.open(join(dir, "mlflow.db"));
    const run = await store.createRun({ experimentId: "0", startTime: 1 });
    const n = 130_000;
    for (let i = 0; i < n; i += 1000) {
      const metrics = Array.from(
        { length: 1000 },
        (_, j) => ({ key: "loss", value: i + j, timestamp: 1, step: i + j }),
      );
      await store.logBatch(run.info.runId, { metrics });
    }
    const options = { runIds: [run.info.runId], metricKey: "loss", maxResults: "100" };
    const points = await bulkIntervalHistory(wholeHistoriesOnly(store), options);
    assert.deepEqual(points, await bulkIntervalHistory(store, options));
    assert.equal(points.length, 101);
    assert.deepEqual([points[0].step, points.at(-1)!.step], [0, n - 1]);
    await store.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
