/**
 * MlflowModelRegistryDataset.exists() asks the registry alone: a registered version whose files are gone
 * still exists (nothing is downloaded to answer), a missing model, version, stage or alias is false, and a
 * store it cannot reach is an error rather than a silent "no".
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import type { KmlfError } from "../../lib/errors.ts";
import { MlflowRunState } from "../../lib/mlflow/mod.ts";
import { MlflowClient, openStore } from "../../lib/tracking/mod.ts";
import { mlflowCatalog } from "./run_fixture.ts";

const REGISTRY_CATALOG = [
  "champion: {type: mlflow_model_registry, model_name: rules, alias: champion, flavor: js_value}",
  "v1: {type: mlflow_model_registry, model_name: rules, stage_or_version: 1, flavor: js_value}",
  "latest: {type: mlflow_model_registry, model_name: rules, flavor: js_value}",
  "v9: {type: mlflow_model_registry, model_name: rules, stage_or_version: 9, flavor: js_value}",
  "staging: {type: mlflow_model_registry, model_name: rules, stage_or_version: Staging, flavor: js_value}",
  "no_alias: {type: mlflow_model_registry, model_name: rules, alias: nope, flavor: js_value}",
  "no_model: {type: mlflow_model_registry, model_name: other, flavor: js_value}",
  "",
].join("\n");

Deno.test("registry exists() answers from the registry: no download, false only for what is not registered", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-registry-exists-" });
  const store = await openStore("mlflow.db", { baseDir: dir });
  try {
    const client = new MlflowClient(store);
    const run = await client.createRun("0", { runName: "t" });
    const state = new MlflowRunState();
    state.activate(client, run.info.runId);
    const writer = await mlflowCatalog(
      state,
      dir,
      "clf: {type: mlflow_model_tracking, flavor: js_value, save_args: {registered_model_name: rules}}\n",
    );
    await writer.save("clf", { threshold: 2 });
    await store.registry.setRegisteredModelAlias("rules", "champion", "1");
    // The version's files are gone: answering by downloading them said "false" for a registered version.
    await Deno.remove(fileURLToPath(run.info.artifactUri), { recursive: true });
    const reader = await mlflowCatalog(state, dir, REGISTRY_CATALOG);
    for (const name of ["champion", "v1", "latest"]) assert.equal(await reader.exists(name), true, name);
    for (const name of ["v9", "staging", "no_alias", "no_model"]) {
      assert.equal(await reader.exists(name), false, name);
    }
    await assert.rejects(() => reader.load("champion"));
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("registry exists() on a store it cannot reach is an error naming the dataset, not false", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-registry-exists-" });
  // Port 9 (discard) on localhost: nothing listens there in the test environment.
  const store = await openStore("http://127.0.0.1:9", { baseDir: dir, maxRetries: 0 });
  try {
    const state = new MlflowRunState();
    state.client = new MlflowClient(store);
    const reader = await mlflowCatalog(state, dir, REGISTRY_CATALOG);
    await assert.rejects(() => reader.exists("champion"), (e: KmlfError) => {
      assert.match(e.message, /^Cannot check whether dataset "champion" \(MlflowModelRegistryDataset\)/);
      assert.match(e.message, /127\.0\.0\.1:9/, "the store it could not reach is named");
      return true;
    });
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
