/**
 * End to end: `kmlf run` of the demo with mlflow.yml, then the store is read back through the client.
 * Run against the SQLite store (the default). Each test uses its own copy of the demo project.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { MlflowClient, openStore } from "../../lib/tracking/mod.ts";
import { demoProject, kmlf, REPO, spawnKmlf } from "../cli_harness.ts";

// The suite runs once per local store: the default SQLite database and MLflow's mlruns file store.
const STORES = [{ name: "sqlite", uri: "mlflow.db" }, { name: "file store", uri: "mlruns" }];

async function withTrackedIn(
  uri: string,
  files: Record<string, string | null>,
  fn: (dir: string, client: () => Promise<MlflowClient>) => Promise<void>,
) {
  const dir = await demoProject(files, { tracked: true });
  const yml = join(dir, "conf/base/mlflow.yml");
  const text = await Deno.readTextFile(yml).catch(() => undefined);
  if (text) {
    await Deno.writeTextFile(yml, text.replace("mlflow_tracking_uri: null", `mlflow_tracking_uri: ${uri}`));
  }
  let store: { close?(): void } | undefined;
  const client = async () => {
    const s = await openStore(uri, { baseDir: dir });
    store = s as { close?(): void };
    return new MlflowClient(s);
  };
  try {
    await fn(dir, client);
  } finally {
    store?.close?.();
    await Deno.remove(dir, { recursive: true });
  }
}

async function onlyRun(client: MlflowClient, experiment = "iris") {
  const exp = await client.getExperimentByName(experiment);
  assert.ok(exp, `experiment ${experiment} exists`);
  const page = await client.searchRuns([exp.experimentId], { runViewType: "ALL" });
  return page.runs;
}

for (const store of STORES) {
  const withTracked = (
    files: Record<string, string | null>,
    fn: (dir: string, client: () => Promise<MlflowClient>) => Promise<void>,
  ) => withTrackedIn(store.uri, files, fn);

  Deno.test(`${store.name}: a tracked demo run records params, tags, metrics with steps, artifacts and FINISHED`, async () => {
    await withTracked({}, async (dir, open) => {
      const r = await kmlf(["run", "training"], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /MLflow run [0-9a-f]{32} started in experiment "iris"/);
      const client = await open();
      const runs = await onlyRun(client);
      assert.equal(runs.length, 1);
      const run = runs[0];
      assert.equal(run.info.status, "FINISHED");
      assert.equal(run.info.runName, "training");
      assert.deepEqual(run.data.params, {
        split: '{"test_fraction":0.3,"random_state":42}',
        target: "species",
        model: '{"learning_rate":0.1,"n_iter":300}',
        features: '["sepal_length","sepal_width","petal_length","petal_width"]',
      });
      const tags = run.data.tags;
      assert.equal(tags.kmlf_command, "kmlf run training");
      assert.equal(tags.pipeline_names, "training");
      assert.equal(tags.env, "local");
      assert.equal(tags["mlflow.source.type"], "LOCAL");
      assert.equal(tags["mlflow.runName"], "training");
      // The run's user is its mlflow.user tag, as MLflow's client records it.
      assert.ok(tags["mlflow.user"]);
      assert.equal(run.info.userId, tags["mlflow.user"]);
      assert.match(tags.run_id, /^\d{4}-\d\d-\d\dT/);
      assert.equal(run.data.metrics["metrics.n_test"], 45);
      assert.ok(run.data.metrics["metrics.accuracy"] > 0.85);
      const loss = await client.getMetricHistory(run.info.runId, "train_history.train_loss");
      assert.deepEqual(loss.map((p) => p.step), Array.from({ length: 30 }, (_, i) => i * 10));
      assert.ok(Math.abs(loss[0].value - Math.log(3)) < 1e-9);
      for (const node of ["split_data", "train_model", "predict", "report_accuracy"]) {
        assert.ok(`node_duration_s.${node}` in run.data.metrics, node);
      }
      const files = (await client.listArtifacts(run.info.runId, undefined, { recursive: true })).filter((f) =>
        !f.isDir
      ).map((f) => f.path).sort();
      // The demo declares inference:, so the run also logs the inference pipeline as model/.
      assert.deepEqual(files.filter((f) => !f.startsWith("model/")), [
        "kmlf/pipeline.json",
        "model.pkl",
        "predictions.csv",
      ]);
      assert.ok(files.includes("model/MLmodel"), files.join(", "));
      const pipeline = JSON.parse(
        await Deno.readTextFile(
          await client.downloadArtifacts(run.info.runId, "kmlf/pipeline.json", await Deno.makeTempDir()),
        ),
      );
      assert.equal(pipeline.status, "FINISHED");
      assert.deepEqual(pipeline.nodes.map((n: { name: string; status: string }) => [n.name, n.status]), [
        ["split_data", "completed"],
        ["train_model", "completed"],
        ["predict", "completed"],
        ["report_accuracy", "completed"],
      ]);
      assert.ok(pipeline.nodes.every((n: { start: number; end: number }) => n.end >= n.start));
    });
  });

  Deno.test(`${store.name}: a failing node ends the run FAILED with the node and the error as tags`, async () => {
    const training = (await Deno.readTextFile(join(REPO, "pipelines/training.yml"))).replace(
      "./iris/nodes.ts#predict",
      "./iris/broken.ts#predict",
    );
    await withTracked({
      "pipelines/training.yml": training,
      "pipelines/iris/broken.ts":
        "export function predict(_m: unknown, _x: unknown) { throw new Error('GPU on fire'); }\n",
    }, async (dir, open) => {
      const r = await kmlf(["run", "training", "-q"], { cwd: dir });
      assert.equal(r.code, 1);
      const [run] = await onlyRun(await open());
      assert.equal(run.info.status, "FAILED");
      assert.equal(run.data.tags["kmlf.failed_node"], "predict");
      assert.match(run.data.tags["kmlf.error"], /GPU on fire/);
      assert.equal(run.data.tags["kmlf.error_code"], "node/failed");
    });
  });

  Deno.test(`${store.name}: a pipeline listed in disable_tracking.pipelines starts no run and Mlflow datasets only save locally`, async () => {
    const mlflowYml = (await Deno.readTextFile(join(REPO, "conf/base/mlflow.yml"))).replace(
      "pipelines: [] ",
      "pipelines: [training] ",
    );
    await withTracked({ "conf/base/mlflow.yml": mlflowYml }, async (dir, open) => {
      const catalog = (await Deno.readTextFile(join(dir, "conf/base/catalog.yml"))).replace(
        "metrics:\n  type: mlflow_metrics_history",
        "metrics:\n  type: json\n  filepath: data/08_reporting/metrics.json",
      ).replace(
        "train_history:\n  type: mlflow_metrics_history",
        "train_history:\n  type: json\n  filepath: data/08_reporting/train_history.json",
      );
      await Deno.writeTextFile(join(dir, "conf/base/catalog.yml"), catalog);
      const r = await kmlf(["run", "training"], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /Tracking is disabled for pipeline training/);
      const client = await open();
      const exp = await client.getExperimentByName("iris");
      assert.equal(exp ? (await client.searchRuns([exp.experimentId])).runs.length : 0, 0);
      assert.ok(await Deno.stat(join(dir, "data/06_models/model.pkl")));
    });
  });

  Deno.test(`${store.name}: tracking.run.id continues an existing run; run.name and experiment tags are used`, async () => {
    await withTracked({}, async (dir, open) => {
      assert.equal((await kmlf(["run", "training", "-q"], { cwd: dir })).code, 0);
      const [first] = await onlyRun(await open());
      const yml = (await Deno.readTextFile(join(dir, "conf/base/mlflow.yml"))).replace(
        "    id: null",
        `    id: ${first.info.runId}`,
      );
      await Deno.writeTextFile(join(dir, "conf/base/mlflow.yml"), yml);
      const again = await kmlf(["run", "inference", "-q"], { cwd: dir });
      assert.equal(again.code, 0, again.stderr);
      const runs = await onlyRun(await open());
      assert.equal(runs.length, 1, "no new run");
      assert.equal(runs[0].data.tags.pipeline_names, "inference");
      assert.equal(runs[0].info.status, "FINISHED");
    });
  });

  Deno.test(`${store.name}: credentials named in mlflow.yml are exported for the run and never logged`, async () => {
    const yml = (await Deno.readTextFile(join(REPO, "conf/base/mlflow.yml"))).replace(
      "  credentials: null",
      "  credentials: mlflow_creds",
    );
    const hooks = `import { appendFileSync } from "node:fs";
export const spy = { beforeNodeRun() { appendFileSync("env.log", (Deno.env.get("KMLF_TEST_SECRET") ?? "unset") + "\\n"); } };`;
    await withTracked({
      "conf/base/mlflow.yml": yml,
      "conf/local/credentials.yml": "mlflow_creds:\n  KMLF_TEST_SECRET: hunter2\n",
      "hooks.ts": hooks,
      "kmlf.yml": "name: iris\nhooks: ['./hooks.ts#spy']\n",
    }, async (dir, open) => {
      const r = await kmlf(["run", "training", "-q", "--nodes", "split_data"], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.equal((await Deno.readTextFile(join(dir, "env.log"))).trim(), "hunter2");
      const [run] = await onlyRun(await open());
      assert.ok(!JSON.stringify(run.data).includes("hunter2"));
    });
    const missing = yml.replace("mlflow_creds", "nope");
    await withTracked({ "conf/base/mlflow.yml": missing }, async (dir) => {
      const r = await kmlf(["run", "training", "-q"], { cwd: dir });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /mlflow\/unknown-credentials[\s\S]*conf\/base\/mlflow.yml:\d+:\d+/);
    });
  });

  Deno.test(`${store.name}: without mlflow.yml the tracked example runs untracked; \${km.random_name:} names runs`, async () => {
    // "Without mlflow.yml nothing is tracked": the metric datasets log nothing, the artifacts save locally, as
    // under disable_hooks_for_plugins, instead of failing the `kmlf new` example at its first metric.
    await withTracked({ "conf/base/mlflow.yml": null }, async (dir) => {
      const r = await kmlf(["run", "training"], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /Tracking is off: no mlflow\.yml in conf\/\. Run `kmlf mlflow init --env=base`/);
      assert.doesNotMatch(r.stderr, /no-active-run/);
      assert.ok(
        (await Deno.stat(join(dir, "data/06_models/model.pkl"))).isFile,
        "mlflow_artifact saved locally",
      );
      assert.equal(await Deno.stat(join(dir, "mlflow.db")).catch(() => null), null, "no store was made");
    });
    const yml = (await Deno.readTextFile(join(REPO, "conf/base/mlflow.yml"))).replace(
      "    name: null",
      '    name: "${km.random_name:}"',
    );
    await withTracked({ "conf/base/mlflow.yml": yml }, async (dir, open) => {
      assert.equal((await kmlf(["run", "training", "-q"], { cwd: dir })).code, 0);
      const [run] = await onlyRun(await open());
      assert.match(run.info.runName, /^[a-z-]+-[a-z]+-\d{1,3}$/);
    });
  });

  Deno.test(`${store.name}: SIGTERM during a run ends it KILLED; log_files are logged before and after`, async () => {
    const training = (await Deno.readTextFile(join(REPO, "pipelines/training.yml"))).replace(
      "./iris/nodes.ts#predict",
      "./iris/slow.ts#predict",
    );
    const yml = (await Deno.readTextFile(join(REPO, "conf/base/mlflow.yml"))).replace(
      "    before: []",
      "    before: [conf/base/parameters.yml]",
    );
    await withTracked({
      "pipelines/training.yml": training,
      "conf/base/mlflow.yml": yml,
      "pipelines/iris/slow.ts":
        "export async function predict(_m: unknown, _x: unknown) { await new Promise((r) => setTimeout(r, 20000)); return []; }\n",
    }, async (dir, open) => {
      const kmlfRun = spawnKmlf(["run", "training"], { cwd: dir, watch: "stdout" });
      await kmlfRun.waitFor("▶ predict");
      kmlfRun.child.kill("SIGTERM");
      assert.equal((await kmlfRun.finish()).code, 143);
      const client = await open();
      const [run] = await onlyRun(client);
      assert.equal(run.info.status, "KILLED");
      const files = (await client.listArtifacts(run.info.runId, "kmlf/files")).map((f) => f.path);
      assert.deepEqual(files, ["kmlf/files/parameters.yml"]);
    });
  });

  Deno.test(`${store.name}: inside an outer run (MLFLOW_RUN_ID): nested → a child run; not nested → logs into it and leaves it open`, async () => {
    await withTracked({}, async (dir, open) => {
      const client = await open();
      const exp = await client.getOrCreateExperiment("iris");
      const outer = await client.createRun(exp.experimentId, { runName: "orchestrator" });
      const nested = await kmlf(["run", "training", "-q"], {
        cwd: dir,
        env: { MLFLOW_RUN_ID: outer.info.runId },
      });
      assert.equal(nested.code, 0, nested.stderr);
      const child = (await onlyRun(client)).find((r) => r.info.runName === "training")!;
      assert.equal(child.data.tags["mlflow.parentRunId"], outer.info.runId);
      assert.equal(child.info.status, "FINISHED");
      const yml = (await Deno.readTextFile(join(dir, "conf/base/mlflow.yml"))).replace(
        "    nested: true",
        "    nested: false",
      );
      await Deno.writeTextFile(join(dir, "conf/base/mlflow.yml"), yml);
      const reused = await kmlf(["run", "inference", "-q"], {
        cwd: dir,
        env: { MLFLOW_RUN_ID: outer.info.runId },
      });
      assert.equal(reused.code, 0, reused.stderr);
      const after = await client.getRun(outer.info.runId);
      assert.equal(after.info.status, "RUNNING", "the outer run stays open");
      assert.equal(after.data.tags.pipeline_names, "inference");
    });
  });

  Deno.test(`${store.name}: a run id naming no run (MLFLOW_RUN_ID, tracking.run.id) is refused before any node runs, naming who gave it`, async () => {
    await withTracked({}, async (dir, open) => {
      const yml = join(dir, "conf/base/mlflow.yml");
      const text = await Deno.readTextFile(yml);
      // A well-formed id no run has, and one no store could have.
      for (const id of ["0123456789abcdef0123456789abcdef", "not-a-run"]) {
        for (
          const [env, conf, named, where] of [
            [{ MLFLOW_RUN_ID: id }, text, `MLFLOW_RUN_ID=${id}`, /hint: unset MLFLOW_RUN_ID/],
            [
              {},
              text.replace(/^ {4}id: null/m, `    id: ${id}`),
              `mlflow.yml tracking.run.id ${id}`,
              /at conf\/base\/mlflow\.yml:\d+:\d+ \(tracking\.run\.id\)[\s\S]*hint: set tracking\.run\.id to the id of an existing run/,
            ],
          ] as const
        ) {
          await Deno.writeTextFile(yml, conf);
          const r = await kmlf(["run", "training", "-q"], { cwd: dir, env });
          assert.equal(r.code, 2, r.stderr);
          assert.match(r.stderr, /error\[mlflow\/unknown-run\]: /);
          assert.ok(r.stderr.includes(`${named} names no run of the tracking store`), r.stderr);
          assert.match(r.stderr, where);
          assert.doesNotMatch(r.stderr, /ended FAILED|stays RUNNING|failed, and so did ending it/);
          assert.equal(
            await Deno.stat(join(dir, "data/06_models/model.pkl")).catch(() => null),
            null,
            "no node ran",
          );
        }
      }
      const client = await open();
      const exp = await client.getExperimentByName("iris");
      const runs = exp ? (await client.searchRuns([exp.experimentId], { runViewType: "ALL" })).runs : [];
      assert.deepEqual(runs, [], "no run was started");
    });
  });

  Deno.test(`${store.name}: a deleted run named by MLFLOW_RUN_ID or tracking.run.id is refused before any node runs`, async () => {
    await withTracked({}, async (dir, open) => {
      const client = await open();
      const exp = await client.getOrCreateExperiment("iris");
      const gone = await client.createRun(exp.experimentId, { runName: "gone" });
      await client.deleteRun(gone.info.runId);
      const yml = join(dir, "conf/base/mlflow.yml");
      const text = await Deno.readTextFile(yml);
      for (
        const [env, conf, named, where] of [
          [
            { MLFLOW_RUN_ID: gone.info.runId },
            text,
            `MLFLOW_RUN_ID=${gone.info.runId}`,
            /unset MLFLOW_RUN_ID/,
          ],
          [
            {},
            text.replace(/^ {4}id: null/m, `    id: ${gone.info.runId}`),
            "mlflow.yml tracking.run.id",
            /at conf\/base\/mlflow\.yml:\d+:\d+ \(tracking\.run\.id\)/,
          ],
        ] as const
      ) {
        await Deno.writeTextFile(yml, conf);
        const r = await kmlf(["run", "training", "-q"], { cwd: dir, env });
        assert.equal(r.code, 2, r.stderr);
        assert.ok(r.stderr.includes(`error[mlflow/run-deleted]`), r.stderr);
        assert.ok(r.stderr.includes(`${named}`) && r.stderr.includes("names a deleted run"), r.stderr);
        assert.match(r.stderr, /hint: restore it/);
        assert.match(r.stderr, where);
        // Nothing claims the deleted run ended or stays RUNNING, and no node ran.
        assert.doesNotMatch(r.stderr, /ended FAILED|stays RUNNING|failed, and so did ending it/);
        const runs = await onlyRun(client);
        assert.deepEqual(runs.map((run) => [run.info.runName, run.info.lifecycleStage]), [[
          "gone",
          "deleted",
        ]]);
      }
    });
  });
}

Deno.test("a filtered run records each filter and the runtime params as tags (kedro-mlflow's truthy run_params)", async () => {
  await withTrackedIn("mlflow.db", {}, async (dir, open) => {
    const r = await kmlf([
      "run",
      "training",
      "--from-inputs=iris",
      "--to-outputs=model",
      "--from-nodes=split_data",
      "--to-nodes=train_model",
      "--nodes=split_data,train_model",
      "--tags=preprocessing,training",
      "--params=model.n_iter=5",
      "--only-missing-outputs",
    ], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const [run] = await onlyRun(await open());
    const tags = run.data.tags;
    assert.equal(tags.from_inputs, "iris");
    assert.equal(tags.to_outputs, "model");
    assert.equal(tags.from_nodes, "split_data");
    assert.equal(tags.to_nodes, "train_model");
    assert.equal(tags.node_names, "split_data,train_model");
    assert.equal(tags.tags, "preprocessing,training");
    assert.deepEqual(JSON.parse(tags.runtime_params), { model: { n_iter: 5 } });
    assert.equal(tags.only_missing_outputs, "true");
    assert.equal("namespaces" in tags || "load_versions" in tags, false, "empty ones are not tags");
  });
});
