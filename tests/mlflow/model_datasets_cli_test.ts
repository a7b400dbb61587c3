/**
 * The model datasets in a real `kmlf run` of the demo project: a batch-scoring pipeline loads the
 * registered champion (`mlflow_model_registry`, default flavor kmlf: the logged inference pipeline) and
 * predicts with it in a node, and logs a plain JS summary model (`mlflow_model_tracking`, flavor js_value)
 * that is registered at once.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { openStore } from "../../lib/tracking/mod.ts";
import { demoProject, kmlf } from "../cli_harness.ts";

const BATCH_CATALOG = `
champion:
  type: mlflow_model_registry
  model_name: iris
  alias: champion
scores:
  type: json
  filepath: data/07_model_output/scores.json
summary_model:
  type: mlflow_model_tracking
  flavor: js_value
  save_args: {name: summary, registered_model_name: iris-summary, input_example: [{species: setosa}]}
`;

const BATCH_PIPELINE = [
  "nodes:",
  "  - name: score",
  "    func: ./batch.ts#score",
  "    inputs: [champion, instances]",
  "    outputs: [scores, summary_model]",
  "",
].join("\n");

const BATCH_NODES = `
interface Model { predict(rows: unknown[]): Promise<{ prediction: string; probability: number }[]> }
export async function score(champion: Model, instances: Record<string, unknown>[]) {
  const predictions = await champion.predict(instances);
  const counts: Record<string, number> = {};
  for (const p of predictions) counts[p.prediction] = (counts[p.prediction] ?? 0) + 1;
  return [predictions, { counts, total: predictions.length }];
}
`;

Deno.test("kmlf run: a pipeline scores with the registered champion and registers a js_value model", async () => {
  const dir = await demoProject({}, { tracked: true });
  try {
    const train = await kmlf(["run", "training"], { cwd: dir });
    assert.equal(train.code, 0, train.stderr);
    const runId = train.stderr.match(/Model logged: runs:\/(\w+)\/model/)![1];
    assert.equal(
      (await kmlf(["models", "register", "-m", `runs:/${runId}/model`, "-n", "iris"], { cwd: dir })).code,
      0,
    );
    assert.equal((await kmlf(["models", "alias", "iris", "champion", "1"], { cwd: dir })).code, 0);

    const catalog = await Deno.readTextFile(join(dir, "conf/base/catalog.yml"));
    await Deno.writeTextFile(join(dir, "conf/base/catalog.yml"), catalog + BATCH_CATALOG);
    await Deno.writeTextFile(join(dir, "pipelines/batch.yml"), BATCH_PIPELINE);
    await Deno.writeTextFile(join(dir, "pipelines/batch.ts"), BATCH_NODES);
    const batch = await kmlf(["run", "batch"], { cwd: dir });
    assert.equal(batch.code, 0, batch.stderr);
    assert.match(
      batch.stderr,
      new RegExp(
        `Dataset "champion" loaded models:/iris@champion \\("iris" version 1\\) from run_id='${runId}'`,
      ),
    );
    assert.match(batch.stderr, /Model registered: "iris-summary" version 1 \(dataset "summary_model"\)/);
    const scores = JSON.parse(await Deno.readTextFile(join(dir, "data/07_model_output/scores.json")));
    assert.equal(scores.length, 3, "one prediction per instance");
    const predicted = await kmlf(
      ["models", "predict", "-m", "models:/iris@champion", "-i", "data/01_raw/instances.csv"],
      { cwd: dir },
    );
    assert.deepEqual(
      scores,
      JSON.parse(predicted.stdout).predictions,
      "the node predicted as the served model does",
    );

    const store = await openStore("mlflow.db", { baseDir: dir });
    try {
      const summary = await store.registry.getModelVersion("iris-summary", "1");
      const run = await store.getRun(summary.runId!);
      assert.equal(run.info.runName, "batch");
      const history = JSON.parse(run.data.tags["mlflow.log-model.history"]);
      assert.deepEqual(history.map((m: { artifact_path: string }) => m.artifact_path), ["summary"]);
    } finally {
      await store.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kmlf run: a model dataset not logged says why — no mlflow.yml, or the pipeline's tracking disabled", async () => {
  const asTrackingDataset = (catalog: string) =>
    catalog.replace(
      /\nmodel:\n(?: {2}.*\n)+/,
      "\nmodel:\n  type: mlflow_model_tracking\n  flavor: js_value\n",
    );
  const untracked = await demoProject();
  try {
    const path = join(untracked, "conf/base/catalog.yml");
    await Deno.writeTextFile(path, asTrackingDataset(await Deno.readTextFile(path)));
    const r = await kmlf(["run", "training"], { cwd: untracked });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /Model of dataset "model" not logged: tracking is off for the project: there is no mlflow\.yml \(`kmlf mlflow init --env=base` turns it on\) \(kept in memory for this run\)/,
    );
  } finally {
    await Deno.remove(untracked, { recursive: true });
  }
  const tracked = await demoProject({}, { tracked: true });
  try {
    const catalog = join(tracked, "conf/base/catalog.yml");
    await Deno.writeTextFile(catalog, asTrackingDataset(await Deno.readTextFile(catalog)));
    const mlflowYml = join(tracked, "conf/base/mlflow.yml");
    const config = await Deno.readTextFile(mlflowYml);
    await Deno.writeTextFile(mlflowYml, config.replace(/pipelines: \[\]/, "pipelines: [training]"));
    const r = await kmlf(["run", "training"], { cwd: tracked });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /Model of dataset "model" not logged: tracking is disabled for pipeline training \(mlflow\.yml disable_tracking\.pipelines\) \(kept/,
    );
  } finally {
    await Deno.remove(tracked, { recursive: true });
  }
});
