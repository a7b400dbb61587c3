/**
 * `log_model.registered_model_name` and `kmlf mlflow modelify --registered-model-name`: the model a run
 * logs becomes the next version of the registered model at the end of the run; a registration that fails
 * says so (the model stays logged, the run ends FAILED) and names the command that registers it later.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadModel } from "../../lib/models/mod.ts";
import { openStore } from "../../lib/tracking/mod.ts";
import { kmlf } from "../cli_harness.ts";
import { rulesProjectFiles, trainedRulesProject, writeProject } from "./model_helpers.ts";

const TRAINING_REGISTERED = [
  "nodes:",
  "  - name: fit_rule",
  "    func: ./rules/train.ts#fitRule",
  "    inputs: [iris, params:confidence]",
  "    outputs: rule",
  "inference:",
  "  pipeline: inference",
  "  input_name: instances",
  "  log_model: { registered_model_name: rules }",
  "",
].join("\n");

Deno.test("registered_model_name registers each tracked run's model as the next version", async () => {
  const t = await trainedRulesProject({ "pipelines/training.yml": TRAINING_REGISTERED });
  try {
    assert.match(
      t.stderr,
      /Model registered: "rules" version 1 \(serve it: kmlf models serve -m models:\/rules\/1\)/,
    );
    const second = await kmlf(["run", "training"], { cwd: t.project });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /Model registered: "rules" version 2/);
    const runId2 = second.stderr.match(/Model logged: runs:\/(\w+)\/model/)![1];
    const store = await openStore(`sqlite:///${t.store}`, { baseDir: t.base });
    try {
      const v1 = await store.registry.getModelVersion("rules", "1");
      const v2 = await store.registry.getModelVersion("rules", "2");
      assert.equal(v1.runId, t.runId);
      assert.equal(v2.runId, runId2);
      const run2 = await store.getRun(runId2);
      assert.equal(
        v2.source,
        `${run2.info.artifactUri}/model`,
        "MLflow's source: the run's artifact URI + path",
      );
      assert.equal(run2.info.status, "FINISHED");
      const model = await loadModel("models:/rules/latest", { store, cacheDir: join(t.base, "cache") });
      assert.equal(model.metadata.runId, runId2);
      assert.deepEqual(
        await model.predict([{ sepal_length: 5, sepal_width: 3, petal_length: 1, petal_width: 0 }]),
        [{
          prediction: "setosa",
          probability: 0.9,
        }],
      );
    } finally {
      await store.close();
    }
  } finally {
    await Deno.remove(t.base, { recursive: true });
  }
});

Deno.test("modelify --registered-model-name registers the model it logs", async () => {
  const t = await trainedRulesProject();
  try {
    const r = await kmlf(
      [
        "mlflow",
        "modelify",
        "-p",
        "inference",
        "-i",
        "instances",
        "--registered-model-name",
        "rules-modelified",
      ],
      { cwd: t.project },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout.trim(), /^runs:\/\w+\/model-inference$/, "stdout stays the logged model's URI");
    assert.match(r.stderr, /Model registered: "rules-modelified" version 1/);
    const store = await openStore(`sqlite:///${t.store}`, { baseDir: t.base });
    try {
      const v = await store.registry.getModelVersion("rules-modelified", "1");
      assert.equal(`runs:/${v.runId}/model-inference`, r.stdout.trim());
    } finally {
      await store.close();
    }
  } finally {
    await Deno.remove(t.base, { recursive: true });
  }
});

Deno.test("a registration that fails keeps the model logged, ends the run FAILED and says how to register later", async () => {
  const base = await Deno.makeTempDir({ prefix: "kmlf-models-" });
  try {
    const mlruns = join(base, "mlruns");
    const project = await writeProject(
      { ...rulesProjectFiles(mlruns), "pipelines/training.yml": TRAINING_REGISTERED },
      join(base, "project"),
    );
    // The file store keeps registered models under mlruns/models/: a file there breaks every registration.
    await Deno.mkdir(mlruns, { recursive: true });
    await Deno.writeTextFile(join(mlruns, "models"), "not a folder");
    const r = await kmlf(["run", "training"], { cwd: project });
    assert.equal(r.code, 1, r.stderr);
    const uri = r.stderr.match(/Model logged: (runs:\/(\w+)\/model)/);
    assert.ok(uri, r.stderr);
    assert.match(
      r.stderr,
      /error\[mlflow\/model-not-registered\]: .*Model runs:\/\w+\/model is logged, but registering it as "rules" failed: /,
    );
    assert.match(r.stderr, /hint: .*kmlf models register -m runs:\/\w+\/model --name "rules"/);
    const store = await openStore(mlruns, { baseDir: base });
    try {
      const run = await store.getRun(uri[2]);
      assert.equal(run.info.status, "FAILED");
      assert.match(run.data.tags["kmlf.error"], /^model not registered: /);
      assert.equal(run.data.tags["kmlf.error_code"], "mlflow/model-not-registered");
      const model = await loadModel(uri[1], { store, cacheDir: join(base, "cache") });
      assert.equal(model.metadata.runId, uri[2], "the model is logged all the same");
    } finally {
      await store.close();
    }
  } finally {
    await Deno.remove(base, { recursive: true });
  }
});

Deno.test("a registered name the file store refuses: its fix is said once, and the later command takes another name", async () => {
  const base = await Deno.makeTempDir({ prefix: "kmlf-models-" });
  try {
    const project = await writeProject(rulesProjectFiles(join(base, "mlruns")), join(base, "project"));
    assert.equal((await kmlf(["run", "training"], { cwd: project })).code, 0);
    const r = await kmlf(
      ["mlflow", "modelify", "-p", "inference", "-i", "instances", "--registered-model-name", ".."],
      { cwd: project },
    );
    assert.notEqual(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /error\[mlflow\/model-not-registered\]: .*registering it as "\.\." failed: Invalid name/,
    );
    assert.equal(r.stderr.match(/that is not '\.' or '\.\.'/g)?.length, 1, r.stderr);
    assert.match(
      r.stderr,
      /once fixed, register it: kmlf models register -m runs:\/\w+\/model-inference --name <another name>/,
    );
  } finally {
    await Deno.remove(base, { recursive: true });
  }
});
