/**
 * The store contract on a real PostgreSQL server (Debian's `postgresql`, started by the suite on a
 * free loopback port: tests/services/postgres_server.ts), one fresh database per test.
 */
import assert from "node:assert/strict";
import { TrackingError } from "../../lib/errors.ts";
import { openStore } from "../../lib/tracking/mod.ts";
import { sharedPostgres } from "../services/postgres_server.ts";
import { runStoreContract } from "./store_contract.ts";

runStoreContract("postgresql", async () => {
  const url = await (await sharedPostgres()).createDatabase();
  const dir = await Deno.makeTempDir({ prefix: "kmlf-pg-store-" });
  const store = await openStore(url, { baseDir: dir });
  return {
    store,
    dispose: async () => {
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
});

Deno.test("postgresql store words a log-batch changing params as MLflow's SQL store, as SQLite does", async () => {
  const messages: string[] = [];
  const dir = await Deno.makeTempDir({ prefix: "kmlf-pg-batch-" });
  for (const uri of [`sqlite:///${dir}/mlflow.db`, await (await sharedPostgres()).createDatabase()]) {
    const store = await openStore(uri, { baseDir: dir });
    try {
      const run = await store.createRun({ experimentId: "0" });
      await store.logBatch(run.info.runId, { params: [{ key: "a", value: "1" }, { key: "b", value: "2" }] });
      for (const asBatch of [true, false]) {
        const error = await store.logBatch(run.info.runId, {
          params: [{ key: "a", value: "3" }, { key: "b", value: "4" }],
          asBatch,
        }).then(() => undefined, (e: unknown) => e);
        assert.ok(error instanceof TrackingError, String(error));
        assert.equal(error.code, "INVALID_PARAMETER_VALUE");
        messages.push(error.message.replaceAll(run.info.runId, "<run>"));
      }
      assert.deepEqual((await store.getRun(run.info.runId)).data.params, { a: "1", b: "2" });
    } finally {
      await store.close();
    }
  }
  await Deno.remove(dir, { recursive: true });
  assert.deepEqual(messages.slice(2), messages.slice(0, 2));
  assert.match(messages[0], /Params were already logged='\[\{'key': 'a'.*'key': 'b'/);
});
