/** The Mlflow datasets against a real SQLite store (kedro-mlflow's modes and defaults). */
import assert from "node:assert/strict";
import { join } from "node:path";
import { builtinRegistry, Catalog, JsonDataset } from "../../lib/catalog/mod.ts";
import type { DatasetError } from "../../lib/errors.ts";
import {
  MlflowArtifactDataset,
  MlflowMetricDataset,
  MlflowMetricHistoryDataset,
  MlflowMetricsHistoryDataset,
  MlflowRunState,
  registerMlflowDatasets,
} from "../../lib/mlflow/mod.ts";
import { parseYaml } from "../../lib/yaml/parse_yaml.ts";
import { withRun } from "./run_fixture.ts";

Deno.test("MlflowMetricDataset: overwrite keeps the step, append adds one, save_args.step forces it, load_args.step reads it", async () => {
  await withRun(async ({ client, state, runId }) => {
    const over = new MlflowMetricDataset({ name: "acc", key: "acc", state });
    await over.save(0.5);
    await over.save(0.6);
    const app = new MlflowMetricDataset({ name: "acc", key: "acc", state, saveArgs: { mode: "append" } });
    await app.save(0.7);
    await new MlflowMetricDataset({ name: "acc", key: "acc", state, saveArgs: { step: 10 } }).save(0.9);
    assert.deepEqual((await client.getMetricHistory(runId, "acc")).map((p) => [p.step, p.value]), [
      [0, 0.5],
      [0, 0.6],
      [1, 0.7],
      [10, 0.9],
    ]);
    assert.equal(await over.load(), 0.9);
    assert.equal(
      await new MlflowMetricDataset({ name: "acc", key: "acc", state, loadArgs: { step: 0 } }).load(),
      0.6,
    );
    assert.equal(await over.exists(), true);
    assert.throws(
      () => new MlflowMetricDataset({ name: "x", key: "x", state, saveArgs: { mode: "replace" } }),
      (e: DatasetError) => e.code === "mlflow/bad-mode",
    );
  });
});

Deno.test("MlflowMetricDataset in append mode continues a history of 130,000 points (no stack overflow)", async () => {
  await withRun(async ({ client, state, runId }) => {
    const n = 130_000;
    const metrics = Array.from(
      { length: n },
      (_, i) => ({ key: "acc", value: i, timestamp: 1, step: n - 1 - i }),
    );
    await client.logBatch(runId, { metrics });
    await new MlflowMetricDataset({ name: "acc", key: "acc", state, saveArgs: { mode: "append" } }).save(0.5);
    const last = (await client.getMetricHistory(runId, "acc")).at(-1)!;
    assert.deepEqual([last.step, last.value], [n, 0.5]);
  });
});

Deno.test("MlflowMetricHistoryDataset saves and loads in list, dict and history modes", async () => {
  await withRun(async ({ state }) => {
    const list = new MlflowMetricHistoryDataset({ name: "loss", key: "loss", state });
    await list.save([0.9, 0.5, 0.3]);
    assert.deepEqual(await list.load(), [0.9, 0.5, 0.3]);
    const dict = new MlflowMetricHistoryDataset({
      name: "l2",
      key: "l2",
      state,
      saveArgs: { mode: "dict" },
      loadArgs: { mode: "dict" },
    });
    await dict.save({ 0: 1, 5: 0.5 });
    assert.deepEqual(await dict.load(), { 0: 1, 5: 0.5 });
    const hist = new MlflowMetricHistoryDataset({
      name: "l3",
      key: "l3",
      state,
      saveArgs: { mode: "history" },
      loadArgs: { mode: "history" },
    });
    await hist.save([{ step: 2, value: 0.4, timestamp: 1700000000000 }]);
    assert.deepEqual(await hist.load(), [{ step: 2, value: 0.4, timestamp: 1700000000000 }]);
    await assert.rejects(() => list.save({ a: 1 }), (e: DatasetError) => e.code === "mlflow/bad-history");
  });
});

Deno.test("MlflowMetricsHistoryDataset logs <prefix>.<name> and loads the same shape back (keys keep the prefix)", async () => {
  await withRun(async ({ client, state, runId }) => {
    const ds = new MlflowMetricsHistoryDataset({ name: "metrics", prefix: "metrics", state });
    await ds.save({
      accuracy: { value: 0.9, step: 0 },
      loss: [{ value: 1, step: 0 }, { value: 0.5, step: 1 }],
    });
    assert.deepEqual(Object.keys((await client.getRun(runId)).data.metrics).sort(), [
      "metrics.accuracy",
      "metrics.loss",
    ]);
    assert.deepEqual(await ds.load(), {
      "metrics.accuracy": { step: 0, value: 0.9 },
      "metrics.loss": [{ step: 0, value: 1 }, { step: 1, value: 0.5 }],
    });
    await assert.rejects(
      () => ds.save({ bad: 3 } as never),
      (e: DatasetError) => e.code === "mlflow/bad-metrics",
    );
    await assert.rejects(
      () => ds.save({ empty: [] } as never),
      (e: DatasetError) => e.code === "mlflow/bad-metrics",
    );
  });
});

