/**
 * `kmlf gc` as a subprocess on SQLite, file and PostgreSQL stores: deleted runs and experiments go with
 * their artifacts and every row they own, live runs and registered model versions stay; wrong arguments
 * delete nothing and get the errors in tests/golden/cli/gc-errors.txt.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assertGolden, demoProject, kmlf } from "../cli_harness.ts";
import { sharedPostgres } from "../services/postgres_server.ts";
import { openStore } from "../../lib/tracking/mod.ts";
import { fillGcStore, type GcFixture, rowCounts } from "./gc_fixture.ts";

const ENV = { MLFLOW_TRACKING_URI: "", MLFLOW_ARTIFACTS_DESTINATION: "" };

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

const localPath = (uri: string) => uri.startsWith("file:") ? fileURLToPath(uri) : uri;

function assertCollected(stdout: string, f: GcFixture): void {
  assert.deepEqual(
    stdout.trim().split("\n").sort(),
    [
      `Experiment with ID ${f.gone} has been permanently deleted.`,
      `Run with ID ${f.deleted} has been permanently deleted.`,
      `Run with ID ${f.doomed} has been permanently deleted.`,
    ].sort(),
  );
  assert.ok(!exists(localPath(f.artifacts[f.deleted])), "the deleted run's artifacts are gone");
  assert.ok(!exists(localPath(f.artifacts[f.doomed])), "the deleted experiment's run artifacts are gone");
  assert.ok(exists(join(localPath(f.artifacts[f.live]), "model/MLmodel")), "the live run's artifacts stay");
}

async function assertLiveRunIntact(uri: string, dir: string, f: GcFixture): Promise<void> {
  const store = await openStore(uri, { baseDir: dir });
  try {
    const live = await store.getRun(f.live);
    assert.deepEqual(live.data.params, { alpha: "0.5" });
    assert.equal(live.data.metrics.acc, 0.6);
    assert.equal((await store.getMetricHistory(f.live, "acc")).metrics.length, 2);
    assert.equal(live.inputs?.datasetInputs.length, 1);
    for (const id of [f.deleted, f.doomed]) {
      await assert.rejects(store.getRun(id), /not found/);
    }
    await assert.rejects(store.getExperiment(f.gone));
    assert.equal((await store.getExperiment(f.keep)).lifecycleStage, "active");
    // The registry is not gc's: the live run's version stays.
    const version = await store.registry.getModelVersion("iris", "1");
    assert.equal(version.runId, f.live);
  } finally {
    await store.close();
  }
}

async function assertRowsGone(db: string, f: GcFixture): Promise<void> {
  const counts = await rowCounts(db, { runs: [f.live, f.deleted, f.doomed], experiments: [f.keep, f.gone] });
  for (const id of [f.deleted, f.doomed]) {
    for (const t of ["runs", "params", "metrics", "latest_metrics", "tags", "inputs", "input_tags"]) {
      assert.equal(counts[`${t}:${id}`], 0, `${t} rows of a gc'ed run`);
    }
  }
  assert.equal(counts[`model_versions:${f.live}`], 1, "the model version stays");
  for (const t of ["experiments", "experiment_tags", "datasets", "runs"]) {
    assert.equal(counts[`${t}:${f.gone}`], 0, `${t} rows of a gc'ed experiment`);
  }
  assert.deepEqual(
    ["runs", "params", "latest_metrics", "inputs", "input_tags"].map((t) => counts[`${t}:${f.live}`]),
    [1, 1, 1, 1, 1],
  );
  assert.equal(counts[`metrics:${f.live}`], 2);
  assert.equal(counts[`experiments:${f.keep}`], 1);
  assert.equal(counts[`datasets:${f.keep}`], 2, "the live experiment's datasets stay");
}

Deno.test("kmlf gc on SQLite removes deleted runs and experiments, their artifacts and every row they own", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-gc-sqlite-" });
  try {
    const f = await fillGcStore("sqlite:///mlflow.db", dir);
    const r = await kmlf(["gc", "--backend-store-uri", "sqlite:///mlflow.db"], { cwd: dir, env: ENV });
    assert.equal(r.code, 0, r.stderr);
    assertCollected(r.stdout, f);
    assert.doesNotMatch(r.stderr, /model version/, "the live run's version is not the deleted runs' concern");
    await assertRowsGone(join(dir, "mlflow.db"), f);
    await assertLiveRunIntact("sqlite:///mlflow.db", dir, f);
    const again = await kmlf(["gc", "--backend-store-uri", "sqlite:///mlflow.db"], { cwd: dir, env: ENV });
    assert.match(again.stdout, /^Nothing to delete/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kmlf gc on a file store removes the run folders and the experiment from .trash", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-gc-file-" });
  try {
    const f = await fillGcStore("mlruns", dir);
    assert.ok(exists(join(dir, "mlruns/.trash", f.gone)));
    const r = await kmlf(["gc", "--backend-store-uri", "mlruns"], { cwd: dir, env: ENV });
    assert.equal(r.code, 0, r.stderr);
    assertCollected(r.stdout, f);
    assert.ok(!exists(join(dir, "mlruns", f.keep, f.deleted)));
    assert.ok(!exists(join(dir, "mlruns/.trash", f.gone)));
    assert.ok(exists(join(dir, "mlruns", f.keep, f.live, "params/alpha")));
    assert.ok(exists(join(dir, "mlruns/models/iris/version-1/meta.yaml")), "the registry is not touched");
    await assertLiveRunIntact("mlruns", dir, f);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kmlf gc on PostgreSQL removes the rows of deleted runs and experiments in one transaction each", async () => {
  const url = await (await sharedPostgres()).createDatabase("kmlf_gc");
  const dir = await Deno.makeTempDir({ prefix: "kmlf-gc-pg-" });
  try {
    const f = await fillGcStore(url, dir);
    const r = await kmlf(["gc", "--backend-store-uri", url], { cwd: dir, env: ENV });
    assert.equal(r.code, 0, r.stderr);
    assertCollected(r.stdout, f);
    await assertRowsGone(url, f);
    await assertLiveRunIntact(url, dir, f);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kmlf gc --run-ids and --experiment-ids delete only what they name; --older-than spares recent runs", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-gc-ids-" });
  try {
    const f = await fillGcStore("sqlite:///mlflow.db", dir);
    const uri = ["--backend-store-uri", "sqlite:///mlflow.db"];
    const young = await kmlf(["gc", ...uri, "--older-than", "1d"], { cwd: dir, env: ENV });
    assert.equal(young.code, 0, young.stderr);
    assert.match(young.stdout, /^Nothing to delete: .* older than 1d/);
    const one = await kmlf(["gc", ...uri, "--run-ids", f.deleted, "--experiment-ids", f.gone], {
      cwd: dir,
      env: ENV,
    });
    assert.equal(one.code, 0, one.stderr);
    assertCollected(one.stdout, f);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kmlf gc inside a project collects the project's store (mlflow.db at the root) from a subfolder", async () => {
  const dir = await demoProject();
  try {
    const f = await fillGcStore("sqlite:///mlflow.db", dir);
    const r = await kmlf(["gc"], { cwd: join(dir, "conf"), env: ENV });
    assert.equal(r.code, 0, r.stderr);
    assertCollected(r.stdout, f);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kmlf gc removes proxied artifacts from --artifacts-destination without a server", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-gc-proxy-" });
  try {
    const store = await openStore("sqlite:///mlflow.db", {
      baseDir: dir,
      artifactRoot: "mlflow-artifacts:/",
    });
    const experimentId = await store.createExperiment("served");
    const run = await store.createRun({ experimentId });
    await store.deleteRun(run.info.runId);
    await store.close();
    assert.match(run.info.artifactUri, /^mlflow-artifacts:\//);
    const served = join(dir, "served-artifacts", experimentId, run.info.runId, "artifacts");
    await Deno.mkdir(join(served, "model"), { recursive: true });
    await Deno.writeTextFile(join(served, "model/MLmodel"), "x");
    const r = await kmlf(
      ["gc", "--backend-store-uri", "sqlite:///mlflow.db", "--artifacts-destination", "served-artifacts"],
      { cwd: dir, env: ENV },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!exists(served));
    assert.ok(exists(join(dir, "served-artifacts", experimentId)), "only the run's folder goes");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kmlf gc refuses wrong arguments with clear errors and deletes nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-gc-errors-" });
  try {
    const f = await fillGcStore("sqlite:///mlflow.db", dir);
    const uri = ["--backend-store-uri", "sqlite:///mlflow.db"];
    const cases: [string, string[]][] = [
      ["bad duration", [...uri, "--older-than", "2x"]],
      ["duration out of order", [...uri, "--older-than", "3m2h"]],
      ["not a number", [...uri, "--older-than", "1.2.3d"]],
      ["live run", [...uri, "--run-ids", `${f.live},${f.deleted}`]],
      ["unknown run", [...uri, "--run-ids", "0123456789abcdef0123456789abcdef"]],
      ["too recent", [...uri, "--older-than", "1h", "--run-ids", f.deleted]],
      ["live experiment", [...uri, "--experiment-ids", f.keep]],
      ["unknown experiment", [...uri, "--experiment-ids", "42"]],
      ["bad experiment id", [...uri, "--experiment-ids", "abc"]],
      ["several problems", [...uri, "--run-ids", f.live, "--experiment-ids", `${f.keep},42`]],
      ["missing store", ["--backend-store-uri", "sqlite:///missing.db"]],
      ["missing mlruns", []],
      ["REST store", ["--backend-store-uri", "http://127.0.0.1:9/"]],
      ["tracking uri not a server", [...uri, "--tracking-uri", "sqlite:///mlflow.db"]],
    ];
    let golden = "";
    for (const [name, args] of cases) {
      const r = await kmlf(["gc", ...args], { cwd: dir, env: { ...ENV, NO_COLOR: "1" } });
      assert.equal(r.code, 2, `${name}: ${r.stdout}${r.stderr}`);
      assert.equal(r.stdout, "", name);
      const text = r.stderr.split(dir).join("<dir>")
        .replaceAll(f.live, "<live>").replaceAll(f.deleted, "<deleted>");
      golden += `## ${name}: kmlf gc ${args.join(" ").split(dir).join("<dir>")}\n${text}\n`;
    }
    await assertGolden(
      "cli/gc-errors",
      golden.replaceAll(f.live, "<live>").replaceAll(f.deleted, "<deleted>"),
    );
    // Nothing was deleted by any of them.
    const counts = await rowCounts(join(dir, "mlflow.db"), {
      runs: [f.deleted, f.doomed],
      experiments: [f.gone],
    });
    assert.equal(counts[`runs:${f.deleted}`], 1);
    assert.equal(counts[`runs:${f.doomed}`], 1);
    assert.equal(counts[`experiments:${f.gone}`], 1);
    assert.ok(exists(localPath(f.artifacts[f.deleted])));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kmlf gc names an unreachable PostgreSQL store without its password", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-gc-pg-down-" });
  try {
    const r = await kmlf(["gc", "--backend-store-uri", "postgresql://gc:secret@127.0.0.1:9/mlflow"], {
      cwd: dir,
      env: { ...ENV, NO_COLOR: "1" },
    });
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /error\[cli\/gc-store-unreachable\]: Cannot open --backend-store-uri 'postgresql:\/\/gc:\*\*\*@/,
    );
    assert.match(r.stderr, /hint: check that the server is running/);
    assert.doesNotMatch(r.stderr, /secret/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
