/**
 * `kmlf mlflow end-run` ends the workflow's run whatever its tasks' node records look like: a record
 * that is not JSON is reported after the run has ended with its status (never left RUNNING), and two
 * tasks sharing a kmlf run id (a millisecond timestamp) keep separate records.
 */
import assert from "node:assert/strict";
import { TrackingError } from "../../lib/errors.ts";
import { endWorkflowRun } from "../../lib/mlflow/mod.ts";
import { workflowRecordPath } from "../../lib/mlflow/experiment_setup.ts";
import { MlflowClient, openStore } from "../../lib/tracking/mod.ts";

Deno.test("a damaged node record is reported after the run has ended with the workflow's status", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-end-run-" });
  const client = new MlflowClient(await openStore("mlflow.db", { baseDir: dir }));
  try {
    const experimentId = await client.createExperiment("wf");
    const run = await client.createRun(experimentId);
    await client.logText(run.info.runId, JSON.stringify({ nodes: [] }), "kmlf/workflow/a.json");
    await client.logText(run.info.runId, "{ truncated", "kmlf/workflow/b.json");
    await assert.rejects(endWorkflowRun(client, run.info.runId, "FINISHED"), (e: unknown) => {
      assert.ok(e instanceof TrackingError, String(e));
      assert.equal(e.code, "mlflow/workflow-join");
      assert.match(
        e.message,
        /Ended run \w+ FINISHED, but could not join .*kmlf\/workflow\/b\.json is not a node record/,
      );
      assert.match(e.hint ?? "", /params, metrics and artifacts are kept/);
      return true;
    });
    assert.equal((await client.getRun(run.info.runId)).info.status, "FINISHED");
  } finally {
    await client.store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tasks started in the same millisecond write separate node records", () => {
  const id = "2026-12-06T23.02.45.146Z";
  const paths = new Set(Array.from({ length: 50 }, () => workflowRecordPath(id)));
  assert.equal(paths.size, 50);
  for (const path of paths) {
    assert.match(path, /^kmlf\/workflow\/2026-12-06T23\.02\.45\.146Z-[0-9a-f]{8}\.json$/);
  }
});
