/**
 * The logging part of the store contract: params (immutable), metrics (latest by step, timestamp,
 * value; history paging; NaN and ±Infinity), MLflow's validation, dataset inputs and artifacts.
 */
import assert from "node:assert/strict";
import { contractTest, point, rejectsWith, type StoreFactory } from "./store_contract_helpers.ts";

/**
 * Registers the logging contract tests for one store implementation.
 *
 * @example
 * ```ts
 * loggingContract("sqlite", makeStore);
 * ```
 */
export function loggingContract(name: string, make: StoreFactory): void {
  const test = contractTest(name, make);

  test("logs params idempotently and refuses changed values, writing nothing of a failed batch", async (store) => {
    const { info } = await store.createRun({ experimentId: "0" });
    await store.logBatch(info.runId, {
      params: [{ key: "alpha", value: "0.5" }, { key: "l1", value: "0.1" }],
    });
    await store.logBatch(info.runId, { params: [{ key: "alpha", value: "0.5" }] });
    await rejectsWith(
      store.logBatch(info.runId, {
        params: [{ key: "fresh", value: "1" }, { key: "alpha", value: "0.9" }],
        metrics: [point("m", 1, 1)],
      }),
      "INVALID_PARAMETER_VALUE",
      // MLflow's wording for one param, or (a server relaying log-batch) its log-batch wording.
      "Changing param values is not allowed. Param",
    );
    const run = await store.getRun(info.runId);
    assert.deepEqual(run.data.params, { alpha: "0.5", l1: "0.1" });
    assert.deepEqual(run.data.metrics, {});
  });

  test("keeps the latest metric per key as the max by (step, timestamp, value)", async (store) => {
    const { info } = await store.createRun({ experimentId: "0" });
    const id = info.runId;
    await store.logBatch(id, { metrics: [point("val", 0.31, 1000, 5), point("val", 0.29, 2000, 5)] });
    await store.logBatch(id, { metrics: [point("val", 9, 9000, 4)] }); // older step: ignored
    await store.logBatch(id, {
      metrics: [point("tie", 1, 5, 1), point("tie", 3, 5, 1), point("tie", 2, 5, 1)],
    });
    const run = await store.getRun(id);
    assert.equal(run.data.metrics.val, 0.29);
    assert.equal(run.data.metrics.tie, 3);
    assert.deepEqual(run.data.latestMetrics.val, point("val", 0.29, 2000, 5));
  });

  test("picks the latest of tied NaN and infinite points as MLflow's SQL stores do (NaN as 0)", async (store) => {
    const { info } = await store.createRun({ experimentId: "0" });
    const id = info.runId;
    // At one (step, timestamp), values compare as stored: NaN as 0, ±inf as ±MAX_VALUE; ties keep the first.
    await store.logBatch(id, {
      metrics: [
        point("nan_last", -1, 5, 1),
        point("nan_last", NaN, 5, 1),
        point("nan_first", NaN, 5, 1),
        point("nan_first", -1, 5, 1),
        point("nan_low", NaN, 5, 1),
        point("nan_low", 0.5, 5, 1),
        point("inf_max", Infinity, 5, 1),
        point("inf_max", Number.MAX_VALUE, 5, 1),
      ],
    });
    // And across batches (the SQL stores' latest_metrics upsert).
    await store.logBatch(id, { metrics: [point("later", -1, 5, 1)] });
    await store.logBatch(id, { metrics: [point("later", NaN, 5, 1)] });
    const m = (await store.getRun(id)).data.metrics;
    assert.ok(Number.isNaN(m.nan_last), String(m.nan_last));
    assert.ok(Number.isNaN(m.nan_first), String(m.nan_first));
    assert.equal(m.nan_low, 0.5);
    assert.ok(m.inf_max >= Number.MAX_VALUE, String(m.inf_max));
    assert.ok(Number.isNaN(m.later), String(m.later));
    // Searches read the same point: NaN, not the -1 logged beside it.
    const { runs } = await store.searchRuns({ experimentIds: ["0"], filter: "metrics.nan_last < 0" });
    assert.deepEqual(runs, []);
  });

  test("returns metric history in logging order, paged, with exact duplicates stored once", async (store) => {
    const { info } = await store.createRun({ experimentId: "0" });
    const points = [0, 1, 2, 3, 4].map((s) => point("loss", 1 / (s + 1), 1000 + s, s));
    await store.logBatch(info.runId, { metrics: points });
    await store.logBatch(info.runId, { metrics: [points[4]] });
    assert.deepEqual((await store.getMetricHistory(info.runId, "loss")).metrics, points);
    const page1 = await store.getMetricHistory(info.runId, "loss", { maxResults: 2 });
    assert.deepEqual(page1.metrics, points.slice(0, 2));
    const page2 = await store.getMetricHistory(info.runId, "loss", {
      maxResults: 2,
      pageToken: page1.nextPageToken,
    });
    const page3 = await store.getMetricHistory(info.runId, "loss", {
      maxResults: 2,
      pageToken: page2.nextPageToken,
    });
    assert.deepEqual([...page2.metrics, ...page3.metrics], points.slice(2));
    assert.equal(page3.nextPageToken, undefined);
    assert.deepEqual((await store.getMetricHistory(info.runId, "missing")).metrics, []);
    await rejectsWith(
      store.getMetricHistory("0123456789abcdef0123456789abcdef", "loss"),
      "RESOURCE_DOES_NOT_EXIST",
    );
  });

  test("round-trips NaN, ±Infinity, negatives and huge values", async (store) => {
    const { info } = await store.createRun({ experimentId: "0" });
    await store.logBatch(info.runId, {
      metrics: [
        point("nan", NaN, 1),
        point("inf", Infinity, 1),
        point("ninf", -Infinity, 1),
        point("neg", -1.5, 1),
      ],
    });
    await store.logBatch(info.runId, { metrics: [point("huge", 1e300, 1)] });
    const m = (await store.getRun(info.runId)).data.metrics;
    assert.ok(Number.isNaN(m.nan));
    // SQL stores keep ±Infinity as ±1.7976931348623157e308 (MLflow does the same); file stores keep Infinity.
    assert.ok(m.inf >= Number.MAX_VALUE, String(m.inf));
    assert.ok(m.ninf <= -Number.MAX_VALUE, String(m.ninf));
    assert.equal(m.neg, -1.5);
    assert.equal(m.huge, 1e300);
    assert.ok(Number.isNaN((await store.getMetricHistory(info.runId, "nan")).metrics[0].value));
  });

  test("validates keys, values and batch sizes before writing", async (store) => {
    const { info } = await store.createRun({ experimentId: "0" });
    const id = info.runId;
    for (const key of ["bad!", "a//b", "/abs", "../up", "", "trail/"]) {
      await rejectsWith(
        store.logBatch(id, { metrics: [point(key, 1, 1)] }),
        "INVALID_PARAMETER_VALUE",
        "for parameter 'name' supplied",
      );
    }
    await rejectsWith(store.setTag(id, "k".repeat(251), "v"), "INVALID_PARAMETER_VALUE", "250");
    await rejectsWith(
      store.logBatch(id, { params: [{ key: "big", value: "x".repeat(6001) }] }),
      "INVALID_PARAMETER_VALUE",
      "exceeded length limit of 6000",
    );
    await rejectsWith(store.setTag(id, "big", "x".repeat(8001)), "INVALID_PARAMETER_VALUE", "8000");
    await store.setTag(id, "max", "x".repeat(8000));
    await store.logBatch(id, { params: [{ key: "max", value: "x".repeat(6000) }] });
    const many = Array.from({ length: 1001 }, (_, i) => point("m", i, i));
    await rejectsWith(
      store.logBatch(id, { metrics: many }),
      "INVALID_PARAMETER_VALUE",
      "at most 1000 metrics",
    );
    const params = Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: "1" }));
    await rejectsWith(store.logBatch(id, { params }), "INVALID_PARAMETER_VALUE", "at most 100 params");
    await rejectsWith(
      store.logBatch(id, { params: [{ key: "d", value: "1" }, { key: "d", value: "1" }] }),
      "INVALID_PARAMETER_VALUE",
      "Duplicate parameter keys",
    );
    await rejectsWith(
      store.logBatch(id, { metrics: [{ key: "ts", value: 1, timestamp: -1, step: 0 }] }),
      "INVALID_PARAMETER_VALUE",
      "timestamp",
    );
    const run = await store.getRun(id);
    assert.deepEqual(Object.keys(run.data.metrics), []);
    assert.deepEqual(Object.keys(run.data.params), ["max"]);
  });

  test("records dataset inputs once per name and digest", async (store) => {
    const { info } = await store.createRun({ experimentId: "0" });
    const input = {
      dataset: { name: "iris", digest: "abc123", sourceType: "local", source: '{"uri": "data/iris.csv"}' },
      tags: { "mlflow.data.context": "training" },
    };
    await store.logInputs(info.runId, [input, input]);
    await store.logInputs(info.runId, [input]);
    assert.deepEqual((await store.getRun(info.runId)).inputs.datasetInputs, [input]);
  });

  test("serves the run's artifacts through its artifact repository, refusing unsafe paths", async (store) => {
    const { info } = await store.createRun({ experimentId: "0" });
    const repo = store.getArtifactRepository(info.artifactUri);
    await repo.writeArtifact("notes.txt", "hello");
    await repo.writeArtifact("sub/dir/data.json", new TextEncoder().encode("{}"));
    assert.deepEqual(await repo.listArtifacts(), [
      { path: "notes.txt", isDir: false, fileSize: 5 },
      { path: "sub", isDir: true, fileSize: null },
    ]);
    assert.deepEqual(await repo.listArtifacts("sub", { recursive: true }), [
      { path: "sub/dir", isDir: true, fileSize: null },
      { path: "sub/dir/data.json", isDir: false, fileSize: 2 },
    ]);
    assert.equal(new TextDecoder().decode(await repo.readArtifact("notes.txt")), "hello");
    await rejectsWith(repo.writeArtifact("../escape.txt", "x"), "INVALID_PARAMETER_VALUE", "..");
    await rejectsWith(repo.readArtifact("/etc/passwd"), "INVALID_PARAMETER_VALUE", "Absolute");
  });
}
