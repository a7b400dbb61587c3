/**
 * Compatibility with a database written by real MLflow 2.17.2: every run, metric history and all 11
 * recorded searches come back as MLflow returned them (../shared/fixtures/mlflow-2.17.2/sqlite).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { SqliteStore } from "../../lib/tracking/mod.ts";
import { ALEMBIC_VERSION } from "../../lib/tracking/sqlite/schema.ts";
import { REPO } from "../cli_harness.ts";

const FIXTURE = join(REPO, "../shared/fixtures/mlflow-2.17.2/sqlite");
const expected = JSON.parse(await Deno.readTextFile(join(FIXTURE, "expected.json")).catch(() => "null"));

async function fixtureCopy(): Promise<{ store: SqliteStore; dir: string }> {
  const dir = await Deno.makeTempDir();
  await Deno.copyFile(join(FIXTURE, "mlflow.db"), join(dir, "mlflow.db"));
  return { store: SqliteStore.open(join(dir, "mlflow.db")), dir };
}

// Non-finite floats are strings in the fixture's JSON.
const num = (
  v: unknown,
) => (v === "NaN" ? NaN : v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : v);

Deno.test(
  { name: "kmlf reads every run of MLflow's own SQLite database as MLflow does", ignore: !expected },
  async () => {
    const { store, dir } = await fixtureCopy();
    try {
      for (
        const [runId, want] of Object.entries(expected.runs) as [
          string,
          {
            run: { info: Record<string, unknown>; data: Record<string, Record<string, unknown>> };
            metric_history: Record<string, { value: unknown; timestamp: number; step: number }[]>;
          },
        ][]
      ) {
        const run = await store.getRun(runId);
        const info = want.run.info;
        assert.equal(run.info.runName, info.run_name);
        assert.equal(run.info.status, info.status);
        assert.equal(run.info.lifecycleStage, info.lifecycle_stage);
        assert.equal(run.info.startTime, info.start_time);
        assert.equal(run.info.artifactUri, String(info.artifact_uri).replace("__ROOT__", "/fixture"));
        assert.deepEqual(run.data.params, want.run.data.params);
        assert.deepEqual(run.data.tags, want.run.data.tags);
        assert.deepEqual(
          run.data.metrics,
          Object.fromEntries(Object.entries(want.run.data.metrics).map(([k, v]) => [k, num(v)])),
        );
        for (const [key, history] of Object.entries(want.metric_history)) {
          const got = (await store.getMetricHistory(runId, key)).items;
          assert.deepEqual(
            got.map((m) => [m.value, m.timestamp, m.step]),
            history.map((m) => [num(m.value), m.timestamp, m.step]),
            `${runId} ${key}`,
          );
        }
      }
    } finally {
      store.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
);

Deno.test({
  name: "the 11 recorded MLflow searches return the same runs in the same order",
  ignore: !expected,
}, async () => {
  const { store, dir } = await fixtureCopy();
  try {
    for (const c of expected.search_runs) {
      const page = await store.searchRuns({
        experimentIds: c.experiment_ids,
        filter: c.filter_string,
        orderBy: c.order_by,
        runViewType: c.run_view_type,
      });
      assert.deepEqual(
        page.items.map((r) => r.info.runId),
        c.run_ids,
        `${c.filter_string} / ${c.order_by.join(",")} / ${c.run_view_type}`,
      );
    }
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a kmlf-created database has MLflow 2.17.2's schema and alembic version", async () => {
  const dir = await Deno.makeTempDir();
  try {
    SqliteStore.open(join(dir, "kmlf.db")).close();
    const schema = (path: string) => {
      const db = new DatabaseSync(path, { readOnly: true });
      const rows = db.prepare(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name",
      ).all();
      const version = db.prepare("SELECT version_num FROM alembic_version").get();
      db.close();
      return {
        rows: rows.map((r) => ({ ...r, sql: String(r.sql ?? "").replace(/\s+/g, " ") })),
        version: version?.version_num,
      };
    };
    const ours = schema(join(dir, "kmlf.db"));
    const theirs = schema(join(FIXTURE, "mlflow.db"));
    assert.deepEqual(ours.rows, theirs.rows);
    assert.equal(ours.version, ALEMBIC_VERSION);
    assert.equal(theirs.version, ALEMBIC_VERSION);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
