/**
 * MlflowClient called from plain JavaScript with wrong arguments, on the SQLite and the file store: every
 * mistake is a TrackingError naming the argument and the fix — never a SQLite binding error, a TypeError,
 * a CHECK constraint, nor (file store) a run id `undefined` read or written beside the runs.
 */
import assert from "node:assert/strict";
import { TrackingError } from "../../lib/errors.ts";
import { MlflowClient, openStore } from "../../lib/tracking/mod.ts";

// deno-lint-ignore no-explicit-any
type Loose = any;

for (const uri of ["sqlite:///mlflow.db", "mlruns"]) {
  const withClient = async (fn: (client: Loose, runId: string, experimentId: string) => Promise<void>) => {
    const dir = await Deno.makeTempDir({ prefix: "kmlf-client-args-" });
    const client = await MlflowClient.open(uri, { baseDir: dir, processHooks: false });
    try {
      const { experimentId } = await client.getOrCreateExperiment("args");
      const run = await client.createRun(experimentId);
      await fn(client, run.info.runId, experimentId);
    } finally {
      await client.close();
      await Deno.remove(dir, { recursive: true });
    }
  };

  const refused = (argument: string) => (e: unknown) =>
    e instanceof TrackingError && e.code === "INVALID_PARAMETER_VALUE" &&
    e.message.includes(`'${argument}'`) && !!e.hint;

  Deno.test(`MlflowClient (${uri}): a missing or non-string run id names run_id, and nothing is written`, async () => {
    await withClient(async (client, runId) => {
      for (const id of [undefined, null, "", 12]) {
        await assert.rejects(() => client.getRun(id), refused("run_id"), `getRun ${id}`);
        await assert.rejects(() => client.logMetric(id, "m", 1), refused("run_id"), `logMetric ${id}`);
        await assert.rejects(() => client.logParam(id, "p", 1), refused("run_id"));
        await assert.rejects(() => client.setTag(id, "t", "v"), refused("run_id"));
        await assert.rejects(() => client.logBatch(id, { metrics: [] }), refused("run_id"));
        await assert.rejects(() => client.getMetricHistory(id, "m"), refused("run_id"));
        await assert.rejects(() => client.deleteRun(id), refused("run_id"));
        await assert.rejects(() => client.setTerminated(id), refused("run_id"));
        await assert.rejects(() => client.logText(id, "x", "a.txt"), refused("run_id"));
      }
      assert.deepEqual((await client.getRun(runId)).data.metrics, {});
    });
  });

  Deno.test(`MlflowClient (${uri}): experiment ids may be whole numbers; other values name experiment_id`, async () => {
    await withClient(async (client, _runId, experimentId) => {
      // The Default experiment "0" in both stores (a file store's other ids exceed Number's precision).
      assert.equal((await client.getExperiment(0)).experimentId, "0");
      assert.equal((await client.createRun(0)).info.experimentId, "0");
      assert.equal((await client.searchRuns(0)).runs.length, 1);
      assert.equal((await client.searchRuns([experimentId, 0])).runs.length, 2);
      for (const id of [undefined, null, 1.5, -1, {}]) {
        await assert.rejects(() => client.getExperiment(id), refused("experiment_id"), `${id}`);
        await assert.rejects(() => client.createRun(id), refused("experiment_id"));
        await assert.rejects(() => client.searchRuns([id]), refused("experiment_id"));
      }
    });
  });

  Deno.test(`MlflowClient (${uri}): a status that is not MLflow's and metrics that are not a list are named`, async () => {
    await withClient(async (client, runId) => {
      await assert.rejects(() => client.setTerminated(runId, "DONE"), refused("status"));
      await assert.rejects(() => client.updateRun(runId, { status: "ok" }), refused("status"));
      await assert.rejects(() => client.logBatch(runId, { metrics: { a: 1 } }), refused("metrics"));
      assert.equal((await client.getRun(runId)).info.status, "RUNNING");
    });
  });

  Deno.test(`MlflowClient (${uri}): a value of the wrong type keeps MLflow's words and says what came instead`, async () => {
    await withClient(async (client, runId) => {
      const hinted = (pattern: RegExp) => (e: unknown) =>
        e instanceof TrackingError && e.code === "INVALID_PARAMETER_VALUE" && pattern.test(e.hint ?? "");
      await assert.rejects(() => client.logMetric(runId, "m", "0.5"), hinted(/the string "0\.5".*Number/));
      await assert.rejects(() => client.logMetric(runId, "m", 1, { step: 1.5 }), hinted(/step is 1\.5/));
      await assert.rejects(() => client.logMetric(runId, "m", 1, { timestamp: "x" }), hinted(/Date\.now/));
      await assert.rejects(() => client.logBatch(runId, { params: { p: 5 } }), hinted(/String\(value\)/));
      await assert.rejects(() => client.setTags(runId, { t: 5 }), hinted(/String\(value\)/));
      assert.deepEqual((await client.getRun(runId)).data.metrics, {});
    });
  });

  Deno.test(`MlflowClient (${uri}): after close() every call says the client is closed; close() twice is fine`, async () => {
    await withClient(async (client, runId) => {
      await client.close();
      const closed = (e: unknown) =>
        e instanceof TrackingError && e.code === "tracking/store-closed" && !!e.hint;
      await assert.rejects(() => client.getRun(runId), closed);
      await assert.rejects(() => client.logMetric(runId, "m", 1), closed);
      await assert.rejects(() => client.startRun({}), closed);
      await client.close();
    });
  });
}

