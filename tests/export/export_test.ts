/**
 * `kmlf export argo|airflow`: the Argo workflow is valid against Argo Workflows' v4.1.2 JSON schema
 * (Workflow and WorkflowTemplate, every grouping); the Airflow DAG file compiles and, imported under a
 * stand-in `airflow` package, declares one task per node with the pipeline's dependencies and the
 * MLflow run's start and end tasks; memory datasets crossing tasks and grouping loops are refused.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { planExport } from "../../lib/export/mod.ts";
import { Node, Pipeline } from "../../lib/pipeline/mod.ts";
import { ConfigError, KmlfAggregateError } from "../../lib/errors.ts";
import { PYTHON3 } from "../python3.ts";
import { assertGolden, demoProject, kmlf, normalize } from "../cli_harness.ts";
import {
  assertValidArgo,
  exportableDemo,
  exportArgo,
  inspectDag,
  validateArgo as validate,
} from "./export_helpers.ts";

Deno.test("kmlf export argo writes a Workflow and a WorkflowTemplate valid against Argo's v4.1.2 schema", async () => {
  const dir = await exportableDemo();
  try {
    const { doc, text } = await exportArgo(dir, [
      "--pipeline",
      "training",
      "--image",
      "ghcr.io/acme/iris:1.0",
      "--secret",
      "iris-tracking",
      "--volume",
      "iris-data:/app/data",
    ]);
    assertValidArgo(doc);
    assert.equal(doc.kind, "Workflow");
    assert.equal(doc.metadata.generateName, "iris-training-");
    const dag = doc.spec.templates.find((t) => t.name === "pipeline")!.dag!;
    assert.deepEqual(dag.tasks.map((t) => [t.name, t.dependencies]), [
      ["mlflow-start-run", undefined],
      ["split-data", ["mlflow-start-run"]],
      ["train-model", ["split-data"]],
      ["predict", ["split-data", "train-model"]],
      ["report-accuracy", ["predict", "split-data"]],
    ]);
    const run = doc.spec.templates.find((t) => t.name === "kmlf-run")!.container!;
    assert.deepEqual(run.args, [
      "run",
      "--pipeline",
      "training",
      "--env",
      "local",
      "--nodes",
      "{{inputs.parameters.nodes}}",
    ]);
    assert.deepEqual(run.env, [{ name: "MLFLOW_RUN_ID", value: "{{inputs.parameters.run-id}}" }]);
    assert.equal(doc.spec.onExit, "mlflow-end-run");
    assert.match(text, /- --status\n\s+- '\{\{workflow\.status\}\}'/);
    // The validator is live: a wrongly typed field is caught.
    const broken = structuredClone(doc);
    (broken.spec.templates[0].dag!.tasks[1] as unknown as { dependencies: string }).dependencies =
      "split-data";
    assert.equal(validate(broken), false);

    const template = await exportArgo(dir, [
      "--pipeline",
      "training",
      "--kind",
      "WorkflowTemplate",
      "--name",
      "Iris Nightly",
    ]);
    assertValidArgo(template.doc);
    assert.equal(template.doc.kind, "WorkflowTemplate");
    assert.equal(template.doc.metadata.name, "iris-nightly");
    for (const groupBy of ["tag", "namespace"]) {
      assertValidArgo((await exportArgo(dir, ["--pipeline", "training", "--group-by", groupBy])).doc);
    }

    // Names kubectl's go-yaml would read as a bool (`y`, `n`) are quoted; keys stay in Kubernetes' order.
    const yn = await exportArgo(dir, ["--pipeline", "training", "--secret", "y", "--namespace", "n"]);
    assertValidArgo(yn.doc);
    assert.match(yn.text, /\n {2}namespace: 'n'\n/);
    assert.match(yn.text, /\n {10}name: 'y'\n/);
    assert.match(yn.text, /\napiVersion: argoproj\.io\/v1alpha1\nkind: Workflow\nmetadata:\n/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kmlf export airflow writes a DAG file that compiles and declares the pipeline's tasks and edges", async () => {
  const dir = await exportableDemo();
  try {
    const file = join(dir, "iris_training.py");
    const r = await kmlf(["export", "airflow", "--pipeline", "training", "-o", file], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const compiled = await new Deno.Command(PYTHON3, { args: ["-m", "py_compile", file], stderr: "piped" })
      .output();
    assert.ok(compiled.success, new TextDecoder().decode(compiled.stderr));
    const dag = await inspectDag(file);
    assert.equal(dag.dag_id, "iris-training");
    assert.equal(dag.args.schedule, null);
    const byId = new Map(dag.tasks.map((t) => [t.task_id, t]));
    assert.deepEqual([...byId.keys()], [
      "mlflow-start-run",
      "split-data",
      "train-model",
      "predict",
      "report-accuracy",
      "mlflow-end-run",
      "mlflow-end-run-failed",
    ]);
    assert.equal(
      byId.get("split-data")!.bash_command,
      "kmlf run --pipeline training --env local --nodes split_data",
    );
    assert.equal(byId.get("split-data")!.cwd, dir);
    assert.deepEqual(byId.get("split-data")!.env, {
      MLFLOW_RUN_ID: "{{ ti.xcom_pull(task_ids='mlflow-start-run') }}",
    });
    assert.ok(byId.get("split-data")!.append_env);
    assert.deepEqual(byId.get("split-data")!.upstream, ["mlflow-start-run"]);
    assert.deepEqual(byId.get("predict")!.upstream, ["split-data", "train-model"]);
    assert.deepEqual(byId.get("mlflow-end-run")!.upstream, ["report-accuracy"]);
    assert.equal(byId.get("mlflow-end-run")!.trigger_rule, "all_success");
    assert.deepEqual(byId.get("mlflow-end-run-failed")!.upstream, [
      "predict",
      "report-accuracy",
      "split-data",
      "train-model",
    ]);
    assert.equal(byId.get("mlflow-end-run-failed")!.trigger_rule, "one_failed");
    assert.match(
      byId.get("mlflow-start-run")!.bash_command,
      /^kmlf mlflow start-run --pipeline training --env local --workflow airflow$/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("exporting refuses memory datasets that cross tasks, naming each dataset, its tasks and a catalog entry", async () => {
  const dir = await demoProject({}, { tracked: true });
  try {
    for (const engine of ["argo", "airflow"]) {
      const r = await kmlf(["export", engine, "--pipeline", "training"], { cwd: dir });
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, "");
      await assertGolden("errors/export-memory-datasets", `exit ${r.code}\n${normalize(r.stderr, dir)}`);
    }
    // Grouped into one task, the same datasets never leave their process.
    const r = await kmlf(["export", "argo", "--pipeline", "training", "--group-by", "namespace"], {
      cwd: dir,
    });
    assert.equal(r.code, 2, "the demo has no namespaces: each node is its own group");
    const usage = await kmlf(["export", "argo", "--pipeline", "training", "--group-by", "folder"], {
      cwd: dir,
    });
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--group-by must be node, namespace, tag, got "folder"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

function node(
  name: string,
  inputs: string[],
  outputs: string[],
  extra: { tags?: string[]; namespace?: string } = {},
) {
  return new Node(
    {
      name,
      func: () => undefined,
      funcRef: `./nodes.ts#${name}`,
      inputs,
      outputs,
      inputBinding: { kind: "positional" },
      outputBinding: { kind: "list" },
      ...extra,
    },
  );
}

Deno.test("nodes group by top-level namespace or first tag; memory datasets inside a group are fine", () => {
  const pipeline = new Pipeline([
    node("dp.clean", ["raw"], ["dp.clean_data"], { namespace: "dp", tags: ["prep"] }),
    node("dp.sub.features", ["dp.clean_data"], ["dp.features"], { namespace: "dp.sub", tags: ["prep"] }),
    node("train", ["dp.features", "params:lr"], ["model"], { tags: ["fit", "prep2"] }),
    node("report", ["model"], ["report"]),
  ]);
  const persisted = new Set(["raw", "dp.features", "model", "report"]);
  const plan = (groupBy: "node" | "namespace" | "tag") =>
    planExport(pipeline, { pipeline: "p", env: "e", groupBy, isPersisted: (d) => persisted.has(d) })
      .tasks.map((t) => [t.name, t.nodes, t.dependencies]);
  assert.deepEqual(plan("namespace"), [
    ["dp", ["dp.clean", "dp.sub.features"], []],
    ["train", ["train"], ["dp"]],
    ["report", ["report"], ["train"]],
  ]);
  assert.deepEqual(plan("tag"), [
    ["prep", ["dp.clean", "dp.sub.features"], []],
    ["fit", ["train"], ["prep"]],
    ["report", ["report"], ["fit"]],
  ]);
  assert.throws(() => plan("node"), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.equal(e.code, "export/memory-dataset");
    assert.match(
      e.message,
      /"dp\.clean_data" is kept in memory, but task "dp-clean" produces it and task "dp-sub-features" reads it/,
    );
    return true;
  });
});

Deno.test("groups that would depend on each other in a loop are refused with the loop", () => {
  const pipeline = new Pipeline([
    node("a", ["raw"], ["x"], { tags: ["g1"] }),
    node("b", ["x"], ["y"], { tags: ["g2"] }),
    node("c", ["y"], ["z"], { tags: ["g1"] }),
  ]);
  assert.throws(
    () => planExport(pipeline, { pipeline: "p", env: "e", groupBy: "tag", isPersisted: () => true }),
    (e: unknown) => {
      const errors = e instanceof KmlfAggregateError ? e.errors : [e];
      const loop = errors.find((x) => (x as ConfigError).code === "export/task-cycle") as ConfigError;
      assert.ok(loop, String(e));
      assert.match(loop.message, /g1 → g2 → g1|g2 → g1 → g2/);
      assert.match(loop.hint ?? "", /--group-by node/);
      return true;
    },
  );
});

Deno.test("grouped by namespace, a loop names the namespace a path leaves and re-enters (Kedro's interrupted namespace)", () => {
  const pipeline = new Pipeline([
    node("ns.a", ["raw"], ["x"], { namespace: "ns" }),
    node("b", ["x"], ["y"]),
    node("ns.c", ["y"], ["z"], { namespace: "ns" }),
  ]);
  assert.throws(
    () => planExport(pipeline, { pipeline: "p", env: "e", groupBy: "namespace", isPersisted: () => true }),
    (e: unknown) => {
      const errors = e instanceof KmlfAggregateError ? e.errors : [e];
      const loop = errors.find((x) => (x as ConfigError).code === "export/task-cycle") as ConfigError;
      assert.ok(loop, String(e));
      assert.match(
        loop.hint ?? "",
        /^Namespace "ns" is interrupted by node "b": .* at node "ns\.c"; give that node the namespace "ns" too, or move node "ns\.c" out of it, or group by node \(--group-by node\)$/,
      );
      return true;
    },
  );
});

Deno.test("an empty pipeline is refused: its workflow would end the run while starting it", () => {
  assert.throws(
    () =>
      planExport(new Pipeline([]), { pipeline: "empty", env: "e", groupBy: "node", isPersisted: () => true }),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError, String(e));
      assert.equal(e.code, "export/empty-pipeline");
      assert.match(e.message, /Cannot export empty: it has no nodes to schedule/);
      assert.match(e.hint ?? "", /pipelines\/empty\.yml/);
      return true;
    },
  );
  // The default pipeline is every pipeline together: the hint says so and how to make one.
  assert.throws(
    () =>
      planExport(new Pipeline([]), {
        pipeline: "__default__",
        env: "e",
        groupBy: "node",
        isPersisted: () => true,
      }),
    (e: unknown) => {
      assert.match(
        (e as ConfigError).hint ?? "",
        /every pipeline in pipelines\/ together.*`kmlf pipeline create <name>`/,
      );
      return true;
    },
  );
});

// A catalog reading ${runtime_params:…} without a default needs --params to be read at all (Kedro's catalog
// commands cannot take them: kedro#4173); the export reads them and every task's `kmlf run` carries them.
Deno.test("catalog commands and exports take --params for the config's ${runtime_params:…}; tasks run with them", async () => {
  const dir = await exportableDemo({
    "conf/base/catalog_runtime.yml":
      "scores:\n  type: json\n  filepath: data/${runtime_params:folder}/scores.json\n",
  });
  try {
    const without = await kmlf(["catalog", "resolve"], { cwd: dir });
    assert.equal(without.code, 2);
    assert.match(without.stderr, /Runtime parameter "folder" not found[\s\S]*pass --params "folder=\.\.\."/);
    const resolved = await kmlf(["catalog", "resolve", "--params", "folder=today"], { cwd: dir });
    assert.equal(resolved.code, 0, resolved.stderr);
    assert.match(resolved.stdout, /\nscores:\n {2}filepath: data\/today\/scores\.json\n/);
    for (const command of [["list"], ["patterns"], ["validate"]]) {
      const r = await kmlf(["catalog", ...command, "--params", "folder=today"], { cwd: dir });
      assert.equal(r.code, 0, `${command}: ${r.stderr}`);
    }
    const { doc } = await exportArgo(dir, ["--pipeline", "training", "--params", "folder=today,seed=3"]);
    const run = doc.spec.templates.find((t) => t.name === "kmlf-run")!.container!;
    assert.deepEqual(run.args!.slice(-2), ["--params", "folder=today,seed=3"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
