/** The store contract on the mlruns file store. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { FileStore } from "../../lib/tracking/file/file_store.ts";
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
