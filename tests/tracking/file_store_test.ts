/** The store contract on the mlruns file store. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { FileStore } from "../../lib/tracking/stores/file/file_store.ts";
import { writeAtomicInRun } from "../../lib/tracking/stores/file/file_format.ts";
import { MetricFileWriter } from "../../lib/tracking/stores/file/run_writes.ts";
import { runStoreContract } from "./store_contract.ts";

runStoreContract("file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-filestore-" });
  const store = await FileStore.open(join(dir, "mlruns"));
  return { store, dispose: () => Deno.remove(dir, { recursive: true }) };
});

Deno.test("metric dedupe stays right when another writer appends between batches", async () => {
  const root = await Deno.makeTempDir({ prefix: "kmlf-file-dedupe-" });
  const a = await FileStore.open(root);
  const b = await FileStore.open(root);
  try {
    const run = await a.createRun({ experimentId: "0" });
    const id = run.info.runId;
    const point = (step: number) => ({ key: "loss", value: step / 10, timestamp: 1000 + step, step });
    await a.logBatch(id, { metrics: [point(0), point(1)] });
    await b.logBatch(id, { metrics: [point(1), point(2)] }); // b appends behind a's back
    await a.logBatch(id, { metrics: [point(2), point(3), point(3)] }); // a must see b's point 2
    const history = (await a.getMetricHistory(id, "loss")).metrics.map((m) => m.step);
    assert.deepEqual(history, [0, 1, 2, 3]);
  } finally {
    await a.close();
    await b.close();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a metric write that fails is stored in full when the batch is retried", async () => {
  const root = await Deno.makeTempDir({ prefix: "kmlf-file-retry-" });
  const store = await FileStore.open(root);
  const original = Deno.openSync;
  try {
    const { info } = await store.createRun({ experimentId: "0" });
    const point = (step: number) => ({ key: "loss", value: step, timestamp: 1000 + step, step });
    await store.logBatch(info.runId, { metrics: [point(0)] });
    let failures = 1;
    // kmlf writes small files through Deno.openSync (lib/file_io.ts): the metric file's open fails once.
    Deno.openSync = ((path: string | URL, options?: Deno.OpenOptions) => {
      if (String(path).endsWith("/metrics/loss") && options?.write && failures-- > 0) {
        throw new Deno.errors.BadResource("disk trouble");
      }
      return original(path, options);
    }) as typeof Deno.openSync;
    await assert.rejects(store.logBatch(info.runId, { metrics: [point(1)] }), /disk trouble/);
    await store.logBatch(info.runId, { metrics: [point(1)] });
    assert.deepEqual((await store.getMetricHistory(info.runId, "loss")).metrics.map((m) => m.step), [0, 1]);
  } finally {
    Deno.openSync = original;
    await store.close();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("writes into a run folder that has moved fail instead of re-creating it", async () => {
  const root = await Deno.makeTempDir({ prefix: "kmlf-file-ghost-" });
  try {
    const gone = join(root, "1", "0123456789abcdef0123456789abcdef");
    await assert.rejects(writeAtomicInRun(gone, "params/lr", "0.1"), Deno.errors.NotFound);
    await assert.rejects(
      new MetricFileWriter().append(gone, "train/loss", [{
        key: "train/loss",
        value: 1,
        timestamp: 1,
        step: 0,
      }]),
      Deno.errors.NotFound,
    );
    assert.deepEqual([...Deno.readDirSync(root)], [], "no ghost experiment or run folder");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
