/**
 * kedro-mlflow's consistency checks on `inference:`, reported before any node runs (goldens in
 * tests/golden/errors/inference-*.txt), and the one line that says why a model was not logged — never
 * silently (kedro-mlflow #690).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertGolden, demoProject, kmlf, normalize, UNTRACKED_CATALOG } from "../cli_harness.ts";

const TRAINING = "pipelines/training.yml";
const INFERENCE = "pipelines/inference.yml";
const CATALOG = "conf/base/catalog.yml";
const training = await Deno.readTextFile(new URL(`../../${TRAINING}`, import.meta.url));
const inference = await Deno.readTextFile(new URL(`../../${INFERENCE}`, import.meta.url));

const CASES: Record<string, Record<string, string | null>> = {
  "inference-input-name": { [TRAINING]: training.replace("input_name: instances", "input_name: instance") },
  "inference-two-outputs": {
    [INFERENCE]: inference.replace("inputs: [model, instance_features]", "inputs: [model, instances]"),
  },
  "inference-free-input": {
    [INFERENCE]: inference.replace("inputs: [model, instances]", "inputs: [scaler, instances]"),
  },
  "inference-not-persisted": { [CATALOG]: UNTRACKED_CATALOG.replace(/\nmodel:\n.*\n.*\n/, "\n") },
  "inference-no-example-data": { [CATALOG]: UNTRACKED_CATALOG.replace(/\ninstances:\n.*\n.*\n/, "\n") },
  // Example rows the training run does not make and that are not there: found before training, not after.
  "inference-input-missing": { "data/01_raw/instances.csv": null },
  "inference-unknown-pipeline": { [TRAINING]: training.replace("pipeline: inference", "pipeline: inferenc") },
  "inference-missing-file": {
    [TRAINING]: training.replace("pipeline: inference", "pipeline: ./predict.yml"),
  },
  "inference-self": { [TRAINING]: training.replace("pipeline: inference", "pipeline: training") },
  "inference-unknown-key": { [TRAINING]: training.replace("input_name: instances", "inpt_name: instances") },
  "inference-bad-values": {
    [TRAINING]: training.replace(
      "log_model: { name: model, signature: auto, input_example: auto }",
      "log_model: { name: ../model, signature: yes, registered_model_name: a/b }\n  copy_mode: clone",
    ),
  },
  // The rule of kmlf models register -n: a padded name would register a look-alike of "iris".
  "inference-model-name-space": {
    [TRAINING]: training.replace(
      "log_model: { name: model, signature: auto, input_example: auto }",
      'log_model: { name: model, registered_model_name: "iris " }',
    ),
  },
  "inference-several-problems": {
    [CATALOG]: UNTRACKED_CATALOG.replace(/\nmodel:\n.*\n.*\n/, "\n"),
    [INFERENCE]: inference + [
      "",
      "  - name: column_names",
      "    func: ./iris/nodes.ts#featureNames",
      "    inputs: [instances, params:label_column]",
      "    outputs: names",
      "",
    ].join("\n"),
  },
};

for (const [name, files] of Object.entries(CASES)) {
  Deno.test(`inference consistency error "${name}" is reported before any node runs (golden)`, async () => {
    const dir = await demoProject(files);
    try {
      const r = await kmlf(["run", "training"], { cwd: dir });
      assert.doesNotMatch(r.stdout, /▶/, "no node ran");
      await assertGolden(
        `errors/${name}`,
        `$ kmlf run training\nexit ${r.code}\n${normalize(r.stderr, dir)}`,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

/** A tracked copy of the demo; returns the stderr of `kmlf <args>`. */
async function tracked(
  args: string[],
  files: Record<string, string> = {},
): Promise<{ code: number; stderr: string }> {
  const dir = await demoProject(files, { tracked: true });
  try {
    return await kmlf(args, { cwd: dir });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const line = (stderr: string) =>
  stderr.split("\n").find((l) => /not logged|Model logged/.test(l)) ?? "(no model line)";

Deno.test("a filtered run that still feeds the inference pipeline logs the model", async () => {
  const r = await tracked(["run", "training", "--to-nodes", "train_model"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(line(r.stderr), /^Model logged: runs:\/\w+\/model/);
});

Deno.test("a model not logged is never silent: filters, unions, disabled tracking, failures, no mlflow.yml", async () => {
  const prefix = 'Model "model" (inference pipeline "inference") not logged: ';
  let r = await tracked(["run", "training", "--nodes", "split_data"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    line(r.stderr),
    prefix + 'after --nodes split_data, inference pipeline "inference" reads "model", which the training ' +
      "pipeline neither produces nor reads, so the model could not bring it along",
  );
  r = await tracked(["run", "--pipelines", "training,inference"]);
  assert.equal(
    line(r.stderr),
    prefix + "--pipelines training,inference combines its training pipeline with other pipelines",
  );
  r = await tracked(["run"]);
  assert.equal(
    line(r.stderr),
    prefix + "__default__ is the union of every pipeline; `kmlf run training` logs the model of training",
  );
  const yml = await Deno.readTextFile(new URL("../../conf/base/mlflow.yml", import.meta.url));
  r = await tracked(["run", "training"], {
    "conf/base/mlflow.yml": yml.replace("pipelines: []", "pipelines: [training]"),
  });
  assert.equal(
    line(r.stderr),
    prefix + "tracking is disabled for this pipeline (mlflow.yml disable_tracking.pipelines)",
  );
  r = await tracked(["run", "training"], {
    "conf/base/parameters.yml":
      "split:\n  test_fraction: 2\n  random_state: 1\ntarget: species\nfeatures: []\nmodel: {learning_rate: 0.1, n_iter: 3}\n",
  });
  assert.equal(r.code, 1);
  assert.equal(line(r.stderr), prefix + "the run failed");
  const dir = await demoProject();
  try {
    r = await kmlf(["run", "training"], { cwd: dir });
    assert.equal(line(r.stderr), prefix + "tracking is off (no mlflow.yml)");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a model that cannot be logged fails the run FAILED, with the reason, and keeps its data", async () => {
  const dir = await demoProject({}, { tracked: true });
  try {
    // The example data disappears during training: the model cannot read it after the run.
    await Deno.writeTextFile(
      join(dir, "pipelines/iris/remove.ts"),
      'export function remove(rows: unknown[]) { Deno.removeSync("data/01_raw/instances.csv"); return rows; }\n',
    );
    const t = await Deno.readTextFile(join(dir, TRAINING));
    await Deno.writeTextFile(
      join(dir, TRAINING),
      t.replace(
        "nodes:\n",
        "nodes:\n  - name: remove\n    func: ./iris/remove.ts#remove\n    inputs: iris\n    outputs: iris_copy\n",
      ),
    );
    const r = await kmlf(["run", "training"], { cwd: dir });
    assert.notEqual(r.code, 0);
    assert.match(line(r.stderr), /not logged: .*instances/);
    const { MlflowClient, openStore } = await import("../../lib/tracking/mod.ts");
    const client = new MlflowClient(await openStore("mlflow.db", { baseDir: dir }));
    const [run] = (await client.searchRuns("1")).runs;
    assert.equal(run.info.status, "FAILED");
    assert.match(run.data.tags["kmlf.error"], /^model not logged: /);
    assert.ok(run.data.metrics["metrics.accuracy"] !== undefined, "the run's metrics are kept");
    await client.store.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
