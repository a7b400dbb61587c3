/**
 * A model version's `source` naming this machine as `file://localhost/…` or `file://127.0.0.1/…` (any case)
 * is a local path, as MLflow 2.17.2's `is_local_uri` reads it: accepted inside the run's artifact folder,
 * refused outside it, like `file:///…` — not refused as "another host" (lib/local_uri_reading.ts).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createRequestHandler } from "../../lib/server/mod.ts";
import { FileStore, localPathOfUri } from "../../lib/tracking/mod.ts";

Deno.test("a version source file://127.0.0.1/… or file://LOCALHOST/… is a local path: inside its run only", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-version-source-" });
  const store = await FileStore.open(join(dir, "mlruns"));
  const handle = createRequestHandler(store, { artifactsDestination: join(dir, "art"), cwd: dir });
  const post = async (path: string, body: unknown) => {
    const res = await handle(
      new Request(`http://127.0.0.1:5000/api/2.0/mlflow/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    );
    return { status: res.status, body: await res.json() };
  };
  try {
    const exp = (await post("experiments/create", { name: "e" })).body.experiment_id;
    const run = (await post("runs/create", { experiment_id: exp })).body.run.info;
    const runDir = localPathOfUri(run.artifact_uri)!;
    assert.ok(runDir.startsWith(dir), run.artifact_uri);
    await post("registered-models/create", { name: "m" });
    for (const host of ["127.0.0.1", "LOCALHOST", "localhost", ""]) {
      const inside = await post("model-versions/create", {
        name: "m",
        source: `file://${host}${runDir}/model`,
        run_id: run.run_id,
      });
      assert.equal(inside.status, 200, `${host}: ${JSON.stringify(inside.body)}`);
      const outside = await post("model-versions/create", {
        name: "m",
        source: `file://${host}${dir}/elsewhere`,
        run_id: run.run_id,
      });
      assert.equal(outside.status, 400, host);
      assert.match(outside.body.message, /contained within the artifact directory/, host);
    }
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
