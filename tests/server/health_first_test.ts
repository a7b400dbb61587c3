/**
 * `healthFirst`: `kmlf server` listens before its API's code has loaded. `/health` answers at once (the same
 * answer as the full handler's); any other request loads the API once and waits for it.
 */
import assert from "node:assert/strict";
import { createRequestHandler, type Handler, healthFirst } from "../../lib/server/mod.ts";
import { SqliteStore } from "../../lib/tracking/mod.ts";
import { TrackingError } from "../../lib/errors.ts";

Deno.test("healthFirst answers /health without loading the API, and loads it once for other requests", async () => {
  let loads = 0;
  const api = Promise.withResolvers<Handler>();
  const handler = healthFirst(() => {
    loads++;
    return api.promise;
  });
  const health = await handler(new Request("http://127.0.0.1:5000/health?probe=1"));
  assert.equal(health.status, 200);
  assert.equal(await health.text(), "OK");
  assert.equal(loads, 0);

  // Requests that come while the API loads wait for it, and share one load.
  const early = [
    handler(new Request("http://127.0.0.1:5000/version")),
    handler(new Request("http://127.0.0.1:5000/api/2.0/mlflow/experiments/get?experiment_id=0")),
  ];
  assert.equal(loads, 1);
  api.resolve((request) => Promise.resolve(new Response(new URL(request.url).pathname)));
  assert.deepEqual(await Promise.all(early.map(async (r) => await (await r).text())), [
    "/version",
    "/api/2.0/mlflow/experiments/get",
  ]);
  assert.equal(await (await handler(new Request("http://127.0.0.1:5000/ajax-api/x"))).text(), "/ajax-api/x");
  assert.equal(loads, 1);
});

Deno.test("healthFirst's /health is the full handler's, and other spellings of it reach the full handler", async () => {
  const store = SqliteStore.open(":memory:");
  try {
    const full = createRequestHandler(store, { auth: { token: "secret" }, allowedHosts: ["127.0.0.1"] });
    let loads = 0;
    const handler = healthFirst(() => {
      loads++;
      return Promise.resolve(full);
    });
    // No credentials and a foreign Host: /health needs neither, with or without the API loaded.
    const request = () => new Request("http://evil.example/health", { headers: { host: "evil.example" } });
    const [early, late] = [await handler(request()), await full(request())];
    assert.equal(loads, 0);
    assert.deepEqual(
      [early.status, early.headers.get("content-type"), await early.text()],
      [late.status, late.headers.get("content-type"), await late.text()],
    );
    // A percent-encoded path is routed by the full handler, which decodes it as werkzeug does.
    const encoded = await handler(new Request("http://127.0.0.1/%68ealth"));
    assert.equal(loads, 1);
    assert.equal(await encoded.text(), "OK");
  } finally {
    await store.close();
  }
});

Deno.test("a failed API load answers that request MLflow's 500 with a message, logs the error, and is tried again by the next", async () => {
  let loads = 0;
  const logged: string[] = [];
  const handler = healthFirst(() => {
    loads++;
    if (loads === 1) {
      return Promise.reject(
        new TrackingError(
          "tracking/not-a-database",
          "Cannot open the SQLite tracking store /srv/secret/mlflow.db",
          {
            hint: "move this file away",
          },
        ),
      );
    }
    if (loads === 2) return Promise.reject(new TypeError("Module not found: file:///opt/kmlf/chunk-x.js"));
    return Promise.resolve(() => Promise.resolve(new Response("api")));
  }, { logError: (line) => logged.push(line) });
  for (
    const [code, detail] of [["tracking/not-a-database", "/srv/secret/mlflow.db"], [
      "TypeError",
      "chunk-x.js",
    ]]
  ) {
    // Never Deno's bare "Internal Server Error" (a rejected handler): MLflow's error, naming no path.
    const answer = await handler(new Request("http://127.0.0.1/api/2.0/mlflow/experiments/search"));
    assert.equal(answer.status, 500);
    const body = await answer.json();
    assert.equal(body.error_code, "INTERNAL_ERROR");
    const ref = body.message.match(
      /could not load its API \((.+)\); its log has the details under ref (\w+)$/,
    );
    assert.ok(ref, body.message);
    assert.equal(ref[1], code);
    assert.ok(!body.message.includes(detail));
    // The log line has the error under that reference.
    const line = logged.at(-1)!;
    assert.match(line, new RegExp(`GET /api/2.0/mlflow/experiments/search answered 500 \\(ref ${ref[2]}\\)`));
    assert.ok(line.includes(detail), line);
    assert.match(line, /hint: /);
  }
  assert.equal(await (await handler(new Request("http://127.0.0.1/version"))).text(), "api");
  assert.equal(loads, 3);
  // /health never waited for, nor failed with, the API.
  assert.equal((await handler(new Request("http://127.0.0.1/health"))).status, 200);
});
