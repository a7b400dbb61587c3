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

Deno.test("postgresql store refuses artifact locations its columns cannot hold, naming the limit and the fix", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-pg-widths-" });
  const store = await openStore(await (await sharedPostgres()).createDatabase(), { baseDir: dir });
  const refusal = (p: Promise<unknown>) =>
    p.then(() => assert.fail("accepted"), (e: unknown) => {
      assert.ok(e instanceof TrackingError, String(e));
      assert.equal(e.code, "INVALID_PARAMETER_VALUE");
      return e;
    });
  try {
    // SQLite and mlruns keep both (as MLflow's do); PostgreSQL's columns are 256 and 200 wide.
    const location = await refusal(
      store.createExperiment("long", { artifactLocation: `s3://b/${"l".repeat(250)}` }),
    );
    assert.match(location.message, /had length 257, .*experiments\.artifact_location holds 256/);
    assert.match(location.hint ?? "", /shorter artifact location/);
    const deep = await store.createExperiment("deep", { artifactLocation: `s3://b/${"l".repeat(153)}` });
    const run = await refusal(store.createRun({ experimentId: deep }));
    assert.match(
      run.message,
      /experiment \d+: its artifact location .* has length 160, .*runs\.artifact_uri/,
    );
    assert.match(run.hint ?? "", /at most 157 characters/);
    assert.equal((await store.searchRuns({ experimentIds: [deep] })).runs.length, 0);
    const fits = await store.createExperiment("fits", { artifactLocation: `s3://b/${"l".repeat(150)}` });
    assert.equal((await store.createRun({ experimentId: fits })).info.artifactUri.length, 200);
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
