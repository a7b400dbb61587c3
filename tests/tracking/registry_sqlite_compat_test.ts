/**
 * kmlf's SQLite registry writes into a database MLflow 2.17.2 created (the recorded `mlflow.db`) the
 * rows MLflow's `SqlAlchemyStore` writes: same columns and values (stage 'None', status 'READY',
 * `storage_location`, ms timestamps, integer versions), the schema untouched, every foreign key
 * satisfied — so MLflow's ORM reads them back.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";
import { SqliteStore } from "../../lib/tracking/mod.ts";

const RECORDED_DB = fileURLToPath(new URL("../fixtures/mlflow-2.17.2/sqlite/mlflow.db", import.meta.url));

function rows(db: DatabaseSync, sql: string): Record<string, unknown>[] {
  return db.prepare(sql).all().map((r) => ({ ...r }));
}

Deno.test("registry writes into MLflow's recorded database are the rows MLflow writes, schema untouched", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-registry-compat-" });
  const path = join(dir, "mlflow.db");
  await Deno.copyFile(RECORDED_DB, path);
  const schemaBefore = rows(
    new DatabaseSync(path, { readOnly: true }),
    "SELECT type, name, sql FROM sqlite_master",
  );
  const store = SqliteStore.open(path);
  const run = "56bc687801a444c08e46049e1888cec7"; // iris-logreg, recorded by MLflow
  const before = Date.now();
  const source = `file:///fixture/artifacts/1/${run}/artifacts/model`;
  try {
    const r = store.registry;
    await r.createRegisteredModel("iris", { tags: { team: "ml" }, description: "demo" });
    await r.createModelVersion("iris", source, {
      runId: run,
      description: "",
      runLink: "",
      tags: { k: "v" },
    });
    await r.createModelVersion("iris", source, { runId: run });
    await r.setRegisteredModelAlias("iris", "champion", "1");
    await r.transitionModelVersionStage("iris", "1", "Production");
    await r.deleteModelVersion("iris", "2");
    await r.createRegisteredModel("copy");
    await r.createModelVersion("copy", "models:/iris@champion");
    await r.renameRegisteredModel("copy", "copy2");
  } finally {
    await store.close();
  }
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    assert.deepEqual(
      rows(db, "SELECT type, name, sql FROM sqlite_master"),
      schemaBefore,
      "the schema is MLflow's",
    );
    assert.deepEqual(rows(db, "PRAGMA foreign_key_check"), []);
    assert.deepEqual(rows(db, "PRAGMA integrity_check"), [{ integrity_check: "ok" }]);
    const models = rows(db, "SELECT * FROM registered_models ORDER BY name");
    assert.deepEqual(models.map((m) => [m.name, m.description]), [["copy2", null], ["iris", "demo"]]);
    for (const m of models) {
      assert.equal(typeof m.creation_time, "number");
      assert.ok((m.creation_time as number) >= before, "ms since the epoch");
      assert.ok((m.last_updated_time as number) >= (m.creation_time as number));
    }
    const versions = rows(
      db,
      "SELECT name, version, typeof(version) AS t, current_stage, source, run_id, status, status_message, " +
        "run_link, storage_location, user_id, description FROM model_versions ORDER BY name, version",
    );
    assert.deepEqual(versions, [
      {
        name: "copy2",
        version: 1,
        t: "integer",
        current_stage: "None",
        source: "models:/iris@champion",
        run_id: null,
        status: "READY",
        status_message: null,
        run_link: null,
        storage_location: source,
        user_id: null,
        description: null,
      },
      {
        name: "iris",
        version: 1,
        t: "integer",
        current_stage: "Production",
        source,
        run_id: run,
        status: "READY",
        status_message: null,
        run_link: "",
        storage_location: source,
        user_id: null,
        description: "",
      },
      {
        // MLflow's delete_model_version: the row stays, redacted, in stage Deleted_Internal.
        name: "iris",
        version: 2,
        t: "integer",
        current_stage: "Deleted_Internal",
        source: "REDACTED-SOURCE-PATH",
        run_id: "REDACTED-RUN-ID",
        status: "READY",
        status_message: null,
        run_link: "REDACTED-RUN-LINK",
        storage_location: source,
        user_id: null,
        description: null,
      },
    ]);
    assert.deepEqual(rows(db, "SELECT * FROM registered_model_tags"), [{
      key: "team",
      value: "ml",
      name: "iris",
    }]);
    assert.deepEqual(rows(db, "SELECT * FROM model_version_tags"), [{
      key: "k",
      value: "v",
      name: "iris",
      version: 1,
    }]);
    assert.deepEqual(rows(db, "SELECT * FROM registered_model_aliases"), [
      { alias: "champion", version: 1, name: "iris" },
    ]);
    // The tracking data MLflow recorded is untouched.
    assert.equal(rows(db, "SELECT count(*) AS n FROM runs")[0].n, 8);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("registry rows MLflow's ORM wrote (stage names, text versions of old clients) read back", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-registry-compat-" });
  const path = join(dir, "mlflow.db");
  await Deno.copyFile(RECORDED_DB, path);
  const db = new DatabaseSync(path);
  db.exec(`
    INSERT INTO registered_models VALUES ('m', 1700000000000, 1700000000500, NULL);
    INSERT INTO model_versions (name, version, creation_time, last_updated_time, description, user_id, current_stage,
      source, run_id, status, status_message, run_link, storage_location)
    VALUES ('m', 1, 1700000000100, 1700000000100, NULL, NULL, 'Staging', 's3://b/1', 'r', 'READY', NULL, NULL, NULL),
           ('m', 2, 1700000000200, 1700000000200, '', 'ann', 'None', 's3://b/2', 'r', 'PENDING_REGISTRATION', 'copying', '', 's3://copy/2');
    INSERT INTO registered_model_aliases VALUES ('prod', 1, 'm');
  `);
  db.close();
  const store = SqliteStore.open(path);
  try {
    const model = await store.registry.getRegisteredModel("m");
    assert.deepEqual(model.latestVersions.map((v) => [v.version, v.currentStage]), [["1", "Staging"], [
      "2",
      "None",
    ]]);
    assert.deepEqual(model.aliases, { prod: "1" });
    const v2 = await store.registry.getModelVersion("m", "2");
    assert.equal(v2.status, "PENDING_REGISTRATION");
    assert.equal(v2.statusMessage, "copying");
    assert.equal(v2.userId, "ann");
    assert.equal(await store.registry.getModelVersionDownloadUri("m", "2"), "s3://copy/2");
    assert.equal(
      await store.registry.getModelVersionDownloadUri("m", "1"),
      "s3://b/1",
      "no storage_location: source",
    );
    assert.equal((await store.registry.createModelVersion("m", "s3://b/3")).version, "3");
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
