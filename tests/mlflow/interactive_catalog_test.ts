/**
 * kedro-mlflow's interactive use, in a script: `session.catalog()` outside a tracked run reads and writes the
 * run a dataset's `run_id` names, in the store mlflow.yml configures (kedro-mlflow sets mlflow up when the
 * context is created), before and after `session.run()`; without a run or without mlflow.yml it says which.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatasetError, KmlfSession, MlflowClient } from "../../mod.ts";
import { demoProject, kmlf } from "../cli_harness.ts";
import { writeProject } from "../models/model_helpers.ts";

const FILES: Record<string, string> = {
  "kmlf.yml": "name: scripted\n",
  "conf/base/catalog.yml": "score:\n  type: mlflow_metric\n",
  "conf/base/parameters.yml": "x: 0.75\n",
  "conf/base/mlflow.yml": "server:\n  mlflow_tracking_uri: mlruns\n",
  "conf/local/.keep": "",
  "pipelines/score.yml":
    "nodes:\n  - name: score\n    func: ./nodes.ts#score\n    inputs: params:x\n    outputs: score\n",
  "pipelines/nodes.ts": "export const score = (x: number) => x;\n",
};

const pastRunCatalog = (runId: string) =>
  [
    "past_score: {type: mlflow_metric, key: score, run_id: RUN}",
    "past_notes:",
    "  type: mlflow_artifact",
    "  run_id: RUN",
    "  artifact_path: notes",
    "  dataset: {type: json, filepath: data/notes.json}",
    "later_score: {type: mlflow_metric, key: later, run_id: RUN, save_args: {mode: append}}",
    "no_run: {type: mlflow_metric}",
  ].join("\n").replaceAll("RUN", runId) + "\n";

Deno.test("a script's catalog reads and logs into the run its run_id names, before and after session.run()", async () => {
  const root = await writeProject(FILES);
  try {
    const session = await KmlfSession.create({ projectRoot: root });
    await session.run({ pipelineNames: "score" });
    const client = await MlflowClient.open(join(root, "mlruns"), { baseDir: root, processHooks: false });
    const experiment = await client.getExperimentByName("scripted");
    const [run] = (await client.searchRuns(experiment!.experimentId)).runs;
    const runId = run.info.runId;
    await Deno.writeTextFile(join(root, "conf/local/catalog.yml"), pastRunCatalog(runId));

    const catalog = await (await KmlfSession.create({ projectRoot: root })).catalog();
    assert.equal(await catalog.load("past_score"), 0.75);
    assert.equal(await catalog.exists("past_score"), true);
    // Saving logs into that run, as kedro-mlflow's datasets with a run_id do.
    await catalog.save("later_score", 1);
    await catalog.save("later_score", 2);
    assert.deepEqual((await client.getMetricHistory(runId, "later")).map((m) => [m.step, m.value]), [[0, 1], [
      1,
      2,
    ]]);
    await catalog.save("past_notes", { note: "from a script" });
    const logged = await client.downloadArtifacts(
      runId,
      "notes/notes.json",
      await Deno.makeTempDir({ dir: root }),
    );
    assert.deepEqual(JSON.parse(await Deno.readTextFile(logged)), { note: "from a script" });
    // Loading downloads the run's copy over the local file first.
    await Deno.writeTextFile(join(root, "data/notes.json"), '{"note": "edited locally"}');
    assert.deepEqual(await catalog.load("past_notes"), { note: "from a script" });

    await assert.rejects(
      () => catalog.load("no_run"),
      (e: unknown) =>
        e instanceof DatasetError &&
        /needs an MLflow run, but none is active and it has no run_id/.test(e.message) &&
        /set run_id on the catalog entry/.test(e.hint ?? ""),
    );

    // A catalog kept across session.run(): the run's client is closed at its end, the store opened again.
    const session2 = await KmlfSession.create({ projectRoot: root });
    const kept = await session2.catalog();
    await session2.run({ pipelineNames: "score" });
    assert.equal(await kept.load("past_score"), 0.75);
    await client.close();
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a script's catalog without mlflow.yml: a run_id dataset says no store is configured", async () => {
  const root = await writeProject({
    ...FILES,
    "conf/base/mlflow.yml": "",
    "conf/base/catalog.yml": "past: {type: mlflow_metric, key: score, run_id: 0123abc}\n",
  });
  await Deno.remove(join(root, "conf/base/mlflow.yml"));
  try {
    const catalog = await (await KmlfSession.create({ projectRoot: root })).catalog();
    await assert.rejects(
      () => catalog.load("past"),
      (e: unknown) =>
        e instanceof DatasetError && e.code === "mlflow/no-tracking-store" &&
        /uses run 0123abc, but no tracking store is configured/.test(e.message) &&
        /mlflow\.yml/.test(e.hint ?? ""),
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("the interactive use as a user writes it: a script in a `kmlf new` project, the SQLite store", async () => {
  const dir = await demoProject({}, { tracked: true });
  try {
    const r = await kmlf(["run", "training", "-q"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    await Deno.writeTextFile(
      join(dir, "notebook.ts"),
      [
        'import { KmlfSession, MlflowClient } from "kmlf";',
        "const client = await MlflowClient.open('sqlite:///mlflow.db', { baseDir: Deno.cwd() });",
        "const experiment = await client.getExperimentByName('iris');",
        "const [run] = (await client.searchRuns(experiment!.experimentId)).runs;",
        "await client.close();",
        "await Deno.writeTextFile('conf/local/catalog.yml', [",
        "  `best_model: {type: mlflow_artifact, run_id: ${run.info.runId}, dataset: {type: pickle, filepath: data/06_models/model.pkl}}`,",
        "  `accuracy: {type: mlflow_metric, key: metrics.accuracy, run_id: ${run.info.runId}}`,",
        "].join('\\n'));",
        "const catalog = await (await KmlfSession.create({ projectRoot: Deno.cwd() })).catalog();",
        "const model = await catalog.load('best_model') as Record<string, unknown>;",
        "console.log(JSON.stringify({ accuracy: await catalog.load('accuracy'), keys: Object.keys(model).sort() }));",
      ].join("\n"),
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", "notebook.ts"],
      cwd: dir,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(out.stdout);
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const printed = JSON.parse(stdout.trim().split("\n").at(-1)!);
    assert.equal(typeof printed.accuracy, "number");
    assert.ok(printed.accuracy > 0.5, stdout);
    assert.ok(printed.keys.length > 0, stdout);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
