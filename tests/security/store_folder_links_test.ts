/**
 * A file store follows no link out of a run, an experiment or a registered model even when the link is one
 * of the store's own folders — a run's `metrics`, `params` or `tags`, an experiment's `tags`, a model's
 * `tags` or `aliases`, a version's `tags` — or a `meta.yaml`, planted by someone who can write the store
 * (a shared team folder): no read shows a file of the folder it leads to, no write or delete lands there,
 * and a server over the store answers 400s naming no folder of the machine.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { TrackingError } from "../../lib/errors.ts";
import type { FileStore } from "../../lib/tracking/mod.ts";
import { fileRunDir, SECRET, type SecurityFixture, securityFixture } from "./security_fixture.ts";
import { leaksPath } from "./traversal_variants.ts";

/** The call fails with INVALID_PARAMETER_VALUE naming no folder of the machine, nor the secret. */
async function refused(fx: SecurityFixture, call: () => Promise<unknown>, what: string): Promise<void> {
  const error = await call().then(() => undefined, (error) => error);
  assert.ok(error instanceof TrackingError, `${what}: expected a refusal, got ${error}`);
  assert.equal(error.code, "INVALID_PARAMETER_VALUE", `${what}: ${error.message}`);
  assert.ok(!leaksPath(error.message, fx.dir) && !/TOP-SECRET|id_rsa/.test(error.message), error.message);
}

/** The outside folder still holds only the secret, unchanged. */
async function outsideUntouched(fx: SecurityFixture): Promise<void> {
  assert.deepEqual([...Deno.readDirSync(fx.outsideDir)].map((e) => e.name).sort(), [
    "meta.yaml",
    "secret",
    "sub",
  ]);
  assert.deepEqual([...Deno.readDirSync(join(fx.outsideDir, "sub"))].map((e) => e.name), ["id_rsa"]);
  assert.equal(await Deno.readTextFile(fx.secretPath), SECRET);
}

async function withFileFixture(fn: (fx: SecurityFixture) => Promise<void>): Promise<void> {
  const fx = await securityFixture("file");
  try {
    // A YAML file outside, shaped as a run's meta.yaml: a planted meta.yaml link must not make it a run.
    await Deno.writeTextFile(join(fx.outsideDir, "meta.yaml"), "run_name: TOP-SECRET-CONTENT\nstatus: 1\n");
    await Deno.mkdir(join(fx.outsideDir, "sub"));
    await Deno.writeTextFile(join(fx.outsideDir, "sub", "id_rsa"), "TOP-SECRET-KEY");
    await fn(fx);
  } finally {
    await fx.dispose();
  }
}

/** Replaces `folder` (made if missing) by a link to the outside folder. */
async function linkOut(fx: SecurityFixture, folder: string): Promise<void> {
  await Deno.remove(folder, { recursive: true }).catch(() => {});
  await Deno.symlink(fx.outsideDir, folder);
}

