/**
 * Catalog entries copied from kedro-mlflow's documentation of earlier versions: the classes it renamed get a
 * hint naming the class that replaced them, not the nearest spelling (which is another dataset).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { demoProject, kmlf } from "../cli_harness.ts";

const CASES: [string, RegExp][] = [
  [
    "kedro_mlflow.io.metrics.MlflowMetricsDataSet",
    /renamed MlflowMetricsDataSet to MlflowMetricsHistoryDataset: use type: mlflow_metrics_history/,
  ],
  ["MlflowMetricsDataset", /use type: mlflow_metrics_history/],
  [
    "kedro_mlflow.io.models.MlflowModelLoggerDataSet",
    /renamed MlflowModelLoggerDataSet to MlflowModelTrackingDataset: use type: mlflow_model_tracking/,
  ],
  [
    "MlflowModelSaverDataSet",
    /renamed MlflowModelSaverDataSet to MlflowModelLocalFileSystemDataset: use type: mlflow_model_local/,
  ],
  // Respelled only: the nearest name is the right one.
  [
    "kedro_mlflow.io.artifacts.MlflowArtifactDataSet",
    /did you mean "kedro_mlflow\.io\.artifacts\.MlflowArtifactDataset"\?/,
  ],
  // A name that is a property of every JavaScript object is no Kedro type either.
  ["constructor", /^known types: json/],
];

Deno.test("kedro-mlflow's renamed dataset classes are refused with the class that replaced them", async () => {
  const dir = await demoProject({ "conf/base/mlflow.yml": "tracking: {experiment: {name: iris}}\n" });
  try {
    for (const [type, hint] of CASES) {
      await Deno.writeTextFile(join(dir, "conf/local/catalog.yml"), `old:\n  type: ${type}\n`);
      const r = await kmlf(["catalog", "validate"], { cwd: dir });
      assert.notEqual(r.code, 0, type);
      assert.match(r.stderr, new RegExp(`Unknown dataset type "${type.replaceAll(".", "\\.")}" for "old"`));
      const hintLine = r.stderr.split("\n").find((l) => l.trim().startsWith("hint:"))!.trim().slice(6);
      assert.match(hintLine, hint, `${type}: ${hintLine}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kedro-mlflow's log_model_kwargs: artifact_path is name (both refused), Python-only ones refused with what to write", async () => {
  const dir = await demoProject({}, { tracked: true });
  try {
    const file = join(dir, "pipelines/training.yml");
    const yml = await Deno.readTextFile(file);
    const changed = yml.replace(
      /log_model: \{[^}]*\}/,
      "log_model: { artifact_path: kpm, name: model, pip_requirements: [scikit-learn], input_exampel: auto }",
    );
    assert.notEqual(changed, yml, "the demo's training.yml has a log_model block");
    await Deno.writeTextFile(file, changed);
    const r = await kmlf(["run", "training"], { cwd: dir });
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /Both 'artifact_path' \(deprecated in MLflow v3\) and 'name' are given[^]*at pipelines\/training\.yml:\d+:\d+/,
    );
    const hints = r.stderr.split("\n").filter((l) => l.trim().startsWith("hint:")).map((l) => l.trim());
    assert.deepEqual(hints, [
      "hint: keep name (artifact_path is its kedro-mlflow 0.x–1.x / MLflow 2 spelling)",
      "hint: a kmlf model copies its inference code and pins its npm packages in code/deno.json by itself: remove it",
      'hint: did you mean "input_example"? (allowed here: name, signature, input_example, registered_model_name)',
    ]);
    // artifact_path alone names the model, as kedro-mlflow 1.x's log_model_kwargs did.
    await Deno.writeTextFile(file, yml.replace(/log_model: \{[^}]*\}/, "log_model: { artifact_path: kpm }"));
    const ok = await kmlf(["run", "training"], { cwd: dir });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /Model logged: runs:\/\w+\/kpm/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kedro-mlflow's hooks listed in kmlf.yml are refused as built in, other bad entries as before", async () => {
  const dir = await demoProject({});
  try {
    const file = join(dir, "kmlf.yml");
    const text = await Deno.readTextFile(file);
    const changed = text.replace(
      /^hooks: \[\]$/m,
      "hooks: [kedro_mlflow.framework.hooks.MlflowHook, MlflowPipelineHook, hooks_without_module]",
    );
    assert.notEqual(changed, text, "the new project's kmlf.yml has hooks: []");
    await Deno.writeTextFile(file, changed);
    const r = await kmlf(["run", "training"], { cwd: dir });
    assert.notEqual(r.code, 0);
    const messages = r.stderr.split("\n").filter((l) => l.startsWith("error["));
    const builtIn =
      "kedro-mlflow's hooks are built into kmlf (its kmlf-mlflow plugin tracks runs when conf/<env>/mlflow.yml exists): remove this entry";
    assert.deepEqual(messages, [
      `error[settings/invalid]: Invalid value for "hooks[0]" in kmlf.yml: ${builtIn}`,
      `error[settings/invalid]: Invalid value for "hooks[1]" in kmlf.yml: ${builtIn}`,
      'error[settings/invalid]: Invalid value for "hooks[2]" in kmlf.yml: must look like "./hooks.ts#myHooks"',
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
