/**
 * Several processes logging into one SQLite file at once (and creating it at once): every row
 * arrives, the latest metrics are right, and nothing fails with "database is locked".
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { SqliteStore } from "../../lib/tracking/mod.ts";

const WORKER = new URL("./concurrent_writer.ts", import.meta.url).pathname;

Deno.test("four processes logging into one SQLite store lose no row", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-concurrent-" });
  const path = join(dir, "mlflow.db");
  const points = 400;
  try {
    const outputs = await Promise.all([0, 1, 2, 3].map((w) =>
      new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--allow-read",
          "--allow-write",
          "--allow-env",
          WORKER,
          path,
          String(w),
          String(points),
        ],
        stdout: "piped",
        stderr: "piped",
      }).output()
    ));
    const runIds = outputs.map((o, w) => {
      assert.equal(o.code, 0, `worker ${w} failed: ${new TextDecoder().decode(o.stderr)}`);
      return new TextDecoder().decode(o.stdout).trim();
    });
    assert.equal(new Set(runIds).size, 4);

    const db = new DatabaseSync(path, { readOnly: true });
    const count = (sql: string, ...args: string[]) => Number(db.prepare(sql).get(...args)?.n);
    assert.equal(count("SELECT count(*) AS n FROM experiments WHERE name = 'concurrent'"), 1);
    assert.equal(count("SELECT count(*) AS n FROM metrics WHERE key = 'loss'"), 4 * points);
    assert.equal(count("SELECT count(*) AS n FROM metrics WHERE key = 'single'"), 4 * (points / 25));
    db.close();

    const store = SqliteStore.open(path);
    try {
      for (const id of runIds) {
        const run = await store.getRun(id);
        assert.equal(run.info.status, "FINISHED");
        assert.equal(run.data.metrics.loss, 1 / points);
        assert.equal(run.data.latestMetrics.loss.step, points - 1);
        assert.equal(run.data.tags.progress, String(points - 25));
        assert.equal((await store.getMetricHistory(id, "loss")).metrics.length, points);
      }
    } finally {
      await store.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