Deno.test("file store: a run's or experiment's key folder that is a link out of it leads nowhere", () =>
  withFileFixture(async (fx) => {
    const { store } = fx;
    const runId = (await store.createRun({ experimentId: fx.experimentId })).info.runId;
    const runDir = join(fileRunDir(fx), "..", runId);
    for (const folder of ["metrics", "params", "tags"]) await linkOut(fx, join(runDir, folder));
    await linkOut(fx, join(fileRunDir(fx), "..", "tags"));
    const run = await store.getRun(runId);
    assert.deepEqual([run.data.metrics, run.data.params], [{}, {}]);
    assert.ok(!JSON.stringify(run).includes("TOP-SECRET"), JSON.stringify(run.data));
    const { runs } = await store.searchRuns({ experimentIds: [fx.experimentId] });
    assert.ok(!JSON.stringify(runs).includes("TOP-SECRET"));
    const experiment = await store.getExperiment(fx.experimentId);
    assert.ok(!("secret" in experiment.tags) && !JSON.stringify(experiment).includes("TOP-SECRET"));
    await refused(fx, () => store.getMetricHistory(runId, "secret"), "history through a linked metrics/");
    await refused(fx, () => store.setTag(runId, "planted", "x"), "tag write");
    await refused(
      fx,
      () => store.logBatch(runId, { params: [{ key: "planted", value: "x" }] }),
      "param write",
    );
    await refused(
      fx,
      () => store.logBatch(runId, { metrics: [{ key: "planted", value: 1, timestamp: 1, step: 0 }] }),
      "metric write",
    );
    await refused(fx, () => store.deleteTag(runId, "secret"), "tag delete");
    await refused(fx, () => store.setExperimentTag(fx.experimentId, "planted", "x"), "experiment tag write");
    // A key naming a folder behind the link: refused before a message could quote that folder's listing.
    await refused(fx, () => store.setTag(runId, "sub", "x"), "tag over a linked folder");
    await refused(
      fx,
      () => store.setExperimentTag(fx.experimentId, "sub", "x"),
      "experiment tag over a folder",
    );
    // Over a server, the same refusals are 400s.
    const answer = await fx.handle(
      new Request("http://127.0.0.1:5000/api/2.0/mlflow/runs/set-tag", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ run_id: runId, key: "planted", value: "x" }),
      }),
    );
    const text = await answer.text();
    assert.equal(answer.status, 400, text);
    assert.ok(!text.includes(fx.dir), text);
    await outsideUntouched(fx);
  }));

Deno.test("file store: a run's meta.yaml that is a link out of its folder is no run", () =>
  withFileFixture(async (fx) => {
    const runId = (await fx.store.createRun({ experimentId: fx.experimentId })).info.runId;
    const meta = join(fileRunDir(fx), "..", runId, "meta.yaml");
    await Deno.remove(meta);
    await Deno.symlink(join(fx.outsideDir, "meta.yaml"), meta);
    await assert.rejects(
      () => fx.store.getRun(runId),
      (e: TrackingError) => e.code === "RESOURCE_DOES_NOT_EXIST",
    );
    const { runs } = await fx.store.searchRuns({ experimentIds: [fx.experimentId] });
    assert.deepEqual(runs.map((r) => r.info.runId), [fx.runId]);
    const answer = await fx.get("/api/2.0/mlflow/runs/get", { run_id: runId });
    const text = await answer.text();
    assert.equal(answer.status, 404, text);
    assert.ok(!text.includes("TOP-SECRET") && !text.includes(fx.dir), text);
  }));

Deno.test("file store: a registered model's tags, aliases or version tags linked out lead nowhere", () =>
  withFileFixture(async (fx) => {
    const registry = fx.store.registry;
    await registry.createRegisteredModel("m");
    await registry.createModelVersion("m", `runs:/${fx.runId}/model`, { runId: fx.runId });
    const modelDir = join((fx.store as FileStore).root, "models", "m");
    for (const folder of ["tags", "aliases", "version-1/tags"]) await linkOut(fx, join(modelDir, folder));
    const model = await registry.getRegisteredModel("m");
    const version = await registry.getModelVersion("m", "1");
    assert.ok(!JSON.stringify([model, version]).includes("TOP-SECRET"), JSON.stringify([model, version]));
    await assert.rejects(
      () => registry.getModelVersionByAlias("m", "secret"),
      (e: TrackingError) => /alias secret not found/.test(e.message) && !e.message.includes("TOP-SECRET"),
    );
    await refused(fx, () => registry.setRegisteredModelTag("m", "planted", "x"), "model tag write");
    await refused(fx, () => registry.deleteRegisteredModelTag("m", "secret"), "model tag delete");
    await refused(fx, () => registry.setModelVersionTag("m", "1", "planted", "x"), "version tag write");
    await refused(fx, () => registry.deleteModelVersionTag("m", "1", "secret"), "version tag delete");
    await refused(fx, () => registry.setRegisteredModelAlias("m", "planted", "1"), "alias write");
    await outsideUntouched(fx);
  }));

