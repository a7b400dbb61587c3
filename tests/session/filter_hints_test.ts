/**
 * A filter naming a node or dataset of another registered pipeline (a forgotten --pipeline) says which
 * pipeline has it and the flag that runs it; the message names the pipeline searched. No run starts.
 */
import assert from "node:assert/strict";
import { demoProject, kmlf } from "../cli_harness.ts";

Deno.test("--nodes / --from-nodes / --to-outputs naming another pipeline's node or dataset name that pipeline", async () => {
  const dir = await demoProject({}, { tracked: true });
  try {
    const cases: [string[], RegExp][] = [
      [
        ["run", "inference", "--nodes", "split_data"],
        /error\[pipeline\/unknown-node\]: Pipeline "inference" has no node named "split_data"\n {2}hint: "split_data" is in pipeline "training": run it with --pipeline training \(or --pipelines inference,training for both\)\n/,
      ],
      [
        ["run", "inference", "--from-nodes", "predict_instances,train_model"],
        /Pipeline "inference" has no node named "train_model"\n {2}hint: "train_model" is in pipeline "training": run it with --pipeline training/,
      ],
      [
        ["run", "inference", "--to-outputs", "X_train"],
        /error\[pipeline\/unknown-dataset\]: Pipeline "inference" does not use dataset\(s\) "X_train"\n {2}hint: "X_train" is in pipeline "training"/,
      ],
      // In no pipeline at all: the usual hint, the pipeline named.
      [
        ["run", "training", "--nodes", "splt_data"],
        /Pipeline "training" has no node named "splt_data"\n {2}hint: did you mean "split_data"\?/,
      ],
    ];
    for (const [args, expected] of cases) {
      const r = await kmlf(args, { cwd: dir });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, expected);
      assert.doesNotMatch(r.stderr + r.stdout, /MLflow run/);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
