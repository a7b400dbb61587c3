/**
 * An export opens one MLflow run only where `kmlf run` would track: with no mlflow.yml, or with the
 * pipeline in `disable_tracking.pipelines`, the Argo workflow and the Airflow DAG have no start/end-run
 * tasks (whose `kmlf mlflow start-run` would fail the workflow, or track a disabled pipeline) and no
 * run id; the node tasks and their dependencies are exactly the tracked export's.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { kmlf } from "../cli_harness.ts";
import { assertValidArgo, exportableDemo, exportArgo, inspectDag } from "./export_helpers.ts";

const NODE_DEPS = [
  ["split-data", []],
  ["train-model", ["split-data"]],
  ["predict", ["split-data", "train-model"]],
  ["report-accuracy", ["predict", "split-data"]],
];

async function checkExports(dir: string, tracked: boolean): Promise<void> {
  const { doc, text } = await exportArgo(dir, ["--pipeline", "training", "--params", "lr=1.0"]);
  assertValidArgo(doc);
  const tasks = doc.spec.templates[0].dag!.tasks;
  const nodeTasks = tasks.filter((t) => !t.name.startsWith("mlflow-"));
  assert.deepEqual(
    nodeTasks.map((t) => [t.name, (t.dependencies ?? []).filter((d) => d !== "mlflow-start-run").sort()]),
    NODE_DEPS,
  );
  assert.equal(text.includes("mlflow"), tracked, text);
  assert.equal(text.includes("MLFLOW_RUN_ID"), tracked);
  assert.equal(doc.spec.onExit, tracked ? "mlflow-end-run" : undefined);
  const run = doc.spec.templates.find((t) => t.name === "kmlf-run")!.container!;
  assert.deepEqual(run.args.slice(-2), ["--params", "lr=1.0"]);

  const file = join(dir, "dags", "dag.py");
  const r = await kmlf(["export", "airflow", "--pipeline", "training", "-o", file], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const dag = await inspectDag(file);
  assert.equal(dag.tasks.some((t) => t.task_id.startsWith("mlflow-")), tracked);
  for (const [name, deps] of NODE_DEPS) {
    const task = dag.tasks.find((t) => t.task_id === name)!;
    assert.deepEqual(task.upstream.filter((u) => u !== "mlflow-start-run").sort(), deps);
    assert.equal(task.env !== null, tracked);
  }
}

Deno.test("with tracking off (no mlflow.yml, or disable_tracking.pipelines) exports open no MLflow run", async () => {
  const dir = await exportableDemo();
  try {
    await checkExports(dir, true);
    const mlflowYml = join(dir, "conf/base/mlflow.yml");
    const original = await Deno.readTextFile(mlflowYml);
    await Deno.writeTextFile(mlflowYml, original.replace("pipelines: []", "pipelines: [training]"));
    await checkExports(dir, false);
    await Deno.remove(mlflowYml);
    await checkExports(dir, false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
