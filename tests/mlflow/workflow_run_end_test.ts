/**
 * `kmlf mlflow end-run` ends the workflow's run whatever its tasks' node records look like: a record
 * that is not JSON is reported after the run has ended with its status (never left RUNNING), and two
 * tasks sharing a kmlf run id (a millisecond timestamp) keep separate records. Ending a run again (an exit
 * handler or trigger-ruled task run twice, a status typed by hand) keeps its first outcome and end time, except
 * that a retried workflow that finally succeeded ends FINISHED.
 */
import assert from "node:assert/strict";
import { TrackingError } from "../../lib/errors.ts";
import { endWorkflowRun, workflowEndStatus } from "../../lib/mlflow/mod.ts";
import { workflowRecordPath } from "../../lib/mlflow/experiment_setup.ts";
import { MlflowClient, openStore } from "../../lib/tracking/mod.ts";

Deno.test("a damaged node record is reported after the run has ended with the workflow's status", () =>
  withWorkflowRun(async ({ client, experimentId }) => {
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
  }));

Deno.test("tasks started in the same millisecond write separate node records", () => {
  const id = "2026-12-06T23.02.45.146Z";
  const paths = new Set(Array.from({ length: 50 }, () => workflowRecordPath(id)));
  assert.equal(paths.size, 50);
  for (const path of paths) {
    assert.match(path, /^kmlf\/workflow\/2026-12-06T23\.02\.45\.146Z-[0-9a-f]{8}\.json$/);
  }
});

Deno.test("an ended run keeps its first outcome; only FINISHED (a retried workflow) replaces a failure", () => {
  const cases: [string, "FINISHED" | "FAILED" | "KILLED", string][] = [
    ["RUNNING", "FAILED", "FAILED"],
    ["RUNNING", "FINISHED", "FINISHED"],
    ["SCHEDULED", "KILLED", "KILLED"],
    ["FINISHED", "FAILED", "FINISHED"],
    ["FINISHED", "KILLED", "FINISHED"],
    ["FINISHED", "FINISHED", "FINISHED"],
    ["FAILED", "KILLED", "FAILED"],
    ["KILLED", "FAILED", "KILLED"],
    ["FAILED", "FINISHED", "FINISHED"],
    ["KILLED", "FINISHED", "FINISHED"],
  ];
  for (const [current, requested, expected] of cases) {
    assert.equal(workflowEndStatus(current, requested), expected, `${current} + ${requested}`);
  }
});

Deno.test("ending a workflow run twice keeps FINISHED and its end time, and joins the records again", () =>
  withWorkflowRun(async ({ dir, client, experimentId }) => {
    const runId = (await client.createRun(experimentId)).info.runId;
    const record = {
      nodes: [{ name: "a", inputs: [], outputs: ["x"], dependencies: [], status: "success" }],
    };
    await client.logText(runId, "{ truncated", "kmlf/workflow/a.json");
    // The first ending cannot join the damaged record, yet ends the run.
    await assert.rejects(endWorkflowRun(client, runId, "FINISHED"), /could not join/);
    const first = (await client.getRun(runId)).info;
    assert.equal(first.status, "FINISHED");
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Run again (the record repaired, and a later, unrelated FAILED): the status and end time stay, the chart is written.
    await client.logText(runId, JSON.stringify(record), "kmlf/workflow/a.json");
    assert.deepEqual(await endWorkflowRun(client, runId, "FAILED"), {
      status: "FINISHED",
      previous: "FINISHED",
    });
    assert.deepEqual(await endWorkflowRun(client, runId, "KILLED"), {
      status: "FINISHED",
      previous: "FINISHED",
    });
    const after = (await client.getRun(runId)).info;
    assert.equal(after.status, "FINISHED");
    assert.equal(after.endTime, first.endTime);
    const chart = JSON.parse(
      await Deno.readTextFile(await client.downloadArtifacts(runId, "kmlf/pipeline.json", dir)),
    );
    assert.equal(chart.status, "FINISHED");
    assert.deepEqual(chart.nodes.map((n: { name: string }) => n.name), ["a"]);
  }));

Deno.test("a failed workflow run ends FINISHED when its retried workflow succeeds, FAILED stays FAILED otherwise", () =>
  withWorkflowRun(async ({ client, experimentId }) => {
    const runId = (await client.createRun(experimentId)).info.runId;
    assert.deepEqual(await endWorkflowRun(client, runId, "FAILED"), { status: "FAILED" });
    const failedAt = (await client.getRun(runId)).info.endTime;
    assert.deepEqual(await endWorkflowRun(client, runId, "KILLED"), { status: "FAILED", previous: "FAILED" });
    assert.equal((await client.getRun(runId)).info.endTime, failedAt);
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.deepEqual(await endWorkflowRun(client, runId, "FINISHED"), {
      status: "FINISHED",
      previous: "FAILED",
    });
    const info = (await client.getRun(runId)).info;
    assert.equal(info.status, "FINISHED");
    assert.ok(info.endTime! > failedAt!, "the retried workflow's end time");
  }));

Deno.test("a deleted workflow run is refused before anything is written to it", () =>
  withWorkflowRun(async ({ client, experimentId }) => {
    const runId = (await client.createRun(experimentId)).info.runId;
    await client.logText(runId, JSON.stringify({ nodes: [] }), "kmlf/workflow/a.json");
    await client.deleteRun(runId);
    await assert.rejects(endWorkflowRun(client, runId, "FINISHED"), (e: unknown) => {
      assert.ok(e instanceof TrackingError);
      assert.equal(e.code, "mlflow/run-deleted");
      assert.match(e.hint ?? "", /restore it .*then run `kmlf mlflow end-run` again/);
      return true;
    });
    const paths = (await client.listArtifacts(runId, "kmlf")).map((f) => f.path);
    assert.deepEqual(paths, ["kmlf/workflow"], "no pipeline.json written");
    assert.equal((await client.getRun(runId)).info.status, "RUNNING");
  }));

// A fresh SQLite store with an experiment "wf", closed and removed after `fn`.
async function withWorkflowRun(
  fn: (ctx: { dir: string; client: MlflowClient; experimentId: string }) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-end-run-" });
  const client = new MlflowClient(await openStore("mlflow.db", { baseDir: dir }));
  try {
    await fn({ dir, client, experimentId: await client.createExperiment("wf") });
  } finally {
    await client.store.close();
    await Deno.remove(dir, { recursive: true });
  }
}
