/** The model registry of an MLflow SQLite database as MLflow writes it, served through kmlf's REST API. */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { createRequestHandler } from "../../lib/server/mod.ts";
import { FileStore, SqliteStore } from "../../lib/tracking/mod.ts";

/** Rows as MLflow's SqlAlchemyStore writes them for two models, one version deleted. */
function seedRegistry(path: string) {
  const db = new DatabaseSync(path);
  db.exec(`
    INSERT INTO registered_models VALUES ('iris-classifier', 1000, 3000, 'the demo model');
    INSERT INTO registered_models VALUES ('other', 1500, 1500, NULL);
    INSERT INTO registered_model_tags VALUES ('team', 'ml', 'iris-classifier');
    INSERT INTO model_versions (name, version, creation_time, last_updated_time, description, user_id, current_stage,
      source, run_id, status, status_message, run_link, storage_location)
    VALUES ('iris-classifier', 1, 1000, 1000, NULL, 'ann', 'None', 'models:/m-1', 'aaaa', 'READY', NULL, NULL, NULL),
           ('iris-classifier', 2, 2000, 2000, NULL, 'ann', 'Production', 'models:/m-2', 'bbbb', 'READY', NULL, NULL, NULL),
           ('iris-classifier', 3, 3000, 3000, NULL, 'ann', 'Deleted_Internal', 'models:/m-3', 'cccc', 'READY', NULL, NULL, NULL);
    INSERT INTO model_version_tags VALUES ('validated', 'yes', 'iris-classifier', 2);
    INSERT INTO registered_model_aliases VALUES ('champion', 2, 'iris-classifier');
  `);
  db.close();
}

Deno.test("registered models and versions that MLflow wrote into its database are served as MLflow serves them", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-registry-" });
  const path = join(dir, "mlflow.db");
  SqliteStore.open(path).close();
  seedRegistry(path);
  const store = SqliteStore.open(path);
  const handle = createRequestHandler(store, { artifactsDestination: join(dir, "a") });
  const get = async (rpc: string, query: Record<string, string | string[]>) => {
    const url = new URL(`http://127.0.0.1/api/2.0/mlflow/${rpc}`);
    for (const [k, v] of Object.entries(query)) for (const x of [v].flat()) url.searchParams.append(k, x);
    const res = await handle(new Request(url));
    return { status: res.status, body: await res.json() };
  };
  try {
    let r = await get("registered-models/search", { filter: "name LIKE 'iris%'" });
    assert.equal(r.status, 200);
    assert.equal(r.body.registered_models.length, 1);
    const model = r.body.registered_models[0];
    assert.equal(model.description, "the demo model");
    assert.deepEqual(model.tags, [{ key: "team", value: "ml" }]);
    assert.deepEqual(model.aliases, [{ alias: "champion", version: "2" }]);
    assert.deepEqual(
      model.latest_versions.map((
        v: { version: string; current_stage: string },
      ) => [v.version, v.current_stage]),
      [
        ["1", "None"],
        ["2", "Production"],
      ],
    );
    r = await get("model-versions/search", { filter: "run_id IN ('bbbb', 'cccc')" });
    assert.deepEqual(
      r.body.model_versions.map((v: { version: string }) => v.version),
      ["2"],
      "deleted versions are hidden",
    );
    assert.deepEqual(r.body.model_versions[0].aliases, ["champion"]);
    assert.deepEqual(r.body.model_versions[0].tags, [{ key: "validated", value: "yes" }]);
    r = await get("model-versions/get-download-uri", { name: "iris-classifier", version: "1" });
    assert.deepEqual(r.body, { artifact_uri: "models:/m-1" });
    r = await get("registered-models/search", { max_results: "1" });
    assert.equal(r.body.registered_models.length, 1);
    assert.ok(r.body.next_page_token);
    r = await get("registered-models/get", { name: "nope" });
    assert.equal(r.status, 404);
    assert.equal(r.body.error_code, "RESOURCE_DOES_NOT_EXIST");
    r = await get("model-versions/search", { filter: "bogus = 'y'" });
    assert.equal(r.status, 400);
    assert.match(r.body.message, /Invalid attribute key 'bogus' specified/);
    r = await get("registered-models/alias", { name: "iris-classifier", alias: "champion" });
    assert.equal(r.body.model_version.version, "2");
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a file store's registry is served too, and unknown registry paths and wrong methods are refused", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-registry-" });
  const store = await FileStore.open(join(dir, "mlruns"));
  try {
    const handle = createRequestHandler(store, { artifactsDestination: join(dir, "a") });
    const created = await handle(
      new Request("http://127.0.0.1/api/2.0/mlflow/registered-models/create", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "iris" }),
      }),
    );
    assert.equal(created.status, 200);
    assert.equal((await created.json()).registered_model.name, "iris");
    const search = await handle(new Request("http://127.0.0.1/ajax-api/2.0/mlflow/registered-models/search"));
    assert.deepEqual((await search.json()).registered_models.map((m: { name: string }) => m.name), ["iris"]);
    const unknown = await handle(new Request("http://127.0.0.1/api/2.0/mlflow/registered-models/nope"));
    assert.equal(unknown.status, 404);
    await unknown.body?.cancel();
    const wrong = await handle(new Request("http://127.0.0.1/api/2.0/mlflow/registered-models/create"));
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get("allow"), "OPTIONS, POST");
    await wrong.body?.cancel();
    const options = await handle(
      new Request("http://127.0.0.1/api/2.0/mlflow/registered-models/alias", { method: "OPTIONS" }),
    );
    assert.equal(options.headers.get("allow"), "DELETE, GET, HEAD, OPTIONS, POST"); // as Flask answers
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
