/**
 * MLflow and kmlf share one PostgreSQL database both ways: the schema kmlf creates is MLflow 2.17.2's
 * (tests/fixtures/mlflow-2.17.2-postgresql, derived from MLflow's migrations — real MLflow cannot run
 * here) and passes MLflow's start-up checks; a database holding what MLflow wrote (the rows of the
 * SQLite database real MLflow 2.17.2 recorded, in PostgreSQL's types) reads back as MLflow returned it;
 * databases kmlf cannot use are refused with the fix.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DatabaseSync } from "node:sqlite";
import postgres from "postgres";
import { TrackingError } from "../../lib/errors.ts";
import { ALEMBIC_REVISION, openStore, type TrackingStore } from "../../lib/tracking/mod.ts";
import { sharedPostgres } from "../services/postgres_server.ts";
import { readPgCatalog } from "./pg_catalog.ts";

const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));

async function withSql<T>(url: string, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end();
  }
}

async function open(url: string): Promise<TrackingStore> {
  return await openStore(url, { baseDir: "/tmp", artifactRoot: "file:///fixture/artifacts", maxRetries: 0 });
}

Deno.test("the schema kmlf creates on PostgreSQL is MLflow 2.17.2's, catalog entry for entry", async () => {
  const url = await (await sharedPostgres()).createDatabase();
  await (await open(url)).close();
  const expected = JSON.parse(
    await Deno.readTextFile(join(FIXTURES, "mlflow-2.17.2-postgresql/catalog.json")),
  );
  assert.deepEqual(await readPgCatalog(url), expected);
});

Deno.test("MLflow's start-up checks pass on a kmlf database, and its next experiment id is 1", async () => {
  const url = await (await sharedPostgres()).createDatabase();
  const store = await open(url);
  await store.close();
  await withSql(url, async (sql) => {
    // mlflow.store.db.utils._all_tables_exist and _verify_schema (alembic's current revision = head).
    const tables = new Set(
      (await sql`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`).map((r) => r.tablename),
    );
    for (
      const t of [
        "alembic_version",
        "experiments",
        "runs",
        "metrics",
        "params",
        "tags",
        "experiment_tags",
        "latest_metrics",
      ]
    ) {
      assert.ok(tables.has(t), t);
    }
    assert.deepEqual((await sql`SELECT version_num FROM alembic_version`).map((r) => r.version_num), [
      ALEMBIC_REVISION,
    ]);
    assert.deepEqual([...await sql`SELECT experiment_id, name, lifecycle_stage FROM experiments`], [
      { experiment_id: 0, name: "Default", lifecycle_stage: "active" },
    ]);
    // MLflow's SqlExperiment insert leaves experiment_id to the sequence.
    const [{ experiment_id }] =
      await sql`INSERT INTO experiments (name, lifecycle_stage) VALUES ('by-mlflow', 'active') RETURNING experiment_id`;
    assert.equal(experiment_id, 1);
  });
  const again = await open(url);
  try {
    assert.equal((await again.getExperimentByName("by-mlflow"))?.experimentId, "1");
    assert.equal(await again.createExperiment("by-kmlf"), "2");
  } finally {
    await again.close();
  }
});

// The tables of MLflow's SQLite fixture, parents first, copied into PostgreSQL with MLflow's PG types.
const TABLES = [
  "experiments",
  "experiment_tags",
  "runs",
  "params",
  "tags",
  "metrics",
  "latest_metrics",
  "datasets",
  "inputs",
  "input_tags",
];

async function mlflowWrittenDatabase(): Promise<string> {
  const url = await (await sharedPostgres()).createDatabase();
  await (await open(url)).close();
  const sqlite = new DatabaseSync(join(FIXTURES, "mlflow-2.17.2/sqlite/mlflow.db"), { readOnly: true });
  try {
    await withSql(url, async (sql) => {
      await sql`DELETE FROM experiments`;
      for (const table of TABLES) {
        for (const row of sqlite.prepare(`SELECT * FROM ${table}`).all()) {
          const values = Object.fromEntries(
            Object.entries(row).map(([k, v]) => [k, k === "is_nan" ? v === 1 : v]),
          );
          await sql`INSERT INTO ${sql(table)} ${sql(values)}`;
        }
      }
      await sql`SELECT setval('experiments_experiment_id_seq', (SELECT max(experiment_id) FROM experiments))`;
    });
  } finally {
    sqlite.close();
  }
  return url;
}

interface ExpectedRun {
  label: string;
  run: {
    info: { run_name: string; status: string };
    data: { metrics: Record<string, unknown>; params: Record<string, string>; tags: Record<string, string> };
    inputs: { dataset_inputs: unknown[] };
  };
  metric_history: Record<string, { key: string; value: unknown; timestamp: number; step: number }[]>;
}

Deno.test("kmlf reads a PostgreSQL database holding what MLflow 2.17.2 wrote, as MLflow returns it", async () => {
  const expected = JSON.parse(await Deno.readTextFile(join(FIXTURES, "mlflow-2.17.2/sqlite/expected.json")));
  const num = (
    v: unknown,
  ) => (v === "NaN" ? NaN : v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : v);
  const store = await open(await mlflowWrittenDatabase());
  try {
    for (const e of expected.experiments) {
      const got = await store.getExperiment(String(e.experiment_id));
      assert.equal(got.name, e.name);
      assert.deepEqual(got.tags, e.tags);
    }
    for (const [runId, want] of Object.entries<ExpectedRun>(expected.runs)) {
      const run = await store.getRun(runId);
      assert.equal(run.info.runName, want.run.info.run_name, want.label);
      assert.equal(run.info.status, want.run.info.status, want.label);
      assert.deepEqual(run.data.params, want.run.data.params, want.label);
      assert.deepEqual(run.data.tags, want.run.data.tags, want.label);
      const metrics = Object.fromEntries(Object.entries(want.run.data.metrics).map(([k, v]) => [k, num(v)]));
      assert.deepEqual(run.data.metrics, metrics, want.label);
      assert.deepEqual(run.inputs, { datasetInputs: want.run.inputs.dataset_inputs }, want.label);
      for (const [key, history] of Object.entries(want.metric_history)) {
        const got = (await store.getMetricHistory(runId, key)).metrics;
        assert.deepEqual(got, history.map((m) => ({ ...m, value: num(m.value) })), `${want.label} ${key}`);
      }
    }
    assert.equal(expected.search_runs.length, 11);
    for (const c of expected.search_runs) {
      const { runs } = await store.searchRuns({
        experimentIds: c.experiment_ids,
        filter: c.filter_string,
        orderBy: c.order_by,
        runViewType: c.run_view_type,
      });
      assert.deepEqual(runs.map((r) => r.info.runId), c.run_ids, `${c.filter_string} ${c.order_by}`);
    }
    // kmlf keeps logging into it; MLflow's next experiment id follows the sequence.
    assert.equal(await store.createExperiment("from-kmlf"), "3");
  } finally {
    await store.close();
  }
});

async function refused(url: string, code: string, ...fragments: string[]): Promise<TrackingError> {
  try {
    await (await open(url)).close();
  } catch (error) {
    assert.ok(error instanceof TrackingError, String(error));
    assert.equal(error.code, code, error.message);
    for (const f of fragments) {
      assert.ok(`${error.message} ${error.hint}`.includes(f), `${error.message} / ${error.hint}`);
    }
    return error;
  }
  assert.fail(`opening ${url} should fail with ${code}`);
}

Deno.test("a database at an older MLflow revision is refused as MLflow refuses it; a newer one is used", async () => {
  const url = await (await sharedPostgres()).createDatabase();
  await (await open(url)).close();
  await withSql(url, (sql) => sql`UPDATE alembic_version SET version_num = '4465047574b1'`);
  await refused(
    url,
    "tracking/unsupported-schema",
    "out-of-date database schema",
    "4465047574b1",
    "mlflow db upgrade",
  );
  // A newer MLflow adds tables and columns and moves the revision on: kmlf keeps working with it.
  await withSql(url, async (sql) => {
    await sql`UPDATE alembic_version SET version_num = '0584bdc529eb'`;
    await sql`ALTER TABLE inputs ADD COLUMN step BIGINT DEFAULT 0 NOT NULL`;
  });
  const store = await open(url);
  try {
    const { info } = await store.createRun({ experimentId: "0" });
    await store.logInputs(info.runId, [{
      dataset: { name: "d", digest: "1", sourceType: "local", source: "{}" },
      tags: {},
    }]);
    assert.equal((await store.getRun(info.runId)).inputs.datasetInputs.length, 1);
  } finally {
    await store.close();
  }
});

Deno.test("damaged schemas, unknown users and missing databases are refused with the fix", async () => {
  const server = await sharedPostgres();
  const url = await server.createDatabase();
  await withSql(url, (sql) => sql`CREATE TABLE runs (run_uuid VARCHAR(32) PRIMARY KEY)`);
  await refused(url, "tracking/unsupported-schema", "table experiments is missing", "mlflow db upgrade");
  // A database used by something else too: MLflow's tables are created beside the others, as MLflow does.
  const shared = await server.createDatabase();
  await withSql(shared, (sql) => sql`CREATE TABLE app_users (id INT)`);
  await (await open(shared)).close();
  await refused(url.replace("//kmlf@", "//nobody@"), "tracking/database-auth", "nobody", "user and password");
  await refused(
    url.replace(/\/[^/]+$/, "/no_such_db"),
    "tracking/database-missing",
    "no_such_db",
    "createdb",
  );
});
