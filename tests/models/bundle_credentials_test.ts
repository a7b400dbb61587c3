/**
 * A logged model's MLmodel and bundled files carry no credentials: an inference input whose catalog entry
 * holds an inline credentials block below its top level (a partitioned dataset's `dataset:`) is bundled
 * without it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { rulesProjectFiles, trainedRulesProject } from "./model_helpers.ts";

const SECRET = "hunter2-nested-secret";

async function* walkFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* walkFiles(path);
    else if (entry.isFile) yield path;
  }
}

Deno.test("a partitioned inference input's inline credentials are left out of the logged model", async () => {
  const files = rulesProjectFiles("unused");
  const trained = await trainedRulesProject({
    "conf/base/catalog.yml": files["conf/base/catalog.yml"] +
      `lookups:\n  type: partitioned\n  path: data/lookups\n  dataset:\n    type: json\n` +
      `    credentials: {token: ${SECRET}}\n`,
    "data/lookups/a.json": '{"extra": 1}\n',
    // The training pipeline reads it too, so that the model can bring it along (kedro-mlflow's rule).
    "pipelines/training.yml": files["pipelines/training.yml"].replace(
      "inputs: [iris, params:confidence]",
      "inputs: [iris, params:confidence, lookups]",
    ),
    "pipelines/rules/train.ts": files["pipelines/rules/train.ts"].replace(
      "confidence: number)",
      "confidence: number, _lookups: unknown)",
    ),
    "pipelines/inference.yml": files["pipelines/inference.yml"].replace(
      "inputs: [rule, instances]",
      "inputs: [rule, instances, lookups]",
    ),
    "pipelines/rules/predict.ts": files["pipelines/rules/predict.ts"].replace(
      "instances: Record<string, unknown>[])",
      "instances: Record<string, unknown>[], _lookups: unknown)",
    ),
  });
  try {
    const mlmodels: string[] = [];
    for await (const path of walkFiles(trained.base)) {
      if (path.endsWith("MLmodel")) mlmodels.push(path);
      if (path.includes("/conf/")) continue; // the project's own credentials live there
      const text = await Deno.readTextFile(path).catch(() => "");
      assert.ok(!text.includes(SECRET), `${path} holds the secret`);
    }
    assert.equal(mlmodels.length, 1, `one logged model: ${mlmodels.join(", ")}`);
    const mlmodel = await Deno.readTextFile(mlmodels[0]);
    assert.match(mlmodel, /lookups:/, "the partitioned input is bundled");
    assert.doesNotMatch(mlmodel, /credentials/);
  } finally {
    await Deno.remove(trained.base, { recursive: true });
  }
});
