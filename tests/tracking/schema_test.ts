/**
 * A kmlf-created SQLite database has MLflow 2.17.2's schema exactly: the same sqlite_master
 * entries (tables, indexes, autoindexes, SQL text), columns, indexes and alembic revision as the
 * fixture's `schema.sql` and `mlflow.db`; newer MLflow schemas open too, foreign ones are refused.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";
import { TrackingError } from "../../lib/errors.ts";
import { ALEMBIC_REVISION, SqliteStore } from "../../lib/tracking/mod.ts";

const FIXTURE = fileURLToPath(new URL("../fixtures/mlflow-2.17.2/sqlite", import.meta.url));

const normalize = (sql: string | null) => (sql === null ? null : sql.replace(/\s+/g, " ").trim());

interface SchemaDump {
  master: { type: string; name: string; tbl_name: string; sql: string | null }[];
  columns: Record<string, unknown[]>;
  indexes: Record<string, unknown[]>;
  revision: unknown[];
}

function dumpSchema(path: string): SchemaDump {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const master = db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid").all()
      .map((r) => ({
        type: String(r.type),
        name: String(r.name),
        tbl_name: String(r.tbl_name),
        sql: normalize(r.sql as string | null),
      }));
    const columns: Record<string, unknown[]> = {};
    const indexes: Record<string, unknown[]> = {};
    for (const t of master.filter((m) => m.type === "table")) {
      columns[t.name] = db.prepare(`PRAGMA table_xinfo("${t.name}")`).all().map((r) => ({ ...r }));
      indexes[t.name] = db.prepare(`PRAGMA index_list("${t.name}")`).all().map((r) => ({
        ...r,
        columns: db.prepare(`PRAGMA index_xinfo("${r.name}")`).all().map((c) => ({ ...c })),
      }));
    }
    const revision = db.prepare("SELECT version_num FROM alembic_version").all().map((r) => r.version_num);
    return { master, columns, indexes, revision };
  } finally {
    db.close();
  }
}

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-schema-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  name: "a kmlf-created database has the same schema as MLflow 2.17.2's, entry for entry",
  fn: () =>
    withTempDir(async (dir) => {
      await SqliteStore.open(join(dir, "kmlf.db")).close();
      await Deno.copyFile(join(FIXTURE, "mlflow.db"), join(dir, "mlflow.db"));
      await Deno.chmod(join(dir, "mlflow.db"), 0o644);
      const ours = dumpSchema(join(dir, "kmlf.db"));
      const theirs = dumpSchema(join(dir, "mlflow.db"));
      assert.deepEqual(ours.master, theirs.master);
      assert.deepEqual(ours.columns, theirs.columns);
      assert.deepEqual(ours.indexes, theirs.indexes);
      assert.deepEqual(ours.revision, [ALEMBIC_REVISION]);
      assert.deepEqual(theirs.revision, [ALEMBIC_REVISION]);
      // And the SQL text is schema.sql's, statement for statement.
      const text = await Deno.readTextFile(join(FIXTURE, "schema.sql"));
      const statements = text.split(/\n\s*\n/).map((s) => s.replace(/^--.*$/gm, "").trim()).filter(Boolean)
        .map((s) => normalize(s.replace(/;$/, "")));
      assert.deepEqual(ours.master.filter((m) => m.sql !== null).map((m) => m.sql), statements);
    }),
});

Deno.test("a new database gets the Default experiment 0 with artifacts beside the database", () =>
  withTempDir(async (dir) => {
    const store = SqliteStore.open(join(dir, "mlflow.db"));
    try {
      const e = await store.getExperiment("0");
      assert.equal(e.name, "Default");
      assert.equal(e.artifactLocation, `file://${dir}/mlartifacts/0`);
      const db = new DatabaseSync(join(dir, "mlflow.db"), { readOnly: true });
      assert.equal(db.prepare("PRAGMA journal_mode").get()?.journal_mode, "wal");
      db.close();
    } finally {
      await store.close();
    }
  }));

Deno.test("a database of a newer MLflow (extra tables and columns, newer revision) opens and works", () =>
  withTempDir(async (dir) => {
    const path = join(dir, "newer.db");
    await SqliteStore.open(path).close();
    const db = new DatabaseSync(path);
    db.exec("ALTER TABLE experiments ADD COLUMN workspace VARCHAR(63) NOT NULL DEFAULT 'default'");
    db.exec("ALTER TABLE runs ADD COLUMN extra_info TEXT");
    db.exec("CREATE TABLE logged_models (model_id VARCHAR(36) PRIMARY KEY, name TEXT)");
    db.exec("UPDATE alembic_version SET version_num = '7d34483879f0'");
    db.close();
    const store = SqliteStore.open(path);
    try {
      assert.equal(store.schemaRevision, "7d34483879f0");
      const id = await store.createExperiment("newer");
      const run = await store.createRun({ experimentId: id, runName: "r" });
      await store.logBatch(run.info.runId, { metrics: [{ key: "m", value: 1, timestamp: 1, step: 0 }] });
      assert.equal((await store.searchRuns({ experimentIds: [id], filter: "metrics.m = 1" })).runs.length, 1);
    } finally {
      await store.close();
    }
    const check = new DatabaseSync(path, { readOnly: true });
    assert.equal(check.prepare("SELECT version_num FROM alembic_version").get()?.version_num, "7d34483879f0");
    check.close();
  }));

// The columns are read with one query over sqlite_master; a PRAGMA per table built its SQL from the table's
// name, so a table of someone else's named with a double quote made every open fail with a syntax error.
Deno.test("a table of another tool beside MLflow's, whatever its name, does not stop the store opening", () =>
  withTempDir(async (dir) => {
    const path = join(dir, "shared.db");
    await SqliteStore.open(path).close();
    const db = new DatabaseSync(path);
    db.exec('CREATE TABLE "notes ""2024"" (draft)" (id INTEGER PRIMARY KEY, body TEXT)');
    db.close();
    const store = SqliteStore.open(path);
    try {
      assert.equal((await store.getExperiment("0")).name, "Default");
    } finally {
      await store.close();
    }
  }));

// A virtual table's columns need its module: an extension (sqlite-vec, a custom FTS tokenizer) that the
// program which made it loads, and kmlf does not. Reading every table's columns failed the open with
// "no such module"; MLflow, which reads only its own tables, opens such a database.
Deno.test("a virtual table of a module kmlf does not have, beside MLflow's tables, does not stop the store opening", () =>
  withTempDir(async (dir) => {
    const path = join(dir, "shared.db");
    await SqliteStore.open(path).close();
    // As a program with the module would have written it (this SQLite has no "vec0" to create it with):
    // straight into sqlite_master, which SQLite's defensive mode (Deno's default) refuses.
    const db = new DatabaseSync(path, { defensive: false } as ConstructorParameters<typeof DatabaseSync>[1]);
    db.exec("PRAGMA writable_schema = ON");
    db.prepare("INSERT INTO sqlite_master VALUES ('table', ?, ?, 0, ?)").run(
      "embeddings",
      "embeddings",
      "CREATE VIRTUAL TABLE embeddings USING vec0(vector float[4])",
    );
    db.close();
    const store = SqliteStore.open(path);
    try {
      const runId = (await store.createRun({ experimentId: "0", startTime: 1 })).info.runId;
      await store.logBatch(runId, { metrics: [{ key: "m", value: 1, timestamp: 1, step: 0 }] });
      assert.equal((await store.getRun(runId)).data.metrics.m, 1);
    } finally {
      await store.close();
    }
  }));

Deno.test("a database without MLflow's core tables or columns is refused with a hint", () =>
  withTempDir(async (dir) => {
    const foreign = new DatabaseSync(join(dir, "foreign.db"));
    foreign.exec("CREATE TABLE people (name TEXT)");
    foreign.close();
    assert.throws(() => SqliteStore.open(join(dir, "foreign.db")), (e: unknown) => {
      assert.ok(e instanceof TrackingError);
      assert.equal(e.code, "tracking/not-an-mlflow-database");
      assert.match(e.message, /people/);
      return true;
    });
    const path = join(dir, "old.db");
    await SqliteStore.open(path).close();
    const old = new DatabaseSync(path);
    old.exec("ALTER TABLE runs DROP COLUMN deleted_time");
    old.close();
    assert.throws(() => SqliteStore.open(path), (e: unknown) => {
      assert.ok(e instanceof TrackingError);
      assert.equal(e.code, "tracking/unsupported-schema");
      assert.match(e.message, /deleted_time/);
      assert.match(e.hint ?? "", /mlflow db upgrade/);
      return true;
    });
  }));

Deno.test("a database at an older MLflow revision, or with no revision, is refused as MLflow refuses it, untouched", () =>
  withTempDir(async (dir) => {
    const path = join(dir, "old.db");
    await SqliteStore.open(path).close();
    const refused = async (fragments: string[]) => {
      const before = await Deno.readFile(path);
      assert.throws(() => SqliteStore.open(path), (e: unknown) => {
        assert.ok(e instanceof TrackingError);
        assert.equal(e.code, "tracking/unsupported-schema");
        for (const f of fragments) {
          assert.ok(`${e.message} / ${e.hint}`.includes(f), `${e.message} / ${e.hint}`);
        }
        return true;
      });
      assert.deepEqual(await Deno.readFile(path), before, "the database is left as it was");
    };
    const edit = (sql: string) => {
      const db = new DatabaseSync(path);
      db.exec(sql);
      db.close();
    };
    // MLflow 2.17.2 says "Detected out-of-date database schema" for every revision before its head.
    edit("UPDATE alembic_version SET version_num = '97727af70f4d'");
    await refused([
      "out-of-date database schema (found version 97727af70f4d, but expected f5a4f2784254)",
      `mlflow db upgrade sqlite:///${path}`,
    ]);
    edit("DELETE FROM alembic_version");
    await refused(["table alembic_version holds no revision", "mlflow db upgrade"]);
    edit("DROP TABLE alembic_version");
    await refused(["table alembic_version is missing", "mlflow db upgrade"]);
  }));
