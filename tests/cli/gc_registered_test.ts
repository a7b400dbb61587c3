/**
 * `kmlf gc` and registered model versions whose files are in a deleted run's artifacts. MLflow 2.17.2
 * deletes those files and keeps the version, which then fails to load; kmlf keeps such a run (and the
 * deleted experiment holding it) with a warning naming the version, refuses it when named by
 * `--run-ids` / `--experiment-ids`, and collects it once the version is deleted.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assertGolden, kmlf } from "../cli_harness.ts";
import { openStore, registerModel } from "../../lib/tracking/mod.ts";
import { fillGcStore, rowCounts } from "./gc_fixture.ts";

const ENV = { MLFLOW_TRACKING_URI: "", MLFLOW_ARTIFACTS_DESTINATION: "", NO_COLOR: "1" };
const URI = ["--backend-store-uri", "sqlite:///mlflow.db"];

function exists(path: string): boolean {
  try {
    Deno.statSync(path.startsWith("file:") ? fileURLToPath(path) : path);
    return true;
  } catch {
    return false;
  }
}

Deno.test("kmlf gc keeps a deleted run whose artifacts hold a registered version's files, until the version is deleted", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-gc-registered-" });
  try {
    const f = await fillGcStore("sqlite:///mlflow.db", dir);
    const store = await openStore("sqlite:///mlflow.db", { baseDir: dir });
    // Three spellings of the same files: runs:/, the artifact location itself, and models:/ of the first.
    await registerModel(store, `runs:/${f.deleted}/model`, "by-run");
    await registerModel(store, `${f.artifacts[f.deleted]}/model`, "by-path");
    await registerModel(store, "models:/by-run/1", "by-models-uri");
    await store.close();
    const clean = (text: string) =>
      text.split(dir).join("<dir>").replaceAll(f.deleted, "<deleted>").replaceAll(f.doomed, "<doomed>")
        .replaceAll(`experiment(s) ${f.gone}`, "experiment(s) <gone>").replaceAll(
          `experiment ${f.gone}`,
          "experiment <gone>",
        );

    const named = await kmlf(["gc", ...URI, "--run-ids", f.deleted], { cwd: dir, env: ENV });
    assert.equal(named.code, 2, named.stderr);
    assert.equal(named.stdout, "");
    const all = await kmlf(["gc", ...URI], { cwd: dir, env: ENV });
    assert.equal(all.code, 0, all.stderr);
    assert.deepEqual(all.stdout.trim().split("\n").sort(), [
      `Experiment with ID ${f.gone} has been permanently deleted.`,
      `Run with ID ${f.doomed} has been permanently deleted.`,
    ]);
    await assertGolden(
      "cli/gc-registered",
      `## kmlf gc --run-ids <deleted>\n${clean(named.stderr)}\n## kmlf gc\n${clean(all.stderr)}`,
    );
    assert.ok(exists(join(f.artifacts[f.deleted], "model/MLmodel")), "the registered files stay");
    const rows = await rowCounts(join(dir, "mlflow.db"), { runs: [f.deleted], experiments: [] });
    assert.equal(rows[`runs:${f.deleted}`], 1);

    // MLflow's order: delete the versions, then gc collects the run.
    const again = await openStore("sqlite:///mlflow.db", { baseDir: dir });
    for (const name of ["by-run", "by-path", "by-models-uri"]) {
      await again.registry.deleteModelVersion(name, "1");
    }
    await again.close();
    const after = await kmlf(["gc", ...URI, "--run-ids", f.deleted], { cwd: dir, env: ENV });
    assert.equal(after.code, 0, after.stderr);
    assert.equal(after.stdout, `Run with ID ${f.deleted} has been permanently deleted.\n`);
    assert.ok(!exists(f.artifacts[f.deleted]));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kmlf gc keeps a deleted experiment whose run holds a registered version's files, and refuses it by id", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-gc-registered-exp-" });
  try {
    const f = await fillGcStore("mlruns", dir);
    const store = await openStore("mlruns", { baseDir: dir });
    await registerModel(store, `runs:/${f.doomed}/model`, "from-gone");
    await store.close();
    const named = await kmlf(["gc", "--backend-store-uri", "mlruns", "--experiment-ids", f.gone], {
      cwd: dir,
      env: ENV,
    });
    assert.equal(named.code, 2, named.stderr);
    assert.match(
      named.stderr,
      new RegExp(
        `cli/gc-registered-files\\]: --experiment-ids names experiment ${f.gone}, which holds run ${f.doomed}`,
      ),
    );
    const all = await kmlf(["gc", "--backend-store-uri", "mlruns"], { cwd: dir, env: ENV });
    assert.equal(all.code, 0, all.stderr);
    assert.equal(all.stdout, `Run with ID ${f.deleted} has been permanently deleted.\n`);
    assert.match(all.stderr, new RegExp(`kept deleted experiment\\(s\\) ${f.gone}, which hold those runs`));
    // A deleted experiment's folder (with its runs) is in .trash until gc.
    assert.ok(exists(join(dir, "mlruns/.trash", f.gone, f.doomed, "artifacts/model/MLmodel")));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
