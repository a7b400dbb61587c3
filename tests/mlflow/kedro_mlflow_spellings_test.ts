/**
 * Catalog entries as kedro-mlflow 0.12–1.x (and earlier docs) spelled them work as they are:
 * MlflowModelTrackingDataset's `artifact_path` (→ `save_args.name`) and `run_id` (loads
 * `runs:/<run_id>/<artifact_path>`, default `model`), MLflow 2's `save_args.artifact_path`, and
 * MlflowArtifactDataset's `data_set` (→ `dataset`), MlflowMetricDataset's `save_args.synchronous`. Both spellings of one argument are refused
 * (tests/mlflow/model_dataset_errors_test.ts, tests/cli/bad_input_test.ts).
 * A bad value under an older spelling is reported under it, at its value.
 */
import assert from "node:assert/strict";
import { builtinRegistry, Catalog } from "../../lib/catalog/mod.ts";
import { type DatasetError, KmlfAggregateError, type KmlfError } from "../../lib/errors.ts";
import { MlflowRunState, registerMlflowDatasets } from "../../lib/mlflow/mod.ts";
import { MlflowClient, openStore } from "../../lib/tracking/mod.ts";
import { parseYaml } from "../../lib/yaml/parse_yaml.ts";
import { mlflowCatalog } from "./run_fixture.ts";

const MODEL = { threshold: 2.45 };

Deno.test("kedro-mlflow 1.x spellings: artifact_path, save_args.artifact_path, run_id, data_set, synchronous", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-spellings-" });
  const store = await openStore("mlflow.db", { baseDir: dir });
  try {
    const client = new MlflowClient(store);
    const runId = (await client.createRun("0", { runName: "t" })).info.runId;
    const state = new MlflowRunState();
    state.activate(client, runId);
    const catalog = (yaml: string) => mlflowCatalog(state, dir, yaml);
    const writer = await catalog([
      "old: {type: kedro_mlflow.io.models.MlflowModelTrackingDataset, flavor: js_value, artifact_path: clf}",
      "mlflow2: {type: mlflow_model_tracking, flavor: js_value, save_args: {artifact_path: clf2}}",
      "default_path: {type: mlflow_model_tracking, flavor: js_value, artifact_path: model}",
      "wrapped: {type: MlflowArtifactDataset, data_set: {type: json, filepath: data/w.json}}",
      // MLflow 2's log_metric(synchronous=…), which kedro-mlflow passes save_args to.
      "acc: {type: MlflowMetricDataset, save_args: {mode: append, synchronous: false}}",
      "",
    ].join("\n"));
    await writer.save("old", MODEL);
    await writer.save("mlflow2", MODEL);
    await writer.save("default_path", { threshold: 1 });
    await writer.save("wrapped", { a: 1 });
    await writer.save("acc", 0.9);
    assert.equal((await client.getRun(runId)).data.metrics.acc, 0.9);
    const paths = (await client.listArtifacts(runId)).map((f) => f.path).sort();
    assert.deepEqual(paths, ["clf", "clf2", "model", "w.json"]);
    // run_id (+ artifact_path, default "model") loads that run's model; a save to it is refused naming run_id.
    const reader = await catalog([
      `by_run: {type: MlflowModelTrackingDataset, flavor: js_value, run_id: ${runId}, artifact_path: clf}`,
      `by_run_default: {type: MlflowModelTrackingDataset, flavor: js_value, run_id: ${runId}}`,
      "",
    ].join("\n"));
    assert.deepEqual(await reader.load("by_run"), MODEL);
    assert.deepEqual(await reader.load("by_run_default"), { threshold: 1 });
    await assert.rejects(() => reader.save("by_run", MODEL), (e: DatasetError) => {
      assert.equal(e.code, "mlflow/model-uri-set");
      assert.match(e.message, /impossible to save a model when 'run_id' is specified/);
      assert.match(e.hint ?? "", /remove run_id/);
      return true;
    });
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a bad value under an older spelling is reported under that spelling, at its value", async () => {
  const problems = async (line: string) => {
    const registry = builtinRegistry();
    registerMlflowDatasets(registry, new MlflowRunState());
    const src = parseYaml(`${line}\n`, "/p/conf/base/catalog.yml");
    const data = src.value as Record<string, unknown>;
    const error = await Catalog.fromConfig({ data, locate: src.locate, locateKey: src.locateKey }, {
      projectRoot: "/p",
      registry,
    })
      .then(() => undefined, (e: KmlfError) => e);
    assert.ok(error, `${line} was accepted`);
    const errors = error instanceof KmlfAggregateError ? [...error.errors] : [error];
    return errors.map((e) => `${e.source?.line}:${e.source?.column} ${e.message}`);
  };
  const model = "m: {type: mlflow_model_tracking, flavor: js_value,";
  assert.deepEqual(await problems(`${model} artifact_path: ../x}`), [
    '1:67 Invalid value for "m.artifact_path": must not contain ..',
  ]);
  assert.deepEqual(await problems(`${model} save_args: {artifact_path: ''}}`), [
    '1:79 Invalid value for "m.save_args.artifact_path": use a relative artifact path: letters, digits, _ . - and /',
  ]);
  assert.deepEqual(await problems("m: {type: MlflowArtifactDataset, data_set: 3}"), [
    '1:44 Invalid value for "m.data_set" in dataset "m" (MlflowArtifactDataset): expected a string or a mapping, got the number 3',
  ]);
  assert.deepEqual(await problems("m: {type: MlflowArtifactDataset, data_set: {type: json}}"), [
    '1:44 Missing key "m.data_set.filepath" in dataset "m" (json)',
  ]);
  // kmlf's own spellings are unchanged, and both spellings at once stay one error at the older one.
  assert.deepEqual(await problems(`${model} save_args: {name: ''}}`), [
    '1:70 Invalid value for "m.save_args.name": use a relative artifact path: letters, digits, _ . - and /',
  ]);
  assert.deepEqual(await problems("m: {type: MlflowArtifactDataset, dataset: 3}"), [
    '1:43 Invalid value for "m.dataset" in dataset "m" (MlflowArtifactDataset): expected a string or a mapping, got the number 3',
  ]);
  assert.deepEqual(await problems(`${model} artifact_path: m, save_args: {name: m}}`), [
    '1:52 "m" gives both artifact_path and save_args.name, two spellings of one argument of mlflow_model_tracking',
  ]);
});
