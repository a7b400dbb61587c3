/** Model URIs: every form parses, bad ones say which form was meant, `models:/` resolves through the registry. */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { loadModel } from "../../lib/models/mod.ts";
import {
  parseModelUri,
  resolveModel,
  RestStore,
  SqliteStore,
  type TrackingStore,
} from "../../lib/tracking/mod.ts";
import { TrackingError } from "../../lib/errors.ts";
import { trainedRulesProject } from "./model_helpers.ts";

Deno.test("every model URI form parses", () => {
  const id = "0123456789abcdef0123456789abcdef";
  assert.deepEqual(parseModelUri(`runs:/${id}/model`), {
    kind: "runs",
    uri: `runs:/${id}/model`,
    runId: id,
    path: "model",
  });
  assert.deepEqual(
    parseModelUri(`runs:/${id}/sub/model/`).kind === "runs" && parseModelUri(`runs:/${id}/sub/model/`),
    {
      kind: "runs",
      uri: `runs:/${id}/sub/model/`,
      runId: id,
      path: "sub/model",
    },
  );
  assert.deepEqual(parseModelUri("models:/iris/3"), {
    kind: "models",
    uri: "models:/iris/3",
    name: "iris",
    version: "3",
  });
  assert.deepEqual(parseModelUri("models:/iris/production"), {
    kind: "models",
    uri: "models:/iris/production",
    name: "iris",
    stage: "Production",
  });
  assert.deepEqual(parseModelUri("models:/iris/latest"), {
    kind: "models",
    uri: "models:/iris/latest",
    name: "iris",
    latest: true,
  });
  assert.deepEqual(parseModelUri("models:/iris@champion"), {
    kind: "models",
    uri: "models:/iris@champion",
    name: "iris",
    alias: "champion",
  });
  assert.deepEqual(parseModelUri("mlflow-artifacts:/1/abc/artifacts/model"), {
    kind: "mlflow-artifacts",
    uri: "mlflow-artifacts:/1/abc/artifacts/model",
    path: "1/abc/artifacts/model",
  });
  assert.equal((parseModelUri("file:///tmp/m") as { path: string }).path, "/tmp/m");
  assert.equal((parseModelUri("m", { baseDir: "/base" }) as { path: string }).path, "/base/m");
});

Deno.test("bad model URIs are errors that show the right form", () => {
  const cases: [string, RegExp][] = [
    ["", /it is empty/],
    ["runs:/", /no run id/],
    ["runs:/0123456789abcdef0123456789abcdef", /no artifact path after the run id.*\n?/],
    ["runs:/abc/../x", /'\.\.' is not allowed/],
    ["runs:/abc/model/%2e%2e/%2E%2E/x", /'\.\.' is not allowed/],
    ["mlflow-artifacts:/1/abc/artifacts/../../../x", /'\.\.' is not allowed/],
    ["mlflow-artifacts:/1/%2e%2e/%2e%2e/%2e%2e/x", /'\.\.' is not allowed/],
    ["models:/iris", /expected a registered model name and a version/],
    ["models:/iris/champion", /neither a version number, a stage/],
    ["models:/m-0123abcd", /MLflow 3 logged-model ids/],
    ["s3://bucket/model", /the scheme "s3:" is not supported/],
  ];
  for (const [uri, message] of cases) {
    assert.throws(
      () => parseModelUri(uri),
      (e: unknown) => e instanceof TrackingError && e.code === "model/bad-uri" && message.test(e.message),
      uri,
    );
  }
  assert.throws(
    () => parseModelUri("models:/iris/champion"),
    (e: TrackingError) => /models:\/iris@champion/.test(e.hint!),
  );
});

