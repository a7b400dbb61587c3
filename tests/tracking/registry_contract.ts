/**
 * The contract every store's model registry honours (`store.registry`): registered models, versions,
 * stages, tags, aliases, searches and download URIs, with MLflow's codes. Register it with
 * `runRegistryContract("file", factory)`; the factories are the tracking contract's.
 */
import assert from "node:assert/strict";
import { type ModelRegistryStore, registerModel, type TrackingStore } from "../../lib/tracking/mod.ts";
import { contractTest, rejectsWith, type StoreFactory } from "./store_contract_helpers.ts";
import { registrySearchContract } from "./registry_contract_search.ts";

/** Creates `name` with versions from sources `s1…sN`. */
export async function modelWithVersions(
  registry: ModelRegistryStore,
  name: string,
  count: number,
): Promise<void> {
  await registry.createRegisteredModel(name);
  for (let i = 1; i <= count; i++) await registry.createModelVersion(name, `s3://bucket/${name}/s${i}`);
}

/**
 * Registers the registry contract tests for one store implementation.
 *
 * @example
 * ```ts
 * runRegistryContract("sqlite", async () => ({ store: SqliteStore.open(":memory:"), dispose: async () => {} }));
 * ```
 */
export function runRegistryContract(name: string, make: StoreFactory): void {
  const base = contractTest(`${name} registry`, make);
  const test = (title: string, fn: (registry: ModelRegistryStore, store: TrackingStore) => Promise<void>) =>
    base(title, (store) => fn(store.registry, store));

  test("creates a model with tags and a description, and gets it back", async (r) => {
    const before = Date.now();
    const created = await r.createRegisteredModel("iris", { tags: { team: "ml" }, description: "the demo" });
    assert.equal(created.name, "iris");
    assert.deepEqual(created.tags, { team: "ml" });
    assert.equal(created.description, "the demo");
    assert.deepEqual(created.latestVersions, []);
    assert.deepEqual(created.aliases, {});
    assert.ok(created.creationTimestamp! >= before - 1000);
    assert.equal(created.lastUpdatedTimestamp, created.creationTimestamp);
    assert.deepEqual(await r.getRegisteredModel("iris"), created);
  });

  test("refuses a taken name, an empty name and unknown models with MLflow's codes", async (r) => {
    await r.createRegisteredModel("iris");
    await rejectsWith(
      r.createRegisteredModel("iris"),
      "RESOURCE_ALREADY_EXISTS",
      "Registered Model (name=iris) already exists",
    );
    await rejectsWith(r.createRegisteredModel(""), "INVALID_PARAMETER_VALUE");
    await rejectsWith(
      r.getRegisteredModel("nope"),
      "RESOURCE_DOES_NOT_EXIST",
      "Registered Model with name=nope not found",
    );
    await rejectsWith(r.getRegisteredModel("IRIS"), "RESOURCE_DOES_NOT_EXIST");
    await rejectsWith(r.createModelVersion("nope", "s3://b/m"), "RESOURCE_DOES_NOT_EXIST", "nope");
    await rejectsWith(
      r.createRegisteredModel("t", { tags: { "bad key!": "v" } }),
      "INVALID_PARAMETER_VALUE",
      "bad key!",
    );
    await rejectsWith(r.getRegisteredModel("t"), "RESOURCE_DOES_NOT_EXIST");
  });

  test("refuses NUL characters and over-long names when storing, and finds no model by such a name", async (r) => {
    await rejectsWith(r.createRegisteredModel("a\u0000b"), "INVALID_PARAMETER_VALUE", "control characters");
    await rejectsWith(
      r.createRegisteredModel("n".repeat(257)),
      "INVALID_PARAMETER_VALUE",
      "exceeded length limit of 256",
    );
    await rejectsWith(r.getRegisteredModel("a\u0000b"), "RESOURCE_DOES_NOT_EXIST");
    await rejectsWith(r.getRegisteredModel("n".repeat(300)), "RESOURCE_DOES_NOT_EXIST");
    await rejectsWith(
      r.createRegisteredModel("m", { description: "a\u0000" }),
      "INVALID_PARAMETER_VALUE",
      "NUL",
    );
    await r.createRegisteredModel("m");
    await rejectsWith(r.setRegisteredModelTag("m", "k", "v\u0000"), "INVALID_PARAMETER_VALUE", "NUL");
    await rejectsWith(r.updateRegisteredModel("m", "\u0000"), "INVALID_PARAMETER_VALUE", "NUL");
    await rejectsWith(r.createModelVersion("m", "s3://b/\u0000"), "INVALID_PARAMETER_VALUE");
    assert.equal((await r.createModelVersion("m", "s3://b/m")).version, "1");
  });

  test("refuses a description or run link wider than MLflow's columns in every store, keeping one at the width", async (r) => {
    const wide = "d".repeat(5001);
    const limit = "exceeded length limit of 5000";
    await rejectsWith(r.createRegisteredModel("w", { description: wide }), "INVALID_PARAMETER_VALUE", limit);
    await r.createRegisteredModel("w", { description: "d".repeat(5000) });
    await rejectsWith(r.updateRegisteredModel("w", wide), "INVALID_PARAMETER_VALUE", limit);
    await rejectsWith(
      r.createModelVersion("w", "s3://b/m", { description: wide }),
      "INVALID_PARAMETER_VALUE",
      limit,
    );
    await rejectsWith(
      r.createModelVersion("w", "s3://b/m", { runLink: `http://ui/${"r".repeat(500)}` }),
      "INVALID_PARAMETER_VALUE",
      "exceeded length limit of 500",
    );
    const v1 = await r.createModelVersion("w", "s3://b/m", { description: "d".repeat(5000) });
    await rejectsWith(r.updateModelVersion("w", v1.version, wide), "INVALID_PARAMETER_VALUE", limit);
    assert.equal((await r.getModelVersion("w", v1.version)).description, "d".repeat(5000));
    assert.equal((await r.getRegisteredModel("w")).description, "d".repeat(5000));
  });

  test("numbers versions 1, 2, 3 and records source, run, link, description and tags", async (r) => {
    await r.createRegisteredModel("iris");
    const v1 = await r.createModelVersion("iris", "s3://bucket/m1", {
      runId: "a".repeat(32),
      runLink: "http://ui/#/runs/a",
      description: "first",
      tags: { validated: "yes" },
    });
    assert.equal(v1.version, "1");
    assert.equal(v1.name, "iris");
    assert.equal(v1.source, "s3://bucket/m1");
    assert.equal(v1.runId, "a".repeat(32));
    assert.equal(v1.runLink, "http://ui/#/runs/a");
    assert.equal(v1.description, "first");
    assert.equal(v1.currentStage, "None");
    assert.equal(v1.status, "READY");
    assert.deepEqual(v1.tags, { validated: "yes" });
    assert.deepEqual(v1.aliases, []);
    assert.deepEqual(await r.getModelVersion("iris", "1"), v1);
    assert.equal((await r.createModelVersion("iris", "s3://bucket/m2")).version, "2");
    assert.equal((await r.createModelVersion("iris", "s3://bucket/m3")).version, "3");
    const model = await r.getRegisteredModel("iris");
    assert.deepEqual(model.latestVersions.map((v) => [v.version, v.currentStage]), [["3", "None"]]);
    assert.ok(model.lastUpdatedTimestamp! >= model.creationTimestamp!);
  });

  test("reads versions written as ' 2 ' or '02' as version 2, and refuses non-integers", async (r) => {
    await modelWithVersions(r, "m", 2);
    assert.equal((await r.getModelVersion("m", " 2 ")).version, "2");
    assert.equal((await r.getModelVersion("m", "02")).version, "2");
    await rejectsWith(
      r.getModelVersion("m", "1.0"),
      "INVALID_PARAMETER_VALUE",
      "Model version must be an integer, got '1.0'",
    );
    await rejectsWith(r.getModelVersion("m", "abc"), "INVALID_PARAMETER_VALUE", "got 'abc'");
    await rejectsWith(
      r.getModelVersion("m", "3"),
      "RESOURCE_DOES_NOT_EXIST",
      "Model Version (name=m, version=3) not found",
    );
  });

  test("updates the descriptions of models and versions", async (r) => {
    await modelWithVersions(r, "m", 1);
    assert.equal((await r.updateRegisteredModel("m", "new text")).description, "new text");
    assert.equal((await r.getRegisteredModel("m")).description, "new text");
    assert.equal((await r.updateModelVersion("m", "1", "v text")).description, "v text");
    assert.equal((await r.getModelVersion("m", "1")).description, "v text");
    await rejectsWith(r.updateRegisteredModel("nope", "x"), "RESOURCE_DOES_NOT_EXIST");
    await rejectsWith(r.updateModelVersion("m", "9", "x"), "RESOURCE_DOES_NOT_EXIST");
  });

  test("renames a model with its versions, tags and aliases, never onto a taken name", async (r) => {
    await modelWithVersions(r, "old", 2);
    await r.setRegisteredModelTag("old", "team", "ml");
    await r.setModelVersionTag("old", "2", "checked", "yes");
    await r.setRegisteredModelAlias("old", "champion", "2");
    await r.createRegisteredModel("taken");
    await rejectsWith(r.renameRegisteredModel("old", "taken"), "RESOURCE_ALREADY_EXISTS", "taken");
    await rejectsWith(r.renameRegisteredModel("nope", "x"), "RESOURCE_DOES_NOT_EXIST");
    const renamed = await r.renameRegisteredModel("old", "new");
    assert.equal(renamed.name, "new");
    assert.deepEqual(renamed.tags, { team: "ml" });
    assert.deepEqual(renamed.aliases, { champion: "2" });
    await rejectsWith(r.getRegisteredModel("old"), "RESOURCE_DOES_NOT_EXIST");
    const v2 = await r.getModelVersion("new", "2");
    assert.equal(v2.name, "new");
    assert.deepEqual(v2.tags, { checked: "yes" });
    assert.deepEqual(v2.aliases, ["champion"]);
    assert.equal((await r.getModelVersionByAlias("new", "champion")).version, "2");
    assert.equal((await r.createModelVersion("new", "s3://b/3")).version, "3");
    assert.equal((await r.renameRegisteredModel("new", "new")).name, "new");
  });

  test("deletes a model with everything in it; the name can be registered again", async (r) => {
    await modelWithVersions(r, "gone", 2);
    await r.setRegisteredModelAlias("gone", "champion", "1");
    await r.deleteRegisteredModel("gone");
    await rejectsWith(r.getRegisteredModel("gone"), "RESOURCE_DOES_NOT_EXIST");
    await rejectsWith(r.getModelVersion("gone", "1"), "RESOURCE_DOES_NOT_EXIST");
    await rejectsWith(r.deleteRegisteredModel("gone"), "RESOURCE_DOES_NOT_EXIST");
    await r.createRegisteredModel("gone");
    assert.equal((await r.createModelVersion("gone", "s3://b/x")).version, "1");
    assert.deepEqual((await r.getRegisteredModel("gone")).aliases, {});
  });

  test("deletes a version: it disappears with its aliases and its number is not reused", async (r) => {
    await modelWithVersions(r, "m", 3);
    await r.setRegisteredModelAlias("m", "champion", "3");
    await r.setRegisteredModelAlias("m", "other", "1");
    await r.deleteModelVersion("m", "3");
    await rejectsWith(r.getModelVersion("m", "3"), "RESOURCE_DOES_NOT_EXIST");
    await rejectsWith(r.deleteModelVersion("m", "3"), "RESOURCE_DOES_NOT_EXIST");
    await rejectsWith(
      r.getModelVersionByAlias("m", "champion"),
      "INVALID_PARAMETER_VALUE",
      "Registered model alias champion not found.",
    );
    const model = await r.getRegisteredModel("m");
    assert.deepEqual(model.aliases, { other: "1" });
    assert.deepEqual(model.latestVersions.map((v) => v.version), ["2"]);
    assert.equal((await r.createModelVersion("m", "s3://b/4")).version, "4");
    const { modelVersions } = await r.searchModelVersions({ filter: "name = 'm'" });
    assert.deepEqual(modelVersions.map((v) => v.version), ["4", "2", "1"]);
  });

  test("moves versions between stages and archives the previous holder on request", async (r) => {
    await modelWithVersions(r, "m", 3);
    const v1 = await r.transitionModelVersionStage("m", "1", "production");
    assert.equal(v1.currentStage, "Production");
    await r.transitionModelVersionStage("m", "2", "Staging");
    await r.transitionModelVersionStage("m", "3", "Production", { archiveExistingVersions: true });
    assert.equal((await r.getModelVersion("m", "1")).currentStage, "Archived");
    assert.equal((await r.getModelVersion("m", "2")).currentStage, "Staging");
    const latest = await r.getLatestVersions("m");
    assert.deepEqual(latest.map((v) => [v.currentStage, v.version]).sort(), [["Archived", "1"], [
      "Production",
      "3",
    ], ["Staging", "2"]]);
    assert.deepEqual((await r.getLatestVersions("m", ["production"])).map((v) => v.version), ["3"]);
    assert.deepEqual(await r.getLatestVersions("m", ["None"]), []);
    await rejectsWith(
      r.transitionModelVersionStage("m", "1", "Bogus"),
      "INVALID_PARAMETER_VALUE",
      "Invalid Model Version stage: Bogus. Value must be one of None, Staging, Production, Archived.",
    );
    await rejectsWith(
      r.transitionModelVersionStage("m", "1", "None", { archiveExistingVersions: true }),
      "INVALID_PARAMETER_VALUE",
      "is not an Active stage",
    );
    await rejectsWith(r.getLatestVersions("m", ["Bogus"]), "INVALID_PARAMETER_VALUE", "Bogus");
    await rejectsWith(r.getLatestVersions("nope"), "RESOURCE_DOES_NOT_EXIST");
  });

  test("sets, overwrites and deletes model and version tags", async (r) => {
    await modelWithVersions(r, "m", 1);
    await r.setRegisteredModelTag("m", "team", "ml");
    await r.setRegisteredModelTag("m", "team", "data");
    await r.setRegisteredModelTag("m", "a/b", "nested");
    assert.deepEqual((await r.getRegisteredModel("m")).tags, { team: "data", "a/b": "nested" });
    await r.deleteRegisteredModelTag("m", "team");
    await r.deleteRegisteredModelTag("m", "never-set");
    assert.deepEqual((await r.getRegisteredModel("m")).tags, { "a/b": "nested" });
    await r.setModelVersionTag("m", "1", "checked", "no");
    await r.setModelVersionTag("m", "1", "checked", "yes");
    assert.deepEqual((await r.getModelVersion("m", "1")).tags, { checked: "yes" });
    await r.deleteModelVersionTag("m", "1", "checked");
    assert.deepEqual((await r.getModelVersion("m", "1")).tags, {});
    await rejectsWith(
      r.setRegisteredModelTag("m", "../k", "v"),
      "INVALID_PARAMETER_VALUE",
      "This name would resolve to '../k'",
    );
    await rejectsWith(
      r.setRegisteredModelTag("m", "k", "v".repeat(5001)),
      "INVALID_PARAMETER_VALUE",
      "Registered model value",
    );
    await rejectsWith(
      r.setModelVersionTag("m", "1", "k".repeat(251), "v"),
      "INVALID_PARAMETER_VALUE",
      "Model version key",
    );
    await rejectsWith(r.setRegisteredModelTag("nope", "k", "v"), "RESOURCE_DOES_NOT_EXIST");
    await rejectsWith(r.setModelVersionTag("m", "7", "k", "v"), "RESOURCE_DOES_NOT_EXIST");
  });

  test("points aliases at versions, moves and deletes them, and refuses reserved names", async (r) => {
    await modelWithVersions(r, "m", 2);
    await r.setRegisteredModelAlias("m", "champion", "1");
    await r.setRegisteredModelAlias("m", "challenger", "2");
    assert.equal((await r.getModelVersionByAlias("m", "champion")).version, "1");
    assert.deepEqual((await r.getModelVersion("m", "1")).aliases, ["champion"]);
    await r.setRegisteredModelAlias("m", "champion", "2");
    assert.equal((await r.getModelVersionByAlias("m", "champion")).version, "2");
    assert.deepEqual((await r.getModelVersion("m", "2")).aliases.sort(), ["challenger", "champion"]);
    assert.deepEqual((await r.getModelVersion("m", "1")).aliases, []);
    assert.deepEqual(
      Object.entries((await r.getRegisteredModel("m")).aliases).sort(),
      [["challenger", "2"], ["champion", "2"]],
    );
    await r.deleteRegisteredModelAlias("m", "challenger");
    await r.deleteRegisteredModelAlias("m", "never-set");
    await rejectsWith(
      r.getModelVersionByAlias("m", "challenger"),
      "INVALID_PARAMETER_VALUE",
      "Registered model alias challenger not found.",
    );
    await rejectsWith(
      r.setRegisteredModelAlias("m", "latest", "1"),
      "INVALID_PARAMETER_VALUE",
      "'latest' alias name (case insensitive) is reserved.",
    );
    await rejectsWith(
      r.setRegisteredModelAlias("m", "V2", "1"),
      "INVALID_PARAMETER_VALUE",
      "Version alias name 'V2' is reserved.",
    );
    await rejectsWith(
      r.setRegisteredModelAlias("m", "my alias", "1"),
      "INVALID_PARAMETER_VALUE",
      "Invalid alias name: 'my alias'",
    );
    await rejectsWith(r.setRegisteredModelAlias("m", "a", "9"), "RESOURCE_DOES_NOT_EXIST", "version=9");
    await rejectsWith(r.setRegisteredModelAlias("nope", "a", "1"), "RESOURCE_DOES_NOT_EXIST");
  });

  test("gives a version's download URI, resolving models:/ sources to the files they name", async (r) => {
    await r.createRegisteredModel("base");
    await r.createModelVersion("base", "s3://bucket/base-1");
    await r.createModelVersion("base", "s3://bucket/base-2");
    await r.setRegisteredModelAlias("base", "champion", "1");
    await r.transitionModelVersionStage("base", "2", "Production");
    assert.equal(await r.getModelVersionDownloadUri("base", "2"), "s3://bucket/base-2");
    await r.createRegisteredModel("copy");
    const byNumber = await r.createModelVersion("copy", "models:/base/2");
    assert.equal(byNumber.source, "models:/base/2");
    assert.equal(await r.getModelVersionDownloadUri("copy", byNumber.version), "s3://bucket/base-2");
    const byAlias = await r.createModelVersion("copy", "models:/base@champion");
    assert.equal(await r.getModelVersionDownloadUri("copy", byAlias.version), "s3://bucket/base-1");
    const byStage = await r.createModelVersion("copy", "models:/base/Production");
    assert.equal(await r.getModelVersionDownloadUri("copy", byStage.version), "s3://bucket/base-2");
    const latest = await r.createModelVersion("copy", "models:/base/latest");
    assert.equal(await r.getModelVersionDownloadUri("copy", latest.version), "s3://bucket/base-2");
    await rejectsWith(
      r.createModelVersion("copy", "models:/base/7"),
      "INVALID_PARAMETER_VALUE",
      "Unable to fetch model from model URI source",
    );
    await rejectsWith(r.getModelVersionDownloadUri("base", "5"), "RESOURCE_DOES_NOT_EXIST");
  });

  test(
    "registerModel registers a run's model as the next version, creating the model once",
    async (r, store) => {
      const run = await store.createRun({ experimentId: "0" });
      const v1 = await registerModel(store, `runs:/${run.info.runId}/model`, "iris", {
        tags: { from: "run" },
      });
      assert.equal(v1.version, "1");
      assert.equal(v1.source, `${run.info.artifactUri}/model`);
      assert.equal(v1.runId, run.info.runId);
      assert.deepEqual(v1.tags, { from: "run" });
      const v2 = await registerModel(store, "s3://bucket/iris", "iris");
      assert.equal(v2.version, "2");
      assert.equal((await r.getRegisteredModel("iris")).latestVersions[0].version, "2");
      // Every spelling model loading reads as runs:/ is the run's files, never stored as typed without a run.
      for (
        const uri of [
          `RUNS:/${run.info.runId}/model`,
          `runs:///${run.info.runId}/model/`,
          ` runs:/${run.info.runId}/model`,
        ]
      ) {
        const v = await registerModel(store, uri, "iris");
        assert.deepEqual([v.source, v.runId], [`${run.info.artifactUri}/model`, run.info.runId], uri);
      }
      assert.equal((await registerModel(store, " s3://bucket/iris\n", "iris")).source, "s3://bucket/iris");
      for (const path of ["model/../../other", "%2e%2E/%2E%2e/other"]) {
        await rejectsWith(
          registerModel(store, `runs:/${run.info.runId}/${path}`, "iris"),
          "INVALID_PARAMETER_VALUE",
          "'..' is not allowed",
        );
      }
      await rejectsWith(
        registerModel(store, `runs:/${run.info.runId}`, "iris"),
        "INVALID_PARAMETER_VALUE",
        "artifact path",
      );
      await rejectsWith(
        registerModel(store, `runs:/${"0".repeat(32)}/model`, "iris"),
        "RESOURCE_DOES_NOT_EXIST",
      );
    },
  );

  test(
    "registerModel: a refused version removes the registered model it created, never an existing one",
    async (r, store) => {
      const tags = { note: "x".repeat(6000) };
      await rejectsWith(registerModel(store, "s3://bucket/m", "fresh", { tags }), "INVALID_PARAMETER_VALUE");
      await rejectsWith(r.getRegisteredModel("fresh"), "RESOURCE_DOES_NOT_EXIST");
      await r.createRegisteredModel("kept");
      await rejectsWith(registerModel(store, "s3://bucket/m", "kept", { tags }), "INVALID_PARAMETER_VALUE");
      assert.equal((await r.getRegisteredModel("kept")).name, "kept");
    },
  );

  registrySearchContract(test);
}
