/**
 * The UI's MLmodel readers (logged_models.js) read what kmlf's MLmodel writer writes: flavor names
 * (plain or quoted keys) and the signature.
 */
import assert from "node:assert/strict";
import { mlmodelFlavors, mlmodelSignature } from "../../lib/server/ui/src/logged_models.js";
import { mlmodelToYaml, signatureToStrings } from "../../lib/tracking/mod.ts";

Deno.test("the model panel reads flavor names and the signature from an MLmodel kmlf wrote", () => {
  const text = mlmodelToYaml({
    artifactPath: "model",
    flavors: {
      kmlf: { pipeline: "code/inference.yml", input_name: "instances" },
      js_value: { serialization: "json", data: "model.json" },
      "odd: 'name'": { data: "x" },
      "#hash": {},
    },
    signature: signatureToStrings({
      inputs: [{ name: "it's", type: "double", required: true }],
      outputs: null,
      params: [{ name: "threshold", type: "double", default: 0.5, shape: null }],
    }),
  });
  assert.deepEqual(mlmodelFlavors(text).sort(), ["#hash", "js_value", "kmlf", "odd: 'name'"]);
  // JS without types: its result is read as plain data.
  const signature = mlmodelSignature(text) as unknown as {
    inputs: unknown[];
    params: { name: string }[];
  };
  assert.deepEqual(signature.inputs, [{ type: "double", name: "it's", required: true }]);
  assert.equal(signature.params[0].name, "threshold");
  assert.deepEqual(mlmodelFlavors("artifact_path: m\n"), []);
});