Deno.test("models:/ URIs resolve through the store's registry: version, stage, latest, alias", async () => {
  const t = await trainedRulesProject();
  try {
    const db = new DatabaseSync(t.store);
    db.exec(`
      INSERT INTO registered_models VALUES ('rules', 1000, 3000, NULL);
      INSERT INTO model_versions (name, version, creation_time, last_updated_time, description, user_id, current_stage,
        source, run_id, status, status_message, run_link, storage_location)
      VALUES ('rules', 1, 1000, 1000, NULL, 'ann', 'Production', 'runs:/${t.runId}/model', '${t.runId}', 'READY', NULL, NULL, NULL),
             ('rules', 2, 2000, 2000, NULL, 'ann', 'None', 'runs:/${t.runId}/nothing', '${t.runId}', 'READY', NULL, NULL, NULL);
      INSERT INTO registered_model_aliases VALUES ('champion', 1, 'rules');
    `);
    db.close();
    const store = SqliteStore.open(t.store);
    const options = { store, cacheDir: join(t.base, "cache") };
    for (const uri of ["models:/rules/1", "models:/rules/Production", "models:/rules@champion"]) {
      const resolved = await resolveModel(uri, options);
      assert.equal(resolved.runId, t.runId, uri);
      assert.equal(resolved.version?.version, "1", uri);
      const model = await loadModel(uri, options);
      assert.equal(model.metadata.runId, t.runId);
    }
    await assert.rejects(
      () => resolveModel("models:/rules/latest", options),
      /No model at runs:\/\w+\/nothing/,
    );
    await assert.rejects(
      () => resolveModel("models:/rules@challenger", options),
      /has no alias "challenger"/,
    );
    await assert.rejects(() => resolveModel("models:/rules/Staging", options), /no version in stage Staging/);
    // An unknown version or model says what there is (MLflow's "not found" names neither).
    await assert.rejects(
      () => resolveModel("models:/rules/7", options),
      (e: Error & { code?: string; hint?: string }) =>
        e.code === "model/unknown-version" && /has no version 7/.test(e.message) &&
        e.hint === "its versions: 2, 1; or use models:/rules/latest",
    );
    for (const uri of ["models:/rulez/1", "models:/rulez/latest", "models:/rulez@champion"]) {
      await assert.rejects(
        () => resolveModel(uri, options),
        (e: Error & { code?: string; hint?: string }) =>
          e.code === "model/unknown-model" && /No registered model "rulez" in sqlite:/.test(e.message) &&
          e.hint === "registered models: rules",
        uri,
      );
    }
    await assert.rejects(
      () => resolveModel("runs:/ffffffffffffffffffffffffffffffff/model", options),
      /Cannot find run ffff/,
    );
    await store.close();
  } finally {
    await Deno.remove(t.base, { recursive: true });
  }
});

Deno.test("a folder without MLmodel, or a model of another flavor, is a clear error", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(() => loadModel(dir), /holds no MLmodel file/);
    await Deno.copyFile(
      new URL("../fixtures/mlflow-2.17.2/model/logged_model/MLmodel", import.meta.url),
      join(dir, "MLmodel"),
    );
    await assert.rejects(() => loadModel(dir), /has no kmlf flavor \(flavors: python_function\)/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a registry that cannot be reached keeps its own error (not 'no registered model')", async () => {
  const unreachable = () =>
    Promise.reject(new TrackingError("tracking/server-unreachable", "Cannot GET http://127.0.0.1:1/…"));
  // Only what resolving a models:/ URI calls: every registry read fails as an unreachable server does.
  const store = {
    uri: "http://127.0.0.1:1",
    kind: "rest",
    registry: {
      getModelVersion: unreachable,
      getModelVersionByAlias: unreachable,
      getLatestVersions: unreachable,
      getRegisteredModel: unreachable,
    },
  } as unknown as TrackingStore;
  for (const uri of ["models:/iris/1", "models:/iris@champion", "models:/iris/latest"]) {
    await assert.rejects(
      () => resolveModel(uri, { store, cacheDir: "/nonexistent" }),
      (e: Error & { code?: string }) => e.code === "tracking/server-unreachable",
      uri,
    );
  }
});

Deno.test("a runs:/ URI of a run the store lacks names the store without its password", async () => {
  // Nothing listens on port 1: the run cannot be found, and the error names where it looked.
  const store = new RestStore("http://ml:hunter2@127.0.0.1:1", {
    env: () => undefined,
    maxRetries: 0,
    backoffMs: 1,
  });
  try {
    await assert.rejects(
      () => resolveModel("runs:/ffffffffffffffffffffffffffffffff/model", { store, cacheDir: "/nonexistent" }),
      (e: TrackingError) => {
        assert.equal(e.code, "model/run-not-found");
        assert.ok(!e.message.includes("hunter2") && e.message.includes("127.0.0.1:1"), e.message);
        return true;
      },
    );
  } finally {
    await store.close();
  }
});
