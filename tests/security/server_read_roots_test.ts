/**
 * The server reads local artifacts only where it may write them (its artifacts destination, the store's
 * default artifact root, `--allowed-artifact-roots`) and where its store keeps its own runs (a file store's
 * mlruns folder; next to a SQLite database, MLflow's `mlruns` and kmlf's `mlartifacts`). An experiment row
 * written before client locations were checked, or by a process writing the store directly, that names
 * another folder serves nothing through any artifact route — a 403 naming the flag that allows it — while
 * the layouts an operator chooses keep serving their runs.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createRequestHandler, type RequestHandlerOptions } from "../../lib/server/mod.ts";
import { openStore, type TrackingStore } from "../../lib/tracking/mod.ts";
import { serverFixture } from "../server/server_harness.ts";

const SECRET = "TOP-SECRET-CONTENT";
const BASE = "http://127.0.0.1:5000";

function client(store: TrackingStore, options: RequestHandlerOptions) {
  const handle = createRequestHandler(store, options);
  return {
    get: (path: string, query: Record<string, string> = {}) =>
      handle(new Request(`${BASE}${path}?${new URLSearchParams(query)}`)),
    post: (path: string, body: unknown) =>
      handle(
        new Request(BASE + path, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
      ),
  };
}

// A run with one artifact file, written straight into the store (as `kmlf run` or MLflow's client does).
async function runWithFile(store: TrackingStore, experimentId: string, text = SECRET): Promise<string> {
  const run = await store.createRun({ experimentId });
  await store.getArtifactRepository(run.info.artifactUri).writeArtifact("model/MLmodel", text);
  return run.info.runId;
}

Deno.test("a run whose experiment row names a local folder outside the server's roots is not read", async () => {
  const fx = await serverFixture();
  try {
    const elsewhere = join(fx.dir, "elsewhere");
    const experimentId = await fx.store.createExperiment("old", { artifactLocation: elsewhere });
    const runId = await runWithFile(fx.store, experimentId);
    await fx.post("/api/2.0/mlflow/registered-models/create", { name: "m" });
    const version = await fx.post("/api/2.0/mlflow/model-versions/create", {
      name: "m",
      source: `runs:/${runId}/model`,
      run_id: runId,
    });
    assert.equal(version.status, 200, await version.clone().text());
    const logged = await fx.post("/api/2.0/mlflow/logged-models", {
      experiment_id: experimentId,
      name: "lm",
    });
    assert.equal(logged.status, 200, await logged.clone().text());
    const modelId = (await logged.json()).model.info.model_id;
    await Deno.mkdir(join(elsewhere, "models", modelId, "artifacts"), { recursive: true });
    await Deno.writeTextFile(join(elsewhere, "models", modelId, "artifacts", "MLmodel"), SECRET);
    const reads = (c: Pick<typeof fx, "get">) =>
      Promise.all([
        c.get("/get-artifact", { run_uuid: runId, path: "model/MLmodel" }),
        c.get("/api/2.0/mlflow/artifacts/list", { run_id: runId }),
        c.get("/ajax-api/2.0/mlflow/artifacts/list", { run_id: runId, path: "model" }),
        c.get("/model-versions/get-artifact", { name: "m", version: "1", path: "MLmodel" }),
        c.get(`/api/2.0/mlflow/logged-models/${modelId}/artifacts/directories`),
      ]);
    for (const response of await reads(fx)) {
      const text = await response.text();
      assert.equal(response.status, 403, `${response.url}: ${text}`);
      const { error_code, message } = JSON.parse(text);
      assert.equal(error_code, "PERMISSION_DENIED");
      assert.match(
        message,
        /^The server does not read artifacts at '.*': a local folder outside its artifact roots/,
      );
      assert.match(
        message,
        /Start the server with --allowed-artifact-roots <backend store>\/elsewhere \(or KMLF_ALLOWED_ARTIFACT_ROOTS\) to serve it\.$/,
      );
      assert.ok(!text.includes(SECRET) && !text.includes(fx.dir), text);
    }
    // The operator's flag allows the folder again.
    const allowed = client(fx.store, {
      artifactsDestination: fx.artifactsDestination,
      allowedArtifactRoots: [elsewhere],
    });
    const answers = await reads(allowed);
    for (const response of answers) assert.equal(response.status, 200, await response.clone().text());
    assert.equal(await answers[0].text(), SECRET);
  } finally {
    await fx.dispose();
  }
});

Deno.test("a file store's runs stay served when new experiments go to another --default-artifact-root", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-read-roots-" });
  try {
    const before = await openStore(join(dir, "mlruns"), { baseDir: dir });
    const oldRun = await runWithFile(before, await before.createExperiment("old"), "old");
    await before.close();
    // kmlf server --backend-store-uri mlruns --default-artifact-root custom
    const store = await openStore(join(dir, "mlruns"), { baseDir: dir, artifactRoot: "custom" });
    try {
      const newRun = await runWithFile(store, await store.createExperiment("new"), "new");
      const c = client(store, { artifactsDestination: join(dir, "mlartifacts") });
      for (const [runId, text] of [[oldRun, "old"], [newRun, "new"]]) {
        const got = await c.get("/get-artifact", { run_uuid: runId, path: "model/MLmodel" });
        assert.deepEqual([got.status, await got.text()], [200, text]);
      }
    } finally {
      await store.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a SQLite store's runs in MLflow's ./mlruns stay served behind the proxy or another default root", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-read-roots-" });
  try {
    const db = join(dir, "mlflow.db");
    // As MLflow's `mlflow run`/`kedro mlflow` left them: experiments in ./mlruns next to the database.
    const mlflowMade = await openStore(`sqlite:///${db}`, { baseDir: dir, artifactRoot: "mlruns" });
    const oldRun = await runWithFile(mlflowMade, await mlflowMade.createExperiment("old"), "old");
    await mlflowMade.close();
    for (const artifactRoot of ["mlflow-artifacts:/", "custom", undefined]) {
      // kmlf server --backend-store-uri sqlite:///mlflow.db [--default-artifact-root …], run in `dir`.
      const store = await openStore("sqlite:///mlflow.db", { baseDir: dir, artifactRoot });
      try {
        const runs = [[oldRun, "old"]];
        // Runs behind the proxy are uploaded by clients; the others are written in place.
        if (artifactRoot !== "mlflow-artifacts:/") {
          runs.push([
            await runWithFile(store, await store.createExperiment(`new ${artifactRoot}`), "new"),
            "new",
          ]);
        }
        const c = client(store, { artifactsDestination: join(dir, "mlartifacts") });
        for (const [runId, text] of runs) {
          const got = await c.get("/get-artifact", { run_uuid: runId, path: "model/MLmodel" });
          assert.deepEqual([got.status, await got.text()], [200, text], `${artifactRoot}`);
        }
        // Another folder is refused, the refusal naming the database's folder by its label only.
        const outside = await store.createExperiment(`outside ${artifactRoot}`, {
          artifactLocation: join(dir, "elsewhere"),
        });
        const refused = await c.get("/get-artifact", {
          run_uuid: await runWithFile(store, outside),
          path: "model/MLmodel",
        });
        const message = await refused.text();
        assert.equal(refused.status, 403, message);
        assert.match(message, /--allowed-artifact-roots <backend store>\/elsewhere /);
        assert.ok(!message.includes(dir) && !message.includes(SECRET), message);
      } finally {
        await store.close();
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the UI's upload writes where the server reads: an MLflow-made ./mlruns next to a SQLite database", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-read-roots-" });
  const db = join(dir, "mlflow.db");
  const mlflowMade = await openStore(`sqlite:///${db}`, { baseDir: dir, artifactRoot: "mlruns" });
  const oldRun = await runWithFile(mlflowMade, await mlflowMade.createExperiment("old"), "old");
  const outside = await mlflowMade.createExperiment("outside", { artifactLocation: join(dir, "elsewhere") });
  const outsideRun = (await mlflowMade.createRun({ experimentId: outside })).info.runId;
  await mlflowMade.close();
  // kmlf server --backend-store-uri sqlite:///mlflow.db (new experiments behind the proxy), on a real port.
  const store = await openStore("sqlite:///mlflow.db", { baseDir: dir, artifactRoot: "mlflow-artifacts:/" });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    createRequestHandler(store, { artifactsDestination: join(dir, "mlartifacts") }),
  );
  const base = `http://127.0.0.1:${server.addr.port}`;
  const upload = (runId: string) =>
    fetch(`${base}/ajax-api/2.0/mlflow/upload-artifact?run_uuid=${runId}&path=eval/result.json`, {
      method: "POST",
      body: '{"ok":1}',
    });
  try {
    const read = await fetch(`${base}/get-artifact?run_uuid=${oldRun}&path=model/MLmodel`);
    assert.deepEqual([read.status, await read.text()], [200, "old"]);
    const written = await upload(oldRun);
    assert.equal(written.status, 200, await written.clone().text());
    await written.body?.cancel();
    const back = await fetch(`${base}/get-artifact?run_uuid=${oldRun}&path=eval/result.json`);
    assert.deepEqual([back.status, await back.text()], [200, '{"ok":1}']);
    // A folder neither rule serves is refused for both, each naming the same flag value.
    const refusedRead = await fetch(`${base}/api/2.0/mlflow/artifacts/list?run_id=${outsideRun}`);
    const refusedWrite = await upload(outsideRun);
    for (const refused of [refusedRead, refusedWrite]) {
      const text = await refused.text();
      assert.equal(refused.status, 403, text);
      assert.match(
        text,
        /--allowed-artifact-roots <backend store>\/elsewhere \(or KMLF_ALLOWED_ARTIFACT_ROOTS\)/,
      );
    }
    assert.equal(await Deno.stat(join(dir, "elsewhere")).then(() => true, () => false), false);
  } finally {
    await server.shutdown();
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a stored location naming no folder of this machine is refused as such, not as a root to allow", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-foreign-stored-" });
  const store = await openStore(join(dir, "mlruns"), { baseDir: dir });
  try {
    const { get } = client(store, { artifactsDestination: join(dir, "art"), cwd: dir });
    await store.registry.createRegisteredModel("m");
    // Versions a registry writer stored before the source rule (or on Windows): edited in as MLflow keeps them.
    const stored = [
      "file:",
      "file:x/model",
      "~/models/m",
      ...(Deno.build.os === "windows" ? [] : ["file:///C:/m"]),
    ];
    for (const source of stored) {
      const { version } = await store.registry.createModelVersion("m", join(dir, "placeholder"));
      const meta = join(dir, "mlruns", "models", "m", `version-${version}`, "meta.yaml");
      const text = await Deno.readTextFile(meta);
      await Deno.writeTextFile(meta, text.replace(/^(source|storage_location): .*$/gm, `$1: '${source}'`));
      const res = await get("/model-versions/get-artifact", { name: "m", version, path: "MLmodel" });
      const body = await res.json();
      assert.equal(res.status, 403, `${source}: ${JSON.stringify(body)}`);
      assert.match(body.message, /names no folder of this machine/, source);
      assert.doesNotMatch(body.message, /remote location|--allowed-artifact-roots/, source);
    }
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
