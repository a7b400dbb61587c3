/** A tracked run closes its store: the SQLite file alone holds the run (no write-ahead log left behind). */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { demoProject, kmlf } from "../cli_harness.ts";

Deno.test("after kmlf run, mlflow.db alone (copied without -wal/-shm) has the finished run", async () => {
  const dir = await demoProject({}, { tracked: true });
  try {
    const run = await kmlf(["run", "training"], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const leftovers = [];
    for await (const e of Deno.readDir(dir)) {
      if (/^mlflow\.db-(wal|shm)$/.test(e.name)) leftovers.push(e.name);
    }
    assert.deepEqual(leftovers, [], "the store was not closed: its write-ahead log is still there");
    const copy = join(dir, "copy.db");
    await Deno.copyFile(join(dir, "mlflow.db"), copy);
    const db = new DatabaseSync(copy, { readOnly: true });
    try {
      const rows = db.prepare("SELECT status FROM runs").all() as { status: string }[];
      assert.deepEqual(rows.map((r) => r.status), ["FINISHED"]);
    } finally {
      db.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
