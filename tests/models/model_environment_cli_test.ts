/**
 * `kmlf models serve` in a model's own environment: outside the project it was logged in, kmlf maps no
 * package the model's code imports, so kmlf serves it from a process given the model's pins; Ctrl-C ends
 * both processes.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createRequestHandler } from "../../lib/server/mod.ts";
import { SqliteStore } from "../../lib/tracking/mod.ts";
import { kmlf, spawnKmlf } from "../cli_harness.ts";
import { rulesProjectFiles, trainedRulesProject, writeProject } from "./model_helpers.ts";

Deno.test("kmlf models serve serves a model whose pinned package this kmlf does not map, and stops on SIGINT", async () => {
  // argparse is in Deno's cache already (js-yaml depends on it): no network.
  const t = await trainedRulesProject({
    "deno.json": JSON.stringify({ imports: { argparse: "npm:argparse@2.0.1", zod: "npm:zod@4.6.7" } }),
    "pipelines/rules/util/labels.ts": 'import { ArgumentParser } from "argparse";\n' +
      "export const parser = typeof ArgumentParser;\n" +
      'export const SPECIES = ["setosa", "virginica"] as const;\n',
  });
  try {
    const model = join(t.store, "..", "mlartifacts", "1", t.runId, "artifacts", "model");
    const served = spawnKmlf(["models", "serve", "-m", model, "-p", "0"], { cwd: t.base, watch: "stdout" });
    const seen = await served.waitFor(/listening on \S+/);
    const url = seen.match(/listening on (\S+)/)![1];
    const response = await fetch(new URL("/invocations", url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"instances": [[5.1, 3.5, 1.4, 0.2]]}',
    });
    assert.equal(response.status, 200);
    assert.equal(await response.text(), '{"predictions": [{"prediction": "setosa", "probability": 0.9}]}');
    served.child.kill("SIGINT");
    const { code } = await served.finish();
    assert.equal(code, 0);
    // The server was the model's process: it is gone too.
    await assert.rejects(() => fetch(new URL("/ping", url)));
  } finally {
    await Deno.remove(t.base, { recursive: true });
  }
});

Deno.test("the model's own process predicts the version the alias named when it was looked up, even if the alias moves", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-model-alias-" });
  const store = SqliteStore.open(join(dir, "server.db"), { artifactRoot: "mlflow-artifacts:/" });
  const handle = createRequestHandler(store, { artifactsDestination: join(dir, "mlartifacts") });
  // The registry moves "champion" to a version without a model right after the first lookup of it:
  // a second lookup (the model's process resolving the URI again) would predict with that version.
  let lookups = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const response = await handle(request);
    if (request.method === "GET" && new URL(request.url).pathname.endsWith("/registered-models/alias")) {
      if (++lookups === 1) await store.registry.setRegisteredModelAlias("rules", "champion", "2");
    }
    return response;
  });
  const url = `http://127.0.0.1:${server.addr.port}`;
  try {
    const project = await writeProject({
      ...rulesProjectFiles(url),
      // argparse is in Deno's cache already (js-yaml depends on it): no network.
      "deno.json": JSON.stringify({ imports: { argparse: "npm:argparse@2.0.1", zod: "npm:zod@4.6.7" } }),
      "pipelines/rules/util/labels.ts": 'import { ArgumentParser } from "argparse";\n' +
        "export const parser = typeof ArgumentParser;\n" +
        'export const SPECIES = ["setosa", "virginica"] as const;\n',
    }, join(dir, "project"));
    const run = await kmlf(["run", "training"], { cwd: project });
    assert.equal(run.code, 0, run.stderr);
    const runId = run.stderr.match(/Model logged: runs:\/(\w+)\/model/)![1];
    const root = (await store.getRun(runId)).info.artifactUri;
    await store.registry.createRegisteredModel("rules");
    await store.registry.createModelVersion("rules", `${root}/model`, { runId });
    await store.registry.createModelVersion("rules", `${root}/lost`, { runId });
    await store.registry.setRegisteredModelAlias("rules", "champion", "1");
    // Outside the project, this kmlf maps no argparse: the model predicts in a process of its own.
    const predicted = await kmlf(
      ["models", "predict", "-m", "models:/rules@champion", "-i", join(project, "data", "instances.csv")],
      { cwd: dir, env: { MLFLOW_TRACKING_URI: url, KMLF_CACHE_DIR: join(dir, "cache") } },
    );
    assert.equal(predicted.code, 0, predicted.stderr);
    assert.equal(
      predicted.stdout.trim(),
      '{"predictions": [{"prediction": "setosa", "probability": 0.9}, ' +
        '{"prediction": "virginica", "probability": 0.9}]}',
    );
    assert.equal(lookups, 1);
  } finally {
    await server.shutdown();
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
