/**
 * The workflow run commands refuse what would leave a useless run behind or fail obscurely:
 * `kmlf mlflow start-run` for a pipeline that does not exist starts no run, and `kmlf mlflow end-run`
 * with an id the store does not hold (an unresolved template, another tracking store) names --run-id
 * and the fix.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { openStore } from "../../lib/tracking/mod.ts";
import { demoProject, kmlf } from "../cli_harness.ts";

Deno.test("start-run of an unknown pipeline starts no run; end-run of an unknown id names --run-id and the fix", async () => {
  const dir = await demoProject({}, { tracked: true });
  try {
    const start = await kmlf(["mlflow", "start-run", "--pipeline", "trainig", "--workflow", "argo"], {
      cwd: dir,
    });
    assert.equal(start.code, 2, start.stderr);
    assert.equal(start.stdout, "");
    assert.match(start.stderr, /error\[pipeline\/unknown\]: Pipeline "trainig" does not exist/);
    assert.match(start.stderr, /hint: .*training/);
    const exists = await Deno.stat(join(dir, "mlflow.db")).then(() => true, () => false);
    if (exists) {
      const store = await openStore("mlflow.db", { baseDir: dir });
      try {
        const experiments = await store.searchExperiments({ viewType: "ALL" });
        const ids = experiments.experiments.map((e) => e.experimentId);
        assert.deepEqual((await store.searchRuns({ experimentIds: ids, runViewType: "ALL" })).runs, []);
      } finally {
        await store.close();
      }
    }

    for (const runId of ["{{workflow.outputs.parameters.kmlf-run-id}}", "0123456789abcdef0123456789abcdef"]) {
      const end = await kmlf(["mlflow", "end-run", "--run-id", runId, "--status", "Failed"], { cwd: dir });
      assert.equal(end.code, 2, end.stderr);
      assert.ok(
        end.stderr.includes(`error[mlflow/no-such-run]: Cannot end run "${runId}" (--run-id)`),
        end.stderr,
      );
      assert.match(end.stderr, /hint: pass the id `kmlf mlflow start-run` printed.*same tracking store/);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
