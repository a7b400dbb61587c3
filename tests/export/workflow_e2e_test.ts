/**
 * The exported plans run. The Argo workflow's tasks are executed as Argo would — each a separate `kmlf`
 * process (its container command and args, parameters substituted), in dependency order, then the exit
 * handler — against PostgreSQL and S3 servers started by the suite; the outputs equal a local `kmlf run`
 * and the one MLflow run has every node's metrics and ends FINISHED. The Airflow DAG's tasks run the same
 * way (bash commands, XCom, trigger rules) with a failing node: the run ends FAILED, naming the node.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { MlflowClient, openStore, type Run } from "../../lib/tracking/mod.ts";
import { CLI_PATH, kmlf } from "../cli_harness.ts";
import { sharedPostgres } from "../services/postgres_server.ts";
import { sharedS3Server } from "../services/s3_server.ts";
import { type ArgoDoc, exportableDemo, exportArgo, inspectDag } from "./export_helpers.ts";

const NODES = ["split_data", "train_model", "predict", "report_accuracy"];

/** A `kmlf` on PATH, as in the image or on the Airflow workers. */
async function kmlfOnPath(): Promise<string> {
  const bin = await Deno.makeTempDir({ prefix: "kmlf-bin-" });
  await Deno.writeTextFile(
    join(bin, "kmlf"),
    `#!/bin/sh\nexec '${Deno.execPath()}' run -A --quiet '${CLI_PATH}' "$@"\n`,
  );
  await Deno.chmod(join(bin, "kmlf"), 0o755);
  return bin;
}

interface Setup {
  dir: string;
  env: Record<string, string>;
  trackingUri: string;
  bin: string;
}

async function scaleOutProject(): Promise<Setup> {
  const s3 = await sharedS3Server();
  const trackingUri = await (await sharedPostgres()).createDatabase();
  const dir = await exportableDemo();
  const yml = join(dir, "conf/base/mlflow.yml");
  // The tracking URI comes from the environment (a Kubernetes Secret, the Airflow worker's env).
  await Deno.writeTextFile(
    yml,
    (await Deno.readTextFile(yml)).replace(
      "artifact_location: null",
      `artifact_location: ${s3.location("workflow")}`,
    ),
  );
  const bin = await kmlfOnPath();
  const env = {
    ...s3.env,
    MLFLOW_TRACKING_URI: trackingUri,
    PATH: `${bin}:${Deno.env.get("PATH")}`,
    NO_COLOR: "1",
  };
  return { dir, env, trackingUri, bin };
}

async function exec(argv: string[], cwd: string, env: Record<string, string>) {
  const out = await new Deno.Command(argv[0], {
    args: argv.slice(1),
    cwd,
    env,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** Runs an Argo workflow's DAG the way the controller does; returns each task's exit code and the run id. */
async function runArgo(doc: ArgoDoc, setup: Setup) {
  const templates = new Map(doc.spec.templates.map((t) => [t.name, t]));
  const dag = templates.get(doc.spec.entrypoint)!.dag!;
  const container = await Deno.makeTempDir({ prefix: "kmlf-pod-" }); // the pods' /tmp
  const outputs = new Map<string, Record<string, string>>();
  const globals: Record<string, string> = {};
  const codes: Record<string, number> = {};
  const fill = (text: string, inputs: Record<string, string>) =>
    text.replace(/\{\{([^}]+)\}\}/g, (whole, ref: string) => {
      const [scope, ...rest] = ref.trim().split(".");
      if (scope === "inputs") return inputs[rest[1]];
      if (scope === "tasks") return outputs.get(rest[0])![rest[3]];
      if (scope === "workflow" && rest[0] === "outputs") return globals[rest[2]];
      if (scope === "workflow" && rest[0] === "status") return inputs.status;
      throw new Error(`unknown Argo reference ${whole}`);
    });
  const runTemplate = async (name: string, inputs: Record<string, string>) => {
    const template = templates.get(name)!;
    const c = template.container!;
    const args = c.args.map((a) => fill(a, inputs).replace("/tmp/", `${container}/`));
    const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, fill(e.value, inputs)]));
    const result = await exec([...c.command, ...args], setup.dir, { ...setup.env, ...env });
    const produced: Record<string, string> = {};
    for (const p of template.outputs?.parameters ?? []) {
      produced[p.name] = (await Deno.readTextFile(p.valueFrom.path.replace("/tmp/", `${container}/`))).trim();
      globals[p.globalName] = produced[p.name];
    }
    return { result, produced };
  };
  for (const task of dag.tasks) {
    // Argo omits a task whose dependencies did not all succeed.
    if ((task.dependencies ?? []).some((d) => codes[d] !== 0)) continue;
    const inputs = Object.fromEntries((task.arguments?.parameters ?? []).map((p) => [p.name, p.value]));
    const resolved = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, fill(v, {})]));
    const { result, produced } = await runTemplate(task.template, resolved);
    assert.equal(result.code, 0, `${task.name}: ${result.stderr}`);
    codes[task.name] = result.code;
    outputs.set(task.name, produced);
  }
  const status = Object.values(codes).every((c) => c === 0) ? "Succeeded" : "Failed";
  const exit = await runTemplate(doc.spec.onExit, { status });
  assert.equal(exit.result.code, 0, exit.result.stderr);
  await Deno.remove(container, { recursive: true });
  return { codes, runId: globals["kmlf-run-id"] };
}

