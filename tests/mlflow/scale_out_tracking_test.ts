/**
 * A tracked `kmlf run` of the demo on the scale-out setup — runs in PostgreSQL, artifacts in S3 (both
 * real servers started by the suite) — and the artifact locations that cannot work, found before any
 * node runs: no run is started, nothing is left RUNNING, the error names mlflow.yml's key and the fix.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { PickleDataset } from "../../lib/catalog/mod.ts";
import { MlflowArtifactDataset, MlflowRunState } from "../../lib/mlflow/mod.ts";
import { MlflowClient, openStore } from "../../lib/tracking/mod.ts";
import { assertGolden, demoProject, kmlf, normalize } from "../cli_harness.ts";
import { sharedPostgres } from "../services/postgres_server.ts";
import { sharedS3Server } from "../services/s3_server.ts";

async function trackedDemo(trackingUri: string, artifactLocation: string): Promise<string> {
  const dir = await demoProject({}, { tracked: true });
  const yml = join(dir, "conf/base/mlflow.yml");
  const text = await Deno.readTextFile(yml);
  await Deno.writeTextFile(
    yml,
    text.replace("mlflow_tracking_uri: null", `mlflow_tracking_uri: ${trackingUri}`)
      .replace("artifact_location: null", `artifact_location: ${artifactLocation}`),
  );
  return dir;
}

Deno.test("a demo run tracks into PostgreSQL with its artifacts and model in S3, and predicts from there", async () => {
  const s3 = await sharedS3Server();
  const url = await (await sharedPostgres()).createDatabase();
  const location = s3.location("demo");
  const dir = await trackedDemo(url, location);
  try {
    const r = await kmlf(["run", "training"], { cwd: dir, env: s3.env });
    assert.equal(r.code, 0, r.stderr);
    for (const [k, v] of Object.entries(s3.env)) Deno.env.set(k, v);
    const client = new MlflowClient(await openStore(url, { baseDir: dir }));
    try {
      const experiment = (await client.getExperimentByName("iris"))!;
      assert.equal(experiment.artifactLocation, location);
      const [run] = (await client.searchRuns([experiment.experimentId])).runs;
      assert.equal(run.info.status, "FINISHED");
      assert.equal(run.info.artifactUri, `${location}/${run.info.runId}/artifacts`);
      assert.ok(run.data.metrics["metrics.accuracy"] > 0.8);
      const files = (await client.listArtifacts(run.info.runId, undefined, { recursive: true })).map((f) =>
        f.path
      );
      for (const f of ["model.pkl", "predictions.csv", "kmlf/pipeline.json", "model/MLmodel"]) {
        assert.ok(files.includes(f), `${f} in ${files.join(", ")}`);
      }
      // MlflowArtifactDataset saved the local file, then logged it: the S3 copy is byte for byte the same.
      const copy = await client.downloadArtifacts(run.info.runId, "model.pkl", join(dir, "from-s3"));
      assert.deepEqual(await Deno.readFile(copy), await Deno.readFile(join(dir, "data/06_models/model.pkl")));
      // MlflowArtifactDataset with run_id downloads its file from S3 before loading it.
      const state = new MlflowRunState();
      state.client = client;
      const fromRun = new MlflowArtifactDataset({
        name: "model",
        inner: new PickleDataset({ filepath: join(dir, "data/elsewhere/model.pkl") }),
        state,
        runId: run.info.runId,
      });
      assert.deepEqual(
        await fromRun.load(),
        await new PickleDataset({ filepath: join(dir, "data/06_models/model.pkl") }).load(),
      );
      // The logged model is read back from S3 to predict.
      const p = await kmlf(
        ["models", "predict", "-m", `runs:/${run.info.runId}/model`, "-i", "data/01_raw/instances.csv"],
        { cwd: dir, env: { ...s3.env, KMLF_CACHE_DIR: join(dir, "cache") } },
      );
      assert.equal(p.code, 0, p.stderr);
      assert.ok(JSON.parse(p.stdout).predictions.length > 0);
    } finally {
      await client.store.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const REFUSALS: Record<
  string,
  (s3: { env: Record<string, string> }) => {
    location: string;
    env: Record<string, string>;
  }
> = {
  "s3-missing-bucket": (s3) => ({ location: "s3://no-such-bucket/mlflow", env: s3.env }),
  "s3-unreachable": (s3) => ({
    location: "s3://kmlf-tests/mlflow",
    env: { ...s3.env, MLFLOW_S3_ENDPOINT_URL: "http://127.0.0.1:9" },
  }),
  "s3-no-credentials": (s3) => ({
    location: "s3://kmlf-tests/mlflow",
    env: {
      MLFLOW_S3_ENDPOINT_URL: s3.env.MLFLOW_S3_ENDPOINT_URL,
      AWS_SHARED_CREDENTIALS_FILE: "/nonexistent",
      AWS_ACCESS_KEY_ID: "",
    },
  }),
  "artifact-location-unsupported": (s3) => ({ location: "gs://my-bucket/mlflow", env: s3.env }),
};

for (const [name, setup] of Object.entries(REFUSALS)) {
  Deno.test(`an unusable artifact location is refused before any node runs: ${name}`, async () => {
    const s3 = await sharedS3Server();
    const { location, env } = setup(s3);
    const dir = await trackedDemo("mlflow.db", location);
    try {
      const r = await kmlf(["run", "training"], { cwd: dir, env });
      assert.equal(r.code, 2, r.stderr);
      await assertGolden(
        `errors/${name}`,
        `exit ${r.code}\n${normalize(r.stderr, dir).replace(s3.env.MLFLOW_S3_ENDPOINT_URL, "<s3>")}`,
      );
      // No node ran, and no run was started (so none is left RUNNING).
      assert.equal(await Deno.stat(join(dir, "data/06_models/model.pkl")).catch(() => undefined), undefined);
      const store = await openStore("mlflow.db", { baseDir: dir });
      try {
        const experiment = await store.getExperimentByName("iris");
        const runs = experiment
          ? (await store.searchRuns({ experimentIds: [experiment.experimentId], runViewType: "ALL" })).runs
          : [];
        assert.deepEqual(runs, []);
      } finally {
        await store.close();
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
