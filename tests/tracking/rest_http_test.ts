/**
 * The REST store's HTTP behaviour against a scripted local server: retries (only 408, 429, 5xx and
 * connection errors), error mapping, authentication headers, header providers, paging and the
 * unreachable-server error.
 */
import assert from "node:assert/strict";
import { HttpClient, RestStore, withQuery } from "../../lib/tracking/mod.ts";
import { KMLF_VERSION } from "../../lib/version.ts";
import { closedPort, json, ScriptedServer } from "./rest_test_server.ts";
import { rejection } from "./rest_test_server.ts";

const noEnv = () => undefined;
const EXPERIMENT = { experiment_id: "123456789012345678901", name: "big-id", lifecycle_stage: "active" };

async function withServer(
  fn: (
    server: ScriptedServer,
    store: (options?: ConstructorParameters<typeof RestStore>[1]) => RestStore,
  ) => Promise<void>,
): Promise<void> {
  const server = new ScriptedServer();
  const stores: RestStore[] = [];
  try {
    await fn(server, (options) => {
      const store = new RestStore(server.url, { env: noEnv, backoffMs: 1, maxRetries: 3, ...options });
      stores.push(store);
      return store;
    });
  } finally {
    for (const store of stores) await store.close();
    await server.close();
  }
}

const unavailable = () => new Response("busy", { status: 503 });

Deno.test("a request answered 503 twice and then 200 succeeds after two retries", async () => {
  await withServer(async (server, store) => {
    server.answer(unavailable, unavailable, () => json({ experiment: EXPERIMENT }));
    const experiment = await store().getExperiment("123456789012345678901");
    assert.equal(experiment.experimentId, "123456789012345678901");
    assert.equal(server.received.length, 3);
  });
});

Deno.test("429, 408, 500, 502 and 504 are retried too", async () => {
  await withServer(async (server, store) => {
    for (const status of [429, 408, 500, 502, 504]) {
      server.answer(() => json({ error_code: "X", message: "again" }, status), () => json({}));
    }
    const s = store();
    for (let i = 0; i < 5; i++) await s.deleteRun("abc");
    assert.equal(server.received.length, 10);
  });
});

Deno.test("a 400 answer is not retried and keeps MLflow's error code and message", async () => {
  await withServer(async (server, store) => {
    server.answer(() => json({ error_code: "INVALID_PARAMETER_VALUE", message: "Bad filter 'x'" }, 400));
    const error = await rejection(store().searchRuns({ experimentIds: ["0"], filter: "x" }));
    assert.equal(error.code, "INVALID_PARAMETER_VALUE");
    assert.equal(error.message, "Bad filter 'x'");
    assert.equal(server.received.length, 1);
  });
});

Deno.test("403 and 404 answers are not retried either", async () => {
  await withServer(async (server, store) => {
    server.answer(
      () => json({ error_code: "PERMISSION_DENIED", message: "no" }, 403),
      () => new Response("<html>Not Found</html>", { status: 404 }),
    );
    const s = store();
    const denied = await rejection(s.getExperiment("1"));
    assert.equal(denied.code, "PERMISSION_DENIED");
    assert.match(denied.hint ?? "", /MLFLOW_TRACKING_TOKEN/);
    const missing = await rejection(s.getExperiment("1"));
    assert.equal(missing.code, "ENDPOINT_NOT_FOUND");
    assert.match(missing.message, /GET http:\/\/127\.0\.0\.1:\d+\/api\/2\.0\/mlflow\/experiments\/get/);
    assert.match(missing.hint ?? "", /MLflow server/);
    assert.equal(server.received.length, 2);
  });
});

Deno.test("retries are bounded: the last retryable answer becomes the error", async () => {
  await withServer(async (server, store) => {
    server.answer(unavailable, unavailable, unavailable);
    const error = await rejection(store({ maxRetries: 2 }).getRun("abc"));
    assert.equal(error.code, "TEMPORARILY_UNAVAILABLE");
    assert.match(error.message, /HTTP 503: busy/);
    assert.equal(server.received.length, 3);
  });
});