Deno.test("file store: dataset inputs behind a link out of the run or experiment are neither read nor written", () =>
  withFileFixture(async (fx) => {
    const { store } = fx;
    const expDir = join(fileRunDir(fx), "..");
    const input = { dataset: { name: "d", digest: "1", sourceType: "local", source: "s" }, tags: {} };
    await store.logInputs(fx.runId, [input]); // a real dataset of the experiment
    const [datasetId] = [...Deno.readDirSync(join(expDir, "datasets"))].map((e) => e.name);
    // Outside: a folder shaped as a run's inputs, tagging that dataset with the secret.
    const planted = join(fx.dir, "planted-inputs");
    await Deno.mkdir(join(planted, "x"), { recursive: true });
    await Deno.writeTextFile(
      join(planted, "x", "meta.yaml"),
      `source_id: ${datasetId}\ntags: {k: TOP-SECRET}\n`,
    );
    const runId = (await store.createRun({ experimentId: fx.experimentId })).info.runId;
    await Deno.remove(join(expDir, runId, "inputs"), { recursive: true }).catch(() => {});
    await Deno.symlink(planted, join(expDir, runId, "inputs"));
    assert.deepEqual((await store.getRun(runId)).inputs.datasetInputs, []);
    await refused(fx, () => store.logInputs(runId, [input]), "input written through a linked inputs/");
    assert.deepEqual([...Deno.readDirSync(planted)].map((e) => e.name), ["x"]);
    // An experiment whose datasets folder is the link.
    const other = await store.createExperiment("other");
    const otherRun = (await store.createRun({ experimentId: other })).info.runId;
    await linkOut(fx, join(expDir, "..", other, "datasets"));
    await refused(fx, () => store.logInputs(otherRun, [input]), "dataset written through a linked datasets/");
    await outsideUntouched(fx);
  }));

Deno.test("file store: a registry whose models folder is a link out of the store makes and finds nothing there", () =>
  withFileFixture(async (fx) => {
    const registry = fx.store.registry;
    // The outside folder holds a folder shaped as a model (its meta.yaml), which must not be found either.
    await Deno.writeTextFile(join(fx.outsideDir, "sub", "meta.yaml"), "name: sub\n");
    await Deno.symlink(fx.outsideDir, join((fx.store as FileStore).root, "models"));
    await refused(fx, () => registry.createRegisteredModel("planted", { tags: { k: "v" } }), "model created");
    await assert.rejects(() => registry.getRegisteredModel("sub"), /not found/);
    assert.deepEqual((await registry.searchRegisteredModels({})).registeredModels, []);
    await Deno.remove(join(fx.outsideDir, "sub", "meta.yaml"));
    await outsideUntouched(fx);
  }));

Deno.test("file store: a .trash planted as a link out of the store takes no experiment and shows none", () =>
  withFileFixture(async (fx) => {
    const { store } = fx;
    const root = (store as FileStore).root;
    // Outside: a folder shaped as a deleted experiment.
    const shaped = join(fx.outsideDir, "777");
    await Deno.mkdir(shaped);
    await Deno.writeTextFile(
      join(shaped, "meta.yaml"),
      "experiment_id: '777'\nname: TOP-SECRET\nlifecycle_stage: deleted\nartifact_location: x\n",
    );
    await Deno.remove(join(root, ".trash"), { recursive: true });
    await Deno.symlink(fx.outsideDir, join(root, ".trash"));
    const all = await store.searchExperiments({ viewType: "ALL" });
    assert.ok(!JSON.stringify(all).includes("TOP-SECRET"), JSON.stringify(all));
    await assert.rejects(() => store.getExperiment("777"), /777/);
    await refused(fx, () => store.deleteExperiment(fx.experimentId), "experiment moved into a linked .trash");
    assert.equal((await store.getExperiment(fx.experimentId)).lifecycleStage, "active");
    await Deno.remove(shaped, { recursive: true });
    await outsideUntouched(fx);
  }));
