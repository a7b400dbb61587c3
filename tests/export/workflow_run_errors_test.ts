/**
 * The workflow run commands refuse what would leave a useless run behind or fail obscurely:
 * `kmlf mlflow start-run` for a pipeline that does not exist starts no run, and `kmlf mlflow end-run`
 * with an id the store does not hold (an unresolved template, another tracking store) names --run-id
 * and the fix; ending a run again keeps its first outcome and says so. An export's `-o` makes its missing
 * folder, as kedro-airflow does.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { openStore, type Run } from "../../lib/tracking/mod.ts";
import { demoProject, kmlf } from "../cli_harness.ts";
import { exportableDemo } from "./export_helpers.ts";

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
      assert.deepEqual(await allRuns(dir), []);
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
    // An empty id (the start-run task's output never arrived) is named as such, in the CLI's words.
    const empty = await kmlf(["mlflow", "end-run", "--run-id", " ", "--status", "Failed"], { cwd: dir });
    assert.equal(empty.code, 2, empty.stderr);
    assert.match(empty.stderr, /error\[cli\/invalid-option\]: --run-id is empty: no run to end/);
    assert.match(empty.stderr, /hint: .*start-run task succeeded .*XCom/);
    assert.doesNotMatch(empty.stderr, /MlflowClient/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an export or a run id file that cannot be written names the option, the path and the fix", async () => {
  const dir = await exportableDemo();
  try {
    for (
      const [args, message, hint] of [
        [
          ["export", "airflow", "--pipeline", "training", "-o", "data"],
          /Cannot write -o data: it is a folder/,
          /name a file inside it/,
        ],
        [
          ["export", "argo", "--pipeline", "training", "--group-by", "tag", "-o", "kmlf.yml/wf.yaml"],
          /Cannot write -o kmlf\.yml\/wf\.yaml: a part of its path is a file, not a folder/,
          /check the folders on the way to kmlf\.yml\/wf\.yaml/,
        ],
        [
          ["mlflow", "start-run", "--pipeline", "training", "--run-id-file", "data"],
          /Cannot write --run-id-file data: it is a folder/,
          /name a file inside it/,
        ],
      ] as const
    ) {
      const r = await kmlf([...args], { cwd: dir });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /error\[cli\/output-unwritable\]/);
      assert.match(r.stderr, message);
      assert.match(r.stderr, hint);
      assert.doesNotMatch(r.stderr, /error\[internal\]/);
    }
    // A missing folder is made, as kedro-airflow makes its DAG folder (the README's `-o dags/….py`).
    for (const [engine, file] of [["airflow", "dags/iris_training.py"], ["argo", "no/such/dir/wf.yaml"]]) {
      const r = await kmlf(["export", engine, "--pipeline", "training", "-o", file], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.match(await Deno.readTextFile(join(dir, file)), engine === "argo" ? /kind: Workflow/ : /DAG\(/);
    }
    // The run start-run opened is not left RUNNING when its id cannot be handed on.
    assert.deepEqual((await allRuns(dir)).map((r) => r.info.status), ["FAILED"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("end-run on a run that has ended keeps FINISHED, warns, and exits 0", async () => {
  const dir = await demoProject({}, { tracked: true });
  try {
    const start = await kmlf(["mlflow", "start-run", "--pipeline", "training", "--workflow", "airflow"], {
      cwd: dir,
    });
    assert.equal(start.code, 0, start.stderr);
    const runId = start.stdout.trim();
    const end = (status: string) =>
      kmlf(["mlflow", "end-run", "--run-id", runId, "--status", status], { cwd: dir });
    const first = await end("success");
    assert.equal(first.code, 0, first.stderr);
    assert.ok(first.stderr.includes(`MLflow run ${runId} ended FINISHED`), first.stderr);
    const again = await end("Succeeded");
    assert.equal(again.code, 0, again.stderr);
    assert.ok(again.stderr.includes(`MLflow run ${runId} had already ended FINISHED; kept`), again.stderr);
    const late = await end("Failed");
    assert.equal(late.code, 0, late.stderr);
    assert.ok(
      late.stderr.includes(
        `warning[mlflow/run-already-ended]: MLflow run ${runId} had already ended FINISHED; kept (--status FAILED not applied)`,
      ),
      late.stderr,
    );
    assert.ok(late.stderr.includes(`MlflowClient.setTerminated("${runId}", "FAILED")`), late.stderr);
    assert.deepEqual((await allRuns(dir)).map((r) => [r.info.runId, r.info.status]), [[runId, "FINISHED"]]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tracking.run.id is refused for a workflow: by start-run, and by a task given the workflow's run", async () => {
  const dir = await demoProject({}, { tracked: true });
  try {
    const start = await kmlf(["mlflow", "start-run", "--pipeline", "training", "--workflow", "argo"], {
      cwd: dir,
    });
    assert.equal(start.code, 0, start.stderr);
    const runId = start.stdout.trim();
    const yml = join(dir, "conf/base/mlflow.yml");
    const text = await Deno.readTextFile(yml);
    await Deno.writeTextFile(yml, text.replace(/^ {4}id: null/m, `    id: ${runId}`));
    const again = await kmlf(["mlflow", "start-run", "--pipeline", "training"], { cwd: dir });
    const task = await kmlf(["run", "--pipeline", "training", "--nodes", "split_data"], {
      cwd: dir,
      env: { MLFLOW_RUN_ID: runId },
    });
    for (const r of [again, task]) {
      assert.equal(r.code, 2, r.stderr);
      assert.match(
        r.stderr,
        /error\[mlflow\/workflow-run-id\]: .*mlflow\.yml tracking\.run\.id \w+ would take every task out/,
      );
      assert.match(r.stderr, /at conf\/base\/mlflow\.yml:\d+:\d+ \(tracking\.run\.id\)/);
      assert.match(r.stderr, /hint: set tracking\.run\.id to null/);
    }
    assert.equal(again.stdout, "", "no second run started");
    assert.deepEqual((await allRuns(dir)).map((r) => [r.info.runId, r.info.status]), [[runId, "RUNNING"]]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// Every run of the project's mlflow.db, deleted ones and every experiment's included.
async function allRuns(dir: string): Promise<Run[]> {
  const store = await openStore("mlflow.db", { baseDir: dir });
  try {
    const ids = (await store.searchExperiments({ viewType: "ALL" })).experiments.map((e) => e.experimentId);
    return (await store.searchRuns({ experimentIds: ids, runViewType: "ALL" })).runs;
  } finally {
    await store.close();
  }
}

// mlflow.yml reads ${runtime_params:…} like any config: the exported workflow's start and end tasks open the
// store through it, so they take the export's --params as its `kmlf run` tasks do (they failed with
// "pass --params", which they refused).
Deno.test("an export's --params reach its start-run and end-run tasks, whose mlflow.yml may read them", async () => {
  const dir = await exportableDemo();
  try {
    const mlflowYml = join(dir, "conf/base/mlflow.yml");
    const text = await Deno.readTextFile(mlflowYml);
    await Deno.writeTextFile(
      mlflowYml,
      text.replace("  mlflow_tracking_uri: null", "  mlflow_tracking_uri: ${runtime_params:store}"),
    );
    const exported = await kmlf(["export", "argo", "-p", "training", "--params", "store=runs.db"], {
      cwd: dir,
    });
    assert.equal(exported.code, 0, exported.stderr);
    const withParams = exported.stdout.match(/- --params\n\s+- store=runs\.db/g) ?? [];
    assert.equal(withParams.length, 3, "start-run, each kmlf run (one template) and end-run");

    const start = await kmlf(["mlflow", "start-run", "-p", "training", "--params", "store=runs.db"], {
      cwd: dir,
    });
    assert.equal(start.code, 0, start.stderr);
    const runId = start.stdout.trim();
    const end = await kmlf(
      ["mlflow", "end-run", "--run-id", runId, "--status", "Succeeded", "--params", "store=runs.db"],
      { cwd: dir },
    );
    assert.equal(end.code, 0, end.stderr);
    const store = await openStore(`sqlite:///${join(dir, "runs.db")}`);
    try {
      assert.equal((await store.getRun(runId)).info.status, "FINISHED");
    } finally {
      await store.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