async function workflowRun(
  setup: Setup,
  runId: string,
): Promise<{ run: Run; runs: number; client: MlflowClient }> {
  // The client reads S3 settings from the process environment, as MLflow's does (only those: never the
  // tracking URI, which would send other tests' runs to this database).
  for (const [k, v] of Object.entries(setup.env)) if (/^(AWS_|MLFLOW_S3_)/.test(k)) Deno.env.set(k, v);
  const client = new MlflowClient(await openStore(setup.trackingUri, { baseDir: setup.dir }));
  const experiment = (await client.getExperimentByName("iris"))!;
  const { runs } = await client.searchRuns([experiment.experimentId], { runViewType: "ALL" });
  return { run: await client.getRun(runId), runs: runs.length, client };
}

Deno.test("the exported Argo workflow runs task by task on PostgreSQL + S3, as a local kmlf run does, in one MLflow run", async () => {
  const setup = await scaleOutProject();
  const local = await exportableDemo();
  try {
    const { doc } = await exportArgo(setup.dir, ["--pipeline", "training"]);
    const { codes, runId } = await runArgo(doc, setup);
    assert.deepEqual(Object.keys(codes), [
      "mlflow-start-run",
      "split-data",
      "train-model",
      "predict",
      "report-accuracy",
    ]);
    assert.match(runId, /^[0-9a-f]{32}$/);

    const reference = await kmlf(["run", "training"], { cwd: local });
    assert.equal(reference.code, 0, reference.stderr);
    for (
      const file of [
        "data/07_model_output/predictions.csv",
        "data/06_models/model.pkl",
        "data/02_intermediate/X_test.pkl",
      ]
    ) {
      assert.deepEqual(
        await Deno.readFile(join(setup.dir, file)),
        await Deno.readFile(join(local, file)),
        file,
      );
    }

    const { run, runs, client } = await workflowRun(setup, runId);
    try {
      assert.equal(runs, 1, "one MLflow run for the whole workflow");
      assert.equal(run.info.status, "FINISHED");
      assert.equal(run.data.tags["kmlf.workflow"], "argo");
      for (const node of NODES) assert.ok(`node_duration_s.${node}` in run.data.metrics, `${node} metrics`);
      const localStore = await openStore("mlflow.db", { baseDir: local });
      const [localRun] = (await localStore.searchRuns({ experimentIds: ["1"] })).runs;
      await localStore.close();
      assert.equal(run.data.metrics["metrics.accuracy"], localRun.data.metrics["metrics.accuracy"]);
      assert.equal(
        run.data.metrics["train_history.train_loss"],
        localRun.data.metrics["train_history.train_loss"],
      );
      assert.deepEqual(run.data.params, localRun.data.params);
      // Artifacts went to S3; the tasks' node records were joined into one pipeline.json.
      assert.match(run.info.artifactUri, /^s3:\/\/kmlf-tests\//);
      const files = (await client.listArtifacts(runId, undefined, { recursive: true })).map((f) => f.path);
      for (const f of ["model.pkl", "predictions.csv", "kmlf/pipeline.json"]) {
        assert.ok(files.includes(f), files.join());
      }
      const pipeline = JSON.parse(new TextDecoder().decode(
        await (await client.artifactRepository(runId)).readArtifact("kmlf/pipeline.json"),
      ));
      assert.equal(pipeline.status, "FINISHED");
      assert.deepEqual(
        pipeline.nodes.map((n: { name: string; status: string }) => [n.name, n.status]).sort(),
        [
          ["predict", "completed"],
          ["report_accuracy", "completed"],
          ["split_data", "completed"],
          ["train_model", "completed"],
        ],
      );
      assert.deepEqual(
        pipeline.nodes.find((n: { name: string }) => n.name === "predict").dependencies,
        ["split_data", "train_model"],
      );
    } finally {
      await client.store.close();
    }
  } finally {
    await Deno.remove(setup.dir, { recursive: true });
    await Deno.remove(setup.bin, { recursive: true });
    await Deno.remove(local, { recursive: true });
  }
});

Deno.test("the exported Airflow DAG runs its bash tasks with XCom and trigger rules; a failing node ends the run FAILED", async () => {
  const setup = await scaleOutProject();
  try {
    const nodes = join(setup.dir, "pipelines/iris/nodes.ts");
    await Deno.writeTextFile(
      nodes,
      (await Deno.readTextFile(nodes)) +
        '\nexport function broken(_predictions: unknown, _labels: unknown): never {\n  throw new Error("report disk full");\n}\n',
    );
    const training = join(setup.dir, "pipelines/training.yml");
    await Deno.writeTextFile(
      training,
      (await Deno.readTextFile(training)).replace("./iris/nodes.ts#reportAccuracy", "./iris/nodes.ts#broken"),
    );
    const file = join(setup.dir, "dag.py");
    const exported = await kmlf(["export", "airflow", "--pipeline", "training", "-o", file], {
      cwd: setup.dir,
    });
    assert.equal(exported.code, 0, exported.stderr);
    const dag = await inspectDag(file);
    const state: Record<string, "success" | "failed" | "upstream_failed" | "skipped"> = {};
    const xcom = new Map<string, string>();
    // Airflow's scheduler, reduced: tasks in declaration order (a topological order), trigger rules, XCom.
    for (const task of dag.tasks) {
      const up = task.upstream.map((u) => state[u]);
      const ready = task.trigger_rule === "one_failed"
        ? up.some((s) => s === "failed" || s === "upstream_failed")
        : up.every((s) => s === "success");
      if (!ready) {
        state[task.task_id] = task.trigger_rule === "one_failed" || up.every((s) => s === "success")
          ? "skipped"
          : "upstream_failed";
        continue;
      }
      const render = (text: string) =>
        text.replace(
          /\{\{ ti\.xcom_pull\(task_ids='([^']+)'\) \}\}/g,
          (_, id: string) => xcom.get(id) ?? "None",
        );
      const env = {
        ...(task.append_env ? setup.env : {}),
        ...Object.fromEntries(Object.entries(task.env ?? {}).map(([k, v]) => [k, render(v)])),
      };
      const result = await exec(["bash", "-c", render(task.bash_command)], task.cwd, {
        ...setup.env,
        ...env,
      });
      state[task.task_id] = result.code === 0 ? "success" : "failed";
      // BashOperator pushes the last line of stdout.
      if (task.do_xcom_push) xcom.set(task.task_id, result.stdout.trim().split("\n").at(-1) ?? "");
    }
    assert.deepEqual(state, {
      "mlflow-start-run": "success",
      "split-data": "success",
      "train-model": "success",
      "predict": "success",
      "report-accuracy": "failed",
      "mlflow-end-run": "upstream_failed",
      "mlflow-end-run-failed": "success",
    });
    const { run, runs, client } = await workflowRun(setup, xcom.get("mlflow-start-run")!);
    try {
      assert.equal(runs, 1);
      assert.equal(run.info.status, "FAILED");
      assert.equal(run.data.tags["kmlf.workflow"], "airflow");
      assert.equal(run.data.tags["kmlf.failed_node"], "report_accuracy");
      assert.match(run.data.tags["kmlf.error"], /report disk full/);
      for (const node of ["split_data", "train_model", "predict"]) {
        assert.ok(`node_duration_s.${node}` in run.data.metrics, `${node} metrics`);
      }
    } finally {
      await client.store.close();
    }
  } finally {
    await Deno.remove(setup.dir, { recursive: true });
    await Deno.remove(setup.bin, { recursive: true });
  }
});
