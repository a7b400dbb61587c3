/**
 * A tracked run whose process dies without running its hooks (a node that SIGKILLs its own process, as
 * `kill -9` would, or runs V8 out of memory: exit 133) stays RUNNING; the next tracked run names it with the command that
 * ends it, and that command ends it FAILED. A run of another host, or whose process is alive, is not named.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { MlflowClient, openStore } from "../../lib/tracking/mod.ts";
import { hostName, orphanedRuns, PROCESS_TAGS, processStart } from "../../lib/mlflow/orphaned_runs.ts";
import { demoProject, kmlf, REPO, spawnKmlf } from "../cli_harness.ts";

const TRAINING = await Deno.readTextFile(join(REPO, "pipelines/training.yml"));
const MLFLOW_YML = await Deno.readTextFile(join(REPO, "conf/base/mlflow.yml"));

async function runsOf(dir: string) {
  const store = await openStore("mlflow.db", { baseDir: dir });
  try {
    const client = new MlflowClient(store);
    const exp = await client.getExperimentByName("iris");
    assert.ok(exp, "the experiment exists");
    return (await client.searchRuns([exp.experimentId], { orderBy: ["start_time"] })).runs;
  } finally {
    await store.close();
  }
}

Deno.test("a run whose process was killed is named by the next run, and the printed command ends it FAILED", async () => {
  const dir = await demoProject({
    "conf/base/mlflow.yml": MLFLOW_YML.replace("mlflow_tracking_uri: null", "mlflow_tracking_uri: mlflow.db"),
    "pipelines/training.yml": TRAINING.replace("./iris/nodes.ts#predict", "./iris/odd.ts#predict"),
    "pipelines/iris/odd.ts": `import { predict as real } from "./nodes.ts";\n` +
      `export function predict(model: any, x: number[][]) {\n` +
      `  if (Deno.env.get("KILL_ME")) Deno.kill(Deno.pid, "SIGKILL");\n` +
      // V8 out of memory ends the process at once (exit 133), no hook run: the case users meet.
      `  const a: unknown[] = [];\n` +
      `  while (Deno.env.get("OOM")) a.push(new Array(1e5).fill({ k: a.length }));\n` +
      `  return real(model, x);\n}\n`,
  }, { tracked: true });
  try {
    const killed = await kmlf(["run"], { cwd: dir, env: { KILL_ME: "1" } });
    assert.equal(killed.code, 137, killed.stderr); // 128 + SIGKILL: no hook ran
    const [left] = await runsOf(dir);
    assert.equal(left.info.status, "RUNNING");
    assert.equal(left.data.tags[PROCESS_TAGS.host], hostName());
    assert.ok(Number(left.data.tags[PROCESS_TAGS.pid]) > 0);
    if (Deno.build.os === "linux") assert.match(left.data.tags[PROCESS_TAGS.pidStart], /^\d+$/);

    const command = `kmlf mlflow end-run --run-id ${left.info.runId} --status FAILED`;
    // `kmlf mlflow ui` names it too (with the --env it was given, which end-run needs for the same store).
    const ui = spawnKmlf(["mlflow", "ui", "--port", "0", "--env", "base"], { cwd: dir });
    // A server never ends by itself: stopped after a minute if the note never comes (the assertion fails).
    const guard = setTimeout(() => ui.child.kill("SIGINT"), 60_000);
    const seen = await ui.waitFor("--status FAILED");
    clearTimeout(guard);
    ui.child.kill("SIGINT");
    await ui.finish();
    assert.ok(seen.includes(`${command} --env base`), seen);

    const next = await kmlf(["run"], { cwd: dir });
    assert.equal(next.code, 0, next.stderr);
    assert.ok(next.stderr.includes(command), next.stderr);
    assert.match(next.stderr, /1 MLflow run of this experiment is RUNNING, but the kmlf process/);
    // The run just finished is not named by a third run; the orphan still is (nothing changed it).
    const third = await kmlf(["run"], { cwd: dir });
    assert.equal(third.stderr.match(/--status FAILED/g)?.length, 1, third.stderr);

    const oom = await kmlf(["run"], {
      cwd: dir,
      env: { OOM: "1", DENO_V8_FLAGS: "--max-old-space-size=64" },
    });
    assert.equal(oom.code, 133, oom.stderr.slice(-2000));
    const oomRun = (await runsOf(dir)).at(-1)!;
    assert.equal(oomRun.info.status, "RUNNING");
    const named = await kmlf(["run"], { cwd: dir });
    assert.match(named.stderr, /2 MLflow runs of this experiment are RUNNING/);
    assert.ok(named.stderr.includes(`--run-id ${oomRun.info.runId} --status FAILED`), named.stderr);
    assert.ok(named.stderr.includes(command), named.stderr);

    const ended = await kmlf(command.split(" ").slice(1), { cwd: dir });
    assert.equal(ended.code, 0, ended.stderr);
    const after = (await runsOf(dir)).find((r) => r.info.runId === left.info.runId)!;
    assert.equal(after.info.status, "FAILED");
    // Given twice (the note copied again), the ending is kept and said.
    const again = await kmlf(command.split(" ").slice(1), { cwd: dir });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /had already ended FAILED; kept/);
    await kmlf(["mlflow", "end-run", "--run-id", oomRun.info.runId, "--status", "FAILED"], { cwd: dir });
    const quiet = await kmlf(["run"], { cwd: dir });
    assert.ok(!quiet.stderr.includes("end-run"), quiet.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("orphanedRuns names only this host's RUNNING runs whose process is gone or is another process", async () => {
  const dir = await Deno.makeTempDir();
  const client = new MlflowClient(await openStore("mlflow.db", { baseDir: dir }), { processHooks: false });
  try {
    const host = hostName()!;
    const child = new Deno.Command("sleep", { args: ["30"] }).spawn();
    const dead = new Deno.Command("true").spawn();
    await dead.status;
    const start = await processStart(child.pid);
    const make = async (tags: Record<string, string>) => (await client.createRun("0", { tags })).info.runId;
    const gone = await make({ [PROCESS_TAGS.host]: host, [PROCESS_TAGS.pid]: String(dead.pid) });
    const alive = await make({
      [PROCESS_TAGS.host]: host,
      [PROCESS_TAGS.pid]: String(child.pid),
      ...(start ? { [PROCESS_TAGS.pidStart]: start } : {}),
    });
    const elsewhere = await make({
      [PROCESS_TAGS.host]: `${host}-other`,
      [PROCESS_TAGS.pid]: String(dead.pid),
    });
    const untagged = await make({});
    // Another container on a host of the same name: its pids are not this namespace's.
    const otherContainer = await make({
      [PROCESS_TAGS.host]: host,
      [PROCESS_TAGS.pid]: String(dead.pid),
      [PROCESS_TAGS.pidNamespace]: "pid:[1]",
    });
    const ended = await make({ [PROCESS_TAGS.host]: host, [PROCESS_TAGS.pid]: String(dead.pid) });
    await client.setTerminated(ended, "FINISHED");
    const expected = [gone];
    if (Deno.build.os === "linux") {
      // The pid now belongs to another process (a reboot, a reused pid): another start time.
      expected.push(
        await make({
          [PROCESS_TAGS.host]: host,
          [PROCESS_TAGS.pid]: String(child.pid),
          [PROCESS_TAGS.pidStart]: String(Number(start) - 1),
        }),
      );
    }
    const found = (await orphanedRuns(client, "0")).map((r) => r.info.runId);
    assert.deepEqual(found.sort(), expected.sort());
    assert.ok(![alive, elsewhere, untagged, ended, otherContainer].some((id) => found.includes(id)));
    assert.deepEqual((await orphanedRuns(client, "0", gone)).map((r) => r.info.runId).includes(gone), false);
    child.kill();
    await child.status;
  } finally {
    await client.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a run kmlf joined (an exported workflow's, MLFLOW_RUN_ID's) is its owner's: not named when the task exits", async () => {
  const dir = await demoProject({
    "conf/base/mlflow.yml": MLFLOW_YML.replace("mlflow_tracking_uri: null", "mlflow_tracking_uri: mlflow.db"),
  }, { tracked: true });
  try {
    const started = await kmlf(["mlflow", "start-run", "--pipeline", "training"], { cwd: dir });
    assert.equal(started.code, 0, started.stderr);
    const workflowRun = started.stdout.trim();
    const task = await kmlf(["run", "--pipeline", "training"], {
      cwd: dir,
      env: { MLFLOW_RUN_ID: workflowRun },
    });
    assert.equal(task.code, 0, task.stderr);
    const [run] = (await runsOf(dir)).filter((r) => r.info.runId === workflowRun);
    assert.equal(run.info.status, "RUNNING"); // until end-run
    assert.equal(run.data.tags[PROCESS_TAGS.pid], undefined);
    const next = await kmlf(["run", "--pipeline", "training"], { cwd: dir });
    assert.equal(next.code, 0, next.stderr);
    assert.ok(!next.stderr.includes("end-run"), next.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
