/** Model URIs: every form parses, bad ones say which form was meant, `models:/` resolves through the registry. */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { loadModel } from "../../lib/models/mod.ts";
import {
  openStore,
  parseModelUri,
  registerModel,
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
    ["file://server/share/model", /^Cannot use model URI "file:\/\/server\/share\/model": File URL host/],
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

Deno.test("a version that is not a whole number, or an alias the registry cannot hold, is named as such", () => {
  // Meant as versions: the hint shows a version, not an alias named "-1".
  for (const suffix of ["-1", "1.5", " 2", "1e3", "+3"]) {
    assert.throws(
      () => parseModelUri(`models:/iris/${suffix}`),
      (e: TrackingError) =>
        e.code === "model/bad-uri" && e.message.includes(`"${suffix}" is not a version number`) &&
        e.hint === "write models:/iris/1, or models:/iris/latest for the newest version",
      suffix,
    );
  }
  // Not an alias name either: no models:/iris@a b suggestion.
  assert.throws(
    () => parseModelUri("models:/iris/a b"),
    (e: TrackingError) => /neither a version number/.test(e.message) && !e.hint!.includes("@a b"),
  );
  for (const alias of ["bad alias", "x.y", "a%2f"]) {
    assert.throws(
      () => parseModelUri(`models:/iris@${alias}`),
      (e: TrackingError) =>
        e.code === "model/bad-uri" && e.message.includes(`"${alias}" is not an alias name`),
      alias,
    );
  }
  assert.equal((parseModelUri("models:/iris@é_1") as { alias: string }).alias, "é_1");
  // Python's int(): leading zeros go, every digit stays.
  assert.equal((parseModelUri("models:/iris/007") as { version: string }).version, "7");
  assert.equal(
    (parseModelUri("models:/iris/000123456789012345678901") as { version: string }).version,
    "123456789012345678901",
  );
});

Deno.test("a registered version whose run is gone loads from its source; whose files are gone, says so", async () => {
  const t = await trainedRulesProject();
  try {
    let store: TrackingStore = SqliteStore.open(t.store);
    const root = (await store.getRun(t.runId)).info.artifactUri;
    await store.close();
    // What MLflow's gc leaves: versions whose run row is deleted (the files of one of them too).
    const gone = "ffffffffffffffffffffffffffffffff";
    const db = new DatabaseSync(t.store);
    db.exec(`
      INSERT INTO registered_models VALUES ('rules', 1000, 3000, NULL);
      INSERT INTO model_versions (name, version, creation_time, last_updated_time, description, user_id, current_stage,
        source, run_id, status, status_message, run_link, storage_location)
      VALUES ('rules', 1, 1000, 1000, NULL, 'ann', 'None', '${root}/model', '${gone}', 'READY', NULL, NULL, NULL),
             ('rules', 2, 2000, 2000, NULL, 'ann', 'None', '${root}/lost', '${gone}', 'READY', NULL, NULL, NULL);
      INSERT INTO registered_model_aliases VALUES ('champion', 2, 'rules');
    `);
    db.close();
    store = SqliteStore.open(t.store);
    const options = { store, cacheDir: join(t.base, "cache") };
    const model = await loadModel("models:/rules/1", options);
    assert.equal(model.metadata.runId, t.runId);
    assert.equal(model.origin?.registered?.version, "1");
    for (const uri of ["models:/rules/2", "models:/rules@champion"]) {
      await assert.rejects(
        () => resolveModel(uri, options),
        (e: Error & { code?: string; hint?: string }) =>
          e.code === "model/version-files-missing" &&
          e.message === `Cannot load ${uri}: registered model "rules" version 2 has no model at its source ` +
              `${root}/lost` &&
          /kmlf models alias rules <alias> <version>/.test(e.hint!),
        uri,
      );
    }
    await store.close();
  } finally {
    await Deno.remove(t.base, { recursive: true });
  }
});

Deno.test("a version registered from a models:/ URI keeps the files it was registered with", async () => {
  const t = await trainedRulesProject();
  const store = SqliteStore.open(t.store);
  try {
    const root = (await store.getRun(t.runId)).info.artifactUri;
    const registry = store.registry;
    await registry.createRegisteredModel("rules");
    await registry.createModelVersion("rules", `${root}/model`, { runId: t.runId });
    await registry.createModelVersion("rules", `${root}/lost`, { runId: t.runId });
    await registry.setRegisteredModelAlias("rules", "champion", "1");
    const copy = await registerModel(store, "models:/rules@champion", "copy");
    assert.equal(copy.source, "models:/rules@champion");
    // The alias moves to a version with no model, then version 1 is deleted: MLflow still loads the copy
    // from its storage location, where following the URI again found the other version, or none.
    await registry.setRegisteredModelAlias("rules", "champion", "2");
    await registry.deleteModelVersion("rules", "1");
    const options = { store, cacheDir: join(t.base, "cache") };
    const model = await loadModel("models:/copy/1", options);
    assert.equal(model.metadata.runId, t.runId);
    assert.equal(model.origin?.registered?.name, "copy");
  } finally {
    await store.close();
    await Deno.remove(t.base, { recursive: true });
  }
});

Deno.test("a models:/ name the file store refuses to look up is the URI's error", async () => {
  const dir = await Deno.makeTempDir();
  const store = await openStore(join(dir, "mlruns"));
  try {
    for (const uri of ["models:/../1", "models:/..@champion", "models:/../latest"]) {
      await assert.rejects(
        () => resolveModel(uri, { store, cacheDir: join(dir, "cache") }),
        (e: Error & { code?: string }) =>
          e.code === "model/bad-uri" &&
          e.message.startsWith(`Cannot use model URI "${uri}": Invalid name: '..'`),
        uri,
      );
    }
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
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
    // Said of the version the user named, with the source that holds nothing.
    await assert.rejects(
      () => resolveModel("models:/rules/latest", options),
      (e: Error & { code?: string; hint?: string }) =>
        e.code === "model/version-files-missing" &&
        /^Cannot load models:\/rules\/latest: registered model "rules" version 2 has no model at its source runs:\/\w+\/nothing/
          .test(e.message) &&
        /kmlf models register -m runs:\/<run_id>\/model -n rules/.test(e.hint!),
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
    // A path of the run that holds no model (missing, a file, a folder of other artifacts) names the ones
    // that do, as kmlf models register does.
    for (const path of ["modle", "model/MLmodel", "kmlf"]) {
      await assert.rejects(
        () => resolveModel(`runs:/${t.runId}/${path}`, options),
        (e: Error & { code?: string; hint?: string }) =>
          e.code === "model/not-found" && e.message === `No model at runs:/${t.runId}/${path}` &&
          e.hint === `the run's models: runs:/${t.runId}/model`,
        path,
      );
    }
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
    // The MLmodel file itself is a file, not a folder that "does not exist": its folder is the fix.
    const file = join(dir, "MLmodel");
    await assert.rejects(() => loadModel(file), (e: TrackingError) => {
      assert.equal(e.code, "model/not-found");
      assert.equal(e.message, `${file} is a file, not a model folder`);
      assert.equal(e.hint, `pass the folder holding it: ${dir}`);
      return true;
    });
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

Deno.test("an unknown version lists the versions of exactly the model named, a backslash or quote in its name too", async () => {
  const store = SqliteStore.open(":memory:");
  try {
    // "a\\" and "a\" differ by one backslash; a filter that leaves backslashes unescaped finds the other.
    const names = { "a\\": 1, "a\\\\": 3, "x\\'y": 2 };
    for (const [name, count] of Object.entries(names)) {
      await store.registry.createRegisteredModel(name);
      for (let i = 0; i < count; i++) await store.registry.createModelVersion(name, `s3://bucket/${i}`);
    }
    for (const [name, count] of Object.entries(names)) {
      const versions = Array.from({ length: count }, (_, i) => count - i).join(", ");
      await assert.rejects(
        () => resolveModel(`models:/${name}/9`, { store, cacheDir: "unused" }),
        (e: Error & { code?: string; hint?: string }) =>
          e.code === "model/unknown-version" &&
          e.hint === `its versions: ${versions}; or use models:/${name}/latest`,
        name,
      );
    }
  } finally {
    await store.close();
  }
});