Deno.test("MlflowClient.open and openStore without options resolve against the working directory; a URI that is not a string is named", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-client-open-" });
  const cwd = Deno.cwd();
  Deno.chdir(dir);
  try {
    const client = await MlflowClient.open("sqlite:///here.db");
    await client.getOrCreateExperiment("x");
    await client.close();
    await (await openStore("mlruns")).close();
    assert.ok((await Deno.stat(`${dir}/here.db`)).isFile);
    assert.ok((await Deno.stat(`${dir}/mlruns`)).isDirectory);
    for (const uri of [undefined, null, 5]) {
      await assert.rejects(
        () => MlflowClient.open(uri as unknown as string),
        (e: unknown) =>
          e instanceof TrackingError && e.code === "tracking/unsupported-uri" && /sqlite:/.test(e.hint ?? ""),
      );
    }
    assert.throws(
      () => new MlflowClient(undefined as unknown as Loose),
      (e: unknown) => e instanceof TrackingError && /MlflowClient\.open/.test(e.hint ?? ""),
    );
  } finally {
    Deno.chdir(cwd);
    await Deno.remove(dir, { recursive: true });
  }
});

for (const uri of ["sqlite:///mlflow.db", "mlruns"]) {
  Deno.test(`MlflowClient (${uri}): records given as strings or lists, a missing metric key, a dict JSON cannot hold, a single orderBy`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "kmlf-client-records-" });
    const client: Loose = await MlflowClient.open(uri, { baseDir: dir, processHooks: false });
    try {
      const { experimentId } = await client.getOrCreateExperiment("records");
      const runId = (await client.createRun(experimentId)).info.runId;
      const refused = (argument: string) => (e: unknown) =>
        e instanceof TrackingError && e.message.includes(`'${argument}'`) && !!e.hint;
      await assert.rejects(() => client.logParams(runId, "abc"), refused("params"));
      await assert.rejects(() => client.logParams(runId, [1, 2]), refused("params"));
      await assert.rejects(() => client.logMetrics(runId, [1, 2]), refused("metrics"));
      await assert.rejects(() => client.setTags(runId, "abc"), refused("tags"));
      await assert.rejects(() => client.logBatch(runId, { params: "abc" }), refused("params"));
      await assert.rejects(() => client.getMetricHistory(runId, undefined), refused("metric_key"));
      const run = await client.startRun({ runId });
      assert.throws(() => run.logMetrics([1, 2]), refused("metrics"));
      await run.end();
      const stored = await client.getRun(runId);
      assert.deepEqual(stored.data.params, {});
      assert.deepEqual(stored.data.metrics, {});
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      for (const dict of [cyclic, { n: 1n }, undefined]) {
        await assert.rejects(
          () => client.logDict(runId, dict, "d.json"),
          (e: unknown) =>
            e instanceof TrackingError && e.code === "tracking/unserializable-dict" &&
            /d\.json/.test(e.message),
        );
      }
      await client.logMetric(runId, "acc", 0.5);
      const other = (await client.createRun(experimentId)).info.runId;
      await client.logMetric(other, "acc", 0.9);
      const { runs } = await client.searchRuns(experimentId, { orderBy: "metrics.acc DESC" });
      assert.deepEqual(runs.map((r: Loose) => r.info.runId), [other, runId]);
    } finally {
      await client.close();
      await Deno.remove(dir, { recursive: true });
    }
  });
}

