/** `inference:` in pipeline YAML: kedro-mlflow's PipelineML kept by filters, dropped (with the reason) by unions. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadPipelines } from "../../lib/pipeline/mod.ts";
import { REPO } from "../cli_harness.ts";
import { problemsOf, where } from "./helpers.ts";

const { training, inference, __default__ } = await loadPipelines(join(REPO, "pipelines"));

Deno.test("the demo's training pipeline is bound to its inference pipeline", () => {
  const ml = training.ml!;
  assert.equal(ml.dropped, undefined);
  assert.equal(ml.spec.ref, "inference");
  assert.equal(ml.spec.inputName, "instances");
  assert.deepEqual(ml.spec.logModel, {
    name: "model",
    signature: "auto",
    inputExample: "auto",
    registeredModelName: null,
  });
  assert.equal(ml.spec.copyMode, "assign");
  assert.deepEqual(ml.spec.pipeline.nodes.map((n) => n.name), inference.nodes.map((n) => n.name));
  assert.equal(inference.ml, undefined);
});

Deno.test("filters keep the model while training still feeds inference, else drop it saying why", () => {
  assert.equal(training.filter({ toNodes: ["train_model"] }).ml?.dropped, undefined);
  assert.equal(training.filter({ tags: ["training"] }).ml?.dropped, undefined);
  const dropped = training.filter({ nodeNames: ["split_data"] }).ml?.dropped;
  assert.match(dropped!, /^after --nodes split_data, inference pipeline "inference" reads "model"/);
  // A dropped binding stays dropped through further filters.
  assert.equal(
    training.filter({ nodeNames: ["split_data"] }).filter({ tags: ["preprocessing"] }).ml?.dropped,
    dropped,
  );
});

Deno.test("unions drop the model: --pipelines and __default__", () => {
  assert.match(
    training.union(inference, "--pipelines training,inference").ml!.dropped!,
    /--pipelines training,inference combines/,
  );
  assert.match(inference.union(training).ml!.dropped!, /the pipeline combines its training pipeline/);
  assert.match(
    __default__.ml!.dropped!,
    /__default__ is the union of every pipeline; `kmlf run training` logs/,
  );
});

// kedro-mlflow's older log_model.artifact_path is validated as name, but its errors name what was written.
const withLogModel = (logModel: string) => ({
  "pipelines/a.yml": "nodes:\n  - func: ../nodes.ts#f\n    inputs: x\n    outputs: y\n" +
    `inference:\n  pipeline: b\n  input_name: x\n  log_model: ${logModel}\n`,
  "pipelines/b.yml": "nodes:\n  - func: ../nodes.ts#g\n    inputs: [y, x]\n    outputs: z\n",
  "nodes.ts": "export const f = (x: number) => x;\nexport const g = (y: number, x: number) => x + y;\n",
});
const problemLines = async (logModel: string) =>
  (await problemsOf(withLogModel(logModel))).map((e) => `${e.code} ${where(e)} ${e.message} | ${e.hint}`);

Deno.test("a bad log_model.artifact_path (kedro-mlflow 1.x's name) is reported under artifact_path, at its value", async () => {
  const at = "pipeline/schema a.yml:8:31";
  const key = '"inference.log_model.artifact_path" in pipeline file';
  assert.deepEqual(await problemLines("{ artifact_path: ../m }"), [
    `${at} Invalid value for ${key}: must not contain .. | fix this value (got "../m")`,
  ]);
  assert.deepEqual(await problemLines("{ artifact_path: 3 }"), [
    `${at} Invalid value for ${key}: expected a string, got the number 3 | write a string here (got 3)`,
  ]);
  assert.deepEqual(await problemLines("{ artifact_path: '' }"), [
    `${at} Invalid value for ${key}: use a relative artifact path: letters, digits, _ . - and / | ` +
    'write a value, or remove the key where it has a default (got "")',
  ]);
  // name's own errors are unchanged; both spellings at once are refused at artifact_path (name still checked).
  assert.deepEqual(await problemLines("{ name: ../m }"), [
    'pipeline/schema a.yml:8:22 Invalid value for "inference.log_model.name" in pipeline file: must not contain .. | fix this value (got "../m")',
  ]);
  assert.deepEqual(await problemLines("{ artifact_path: m, name: ../m }"), [
    `${at} Both 'artifact_path' (deprecated in MLflow v3) and 'name' are given in inference.log_model | ` +
    "keep name (artifact_path is its kedro-mlflow 0.x–1.x / MLflow 2 spelling)",
    'pipeline/schema a.yml:8:40 Invalid value for "inference.log_model.name" in pipeline file: must not contain .. | fix this value (got "../m")',
  ]);
});