Deno.test("MLFLOW_HTTP_REQUEST_MAX_RETRIES bounds retries; a malformed value is an error naming it", async () => {
  await withServer(async (server) => {
    server.answer(unavailable, unavailable, unavailable);
    const env = (name: string) => ({ MLFLOW_HTTP_REQUEST_MAX_RETRIES: "1" })[name];
    const store = new RestStore(server.url, { env, backoffMs: 1 });
    assert.equal((await rejection(store.deleteRun("abc"))).code, "TEMPORARILY_UNAVAILABLE");
    assert.equal(server.received.length, 2);
    const bad = new RestStore(server.url, {
      env: (n) => (n === "MLFLOW_HTTP_REQUEST_TIMEOUT" ? "soon" : undefined),
    });
    const error = await rejection(bad.deleteRun("abc"));
    assert.equal(error.code, "tracking/bad-env");
    assert.match(error.message, /MLFLOW_HTTP_REQUEST_TIMEOUT="soon"/);
  });
});

Deno.test("MLFLOW_HTTP_REQUEST_TIMEOUT past setTimeout's limit waits; 0 is refused as requests refuses it", async () => {
  await withServer(async (server) => {
    // An answer that comes after a few milliseconds: a 35-day timeout once became a 1 ms timer and lost it.
    const late = () =>
      new Promise<Response>((resolve) => setTimeout(() => resolve(json({ experiment: EXPERIMENT })), 30));
    server.answer(late);
    const patient = new RestStore(server.url, {
      env: (n) => (n === "MLFLOW_HTTP_REQUEST_TIMEOUT" ? "3000000" : undefined),
      maxRetries: 0,
    });
    assert.equal((await patient.getExperiment(EXPERIMENT.experiment_id)).name, "big-id");
    await patient.close();
    const zero = new RestStore(server.url, {
      env: (n) => (n === "MLFLOW_HTTP_REQUEST_TIMEOUT" ? "0" : undefined),
    });
    const error = await rejection(zero.deleteRun("abc"));
    assert.equal(error.code, "tracking/bad-env");
    assert.match(error.message, /MLFLOW_HTTP_REQUEST_TIMEOUT="0": expected a whole number from 1/);
    assert.equal(server.received.length, 1);
    await zero.close();
  });
});

Deno.test("a JSON 404 on get-by-name means no such experiment; on get it is RESOURCE_DOES_NOT_EXIST", async () => {
  await withServer(async (server, store) => {
    const notFound = () => json({ error_code: "RESOURCE_DOES_NOT_EXIST", message: "Could not find" }, 404);
    server.answer(notFound, notFound);
    const s = store();
    assert.equal(await s.getExperimentByName("nope"), undefined);
    assert.equal((await rejection(s.getExperiment("9"))).code, "RESOURCE_DOES_NOT_EXIST");
    assert.equal(server.received.length, 2);
  });
});

Deno.test("a 200 answer that is not a JSON object is a clear error", async () => {
  await withServer(async (server, store) => {
    server.answer(() => new Response("<html>login</html>", { status: 200 }));
    const error = await rejection(store().getRun("abc"));
    assert.equal(error.code, "tracking/bad-response");
    assert.match(error.message, /expected a JSON object/);
  });
});

Deno.test("MLFLOW_TRACKING_TOKEN is sent as a Bearer token, with kmlf's User-Agent", async () => {
  await withServer(async (server, store) => {
    server.answer(() => json({}));
    await store({ env: (name: string) => ({ MLFLOW_TRACKING_TOKEN: "t0k" })[name] }).deleteRun("abc");
    const [request] = server.received;
    assert.equal(request.headers.get("authorization"), "Bearer t0k");
    assert.equal(request.headers.get("user-agent"), `kmlf/${KMLF_VERSION}`);
  });
});

Deno.test("with both a token and a username/password, basic auth wins, as in MLflow's client", async () => {
  await withServer(async (server, store) => {
    server.answer(() => json({}));
    const env = (name: string) =>
      ({ MLFLOW_TRACKING_TOKEN: "t0k", MLFLOW_TRACKING_USERNAME: "u", MLFLOW_TRACKING_PASSWORD: "p" })[name];
    await store({ env }).deleteRun("abc");
    assert.equal(server.received[0].headers.get("authorization"), `Basic ${btoa("u:p")}`);
  });
});

