/**
 * Artifact names holding a space, a literal `%20`, `%`, `?` or non-ASCII letters, in a store whose own folder
 * holds such characters, over the SQLite and the mlruns store: `/get-artifact`, `artifacts/list` and
 * `/model-versions/get-artifact` of a `runs:/<id>/<name>` version serve that very file (the run's `file:`
 * root and the name are joined encoded, not concatenated), a version registered with `registerModel` stores
 * a source that names the folder and loads from it, and a `#` is refused with a 400 (MLflow's rule).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createRequestHandler } from "../../lib/server/mod.ts";
import { startKmlfServer } from "../tracking/kmlf_server.ts";
import {
  artifactPathInUri,
  FileStore,
  joinArtifactUri,
  localPathOfUri,
  MlflowClient,
  registerModel,
  resolveModel,
  SqliteStore,
  type TrackingStore,
} from "../../lib/tracking/mod.ts";

// "p q" and "p%20q" both exist: a server decoding the second serves the first's bytes.
const NAMES = ["p q", "p%20q", "100%", "q?x", "déjà vu", "50%25 #"];

async function check(open: (dir: string) => Promise<TrackingStore>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-odd names 100%20 é-" });
  const store = await open(dir);
  const handle = createRequestHandler(store, { cwd: dir });
  const call = async (path: string, body?: unknown) => {
    const res = await handle(
      new Request(`http://127.0.0.1:5000${path}`, {
        method: body === undefined ? "GET" : "POST",
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
    return { status: res.status, text: await res.text() };
  };
  const q = encodeURIComponent;
  try {
    const runId = (await store.createRun({ experimentId: "0" })).info.runId;
    const client = new MlflowClient(store);
    const names = NAMES.filter((n) => !n.includes("#"));
    for (const name of names) await client.logText(runId, `flavors: {}\nname: ${name}\n`, `${name}/MLmodel`);
    await call("/api/2.0/mlflow/registered-models/create", { name: "m" });
    for (const name of names) {
      const want = `flavors: {}\nname: ${name}\n`;
      const file = await call(`/get-artifact?run_uuid=${runId}&path=${q(`${name}/MLmodel`)}`);
      assert.deepEqual(file, { status: 200, text: want }, `get-artifact ${name}`);
      const list = await call(`/api/2.0/mlflow/artifacts/list?run_id=${runId}&path=${q(name)}`);
      assert.equal(list.status, 200, list.text);
      assert.deepEqual(JSON.parse(list.text).files.map((f: { path: string }) => f.path), [`${name}/MLmodel`]);
      const created = await call("/api/2.0/mlflow/model-versions/create", {
        name: "m",
        source: `runs:/${runId}/${name}`,
        run_id: runId,
      });
      assert.equal(created.status, 200, created.text);
      const version = JSON.parse(created.text).model_version.version;
      const viaVersion = await call(`/model-versions/get-artifact?name=m&version=${version}&path=MLmodel`);
      assert.deepEqual(viaVersion, { status: 200, text: want }, `model-versions/get-artifact ${name}`);

      // registerModel stores the run's artifact URI and the name, encoded: it names the folder, and loads.
      const registered = await registerModel(store, `runs:/${runId}/${name}`, `r-${names.indexOf(name)}`);
      const runRoot = localPathOfUri((await store.getRun(runId)).info.artifactUri)!;
      assert.equal(localPathOfUri(registered.source ?? ""), join(runRoot, name), registered.source ?? "");
      const { dir: loaded } = await resolveModel(`models:/r-${names.indexOf(name)}/1`, {
        store,
        cacheDir: join(dir, "cache"),
      });
      assert.equal(await Deno.readTextFile(join(loaded, "MLmodel")), want, `resolveModel ${name}`);
    }
    // '#' is no artifact name (MLflow's rule): refused with a 400, never another file.
    const hash = await call(`/get-artifact?run_uuid=${runId}&path=${q("50%25 #/MLmodel")}`);
    assert.equal(hash.status, 400, hash.text);
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("awkward artifact names are served as themselves (SQLite store)", async () => {
  await check((dir) =>
    Promise.resolve(SqliteStore.open(join(dir, "mlflow.db"), { artifactRoot: join(dir, "art ?%20") }))
  );
});

Deno.test("awkward artifact names are served as themselves (mlruns store)", async () => {
  await check((dir) => FileStore.open(join(dir, "ml runs%20")));
});

Deno.test("joinArtifactUri encodes where the scheme's readers decode, and nowhere else", () => {
  const name = "a b/100%/q?x";
  assert.equal(joinArtifactUri("file:///r/artifacts/", name), "file:///r/artifacts/a%20b/100%25/q%3Fx");
  assert.equal(
    joinArtifactUri("mlflow-artifacts:/1/r/artifacts", "a b"),
    "mlflow-artifacts:/1/r/artifacts/a%20b",
  );
  assert.equal(joinArtifactUri("s3://b/1/r/artifacts", name), `s3://b/1/r/artifacts/${name}`);
  assert.equal(joinArtifactUri("/srv/1/r/artifacts", name), `/srv/1/r/artifacts/${name}`);
  assert.equal(joinArtifactUri("file:///r/artifacts", ""), "file:///r/artifacts");
  assert.equal(artifactPathInUri("file:///r/artifacts/a%20b", "a%20b"), "a b");
  assert.equal(artifactPathInUri("s3://b/r/artifacts/a%20b", "a%20b"), "a%20b");
});

Deno.test("awkward artifact names round-trip through kmlf server's mlflow-artifacts proxy (REST client)", async () => {
  const server = await startKmlfServer();
  const dir = await Deno.makeTempDir({ prefix: "kmlf-odd-proxy-" });
  try {
    const client = new MlflowClient(server.store);
    const runId = (await server.store.createRun({ experimentId: "0" })).info.runId;
    const names = NAMES.filter((n) => !n.includes("#"));
    for (const name of names) await client.logText(runId, `in ${name}\n`, `${name}/a.txt`);
    const listed = (await client.listArtifacts(runId)).map((f) => f.path).sort();
    assert.deepEqual(listed, [...names].sort());
    for (const name of names) {
      const got = await client.downloadArtifacts(
        runId,
        `${name}/a.txt`,
        join(dir, String(names.indexOf(name))),
      );
      assert.equal(await Deno.readTextFile(got), `in ${name}\n`, name);
    }
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
