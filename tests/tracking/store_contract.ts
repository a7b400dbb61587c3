/**
 * The contract every TrackingStore honours (SQLite now; the file and REST stores reuse it):
 * experiments, runs, params/metrics/tags with MLflow's validation, latest-metric semantics, history
 * paging, search, inputs and artifacts. Register it with
 * `runStoreContract("file", async () => ({ store, dispose }))`.
 */
import assert from "node:assert/strict";
import type { TrackingStore } from "../../lib/tracking/mod.ts";
import { contractTest, rejectsWith, type StoreFactory } from "./store_contract_helpers.ts";
import { loggingContract } from "./store_contract_logging.ts";
import { searchContract } from "./store_contract_search.ts";

export { type ContractSubject, rejectsWith, type StoreFactory, withStore } from "./store_contract_helpers.ts";

/**
 * Registers the contract tests for one store implementation.
 *
 * @example
 * ```ts
 * runStoreContract("sqlite", async () => {
 *   const store = SqliteStore.open(":memory:");
 *   return { store, dispose: () => store.close() };
 * });
 * ```
 */
export function runStoreContract(name: string, make: StoreFactory): void {
  const test = contractTest(name, make);

  test("has the active default experiment 0 named Default", async (store) => {
    const e = await store.getExperiment("0");
    assert.equal(e.name, "Default");
    assert.equal(e.lifecycleStage, "active");
    assert.ok(e.artifactLocation.length > 0);
    assert.deepEqual((await store.getExperimentByName("Default"))?.experimentId, "0");
  });

  test("creates experiments with string ids, tags and times, and finds them by id and name", async (store) => {
    const before = Date.now();
    const id = await store.createExperiment("iris", { tags: { project: "flowers" } });
    assert.equal(typeof id, "string");
    const e = await store.getExperiment(id);
    assert.equal(e.experimentId, id);
    assert.equal(e.name, "iris");
    assert.equal(e.lifecycleStage, "active");
    assert.deepEqual(e.tags, { project: "flowers" });
    assert.ok(e.creationTime !== null && e.creationTime >= before - 1000);
    assert.ok(e.artifactLocation.endsWith(id), e.artifactLocation);
    assert.deepEqual(await store.getExperimentByName("iris"), e);
    assert.equal(await store.getExperimentByName("nope"), undefined);
    const custom = await store.createExperiment("custom", {
      artifactLocation: "file:///tmp/custom-artifacts",
    });
    assert.equal((await store.getExperiment(custom)).artifactLocation, "file:///tmp/custom-artifacts");
  });

  test("refuses duplicate experiment names, deleted ones included, and bad names", async (store) => {
    const id = await store.createExperiment("dup");
    await rejectsWith(store.createExperiment("dup"), "RESOURCE_ALREADY_EXISTS", "dup");
    await store.deleteExperiment(id);
    await rejectsWith(store.createExperiment("dup"), "RESOURCE_ALREADY_EXISTS");
    await rejectsWith(store.createExperiment(""), "INVALID_PARAMETER_VALUE", "Invalid experiment name");
    await rejectsWith(store.createExperiment("x".repeat(501)), "INVALID_PARAMETER_VALUE", "500");
    await rejectsWith(store.getExperiment("987654321"), "RESOURCE_DOES_NOT_EXIST", "987654321");
  });

  test("renames active experiments only, and not onto a taken name", async (store) => {
    const a = await store.createExperiment("a");
    await store.createExperiment("b");
    await store.renameExperiment(a, "a2");
    assert.equal((await store.getExperiment(a)).name, "a2");
    assert.equal(await store.getExperimentByName("a"), undefined);
    await rejectsWith(store.renameExperiment(a, "b"), "RESOURCE_ALREADY_EXISTS");
    await store.deleteExperiment(a);
    // MLflow: INVALID_STATE, a 500 its clients retry; kmlf: a 400 with MLflow's message.
    await rejectsWith(
      store.renameExperiment(a, "a3"),
      "INVALID_PARAMETER_VALUE",
      "Cannot rename a non-active experiment.",
    );
    await rejectsWith(store.renameExperiment("987654321", "zz"), "RESOURCE_DOES_NOT_EXIST");
  });

  test("deletes and restores experiments together with their runs", async (store) => {
    const id = await store.createExperiment("gone");
    const run = await store.createRun({ experimentId: id });
    await store.deleteExperiment(id);
    assert.equal((await store.getExperiment(id)).lifecycleStage, "deleted");
    assert.equal((await store.getRun(run.info.runId)).info.lifecycleStage, "deleted");
    await rejectsWith(store.deleteExperiment(id), "RESOURCE_DOES_NOT_EXIST");
    await rejectsWith(store.createRun({ experimentId: id }), "INVALID_PARAMETER_VALUE", "active");
    await store.restoreExperiment(id);
    assert.equal((await store.getExperiment(id)).lifecycleStage, "active");
    assert.equal((await store.getRun(run.info.runId)).info.lifecycleStage, "active");
    await rejectsWith(store.restoreExperiment(id), "RESOURCE_DOES_NOT_EXIST");
  });

  test("sets, overwrites and deletes experiment tags on active experiments", async (store) => {
    const id = await store.createExperiment("tagged");
    await store.setExperimentTag(id, "k", "1");
    await store.setExperimentTag(id, "k", "2");
    await store.setExperimentTag(id, "mlflow.note.content", "notes");
    assert.deepEqual((await store.getExperiment(id)).tags, { k: "2", "mlflow.note.content": "notes" });
    await store.deleteExperimentTag(id, "k");
    assert.deepEqual((await store.getExperiment(id)).tags, { "mlflow.note.content": "notes" });
    await rejectsWith(store.deleteExperimentTag(id, "k"), "RESOURCE_DOES_NOT_EXIST");
    await rejectsWith(store.setExperimentTag(id, "bad//key", "v"), "INVALID_PARAMETER_VALUE");
    await rejectsWith(
      store.setExperimentTag(id, "long", "v".repeat(5001)),
      "INVALID_PARAMETER_VALUE",
      "5000",
    );
    await store.deleteExperiment(id);
    await rejectsWith(store.setExperimentTag(id, "k", "v"), "INVALID_PARAMETER_VALUE", "active");
  });

  test("searches experiments by name, tags and view type, ordered and paged", async (store) => {
    const ids: string[] = [];
    for (const n of ["iris-a", "iris-b", "wine", "IRIS-c"]) ids.push(await store.createExperiment(n));
    await store.setExperimentTag(ids[2], "team", "ds");
    await store.deleteExperiment(ids[1]);
    const names = async (o: Parameters<TrackingStore["searchExperiments"]>[0]) =>
      (await store.searchExperiments(o)).experiments.map((e) => e.name);
    assert.deepEqual(await names({ filter: "name LIKE 'iris%'", orderBy: ["name"] }), ["iris-a"]);
    assert.deepEqual(await names({ filter: "name ILIKE 'iris%'", orderBy: ["name"] }), ["IRIS-c", "iris-a"]);
    assert.deepEqual(await names({ filter: "tags.team = 'ds'" }), ["wine"]);
    assert.deepEqual(await names({ viewType: "DELETED_ONLY" }), ["iris-b"]);
    assert.deepEqual(
      await names({ viewType: "ALL", orderBy: ["name DESC"] }),
      ["wine", "iris-b", "iris-a", "IRIS-c", "Default"],
    );
    const first = await store.searchExperiments({ orderBy: ["name ASC"], maxResults: 2 });
    assert.deepEqual(first.experiments.map((e) => e.name), ["Default", "IRIS-c"]);
    assert.ok(first.nextPageToken);
    const second = await store.searchExperiments({
      orderBy: ["name ASC"],
      maxResults: 2,
      pageToken: first.nextPageToken,
    });
    assert.deepEqual(second.experiments.map((e) => e.name), ["iris-a", "wine"]);
    assert.equal(second.nextPageToken, undefined);
    await rejectsWith(store.searchExperiments({ filter: "nme = 'x'" }), "INVALID_PARAMETER_VALUE", "nme");
    await rejectsWith(store.searchExperiments({ maxResults: 0 }), "INVALID_PARAMETER_VALUE", "max_results");
  });

  test("creates runs with id, name tag, user, start time and an artifact URI under the experiment", async (store) => {
    const exp = await store.createExperiment("runs");
    const run = await store.createRun({
      experimentId: exp,
      userId: "alice",
      startTime: 1700000000000,
      runName: "first",
      tags: { team: "ml" },
    });
    const i = run.info;
    assert.match(i.runId, /^[0-9a-f]{32}$/);
    assert.deepEqual(
      { ...i, artifactUri: undefined, runId: undefined },
      {
        runId: undefined,
        runName: "first",
        experimentId: exp,
        userId: "alice",
        status: "RUNNING",
        startTime: 1700000000000,
        endTime: null,
        artifactUri: undefined,
        lifecycleStage: "active",
      },
    );
    assert.ok(i.artifactUri.endsWith(`/${i.runId}/artifacts`), i.artifactUri);
    assert.deepEqual(run.data.tags, { team: "ml", "mlflow.runName": "first" });
    assert.deepEqual(run.data.metrics, {});
    assert.deepEqual(run.data.params, {});
    assert.deepEqual(run.inputs, { datasetInputs: [] });
    assert.deepEqual(await store.getRun(i.runId), run);
  });

  test("names runs from the mlflow.runName tag or randomly, and refuses a conflicting pair", async (store) => {
    const fromTag = await store.createRun({ experimentId: "0", tags: { "mlflow.runName": "tagged" } });
    assert.equal(fromTag.info.runName, "tagged");
    const random = await store.createRun({ experimentId: "0" });
    // Adjectives may contain a hyphen ("fun-loving").
    assert.match(random.info.runName, /^[a-z]+(?:-[a-z]+)+-\d{1,3}$/);
    assert.equal(random.data.tags["mlflow.runName"], random.info.runName);
    await rejectsWith(
      store.createRun({ experimentId: "0", runName: "a", tags: { "mlflow.runName": "b" } }),
      "INVALID_PARAMETER_VALUE",
      "mlflow.runName",
    );
    await rejectsWith(store.createRun({ experimentId: "987654321" }), "RESOURCE_DOES_NOT_EXIST");
    await rejectsWith(
      store.getRun("0123456789abcdef0123456789abcdef"),
      "RESOURCE_DOES_NOT_EXIST",
      "not found",
    );
  });

  test("updates status, end time and name; the name follows the mlflow.runName tag both ways", async (store) => {
    const { info } = await store.createRun({ experimentId: "0", runName: "old" });
    const updated = await store.updateRun(info.runId, {
      status: "FINISHED",
      endTime: 1700000009000,
      runName: "new",
    });
    assert.equal(updated.status, "FINISHED");
    assert.equal(updated.endTime, 1700000009000);
    assert.equal(updated.runName, "new");
    assert.equal((await store.getRun(info.runId)).data.tags["mlflow.runName"], "new");
    await store.setTag(info.runId, "mlflow.runName", "from-tag");
    assert.equal((await store.getRun(info.runId)).info.runName, "from-tag");
  });

  test("deletes and restores runs; deleted runs stay readable but refuse writes", async (store) => {
    const { info } = await store.createRun({ experimentId: "0" });
    await store.deleteRun(info.runId);
    assert.equal((await store.getRun(info.runId)).info.lifecycleStage, "deleted");
    await rejectsWith(
      store.logBatch(info.runId, { params: [{ key: "a", value: "1" }] }),
      "INVALID_PARAMETER_VALUE",
    );
    await rejectsWith(store.setTag(info.runId, "a", "1"), "INVALID_PARAMETER_VALUE", "active");
    await rejectsWith(store.updateRun(info.runId, { status: "FAILED" }), "INVALID_PARAMETER_VALUE");
    await store.restoreRun(info.runId);
    assert.equal((await store.getRun(info.runId)).info.lifecycleStage, "active");
    await store.setTag(info.runId, "a", "1");
    await rejectsWith(store.deleteRun("0123456789abcdef0123456789abcdef"), "RESOURCE_DOES_NOT_EXIST");
  });

  test("sets, overwrites and deletes run tags", async (store) => {
    const { info } = await store.createRun({ experimentId: "0", runName: "t" });
    await store.setTag(info.runId, "stage", "dev");
    await store.setTag(info.runId, "stage", "prod");
    await store.logBatch(info.runId, { tags: [{ key: "x/y", value: "1" }] });
    assert.deepEqual((await store.getRun(info.runId)).data.tags, {
      "mlflow.runName": "t",
      stage: "prod",
      "x/y": "1",
    });
    await store.deleteTag(info.runId, "stage");
    assert.equal((await store.getRun(info.runId)).data.tags.stage, undefined);
    await rejectsWith(store.deleteTag(info.runId, "stage"), "RESOURCE_DOES_NOT_EXIST", "stage");
  });

  loggingContract(name, make);
  searchContract(name, make);
}
