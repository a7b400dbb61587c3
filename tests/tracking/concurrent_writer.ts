/**
 * A worker process of concurrency_test.ts and postgres_concurrency_test.ts: opens the shared store (a
 * SQLite path or a postgresql:// URI, possibly creating it at the same moment as the other workers),
 * gets or creates the shared experiment, and logs into its own run through many small transactions.
 * Args: <db path or URI> <worker index> <points>.
 */
import { MlflowClient, openStore, SqliteStore } from "../../lib/tracking/mod.ts";

const [path, worker, count] = Deno.args;
const n = Number(count);
const store = /^postgres/.test(path)
  ? await openStore(path, { baseDir: Deno.cwd() })
  : SqliteStore.open(path);
const client = new MlflowClient(store, {
  processHooks: false,
  context: { user: `w${worker}` },
});
const experiment = await client.getOrCreateExperiment("concurrent");
const run = await client.createRun(experiment.experimentId, { runName: `worker-${worker}` });
const id = run.info.runId;
await client.logParams(id, { worker, points: n });
for (let start = 0; start < n; start += 25) {
  const metrics = [];
  for (let step = start; step < Math.min(n, start + 25); step++) {
    metrics.push({ key: "loss", value: 1 / (step + 1), timestamp: 1700000000000 + step, step });
  }
  await client.logBatch(id, { metrics });
  await client.logMetric(id, "single", start, { step: start, timestamp: 1700000000000 + start });
  await client.setTag(id, "progress", String(start));
}
await client.setTerminated(id);
await client.store.close();
console.log(id);
