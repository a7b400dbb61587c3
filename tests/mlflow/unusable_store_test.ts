/**
 * A tracking store or artifact location that cannot be used is refused before any node runs, naming the
 * file and the fix (golden), with no run started (so none is left RUNNING) and the store left as it was;
 * so is a temp folder that cannot be made when artifacts go through a server's proxy.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { assertGolden, demoProject, kmlf, normalize } from "../cli_harness.ts";
import { startKmlfServer } from "../tracking/kmlf_server.ts";

const MODEL = "data/06_models/model.pkl";

async function trackedDemo(): Promise<string> {
  const dir = await demoProject({}, { tracked: true });
  const first = await kmlf(["run", "training"], { cwd: dir });
  assert.equal(first.code, 0, first.stderr);
  await Deno.remove(join(dir, MODEL));
  return dir;
}

function runStatuses(path: string): string[] {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return db.prepare("SELECT status FROM runs ORDER BY start_time").all().map((r) => String(r.status));
  } finally {
    db.close();
  }
}

Deno.test("a SQLite store at an older MLflow revision: refused before any node runs, the file untouched (golden)", async () => {
  const dir = await trackedDemo();
  try {
    const path = join(dir, "mlflow.db");
    const db = new DatabaseSync(path);
    db.exec("UPDATE alembic_version SET version_num = '97727af70f4d'");
    db.close();
    const before = await Deno.readFile(path);
    const r = await kmlf(["run", "training"], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    await assertGolden("errors/sqlite-out-of-date-schema", `exit ${r.code}\n${normalize(r.stderr, dir)}`);
    assert.deepEqual(await Deno.readFile(path), before);
    assert.equal(await Deno.stat(join(dir, MODEL)).catch(() => undefined), undefined, "no node ran");
  } finally {
    await Deno.remove(join(dir), { recursive: true });
  }
});

Deno.test("an artifact location below a file: refused before any node runs, no run started (golden)", async () => {
  const dir = await trackedDemo();
  try {
    await Deno.remove(join(dir, "mlartifacts"), { recursive: true });
    await Deno.writeTextFile(join(dir, "mlartifacts"), "notes\n");
    const r = await kmlf(["run", "training"], { cwd: dir });
    assert.equal(r.code, 2, r.stderr);
    await assertGolden("errors/artifact-location-below-file", `exit ${r.code}\n${normalize(r.stderr, dir)}`);
    assert.equal(await Deno.stat(join(dir, MODEL)).catch(() => undefined), undefined, "no node ran");
    assert.deepEqual(runStatuses(join(dir, "mlflow.db")), ["FINISHED"], "no run started");
    assert.equal(await Deno.readTextFile(join(dir, "mlartifacts")), "notes\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a TMPDIR that does not exist, with artifacts behind a server's proxy: refused before any node runs (golden)", async () => {
  const server = await startKmlfServer();
  const dir = await demoProject({}, { tracked: true });
  try {
    const r = await kmlf(["run", "training"], {
      cwd: dir,
      env: { MLFLOW_TRACKING_URI: server.url, TMPDIR: join(dir, "no-such-tmp") },
    });
    assert.equal(r.code, 2, r.stderr);
    await assertGolden("errors/temp-folder-missing", `exit ${r.code}\n${normalize(r.stderr, dir)}`);
    assert.equal(await Deno.stat(join(dir, MODEL)).catch(() => undefined), undefined, "no node ran");
    const experiment = await server.store.getExperimentByName("iris");
    assert.ok(experiment);
    const { runs } = await server.store.searchRuns({ experimentIds: [experiment.experimentId] });
    assert.deepEqual(runs, [], "no run started");
  } finally {
    await Deno.remove(dir, { recursive: true });
    await server.close();
  }
});
