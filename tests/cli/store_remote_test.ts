/**
 * The store CLI (`kmlf runs|experiments|artifacts`) against a kmlf server (REST, artifacts through its
 * proxy) and a PostgreSQL store, `models:/` downloads, and `kmlf gc` of artifacts kept in S3 or behind a
 * server's `mlflow-artifacts:` proxy (the suite's real S3-compatible and PostgreSQL servers).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { kmlf } from "../cli_harness.ts";
import { serverCommand } from "../../lib/cli/server_command.ts";
import { artifactRepositoryFor, MlflowClient, registerModel } from "../../lib/tracking/mod.ts";
import { sharedPostgres } from "../services/postgres_server.ts";
import { sharedS3Server } from "../services/s3_server.ts";
import { fillGcStore, rowCounts } from "./gc_fixture.ts";

const NO_ENV = { MLFLOW_TRACKING_URI: "", MLFLOW_ARTIFACTS_DESTINATION: "" };

// `kmlf server` in this process on a free port, for the length of `fn`.
async function withServer<T>(
  options: { backendStoreUri: string; artifactsDestination: string },
  fn: (url: string) => Promise<T>,
): Promise<T> {
  const stop = new AbortController();
  let listening!: (url: string) => void;
  const address = new Promise<string>((resolve) => (listening = resolve));
  const served = serverCommand({ ...options, port: "0" }, { onListening: listening, signal: stop.signal });
  try {
    return await fn(await Promise.race([address, served.then(() => Promise.reject(new Error("stopped")))]));
  } finally {
    stop.abort();
    await served;
  }
}

function s3Env(env: Record<string, string>): void {
  // The S3 artifact repositories of this process (the server, fixtures) read the environment, as MLflow's.
  for (const [k, v] of Object.entries(env)) Deno.env.set(k, v);
}

// An experiment "iris" with a finished run (a param, a metric, a note, a model) registered as iris v1,
// alias champion.
async function seed(
  uri: string,
  dir: string,
  artifactLocation?: string,
): Promise<{ experimentId: string; runId: string }> {
  const client = await MlflowClient.open(uri, { baseDir: dir });
  try {
    const experimentId = await client.createExperiment("iris", { artifactLocation });
    const run = await client.createRun(experimentId, { runName: "base", startTime: 1_700_000_000_000 });
    const runId = run.info.runId;
    await client.logParam(runId, "C", 1);
    await client.logMetric(runId, "acc", 0.5);
    await client.logText(runId, "hello", "notes/a.txt");
    await client.logText(runId, "flavors: {}\n", "model/MLmodel");
    await client.setTerminated(runId, "FINISHED", 1_700_000_060_000);
    const version = await registerModel(client.store, `runs:/${runId}/model`, "iris");
    await client.store.registry.setRegisteredModelAlias("iris", "champion", version.version);
    return { experimentId, runId };
  } finally {
    await client.close();
  }
}

// Every store command once, as a user would run them, with MLflow's outputs.
async function exerciseStoreCli(
  uri: string,
  options: { env?: Record<string, string>; artifactLocation?: string } = {},
): Promise<void> {
  const env = options.env ?? {};
  const dir = await Deno.makeTempDir({ prefix: "kmlf-store-remote-" });
  const { experimentId, runId } = await seed(uri, dir, options.artifactLocation);
  const run = (args: string[]) =>
    kmlf(args, { cwd: dir, env: { ...NO_ENV, ...env, MLFLOW_TRACKING_URI: uri } });
  const ok = async (args: string[]) => {
    const r = await run(args);
    assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
    return r;
  };

  const listed = await ok(["runs", "list", "--experiment-id", experimentId]);
  assert.match(listed.stdout, new RegExp(`2023-11-14 22:13:20 UTC  base +${runId}`));
  const described = JSON.parse((await ok(["runs", "describe", "--run-id", runId])).stdout);
  assert.deepEqual(described.data.params, { C: "1" });
  assert.deepEqual(described.data.metrics, { acc: 0.5 });
  assert.equal(described.info.status, "FINISHED");

  assert.equal(
    (await ok(["artifacts", "list", "-r", runId, "-a", "notes"])).stdout,
    '[{\n  "path": "notes/a.txt",\n  "is_dir": false,\n  "file_size": 5\n}]\n',
  );
  await Deno.writeTextFile(join(dir, "report.html"), "<p>hi</p>");
  await ok(["artifacts", "log-artifact", "-l", "report.html", "-r", runId, "-a", "reports"]);
  await Deno.mkdir(join(dir, "plots"));
  await Deno.writeTextFile(join(dir, "plots/p.svg"), "<svg/>");
  await ok(["artifacts", "log-artifacts", "-l", "plots", "-r", runId, "-a", "plots"]);
  const root = JSON.parse((await ok(["artifacts", "list", "-r", runId])).stdout);
  assert.deepEqual(root.map((f: { path: string }) => f.path), ["model", "notes", "plots", "reports"]);
  assert.equal(
    (await ok(["artifacts", "download", "-r", runId, "-a", "reports", "-d", "out"])).stdout,
    "out/reports\n",
  );
  assert.equal(await Deno.readTextFile(join(dir, "out/reports/report.html")), "<p>hi</p>");
  assert.equal(
    (await ok(["artifacts", "download", "-u", `runs:/${runId}/plots/p.svg`, "-d", "out2"])).stdout,
    "out2/p.svg\n",
  );
  assert.equal(await Deno.readTextFile(join(dir, "out2/p.svg")), "<svg/>");

  // models:/ URIs, through the registry, as MLflow's download_artifacts.
  assert.equal((await ok(["artifacts", "download", "-u", "models:/iris/1", "-d", "m1"])).stdout, "m1\n");
  assert.equal(await Deno.readTextFile(join(dir, "m1/MLmodel")), "flavors: {}\n");
  assert.equal(
    await Deno.readTextFile(join(dir, "m1/registered_model_meta")),
    "model_name: iris\nmodel_version: '1'\n",
  );
  assert.equal(
    (await ok(["artifacts", "download", "-u", "models:/iris@champion/MLmodel", "-d", "m2"])).stdout,
    "m2/MLmodel\n",
  );
  const latest = (await ok(["artifacts", "download", "-u", "models:/iris/latest"])).stdout.trim();
  assert.equal(await Deno.readTextFile(join(latest, "MLmodel")), "flavors: {}\n");
  await Deno.remove(latest, { recursive: true });
  const missing = await run(["artifacts", "download", "-u", "models:/iris@nope", "-d", "m3"]);
  assert.equal(missing.code, 1);
  assert.match(
    missing.stderr,
    /no alias "nope" \(--artifact-uri models:\/iris@nope\)[\s\S]*aliases: champion → 1/,
  );

  assert.equal(
    (await ok(["runs", "delete", "--run-id", runId])).stdout,
    `Run with ID ${runId} has been deleted.\n`,
  );
  assert.match(
    (await ok(["runs", "list", "--experiment-id", experimentId, "-v", "deleted_only"])).stdout,
    new RegExp(runId),
  );
  await ok(["runs", "restore", "--run-id", runId]);
  const csv = (await ok(["experiments", "csv", "-x", experimentId])).stdout.split("\n");
  assert.equal(
    csv[0],
    "run_id,experiment_id,status,artifact_uri,start_time,end_time,metrics.acc,params.C,tags.mlflow.runName",
  );
  assert.match(csv[1], new RegExp(`^${runId},${experimentId},FINISHED,.*,2023-11-14 22:13:20\\+00:00,`));
  assert.equal(
    (await ok(["experiments", "create", "-n", "second"])).stdout.startsWith(
      "Created experiment 'second' with id ",
    ),
    true,
  );
  await ok(["experiments", "rename", "-x", experimentId, "--new-name", "iris-renamed"]);
  await ok(["experiments", "delete", "-x", experimentId]);
  assert.match((await ok(["experiments", "search", "-v", "deleted_only"])).stdout, /iris-renamed/);
  await ok(["experiments", "restore", "-x", experimentId]);
  assert.match(
    (await ok(["experiments", "search"])).stdout,
    /iris-renamed[\s\S]*second|second[\s\S]*iris-renamed/,
  );

  const unknown = await run(["runs", "describe", "--run-id", "0123456789abcdef0123456789abcdef"]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /not found \(--run-id\) in /);
  await Deno.remove(dir, { recursive: true });
}

Deno.test("the store CLI works against a kmlf server (REST), artifacts through its proxy", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-store-rest-" });
  try {
    await withServer(
      { backendStoreUri: `sqlite:///${dir}/mlflow.db`, artifactsDestination: join(dir, "mlartifacts") },
      (url) => exerciseStoreCli(url),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the store CLI works on a PostgreSQL store with artifacts in S3", async () => {
  const s3 = await sharedS3Server();
  s3Env(s3.env);
  const url = await (await sharedPostgres()).createDatabase("kmlf_store_cli");
  await exerciseStoreCli(url, { env: s3.env, artifactLocation: s3.location("store-cli") });
});

Deno.test("kmlf gc deletes artifacts kept in S3 and keeps the live run's", async () => {
  const s3 = await sharedS3Server();
  s3Env(s3.env);
  const dir = await Deno.makeTempDir({ prefix: "kmlf-gc-s3-" });
  try {
    const f = await fillGcStore("sqlite:///mlflow.db", dir, { artifactRoot: s3.location("gc") });
    assert.match(f.artifacts[f.deleted], /^s3:\/\//);
    const r = await kmlf(["gc", "--backend-store-uri", "sqlite:///mlflow.db"], {
      cwd: dir,
      env: { ...NO_ENV, ...s3.env },
    });
    assert.equal(r.code, 0, r.stderr);
    for (const id of [f.deleted, f.doomed]) {
      assert.deepEqual(await artifactRepositoryFor(f.artifacts[id]).listArtifacts(""), [], `${id}'s objects`);
    }
    assert.deepEqual(await artifactRepositoryFor(f.artifacts[f.live]).listArtifacts("model"), [
      { path: "model/MLmodel", isDir: false, fileSize: 12 },
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kmlf gc stops before a run's rows when its S3 artifacts cannot be deleted, and can run again", async () => {
  const s3 = await sharedS3Server();
  s3Env(s3.env);
  const dir = await Deno.makeTempDir({ prefix: "kmlf-gc-s3-down-" });
  try {
    const f = await fillGcStore("sqlite:///mlflow.db", dir, { artifactRoot: s3.location("gc-down") });
    // The S3 endpoint down: a loopback port nothing listens on.
    const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const down = `http://127.0.0.1:${closed.addr.port}`;
    closed.close();
    const denied = { ...NO_ENV, ...s3.env, MLFLOW_S3_ENDPOINT_URL: down };
    const r = await kmlf(["gc", "--backend-store-uri", "sqlite:///mlflow.db"], { cwd: dir, env: denied });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /cli\/gc-artifacts.*Cannot delete the artifacts of run/);
    assert.doesNotMatch(r.stdout, /permanently deleted/);
    const rows = await rowCounts(join(dir, "mlflow.db"), {
      runs: [f.deleted, f.doomed],
      experiments: [f.gone],
    });
    assert.equal(rows[`runs:${f.deleted}`] + rows[`runs:${f.doomed}`], 2, "no run row went");
    assert.equal(rows[`experiments:${f.gone}`], 1);
    const again = await kmlf(["gc", "--backend-store-uri", "sqlite:///mlflow.db"], {
      cwd: dir,
      env: { ...NO_ENV, ...s3.env },
    });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout.trim().split("\n").length, 3);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kmlf gc deletes proxied artifacts through a running server's proxy (--tracking-uri) into S3", async () => {
  const s3 = await sharedS3Server();
  s3Env(s3.env);
  const dir = await Deno.makeTempDir({ prefix: "kmlf-gc-proxy-s3-" });
  const destination = s3.location("gc-proxy");
  try {
    await withServer(
      { backendStoreUri: `sqlite:///${dir}/mlflow.db`, artifactsDestination: destination },
      async (url) => {
        const f = await fillGcStore(url, dir);
        assert.match(f.artifacts[f.deleted], /^mlflow-artifacts:\//);
        const inBucket = (id: string) =>
          artifactRepositoryFor(`${destination}/${f.artifacts[id].replace(/^mlflow-artifacts:\/+/, "")}`);
        assert.equal((await inBucket(f.deleted).listArtifacts("model")).length, 1);
        const r = await kmlf(["gc", "--backend-store-uri", "sqlite:///mlflow.db", "--tracking-uri", url], {
          cwd: dir,
          env: { ...NO_ENV, ...s3.env },
        });
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout.trim().split("\n").length, 3, r.stdout);
        assert.deepEqual(await inBucket(f.deleted).listArtifacts(""), []);
        assert.deepEqual(await inBucket(f.doomed).listArtifacts(""), []);
        assert.equal((await inBucket(f.live).listArtifacts("model")).length, 1, "the live run's stay");
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

for (const kind of ["sqlite", "file"] as const) {
  Deno.test(`the same commands, models:/ downloads included, on a local ${kind} store`, async () => {
    const dir = await Deno.makeTempDir({ prefix: `kmlf-store-local-${kind}-` });
    try {
      await exerciseStoreCli(kind === "sqlite" ? `sqlite:///${dir}/mlflow.db` : `file://${dir}/mlruns`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
