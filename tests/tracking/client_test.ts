/** MlflowClient and ActiveRun over the SQLite store: logging helpers, batching, artifacts, nested runs. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { TrackingError } from "../../lib/errors.ts";
import { type LogBatch, MlflowClient, SqliteStore, type TrackingStore } from "../../lib/tracking/mod.ts";

interface Harness {
  client: MlflowClient;
  batches: LogBatch[];
  dir: string;
}

async function withClient(fn: (h: Harness) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-client-" });
  const store = SqliteStore.open(join(dir, "mlflow.db"));
  const batches: LogBatch[] = [];
  // Records every logBatch the store receives, to check the client's batching.
  const counting = new Proxy(store, {
    get(target, prop) {
      if (prop === "logBatch") {
        return (runId: string, batch: LogBatch) => {
          batches.push(batch);
          return target.logBatch(runId, batch);
        };
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  }) as TrackingStore;
  const client = new MlflowClient(counting, {
    processHooks: false,
    context: { user: "tester", sourceName: "train.ts", sourceType: "LOCAL" },
  });
  try {
    await fn({ client, batches, dir });
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("getRun gives plain key→value records for params, metrics and tags", () =>
  withClient(async ({ client }) => {
    const exp = await client.createExperiment("iris");
    const { info } = await client.createRun(exp, { runName: "baseline" });
    await client.logParam(info.runId, "C", 1.5);
    await client.logParams(info.runId, { model: "logreg", layers: [16, 8], verbose: true });
    await client.logMetric(info.runId, "acc", 0.9, { step: 1, timestamp: 10 });
    await client.logMetrics(info.runId, { acc: 0.95, f1: 0.9 }, { step: 2 });
    await client.setTags(info.runId, { team: "ml" });
    await client.setTerminated(info.runId, "FINISHED", 99);
    const run = await client.getRun(info.runId);
    assert.deepEqual(run.data.params, { C: "1.5", model: "logreg", layers: "[16,8]", verbose: "true" });
    assert.deepEqual(run.data.metrics, { acc: 0.95, f1: 0.9 });
    assert.deepEqual(run.data.tags, { "mlflow.runName": "baseline", team: "ml" });
    assert.equal(run.info.status, "FINISHED");
    assert.equal(run.info.endTime, 99);
    assert.deepEqual((await client.getMetricHistory(info.runId, "acc")).map((m) => m.value), [0.9, 0.95]);
  }));

Deno.test("logBatch splits any size into requests within MLflow's limits", () =>
  withClient(async ({ client, batches }) => {
    const { info } = await client.createRun("0");
    batches.length = 0;
    const params = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`p${i}`, String(i)]));
    const metrics = Array.from({ length: 1500 }, (_, i) => ({ key: "m", value: i, timestamp: i, step: i }));
    await client.logBatch(info.runId, { params, metrics, tags: { a: "1" } });
    assert.ok(
      batches.every((b) =>
        (b.params?.length ?? 0) <= 100 &&
        (b.metrics?.length ?? 0) + (b.params?.length ?? 0) + (b.tags?.length ?? 0) <= 1000
      ),
    );
    assert.equal(batches.length, 3);
    const run = await client.getRun(info.runId);
    assert.equal(Object.keys(run.data.params).length, 250);
    assert.equal((await client.getMetricHistory(info.runId, "m")).length, 1500);
    assert.equal(run.data.metrics.m, 1499);
  }));

Deno.test("getOrCreateExperiment creates once, reuses, and refuses deleted experiments", () =>
  withClient(async ({ client }) => {
    const a = await client.getOrCreateExperiment("exp");
    const b = await client.getOrCreateExperiment("exp");
    assert.equal(a.experimentId, b.experimentId);
    await client.deleteExperiment(a.experimentId);
    await assert.rejects(
      client.getOrCreateExperiment("exp"),
      (e: unknown) =>
        e instanceof TrackingError && e.code === "INVALID_PARAMETER_VALUE" &&
        /deleted experiment 'exp'/.test(e.message),
    );
  }));

Deno.test("text, dicts (JSON and YAML), files and directories become run artifacts", () =>
  withClient(async ({ client, dir }) => {
    const { info } = await client.createRun("0");
    const id = info.runId;
    await client.logText(id, "hello\n", "notes/readme.txt");
    await client.logDict(id, { model: "logreg", C: 1.5, classes: ["a", "b"] }, "config.json");
    await client.logDict(id, { model: "logreg", nested: { lr: 0.1 } }, "cfg/params.yaml");
    await Deno.writeTextFile(join(dir, "weights.bin"), "0101");
    await client.logArtifact(id, join(dir, "weights.bin"), "model");
    const listed = await client.listArtifacts(id, undefined, { recursive: true });
    assert.deepEqual(listed.map((f) => f.path), [
      "cfg",
      "cfg/params.yaml",
      "config.json",
      "model",
      "model/weights.bin",
      "notes",
      "notes/readme.txt",
    ]);
    const local = await client.downloadArtifacts(id, "config.json", join(dir, "dl"));
    assert.equal(
      await Deno.readTextFile(local),
      '{\n  "model": "logreg",\n  "C": 1.5,\n  "classes": [\n    "a",\n    "b"\n  ]\n}',
    );
    const yaml = await Deno.readTextFile(await client.downloadArtifacts(id, "cfg/params.yaml"));
    assert.equal(yaml, "model: logreg\nnested:\n  lr: 0.1\n");
    assert.ok(info.artifactUri.startsWith(`file://${dir}/mlartifacts/0/${id}/artifacts`));
  }));

Deno.test("startRun adds MLflow's default tags and buffers metrics into batches of 1000", () =>
  withClient(async ({ client, batches }) => {
    const run = await client.startRun({
      experimentName: "buffered",
      runName: "train",
      description: "first try",
    });
    const created = await client.getRun(run.runId);
    assert.deepEqual(created.data.tags, {
      "mlflow.user": "tester",
      "mlflow.source.name": "train.ts",
      "mlflow.source.type": "LOCAL",
      "mlflow.runName": "train",
      "mlflow.note.content": "first try",
    });
    assert.equal(created.info.userId, "tester");
    batches.length = 0;
    for (let step = 0; step < 2500; step++) run.logMetric("loss", 1 / (step + 1), { step, timestamp: step });
    assert.ok(run.pendingMetrics > 0);
    await run.end();
    assert.equal(run.pendingMetrics, 0);
    assert.deepEqual(batches.map((b) => b.metrics?.length), [1000, 1000, 500]);
    const done = await client.getRun(run.runId);
    assert.equal(done.info.status, "FINISHED");
    assert.equal(done.data.metrics.loss, 1 / 2500);
    assert.equal((await client.getMetricHistory(run.runId, "loss")).length, 2500);
    assert.throws(
      () => run.logMetric("late", 1),
      (e: unknown) => e instanceof TrackingError && e.code === "tracking/run-ended",
    );
    assert.equal(client.activeRun(), undefined);
  }));

Deno.test("invalid metrics are refused when logged, before buffering", () =>
  withClient(async ({ client }) => {
    const run = await client.startRun({ runName: "strict" });
    assert.throws(
      () => run.logMetric("bad key!", 1),
      (e: unknown) =>
        e instanceof TrackingError && e.code === "INVALID_PARAMETER_VALUE" &&
        /^Invalid value "bad key!" for parameter 'name' supplied: Names may only contain/.test(e.message),
    );
    await run.end();
  }));

Deno.test("nested runs record their parent, inherit its experiment, and need an active parent", () =>
  withClient(async ({ client }) => {
    await assert.rejects(
      client.startRun({ nested: true }),
      (e: unknown) => e instanceof TrackingError && e.code === "tracking/no-active-run",
    );
    const parent = await client.startRun({ experimentName: "tuning", runName: "sweep" });
    await assert.rejects(
      client.startRun({ runName: "second" }),
      (e: unknown) => e instanceof TrackingError && e.code === "tracking/run-already-active",
    );
    const child = await client.startRun({ runName: "trial-1", nested: true, tags: { lr: "0.1" } });
    assert.equal(client.activeRun(), child);
    const got = await client.getRun(child.runId);
    assert.equal(got.data.tags["mlflow.parentRunId"], parent.runId);
    assert.equal(got.info.experimentId, parent.experimentId);
    await child.end();
    assert.equal(client.activeRun(), parent);
    await parent.end();
    assert.equal(client.activeRun(), undefined);
    const { runs } = await client.searchRuns(parent.experimentId, {
      filter: `tags.mlflow.parentRunId = '${parent.runId}'`,
    });
    assert.deepEqual(runs.map((r) => r.info.runName), ["trial-1"]);
  }));

Deno.test("ending a parent ends its active nested runs first, innermost first, with the same status", () =>
  withClient(async ({ client }) => {
    const parent = await client.startRun({ experimentName: "tuning", runName: "sweep" });
    const child = await client.startRun({ runName: "trial", nested: true });
    const grandchild = await client.startRun({ runName: "fold", nested: true });
    grandchild.logMetric("loss", 0.5);
    const ended: string[] = [];
    const store = client.store;
    const updateRun = store.updateRun.bind(store);
    store.updateRun = (runId, update) => {
      ended.push(runId);
      return updateRun(runId, update);
    };
    try {
      await parent.end();
    } finally {
      store.updateRun = updateRun;
    }
    assert.deepEqual(ended, [grandchild.runId, child.runId, parent.runId]);
    for (const run of [parent, child, grandchild]) {
      assert.equal((await client.getRun(run.runId)).info.status, "FINISHED", run.runId);
      assert.ok(run.ended);
    }
    assert.equal((await client.getRun(grandchild.runId)).data.metrics.loss, 0.5, "flushed before it ended");
    assert.equal(client.activeRun(), undefined);
    // A failing parent's block fails the children it leaves open too (kedro-mlflow ends them all FAILED).
    let childId = "";
    await assert.rejects(
      client.withRun({ runName: "outer" }, async () => {
        childId = (await client.startRun({ runName: "inner", nested: true })).runId;
        throw new Error("diverged");
      }),
      /diverged/,
    );
    assert.equal((await client.getRun(childId)).info.status, "FAILED");
    assert.equal(client.activeRun(), undefined);
  }));

Deno.test("a run ends once: a second ending, even racing the first, does not change its status", () =>
  withClient(async ({ client }) => {
    const run = await client.startRun({ runName: "raced" });
    // The code's FINISHED and a signal's KILLED at the same moment: the first ending wins.
    await Promise.all([run.end("FINISHED"), run.endQuietly("KILLED"), run.end("FAILED")]);
    assert.equal((await client.getRun(run.runId)).info.status, "FINISHED");
    await run.end("FAILED");
    assert.equal((await client.getRun(run.runId)).info.status, "FINISHED");
    assert.throws(() => run.logMetric("m", 2), /Cannot log to run \w+: it has ended/);
  }));

Deno.test("a wrong status or a store refusing the end status leaves the run endable by a later end()", () =>
  withClient(async ({ client }) => {
    const run = await client.startRun({ runName: "retry" });
    run.logMetric("m", 1);
    await assert.rejects(
      run.end("DONE" as "FINISHED"),
      (e: unknown) =>
        e instanceof TrackingError && e.code === "INVALID_PARAMETER_VALUE" &&
        /"DONE" for parameter 'status'/.test(e.message),
    );
    assert.equal(run.ended, false, "nothing happened");
    const store = client.store;
    const updateRun = store.updateRun.bind(store);
    store.updateRun = () => Promise.reject(new TrackingError("TEMPORARILY_UNAVAILABLE", "store down"));
    try {
      await assert.rejects(run.end(), /store down/);
    } finally {
      store.updateRun = updateRun;
    }
    assert.equal((await client.getRun(run.runId)).info.status, "RUNNING");
    await run.end();
    const after = await client.getRun(run.runId);
    assert.equal(after.info.status, "FINISHED");
    assert.equal(after.data.metrics.m, 1);
  }));

Deno.test("a run started under another parent while a run is active is refused, as in MLflow", () =>
  withClient(async ({ client }) => {
    const other = await client.createRun("0", { runName: "other" });
    const deleted = await client.createRun("0", { runName: "gone" });
    await client.deleteRun(deleted.info.runId);
    await assert.rejects(
      client.startRun({ parentRunId: deleted.info.runId }),
      /Cannot start run under parent run with ID \w+ because it is in the deleted state/,
    );
    const active = await client.startRun({ runName: "active" });
    await assert.rejects(client.startRun({ parentRunId: other.info.runId }), (e: unknown) => {
      assert.ok(e instanceof TrackingError);
      assert.equal(e.code, "tracking/parent-not-active");
      assert.match(e.message, new RegExp(`run ${active.runId} is active`));
      assert.match(e.hint ?? "", /nested: true/);
      return true;
    });
    const child = await client.startRun({ parentRunId: active.runId });
    assert.equal((await client.getRun(child.runId)).data.tags["mlflow.parentRunId"], active.runId);
    await active.end();
    assert.ok(child.ended);
    // A run has one handle: resuming one that is active is refused (two handles would each end it).
    const again = await client.startRun({ runName: "again" });
    await assert.rejects(
      client.startRun({ runId: again.runId, nested: true }),
      (e: unknown) =>
        e instanceof TrackingError && e.code === "tracking/run-already-active" &&
        /Cannot resume run \w+: it is already active/.test(e.message),
    );
    await again.end();
    assert.equal(
      (await client.getRun(again.runId)).data.tags["mlflow.parentRunId"],
      undefined,
      "never its own parent",
    );
    await assert.rejects(
      client.startRun({ runId: again.runId, parentRunId: again.runId }),
      (e: unknown) => e instanceof TrackingError && e.code === "tracking/invalid-parent",
    );
    // With no run active, any existing parent is fine.
    const late = await client.startRun({ parentRunId: other.info.runId });
    assert.equal((await client.getRun(late.runId)).data.tags["mlflow.parentRunId"], other.info.runId);
    await late.end();
  }));

Deno.test("withRun ends FINISHED on success and FAILED, flushed, on error", () =>
  withClient(async ({ client }) => {
    let okId = "";
    const result = await client.withRun({ runName: "ok" }, (run) => {
      okId = run.runId;
      run.logMetric("m", 1);
      return 42;
    });
    assert.equal(result, 42);
    assert.equal((await client.getRun(okId)).info.status, "FINISHED");
    let failedId = "";
    await assert.rejects(
      client.withRun({ runName: "boom" }, (run) => {
        failedId = run.runId;
        run.logMetric("m", 7);
        throw new Error("diverged");
      }),
      /diverged/,
    );
    const failed = await client.getRun(failedId);
    assert.equal(failed.info.status, "FAILED");
    assert.equal(failed.data.metrics.m, 7);
  }));

Deno.test("startRun with runId resumes a finished run", () =>
  withClient(async ({ client }) => {
    const first = await client.startRun({ runName: "resumable" });
    first.logMetric("m", 1, { step: 0 });
    await first.end();
    const again = await client.startRun({ runId: first.runId, tags: { resumed: "yes" } });
    assert.equal((await client.getRun(first.runId)).info.status, "RUNNING");
    again.logMetric("m", 2, { step: 1 });
    await again.end("KILLED");
    const run = await client.getRun(first.runId);
    assert.equal(run.info.status, "KILLED");
    assert.equal(run.data.metrics.m, 2);
    assert.equal(run.data.tags.resumed, "yes");
  }));

Deno.test("a run's user is its mlflow.user tag, through createRun and startRun alike", async () => {
  const client = new MlflowClient(SqliteStore.open(":memory:"), {
    processHooks: false,
    context: { user: "ctx" },
  });
  try {
    const created = await client.createRun("0", { tags: { "mlflow.user": "bob" } });
    assert.equal(created.info.userId, "bob");
    const active = await client.startRun({ tags: { "mlflow.user": "ann" } });
    assert.equal((await client.getRun(active.runId)).info.userId, "ann");
    await active.end();
    const plain = await client.startRun({});
    assert.equal((await client.getRun(plain.runId)).info.userId, "ctx");
    await plain.end();
  } finally {
    await client.store.close();
  }
});
