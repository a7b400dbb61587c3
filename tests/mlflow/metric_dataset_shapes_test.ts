/**
 * Metric datasets refuse every value kedro-mlflow refuses, instead of logging nothing (a bare number given
 * to MlflowMetricsHistoryDataset) or a coerced value (a string or null in a history logged as NaN or 0),
 * and take the save_args kedro-mlflow takes.
 */
import assert from "node:assert/strict";
import type { DatasetError } from "../../lib/errors.ts";
import {
  MlflowMetricHistoryDataset,
  MlflowMetricsHistoryDataset,
  registerMlflowDatasets,
} from "../../lib/mlflow/mod.ts";
import { builtinRegistry, Catalog } from "../../lib/catalog/mod.ts";
import { parseYaml } from "../../lib/yaml/parse_yaml.ts";
import { withRun } from "./run_fixture.ts";

Deno.test("MlflowMetricsHistoryDataset refuses a value that is not an object of metrics, naming the dataset", async () => {
  await withRun(async ({ client, state, runId }) => {
    const ds = new MlflowMetricsHistoryDataset({ name: "scores", prefix: "scores", state });
    for (const value of [0.5, "0.5", [{ value: 1, step: 0 }], true]) {
      await assert.rejects(
        () => ds.save(value as never),
        (e: DatasetError) => e.code === "mlflow/bad-metrics" && /"scores"/.test(e.message) && !!e.hint,
        JSON.stringify(value),
      );
    }
    assert.deepEqual((await client.getRun(runId)).data.metrics, {});
  });
});

Deno.test("MlflowMetricHistoryDataset refuses non-numbers in every mode instead of logging NaN or 0", async () => {
  await withRun(async ({ client, state, runId }) => {
    const cases: [string, unknown][] = [
      ["list", [0.5, "0.4"]],
      ["list", [0.5, null]],
      ["dict", { 0: 0.5, 1: "x" }],
      ["dict", { "1.5": 0.5 }],
      ["history", [{ step: 0, value: 0.5 }, null]],
      ["history", [{ step: 0, value: "0.5" }]],
    ];
    for (const [mode, value] of cases) {
      const ds = new MlflowMetricHistoryDataset({ name: "loss", key: "loss", state, saveArgs: { mode } });
      await assert.rejects(
        () => ds.save(value),
        (e: DatasetError) => e.code === "mlflow/bad-history" && /"loss"/.test(e.message),
        `${mode} ${JSON.stringify(value)}`,
      );
    }
    assert.deepEqual(await client.getMetricHistory(runId, "loss"), []);
  });
});

Deno.test("mlflow_metric takes save_args.timestamp, which kedro-mlflow passes on to log_metric", async () => {
  await withRun(async ({ client, state, runId }) => {
    const registry = builtinRegistry();
    registerMlflowDatasets(registry, state);
    const src = parseYaml(
      "acc:\n  type: mlflow_metric\n  save_args: {timestamp: 1700000000000}\n",
      "catalog.yml",
    );
    const catalog = await Catalog.fromConfig({
      data: src.value as Record<string, unknown>,
      locate: src.locate,
    }, {
      projectRoot: Deno.cwd(),
      registry,
    });
    await catalog.save("acc", 0.9);
    assert.deepEqual(
      (await client.getMetricHistory(runId, "acc")).map((p) => [p.value, p.timestamp]),
      [[0.9, 1700000000000]],
    );
  });
});
