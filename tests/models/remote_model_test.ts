/**
 * A model logged to a tracking server over REST (kmlf's own server, artifacts through its
 * mlflow-artifacts proxy), then loaded by runs:/ and mlflow-artifacts:/ URIs: downloaded once per run
 * into the cache, and served from the cache afterwards.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadModel } from "../../lib/models/mod.ts";
import { createRequestHandler } from "../../lib/server/mod.ts";
import { SqliteStore } from "../../lib/tracking/mod.ts";
import { kmlf } from "../cli_harness.ts";
import { rulesProjectFiles, writeProject } from "./model_helpers.ts";

Deno.test("a model logged over REST loads by runs:/ and mlflow-artifacts:/, downloaded once into the cache", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-remote-model-" });
  const artifacts = join(dir, "mlartifacts");
  const store = SqliteStore.open(join(dir, "server.db"), { artifactRoot: "mlflow-artifacts:/" });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    createRequestHandler(store, { artifactsDestination: artifacts }),
  );
  const url = `http://127.0.0.1:${server.addr.port}`;
  try {
    const project = await writeProject(rulesProjectFiles(url), join(dir, "project"));
    const run = await kmlf(["run", "training"], { cwd: project });
    assert.equal(run.code, 0, run.stderr);
    const uri = run.stderr.match(/Model logged: (runs:\/(\w+)\/model)/)!;
    const cacheDir = join(dir, "cache");
    const row = [{ sepal_length: 5, sepal_width: 3, petal_length: 1, petal_width: 0.2 }];
    const model = await loadModel(uri[1], { trackingUri: url, cacheDir });
    assert.equal(model.dir, join(cacheDir, uri[2], "model"));
    assert.deepEqual(await model.predict(row), [{ prediction: "setosa", probability: 0.9 }]);
    const experimentId = (await store.getRun(uri[2])).info.experimentId;
    const proxied = await loadModel(`mlflow-artifacts:/${experimentId}/${uri[2]}/artifacts/model`, {
      trackingUri: url,
      cacheDir,
    });
    assert.equal(proxied.metadata.modelUuid, model.metadata.modelUuid);
    // A cache folder that cannot be made (a file in its place) names the folder and the variable.
    const blocked = join(dir, "blocked");
    await Deno.writeTextFile(blocked, "");
    const refused = await kmlf(["models", "predict", "-m", uri[1], "-i", "data/instances.csv"], {
      cwd: project,
      env: { KMLF_CACHE_DIR: blocked },
    });
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(
      refused.stderr,
      new RegExp(
        `error\\[model/cache-unwritable\\]: Cannot download ${uri[1]} into the model cache .*blocked/models`,
      ),
    );
    assert.match(refused.stderr, /hint: set KMLF_CACHE_DIR to a folder kmlf can write/);
    // Cached by run id: the server's copy is gone, the model still loads.
    await Deno.remove(artifacts, { recursive: true });
    const again = await loadModel(uri[1], { trackingUri: url, cacheDir });
    assert.deepEqual(await again.predict(row), [{ prediction: "setosa", probability: 0.9 }]);
    const cli = await kmlf(["models", "predict", "-m", uri[1], "-i", "data/instances.csv"], {
      cwd: project,
      env: { KMLF_CACHE_DIR: join(dir, "cli-cache") },
    });
    assert.equal(cli.code, 2, "the server's artifacts are gone and this cache is empty");
    assert.match(cli.stderr, /No model at runs:\//);
  } finally {
    await server.shutdown();
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
