/**
 * What a remote client (or a web page on another site) cannot make a running server do: create an
 * experiment whose local artifact location lies outside the server's artifact roots (the server would
 * then write the UI's uploads there), or change runs through a cross-origin "simple" request. Each case
 * runs against a real server on a loopback port; the MLflow client's own requests keep working.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createRequestHandler, type RequestHandlerOptions } from "../../lib/server/mod.ts";
import type { TrackingError } from "../../lib/errors.ts";
import { RestStore, SqliteStore } from "../../lib/tracking/mod.ts";

interface Served {
  dir: string;
  store: SqliteStore;
  base: string;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

async function serve(options: (dir: string) => RequestHandlerOptions = () => ({})): Promise<Served> {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-remote-limits-" });
  const store = SqliteStore.open(join(dir, "mlflow.db"), { artifactRoot: "mlflow-artifacts:/" });
  const handler = createRequestHandler(store, {
    artifactsDestination: join(dir, "mlartifacts"),
    ...options(dir),
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, handler);
  const base = `http://127.0.0.1:${server.addr.port}`;
  return {
    dir,
    store,
    base,
    post: (path, body, headers = { "content-type": "application/json" }) =>
      fetch(base + path, {
        method: "POST",
        headers,
        body: typeof body === "string" ? body : JSON.stringify(body),
      }),
    async close() {
      await server.shutdown();
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

async function refusal(response: Response, status: number): Promise<string> {
  const body = await response.json();
  assert.equal(response.status, status, JSON.stringify(body));
  assert.deepEqual(Object.keys(body).sort(), ["error_code", "message"]);
  return `${body.error_code}: ${body.message}`;
}

Deno.test("a client cannot point an experiment at a local folder outside the server's artifact roots", async () => {
  const s = await serve();
  try {
    const outside = join(s.dir, "..", `kmlf-outside-${crypto.randomUUID()}`);
    for (const prefix of ["api", "ajax-api"]) {
      for (const location of [outside, `file://${outside}`, "../../elsewhere", `${s.dir}/mlartifacts/../x`]) {
        const message = await refusal(
          await s.post(`/${prefix}/2.0/mlflow/experiments/create`, {
            name: `e-${location}`,
            artifact_location: location,
          }),
          403,
        );
        assert.match(message, /^PERMISSION_DENIED: artifact_location '.*' is a local folder outside/);
        assert.match(
          message,
          /start the server with --allowed-artifact-roots .+ \(or KMLF_ALLOWED_ARTIFACT_ROOTS\) to allow it\.$/,
        );
      }
    }
    // kmlf's own REST client says the refusal is not (only) about credentials.
    const client = new RestStore(s.base, { env: () => undefined, maxRetries: 0 });
    await assert.rejects(
      client.createExperiment("via-client", { artifactLocation: outside }),
      (error: TrackingError) => {
        assert.equal(error.code, "PERMISSION_DENIED");
        assert.match(error.message, /--allowed-artifact-roots/);
        assert.match(
          error.hint ?? "",
          /if the server wants credentials, .*; otherwise its message says what it refused/,
        );
        return true;
      },
    );
    await client.close();
    // Nothing was created, so no run can be made to write there.
    const search = await (await s.post("/api/2.0/mlflow/experiments/search", { max_results: 10 })).json();
    assert.deepEqual(search.experiments.map((e: { name: string }) => e.name), ["Default"]);
    assert.equal(await Deno.stat(outside).then(() => true, () => false), false);
    // Remote locations the client writes itself, and folders inside the destination, are accepted.
    for (
      const location of ["s3://bucket/exp", "mlflow-artifacts:/team", join(s.dir, "mlartifacts", "team")]
    ) {
      const created = await s.post("/api/2.0/mlflow/experiments/create", {
        name: location,
        artifact_location: location,
      });
      assert.equal(created.status, 200, await created.clone().text());
      await created.body?.cancel();
    }
  } finally {
    await s.close();
  }
});

Deno.test("--allowed-artifact-roots lets clients use a local folder, and the server's upload lands there", async () => {
  const s = await serve((dir) => ({ allowedArtifactRoots: [join(dir, "shared")] }));
  try {
    const shared = join(s.dir, "shared", "team");
    const { experiment_id } = await (await s.post("/api/2.0/mlflow/experiments/create", {
      name: "team",
      artifact_location: shared,
    })).json();
    const { run } = await (await s.post("/api/2.0/mlflow/runs/create", { experiment_id })).json();
    const upload = await fetch(
      `${s.base}/ajax-api/2.0/mlflow/upload-artifact?run_uuid=${run.info.run_id}&path=eval.json`,
      { method: "POST", body: "{}" },
    );
    assert.equal(upload.status, 200, await upload.clone().text());
    await upload.body?.cancel();
    assert.equal(await Deno.readTextFile(join(shared, run.info.run_id, "artifacts", "eval.json")), "{}");
    // A sibling of the allowed folder is not inside it.
    const message = await refusal(
      await s.post("/api/2.0/mlflow/experiments/create", {
        name: "x",
        artifact_location: `${s.dir}/shared-not`,
      }),
      403,
    );
    assert.match(message, /PERMISSION_DENIED/);
  } finally {
    await s.close();
  }
});

Deno.test("the UI's upload writes only inside the server's artifact roots, whoever chose the run's location", async () => {
  const s = await serve();
  try {
    // An s3 location is accepted (the client writes it), but the server does not write there for it; nor
    // into a local folder a row names from before locations were checked.
    const outside = join(s.dir, "outside");
    const experiments = [
      (await (await s.post("/api/2.0/mlflow/experiments/create", {
        name: "s3",
        artifact_location: "s3://other/exp",
      }))
        .json()).experiment_id,
      await s.store.createExperiment("old", { artifactLocation: outside }),
    ];
    for (const experiment_id of experiments) {
      const { run } = await (await s.post("/api/2.0/mlflow/runs/create", { experiment_id })).json();
      const upload = await fetch(
        `${s.base}/ajax-api/2.0/mlflow/upload-artifact?run_uuid=${run.info.run_id}&path=eval.json`,
        { method: "POST", body: "{}" },
      );
      const message = await refusal(upload, 403);
      assert.match(
        message,
        new RegExp(
          `^PERMISSION_DENIED: The server does not write the artifacts of run '${run.info.run_id}' to '`,
        ),
      );
      assert.match(
        message,
        /Log the file from the client \(mlflow.log_artifact\), or start the server with --allowed-artifact-roots /,
      );
    }
    assert.equal(await Deno.stat(outside).then(() => true, () => false), false);
  } finally {
    await s.close();
  }
});

Deno.test("a page on another origin cannot change runs through simple requests; same-origin and clients can", async () => {
  const s = await serve();
  try {
    const { experiment_id } = await (await s.post("/api/2.0/mlflow/experiments/create", { name: "e" }))
      .json();
    const { run } = await (await s.post("/api/2.0/mlflow/runs/create", { experiment_id })).json();
    const runId: string = run.info.run_id;
    const evil = { origin: "https://evil.example" };
    const writes: [string, string, Record<string, string>][] = [
      [`/ajax-api/2.0/mlflow/upload-artifact?run_uuid=${runId}&path=x.txt`, "pwned", {
        "content-type": "text/plain",
      }],
      ["/api/2.0/mlflow/runs/create", JSON.stringify({ experiment_id }), { "content-type": "text/plain" }],
      ["/ajax-api/2.0/mlflow/runs/log-batch", `{"run_id":"${runId}"}`, {
        "content-type": "application/x-www-form-urlencoded",
      }],
      ["/ajax-api/2.0/mlflow/registered-models/create", '{"name":"m"}', { "content-type": "text/plain" }],
      ["/api/2.0/mlflow/logged-models", "", { "content-type": "multipart/form-data; boundary=x" }],
      ["/api/2.0/mlflow/experiments/create", '{"name":"csrf"}', { "content-type": "application/json" }],
    ];
    for (const [path, body, headers] of writes) {
      for (const origin of ["https://evil.example", "null"]) {
        const message = await refusal(await s.post(path, body, { ...headers, origin }), 403);
        assert.match(
          message,
          /^PERMISSION_DENIED: Cross-origin request refused: POST \/\S+ came from a page of origin/,
        );
        assert.match(message, /--cors-allowed-origins .* \(or set MLFLOW_SERVER_CORS_ALLOWED_ORIGINS\)/);
      }
    }
    const put = await fetch(`${s.base}/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/x.txt`, {
      method: "PUT",
      headers: evil,
      body: "pwned",
    });
    await refusal(put, 403);
    // Nothing was written.
    const files = await (await fetch(`${s.base}/api/2.0/mlflow/artifacts/list?run_id=${runId}`)).json();
    assert.equal(files.files, undefined);
    assert.equal(await Deno.stat(join(s.dir, "mlartifacts", "1", "r")).then(() => true, () => false), false);
    // Reading stays open (the browser keeps the answer from the page), and so do writes from the
    // server's own pages and from clients that send no Origin (MLflow's Python client).
    const read = await fetch(`${s.base}/api/2.0/mlflow/runs/get?run_id=${runId}`, { headers: evil });
    assert.equal(read.status, 200);
    assert.equal(read.headers.get("access-control-allow-origin"), null);
    await read.body?.cancel();
    const origins: Record<string, string>[] = [{ origin: s.base }, {
      origin: s.base.replace("127.0.0.1", "localhost"),
    }, {}];
    for (const headers of origins) {
      const ok = await s.post("/api/2.0/mlflow/runs/set-tag", { run_id: runId, key: "k", value: "v" }, {
        "content-type": "application/json",
        ...headers,
      });
      assert.equal(ok.status, 200, await ok.clone().text());
      await ok.body?.cancel();
    }
    // A JSON endpoint called with a simple content type is refused even from no origin (MLflow's 400).
    const message = await refusal(
      await s.post("/api/2.0/mlflow/logged-models", "", { "content-type": "text/plain" }),
      400,
    );
    assert.match(message, /^INVALID_PARAMETER_VALUE: Invalid content type: 'text\/plain'/);
  } finally {
    await s.close();
  }
});

Deno.test("--cors-allowed-origins lets a named origin's pages call the API, with preflights answered", async () => {
  const s = await serve(() => ({ corsAllowedOrigins: ["https://*.corp.example"] }));
  try {
    const origin = "https://notebook.corp.example";
    const preflight = await fetch(`${s.base}/api/2.0/mlflow/experiments/create`, {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get("access-control-allow-origin"), origin);
    assert.match(preflight.headers.get("access-control-allow-methods") ?? "", /POST/);
    assert.equal(preflight.headers.get("access-control-allow-headers"), "content-type");
    await preflight.body?.cancel();
    const created = await s.post("/api/2.0/mlflow/experiments/create", { name: "nb" }, {
      "content-type": "application/json",
      origin,
    });
    assert.equal(created.status, 200);
    assert.equal(created.headers.get("access-control-allow-origin"), origin);
    await created.body?.cancel();
    // The default localhost origins are replaced, not added to.
    await refusal(
      await s.post("/api/2.0/mlflow/experiments/create", { name: "lh" }, {
        "content-type": "application/json",
        origin: "http://localhost:8888",
      }),
      403,
    );
  } finally {
    await s.close();
  }
});