for (const uri of ["sqlite:///mlflow.db", "mlruns"]) {
  Deno.test(`MlflowClient (${uri}): search options as MLflow's Python passes them are named, not ignored`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "kmlf-client-search-" });
    const client: Loose = await MlflowClient.open(uri, { baseDir: dir, processHooks: false });
    try {
      const { experimentId } = await client.getOrCreateExperiment("search");
      for (const acc of [0.5, 0.9]) {
        await client.logMetric((await client.createRun(experimentId)).info.runId, "acc", acc);
      }
      const refused = (pattern: RegExp) => (e: unknown) =>
        e instanceof TrackingError && e.code === "INVALID_PARAMETER_VALUE" &&
        pattern.test(`${e.message} | ${e.hint}`);
      // Each used to return every run: the filter (or the page size) was dropped without a word.
      await assert.rejects(
        () => client.searchRuns(experimentId, "metrics.acc > 0.7"),
        refused(/must be an object, got "metrics\.acc > 0\.7".*\{ filter: "metrics\.acc > 0\.7" \}/),
      );
      await assert.rejects(
        () => client.searchRuns(experimentId, { filter_string: "metrics.acc > 0.7" }),
        refused(/no option 'filter_string'.*filter_string is filter here/),
      );
      await assert.rejects(
        () => client.searchRuns(experimentId, { max_results: 1 }),
        refused(/max_results is maxResults/),
      );
      await assert.rejects(
        () => client.searchRuns(experimentId, { maxResults: "1" }),
        refused(/'maxResults'/),
      );
      await assert.rejects(
        () => client.searchRuns(experimentId, { runViewType: "all" }),
        refused(/ACTIVE_ONLY/),
      );
      await assert.rejects(() => client.searchRuns(experimentId, { orderBy: [1] }), refused(/'orderBy'/));
      await assert.rejects(
        () => client.searchExperiments({ view_type: "ALL" }),
        refused(/view_type is viewType/),
      );
      await assert.rejects(() => client.searchExperiments("name = 'x'"), refused(/must be an object/));
      // What is right still works; one orderBy string is one clause for experiments too.
      const { runs } = await client.searchRuns(experimentId, { filter: "metrics.acc > 0.7", maxResults: 5 });
      assert.equal(runs.length, 1);
      const { experiments } = await client.searchExperiments({ orderBy: "name DESC", viewType: "ALL" });
      assert.deepEqual(experiments.map((e: Loose) => e.name), ["search", "Default"]);
    } finally {
      await client.close();
      await Deno.remove(dir, { recursive: true });
    }
  });
}

for (const uri of ["sqlite:///mlflow.db", "mlruns"]) {
  Deno.test(`MlflowClient (${uri}): searchRegisteredModels and searchModelVersions take MLflow's grammar and checked options`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "kmlf-client-registry-search-" });
    const client: Loose = await MlflowClient.open(uri, { baseDir: dir, processHooks: false });
    try {
      const { experimentId } = await client.getOrCreateExperiment("registry-search");
      const run = await client.createRun(experimentId);
      for (const name of ["iris", "iris-small", "wine"]) {
        await client.store.registry.createRegisteredModel(name, {
          tags: { team: name === "wine" ? "b" : "a" },
        });
        for (let i = 0; i < 2; i++) {
          await client.store.registry.createModelVersion(name, `${run.info.artifactUri}/model`, {
            runId: run.info.runId,
          });
        }
      }
      const names = (page: Loose) => page.registeredModels.map((m: Loose) => m.name);
      assert.deepEqual(names(await client.searchRegisteredModels()), ["iris", "iris-small", "wine"]);
      assert.deepEqual(
        names(
          await client.searchRegisteredModels({
            filter: "name LIKE 'iris%' AND tags.team = \"a\"",
            orderBy: "name DESC",
          }),
        ),
        ["iris-small", "iris"],
      );
      const first = await client.searchRegisteredModels({ maxResults: 2 });
      assert.deepEqual(names(first), ["iris", "iris-small"]);
      assert.deepEqual(names(await client.searchRegisteredModels({ pageToken: first.nextPageToken })), [
        "wine",
      ]);
      const versions = await client.searchModelVersions({
        filter: `name = 'iris' AND run_id IN ('${run.info.runId}')`,
        orderBy: ["version_number ASC"],
      });
      assert.deepEqual(versions.modelVersions.map((v: Loose) => v.version), ["1", "2"]);
      // Mistakes are named, as in searchRuns: Python's names, a bare filter string, a view type.
      const refused = (pattern: RegExp) => (e: unknown) =>
        e instanceof TrackingError && e.code === "INVALID_PARAMETER_VALUE" &&
        pattern.test(`${e.message} | ${e.hint}`);
      await assert.rejects(
        () => client.searchRegisteredModels({ filter_string: "name = 'wine'" }),
        refused(/searchRegisteredModels has no option 'filter_string'.*filter_string is filter here/),
      );
      await assert.rejects(
        () => client.searchModelVersions("name = 'wine'"),
        refused(
          /searchModelVersions must be an object.*searchModelVersions\(\{ filter: "name = 'wine'" \}\)/,
        ),
      );
      await assert.rejects(
        () => client.searchModelVersions({ viewType: "ALL" }),
        refused(/no option 'viewType'/),
      );
      await assert.rejects(() => client.searchRegisteredModels({ maxResults: "1" }), refused(/'maxResults'/));
      await assert.rejects(
        () => client.searchModelVersions({ filter: "version_number >= '1x'" }),
        refused(/version_number/),
      );
    } finally {
      await client.close();
      await Deno.remove(dir, { recursive: true });
    }
  });
}
