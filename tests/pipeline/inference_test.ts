/** `inference:` in pipeline YAML: kedro-mlflow's PipelineML kept by filters, dropped (with the reason) by unions. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadPipelines } from "../../lib/pipeline/mod.ts";
import { REPO } from "../cli_harness.ts";

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