Deno.test("MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD are sent as Basic auth", async () => {
  await withServer(async (server, store) => {
    server.answer(() => json({}));
    const env = (name: string) =>
      ({ MLFLOW_TRACKING_USERNAME: "alice", MLFLOW_TRACKING_PASSWORD: "pä:ss" })[name];
    await store({ env }).deleteRun("abc");
    const auth = server.received[0].headers.get("authorization") ?? "";
    assert.ok(auth.startsWith("Basic "), auth);
    const decoded = new TextDecoder().decode(Uint8Array.from(atob(auth.slice(6)), (c) => c.charCodeAt(0)));
    assert.equal(decoded, "alice:pä:ss");
  });
});

Deno.test("no credentials means no Authorization header", async () => {
  await withServer(async (server, store) => {
    server.answer(() => json({}));
    await store().deleteRun("abc");
    assert.equal(server.received[0].headers.get("authorization"), null);
  });
});

Deno.test("a header provider is asked on every request and wins over the environment's Authorization", async () => {
  await withServer(async (server, store) => {
    server.answer(() => json({}), () => json({}));
    let calls = 0;
    const headers = async () => {
      calls++;
      await Promise.resolve();
      return { Authorization: `Custom ${calls}`, "X-Team": "ml" };
    };
    const s = store({ headers, env: (n) => (n === "MLFLOW_TRACKING_TOKEN" ? "t" : undefined) });
    await s.deleteRun("a");
    await s.restoreRun("a");
    assert.deepEqual(server.received.map((r) => r.headers.get("authorization")), ["Custom 1", "Custom 2"]);
    assert.equal(server.received[1].headers.get("x-team"), "ml");
  });
});

Deno.test("static extra headers are sent with every request, artifact uploads included", async () => {
  await withServer(async (server, store) => {
    server.answer(() => json({}));
    const s = store({ headers: { "X-Api-Key": "k" } });
    await s.getArtifactRepository("mlflow-artifacts:/1/abc/artifacts").writeArtifact("a.txt", "x");
    assert.equal(server.received[0].headers.get("x-api-key"), "k");
    assert.equal(server.received[0].method, "PUT");
    assert.equal(server.received[0].path, "/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/a.txt");
  });
});

Deno.test("an unreachable server is a clear error naming the URL, after bounded retries", async () => {
  const url = `http://127.0.0.1:${closedPort()}`;
  const store = new RestStore(url, { env: noEnv, maxRetries: 2, backoffMs: 1 });
  const error = await rejection(store.getExperiment("0"));
  assert.equal(error.code, "tracking/server-unreachable");
  assert.ok(error.message.startsWith(`Cannot GET ${url}/api/2.0/mlflow/experiments/get?experiment_id=0`));
  assert.match(error.message, /after 2 retries/);
  assert.match(error.hint ?? "", /MLflow server is running at http:\/\/127\.0\.0\.1/);
  await store.close();
});

Deno.test("a server that does not answer in time is a timeout error, not retried", async () => {
  await withServer(async (server, store) => {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    server.answer(async () => {
      await held;
      return json({});
    });
    try {
      const error = await rejection(store({ timeoutMs: 20 }).getRun("abc"));
      assert.equal(error.code, "tracking/server-timeout");
      assert.equal(server.received.length, 1);
    } finally {
      release();
    }
  });
});

Deno.test("GET parameters go in the query string with repeated keys; POST bodies are JSON", async () => {
  assert.equal(
    withQuery("http://h/x", { run_ids: ["a", "b"], max_results: 5, skip: undefined, flag: true }),
    "http://h/x?run_ids=a&run_ids=b&max_results=5&flag=true",
  );
  await withServer(async (server, store) => {
    server.answer(() => json({}));
    await store().logBatch("abc", { metrics: [{ key: "m", value: -Infinity, timestamp: 5, step: 2 }] });
    const [request] = server.received;
    assert.equal(request.headers.get("content-type"), "application/json");
    assert.deepEqual(JSON.parse(new TextDecoder().decode(request.body)), {
      run_id: "abc",
      metrics: [{ key: "m", value: "-Infinity", timestamp: 5, step: 2 }],
    });
  });
});