Deno.test("metric datasets never create a run: without one they fail naming the dataset", async () => {
  const state = new MlflowRunState();
  await assert.rejects(
    () => new MlflowMetricDataset({ name: "acc", key: "acc", state }).save(1),
    (e: DatasetError) => e.code === "mlflow/no-active-run" && /"acc"/.test(e.message),
  );
});

Deno.test("MlflowArtifactDataset logs the saved file (versioned too) and downloads it back with run_id", async () => {
  await withRun(async ({ client, state, runId, dir }) => {
    const file = join(dir, "data/model.json");
    const ds = new MlflowArtifactDataset({
      name: "model",
      inner: new JsonDataset({ filepath: file }),
      state,
      artifactPath: "models",
    });
    await ds.save({ w: [1, 2] });
    const listed = await client.listArtifacts(runId, "models");
    assert.deepEqual(listed.map((f) => f.path), ["models/model.json"]);
    await Deno.remove(file);
    const fromRun = new MlflowArtifactDataset({
      name: "model",
      inner: new JsonDataset({ filepath: file }),
      state,
      runId,
      artifactPath: "models",
    });
    assert.deepEqual(await fromRun.load(), { w: [1, 2] });
    const versioned = new MlflowArtifactDataset({
      name: "v",
      inner: new JsonDataset({
        filepath: join(dir, "data/v.json"),
        version: { save: "2024-01-01T00.00.00.000Z" },
      }),
      state,
    });
    await versioned.save({ v: 1 });
    assert.ok((await client.listArtifacts(runId)).some((f) => f.path === "v.json"));
  });
});

Deno.test("Mlflow datasets are declared in catalog.yml by kedro-mlflow names, keys defaulting to the entry name", async () => {
  await withRun(async ({ client, state, runId, dir }) => {
    const registry = builtinRegistry();
    registerMlflowDatasets(registry, state);
    const src = parseYaml(
      `accuracy: {type: kedro_mlflow.io.metrics.MlflowMetricDataset}
loss: {type: MlflowMetricHistoryDataset}
scores: {type: mlflow_metrics_history}
model:
  type: kedro_mlflow.io.artifacts.MlflowArtifactDataset
  dataset: {type: pickle.PickleDataset, filepath: data/model.pkl}
`,
      join(dir, "catalog.yml"),
    );
    const catalog = await Catalog.fromConfig({
      data: src.value as Record<string, unknown>,
      locate: src.locate,
    }, { projectRoot: dir, registry });
    await catalog.save("accuracy", 0.93);
    await catalog.save("loss", [1, 0.5]);
    await catalog.save("scores", { f1: { value: 0.8, step: 0 } });
    await catalog.save("model", { w: 1 });
    const run = await client.getRun(runId);
    assert.deepEqual(Object.keys(run.data.metrics).sort(), ["accuracy", "loss", "scores.f1"]);
    assert.ok((await client.listArtifacts(runId)).some((f) => f.path === "model.pkl"));
    const badSrc = parseYaml("bad: {type: mlflow_metric, kee: x}\n", join(dir, "catalog.yml"));
    await assert.rejects(
      () =>
        Catalog.fromConfig({ data: badSrc.value as Record<string, unknown>, locate: badSrc.locate }, {
          projectRoot: dir,
          registry,
        }),
      (e: DatasetError) => /did you mean "key"/.test(e.hint ?? ""),
    );
  });
});

Deno.test("MlflowArtifactDataset with run_id loads a logged folder over the local one", async () => {
  await withRun(async ({ state, runId, dir }) => {
    const registry = builtinRegistry();
    registerMlflowDatasets(registry, state);
    const catalogOf = async (yaml: string) => {
      const src = parseYaml(yaml, join(dir, "catalog.yml"));
      return await Catalog.fromConfig({ data: src.value as Record<string, unknown>, locate: src.locate }, {
        projectRoot: dir,
        registry,
      });
    };
    const parts =
      "{type: partitions.PartitionedDataset, path: data/parts, dataset: json, filename_suffix: .json}";
    const saving = await catalogOf(`parts: {type: mlflow_artifact, dataset: ${parts}}\n`);
    await saving.save("parts", { a: { v: 1 }, b: { v: 2 } });
    // The local folder changes after the run logged it; loading from the run puts the logged one back.
    await Deno.remove(join(dir, "data/parts/b.json"));
    await Deno.writeTextFile(join(dir, "data/parts/c.json"), '{"v": 3}');
    const loading = await catalogOf(`parts: {type: mlflow_artifact, run_id: ${runId}, dataset: ${parts}}\n`);
    const loaded = await loading.load("parts") as Record<string, () => Promise<unknown>>;
    assert.deepEqual(Object.keys(loaded).sort(), ["a", "b"]);
    assert.deepEqual(await loaded.b(), { v: 2 });
  });
});
