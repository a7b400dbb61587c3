/**
 * `kmlf gc` does not trust a run's artifact URI column (anyone who can write the store's rows can set it):
 * crafted rows pointing at a folder outside the run's own `<experiment location>/<run_id>/artifacts`, at a
 * whole proxy destination or bucket, through `..`, or a run folder that is a symlink out of its experiment's
 * folder — gc deletes the run's rows, leaves those files, and says why.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { kmlf } from "../cli_harness.ts";
import { openStore } from "../../lib/tracking/mod.ts";

const ENV = { MLFLOW_TRACKING_URI: "", MLFLOW_ARTIFACTS_DESTINATION: "" };

function exists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Deleted runs in `dir/mlflow.db`, one per crafted URI (`{run}` stands for the run's id). */
async function craftedRuns(dir: string, uris: string[]): Promise<string[]> {
  const store = await openStore("sqlite:///mlflow.db", { baseDir: dir, artifactRoot: join(dir, "mlruns") });
  const ids: string[] = [];
  try {
    const experimentId = await store.createExperiment("crafted");
    for (const _ of uris) {
      const run = await store.createRun({ experimentId });
      await store.deleteRun(run.info.runId);
      ids.push(run.info.runId);
    }
  } finally {
    await store.close();
  }
  const db = new DatabaseSync(join(dir, "mlflow.db"));
  try {
    for (const [i, uri] of uris.entries()) {
      db.prepare("UPDATE runs SET artifact_uri = ? WHERE run_uuid = ?").run(
        uri.replaceAll("{run}", ids[i]),
        ids[i],
      );
    }
  } finally {
    db.close();
  }
  return ids;
}

Deno.test("kmlf gc leaves files outside a run's own artifact root, whatever its artifact_uri row says", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-gc-untrusted-" });
  try {
    const precious = join(dir, "precious");
    await Deno.mkdir(join(precious, "{run}", "artifacts"), { recursive: true });
    await Deno.writeTextFile(join(precious, "keep.txt"), "mine");
    const served = join(dir, "mlartifacts");
    await Deno.mkdir(join(served, "7"), { recursive: true });
    await Deno.writeTextFile(join(served, "7", "other.txt"), "another run's");
    const uris = [
      precious, // a plain folder
      `file://${precious}/`, // the same as a file: URI
      `${precious}/{run}/artifacts/..`, // a dot segment at the end
      `file://${precious}/%2e%2e/precious/x`, // percent-encoded dots
      `${dir}/mlruns/../precious/{run}/artifacts`, // dots inside
      "mlflow-artifacts:/", // the proxy's whole destination
      "mlflow-artifacts:/7", // another folder in it
      "s3://bucket/", // a whole bucket
    ];
    const ids = await craftedRuns(dir, uris);
    const r = await kmlf(
      ["gc", "--backend-store-uri", "sqlite:///mlflow.db", "--artifacts-destination", served],
      { cwd: dir, env: ENV },
    );
    assert.equal(r.code, 0, r.stderr);
    for (const id of ids) {
      assert.match(r.stdout, new RegExp(`Run with ID ${id} has been permanently deleted`));
    }
    assert.equal(Deno.readTextFileSync(join(precious, "keep.txt")), "mine");
    assert.ok(exists(join(precious, "{run}", "artifacts")));
    assert.equal(Deno.readTextFileSync(join(served, "7", "other.txt")), "another run's");
    const warnings = r.stderr.match(/is not the run's own artifact root/g) ?? [];
    assert.equal(warnings.length, uris.length, r.stderr);
    assert.match(
      r.stderr,
      /kmlf gc deletes nothing outside a run's <experiment location>\/<run_id>\/artifacts/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kmlf gc does not follow a run folder that is a symlink out of its experiment's folder", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-gc-symlink-" });
  try {
    const outside = join(dir, "outside");
    await Deno.mkdir(join(outside, "artifacts"), { recursive: true });
    await Deno.writeTextFile(join(outside, "artifacts", "keep.txt"), "mine");
    const store = await openStore("sqlite:///mlflow.db", { baseDir: dir, artifactRoot: join(dir, "mlruns") });
    let runId: string, linked: string, plain: string, plainArtifacts: string;
    try {
      const experimentId = await store.createExperiment("linked");
      const run = await store.createRun({ experimentId });
      runId = run.info.runId;
      linked = run.info.artifactUri.replace(/^file:\/\//, "");
      const other = await store.createRun({ experimentId });
      plain = other.info.runId;
      plainArtifacts = other.info.artifactUri.replace(/^file:\/\//, "");
      await store.getArtifactRepository(other.info.artifactUri).writeArtifact("m.txt", "x");
      await store.deleteRun(runId);
      await store.deleteRun(plain);
    } finally {
      await store.close();
    }
    const runFolder = join(linked, "..");
    await Deno.remove(runFolder, { recursive: true }).catch(() => {});
    await Deno.mkdir(join(runFolder, ".."), { recursive: true });
    await Deno.symlink(outside, runFolder);
    const r = await kmlf(["gc", "--backend-store-uri", "sqlite:///mlflow.db"], { cwd: dir, env: ENV });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`Run with ID ${runId} has been permanently deleted`));
    assert.equal(Deno.readTextFileSync(join(outside, "artifacts", "keep.txt")), "mine");
    assert.match(r.stderr, /leads through a symlink out of .*kmlf gc does not follow symlinks/s);
    assert.ok(!exists(plainArtifacts), "a run whose folder is its own still loses its artifacts");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
