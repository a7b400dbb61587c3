/**
 * The server reads and writes remote artifacts (`s3://…`) with its own credentials only inside its remote
 * roots (an S3 destination, an S3 default artifact root, `--allowed-artifact-roots s3://…`): an experiment a
 * client pointed at another prefix stays creatable (the client writes there itself, as MLflow's clients do),
 * but `/get-artifact`, `artifacts/list`, model-version and logged-model reads and the UI's upload refuse it
 * with a 403 naming the flag value that serves it. And a PostgreSQL store's runs in a folder the server was
 * not given are refused with the exact `--allowed-artifact-roots` value that serves them. Real servers on
 * loopback ports, the suite's S3 server and PostgreSQL.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  allowedRootFor,
  artifactRootsOf,
  servesArtifactUri,
} from "../../lib/server/artifact_location_rule.ts";
import { createRequestHandler, type RequestHandlerOptions } from "../../lib/server/mod.ts";
import { artifactRepositoryFor, openStore, SqliteStore, type TrackingStore } from "../../lib/tracking/mod.ts";
import { sharedPostgres } from "../services/postgres_server.ts";
import { sharedS3Server } from "../services/s3_server.ts";

const SECRET = "TOP-SECRET-CONTENT";

async function serve(store: TrackingStore, options: RequestHandlerOptions) {
  const ownState = options.stateDir === undefined;
  const stateDir = options.stateDir ?? await Deno.makeTempDir({ prefix: "kmlf-remote-roots-" });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    createRequestHandler(store, { stateDir, ...options }),
  );
  const base = `http://127.0.0.1:${server.addr.port}`;
  return {
    get: (path: string, query: Record<string, string> = {}) =>
      fetch(`${base}${path}?${new URLSearchParams(query)}`),
    post: async (path: string, body: unknown) => {
      const response = await fetch(`${base}/api/2.0/mlflow/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      assert.equal(response.status, 200, `${path}: ${text}`);
      return JSON.parse(text);
    },
    upload: (runId: string, text: string) =>
      fetch(`${base}/ajax-api/2.0/mlflow/upload-artifact?run_uuid=${runId}&path=eval.json`, {
        method: "POST",
        body: text,
      }),
    async close() {
      await server.shutdown();
      if (ownState) await Deno.remove(stateDir, { recursive: true });
    },
  };
}

async function refused(response: Response, flagValue: string): Promise<string> {
  const text = await response.text();
  assert.equal(response.status, 403, `${response.url}: ${text}`);
  const { error_code, message } = JSON.parse(text);
  assert.equal(error_code, "PERMISSION_DENIED");
  assert.ok(
    message.includes(` --allowed-artifact-roots ${flagValue} (or KMLF_ALLOWED_ARTIFACT_ROOTS) to `),
    `${flagValue} not named: ${message}`,
  );
  assert.ok(!text.includes(SECRET), text);
  return message;
}

Deno.test("an experiment a client put in another S3 prefix is not read or written with the server's credentials", async () => {
  const s3 = await sharedS3Server();
  // The server's credentials reach the whole test bucket, as a server's IAM role often does.
  for (const [name, value] of Object.entries(s3.env)) Deno.env.set(name, value);
  const dir = await Deno.makeTempDir({ prefix: "kmlf-remote-roots-" });
  const store = SqliteStore.open(join(dir, "mlflow.db"), { artifactRoot: "mlflow-artifacts:/" });
  // Both servers below keep their logged-model records in the same folder.
  const stateDir = join(dir, "state");
  const server = await serve(store, { artifactsDestination: join(dir, "mlartifacts"), stateDir });
  try {
    const elsewhere = s3.location("client-chose");
    // Creating it stays allowed: a client with its own S3 access logs there itself.
    const { experiment_id } = await server.post("experiments/create", {
      name: "s3",
      artifact_location: elsewhere,
    });
    const { run } = await server.post("runs/create", { experiment_id });
    const runId: string = run.info.run_id;
    const client = artifactRepositoryFor(run.info.artifact_uri, { env: (n) => s3.env[n] });
    await client.writeArtifact("model/MLmodel", SECRET);
    await server.post("registered-models/create", { name: "m" });
    await server.post("model-versions/create", {
      name: "m",
      source: `${elsewhere}/${runId}/artifacts/model`,
    });
    const { model } = await server.post("logged-models", { experiment_id, name: "lm" });
    const reads = (c: { get: typeof server.get }) =>
      Promise.all([
        c.get("/get-artifact", { run_uuid: runId, path: "model/MLmodel" }),
        c.get("/api/2.0/mlflow/artifacts/list", { run_id: runId }),
        c.get("/ajax-api/2.0/mlflow/artifacts/list", { run_id: runId, path: "model" }),
        c.get("/model-versions/get-artifact", { name: "m", version: "1", path: "MLmodel" }),
        c.get(`/api/2.0/mlflow/logged-models/${model.info.model_id}/artifacts/directories`),
      ]);
    for (const response of await reads(server)) {
      const message = await refused(response, elsewhere);
      assert.match(
        message,
        /^The server does not read artifacts at 's3:\/\/.*': a remote location outside its/,
      );
    }
    assert.match(
      await refused(await server.upload(runId, "{}"), elsewhere),
      /Log the file from the client \(mlflow\.log_artifact\)/,
    );
    assert.deepEqual((await client.listArtifacts("")).map((f) => f.path), ["model"]);
    await server.close();

    // The operator's flag serves the prefix, reads and writes; a sibling prefix or a key climbing out stays refused.
    const allowed = await serve(store, {
      artifactsDestination: join(dir, "mlartifacts"),
      allowedArtifactRoots: [elsewhere],
      stateDir,
    });
    try {
      const answers = await reads(allowed);
      for (const response of answers) assert.equal(response.status, 200, await response.clone().text());
      assert.equal(await answers[0].text(), SECRET);
      const upload = await allowed.upload(runId, '{"ok":1}');
      assert.equal(upload.status, 200, await upload.clone().text());
      await upload.body?.cancel();
      assert.equal(new TextDecoder().decode(await client.readArtifact("eval.json")), '{"ok":1}');
      for (const location of [`${elsewhere}-sibling`, `${elsewhere}/../other`, `${elsewhere}/%2e%2e/other`]) {
        const created = await allowed.post("experiments/create", {
          name: location,
          artifact_location: location,
        });
        const { run } = await allowed.post("runs/create", { experiment_id: created.experiment_id });
        const answer = await allowed.get("/get-artifact", { run_uuid: run.info.run_id, path: "x" });
        // A key with dot segments is no run's own root at all; a sibling prefix is outside the allowed one.
        if (location.endsWith("-sibling")) await refused(answer, location);
        else assert.deepEqual([answer.status, (await answer.json()).error_code], [403, "PERMISSION_DENIED"]);
      }
    } finally {
      await allowed.close();
    }
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a server whose default artifact root is an S3 prefix serves and uploads its runs there", async () => {
  const s3 = await sharedS3Server();
  for (const [name, value] of Object.entries(s3.env)) Deno.env.set(name, value);
  const dir = await Deno.makeTempDir({ prefix: "kmlf-remote-roots-" });
  const root = s3.location("default-root");
  // kmlf server --default-artifact-root s3://… --no-serve-artifacts: clients write the bucket themselves.
  const store = SqliteStore.open(join(dir, "mlflow.db"), { artifactRoot: root });
  const server = await serve(store, {
    artifactsDestination: join(dir, "mlartifacts"),
    mode: { serveArtifacts: false },
  });
  try {
    const { experiment_id } = await server.post("experiments/create", { name: "default" });
    const { run } = await server.post("runs/create", { experiment_id });
    assert.ok(run.info.artifact_uri.startsWith(`${root}/`), run.info.artifact_uri);
    const upload = await server.upload(run.info.run_id, "{}");
    assert.equal(upload.status, 200, await upload.clone().text());
    await upload.body?.cancel();
    const got = await server.get("/get-artifact", { run_uuid: run.info.run_id, path: "eval.json" });
    assert.deepEqual([got.status, await got.text()], [200, "{}"]);
  } finally {
    await server.close();
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a PostgreSQL store's runs in a folder the server was not given: the 403 names the flag value that serves them", async () => {
  const pg = await sharedPostgres();
  const url = await pg.createDatabase();
  const dir = await Deno.makeTempDir({ prefix: "kmlf-remote-roots-" });
  // Runs `kmlf run` logged to the database with the project's experiment location.
  const writer = await openStore(url, { baseDir: dir });
  const folder = join(dir, "project", "mlruns", "team");
  const experimentId = await writer.createExperiment("team", { artifactLocation: folder });
  const run = await writer.createRun({ experimentId });
  await writer.getArtifactRepository(run.info.artifactUri).writeArtifact("model/MLmodel", SECRET);
  await writer.close();
  const store = await openStore(url, { baseDir: dir, artifactRoot: "mlflow-artifacts:/" });
  try {
    const query = { run_uuid: run.info.runId, path: "model/MLmodel" };
    // Started elsewhere, the folder is named in full; started in the project, relative to it (as the flag reads it).
    for (const [cwd, flagValue] of [[Deno.cwd(), folder], [join(dir, "project"), "mlruns/team"]]) {
      const server = await serve(store, { artifactsDestination: join(dir, "mlartifacts"), cwd });
      try {
        const message = await refused(await server.get("/get-artifact", query), flagValue);
        assert.match(message, /a local folder outside its artifact roots and its store's run folders/);
      } finally {
        await server.close();
      }
    }
    const allowed = await serve(store, {
      artifactsDestination: join(dir, "mlartifacts"),
      allowedArtifactRoots: [folder],
    });
    try {
      const got = await allowed.get("/get-artifact", query);
      assert.deepEqual([got.status, await got.text()], [200, SECRET]);
    } finally {
      await allowed.close();
    }
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the flag value a refusal names is the experiment's folder, whatever the location holds", () => {
  const run = "0123456789abcdef0123456789abcdef";
  assert.equal(allowedRootFor(`file:///srv/artifacts/exp/${run}/artifacts`), "/srv/artifacts/exp");
  assert.equal(allowedRootFor(`/srv/artifacts/exp/${run}/artifacts/model`), "/srv/artifacts/exp");
  assert.equal(allowedRootFor("/srv/exp/models/m-0a1b/artifacts"), "/srv/exp");
  assert.equal(allowedRootFor(`/srv/models/${run}/artifacts`), "/srv/models");
  assert.equal(allowedRootFor(`S3://b/team/${run}/artifacts/model`), "S3://b/team");
  assert.equal(allowedRootFor("s3://b/registry/model"), "s3://b/registry/model");
  assert.equal(allowedRootFor(`/srv/p/mlruns/1/${run}/artifacts`, "/srv/p"), "mlruns/1");
  const roots = artifactRootsOf(["s3://b/team/"]);
  assert.equal(servesArtifactUri(`S3://b/team/${run}/artifacts`, roots), true);
  for (
    const outside of [
      "s3://b/team-2/x",
      "s3://b/team/..%252Fother/x",
      "s3://b/team/a\\..\\..\\x",
      "s3://c/team/x",
    ]
  ) {
    assert.equal(servesArtifactUri(outside, roots), false, outside);
  }
});