Deno.test("metric history follows next_page_token unless a page size is given", async () => {
  await withServer(async (server, store) => {
    const point = (step: number) => ({ key: "loss", value: 1 / (step + 1), timestamp: 10 + step, step });
    server.answer(
      () => json({ metrics: [point(0), point(1)], next_page_token: "p2" }),
      () => json({ metrics: [point(2)] }),
      () => json({ metrics: [point(0)], next_page_token: "p2" }),
    );
    const s = store();
    const all = await s.getMetricHistory("abc", "loss");
    assert.deepEqual(all.metrics.map((m) => m.step), [0, 1, 2]);
    assert.equal(all.nextPageToken, undefined);
    assert.deepEqual(server.received.map((r) => r.query.get("page_token")), [null, "p2"]);
    assert.deepEqual(server.received.map((r) => r.query.get("max_results")), ["25000", "25000"]);
    const page = await s.getMetricHistory("abc", "loss", { maxResults: 1 });
    assert.deepEqual(page.metrics.map((m) => m.step), [0]);
    assert.equal(page.nextPageToken, "p2");
    assert.equal(server.received[2].query.get("max_results"), "1");
  });
});

Deno.test("searches pass page tokens both ways and default to 1000 results, active only", async () => {
  await withServer(async (server, store) => {
    server.answer(
      () => json({ experiments: [EXPERIMENT], next_page_token: "next" }),
      () => json({}),
    );
    const s = store();
    const page = await s.searchExperiments({ filter: "name LIKE 'big%'" });
    assert.equal(page.experiments[0].experimentId, "123456789012345678901");
    assert.equal(page.nextPageToken, "next");
    assert.deepEqual(await s.searchRuns({ experimentIds: ["1", "2"], pageToken: "tok" }), { runs: [] });
    const bodies = server.received.map((r) => JSON.parse(new TextDecoder().decode(r.body)));
    assert.deepEqual(bodies, [
      { max_results: 1000, filter: "name LIKE 'big%'", view_type: "ACTIVE_ONLY" },
      { experiment_ids: ["1", "2"], run_view_type: "ACTIVE_ONLY", max_results: 1000, page_token: "tok" },
    ]);
  });
});

Deno.test("bad keys and experiment names are refused before anything is sent", async () => {
  await withServer(async (server, store) => {
    const s = store();
    assert.equal((await rejection(s.setTag("abc", "a//b", "v"))).code, "INVALID_PARAMETER_VALUE");
    assert.equal((await rejection(s.createExperiment(""))).code, "INVALID_PARAMETER_VALUE");
    const batch = await rejection(
      s.logBatch("abc", { metrics: [{ key: "ok", value: 1, timestamp: -1, step: 0 }] }),
    );
    assert.match(batch.message, /timestamp/);
    assert.equal(server.received.length, 0);
  });
});

Deno.test("a closed REST store refuses further calls", async () => {
  await withServer(async (server, store) => {
    const s = store();
    await s.close();
    const error = await rejection(s.getRun("abc"));
    assert.equal(error.code, "tracking/store-closed");
    assert.match(error.hint ?? "", /open the store again/);
    assert.equal(server.received.length, 0);
  });
});

Deno.test("the HTTP client resolves endpoint paths against the tracking URL's path prefix", async () => {
  await withServer(async (server) => {
    server.answer(() => json({ ok: true }));
    const http = new HttpClient(`${server.url}/mlflow/`, { env: noEnv });
    assert.deepEqual(await http.callJson("GET", "/api/2.0/mlflow/experiments/get", { experiment_id: "0" }), {
      ok: true,
    });
    assert.equal(server.received[0].path, "/mlflow/api/2.0/mlflow/experiments/get");
  });
});
