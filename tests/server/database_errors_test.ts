/**
 * A server whose PostgreSQL database fails answers as MLflow's does (503 TEMPORARILY_UNAVAILABLE for
 * a database that cannot be reached or does not answer in time) without naming where the database is:
 * no URI, masked or not, no host, no port, no user. The server's log gets the full error under the
 * reference the answer gives. On the test command's real PostgreSQL, behind a TCP proxy the test cuts.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { createRequestHandler } from "../../lib/server/mod.ts";
import { backendLocationRedactor, clientFacingError } from "../../lib/server/server_errors.ts";
import { openStore } from "../../lib/tracking/mod.ts";
import { TrackingError } from "../../lib/errors.ts";
import { sharedPostgres } from "../services/postgres_server.ts";
import { startStallingProxy } from "../services/stalling_proxy.ts";

/** What a client must never learn about the database from an answer. */
function assertNamesNoLocation(message: string, port: number) {
  for (const secret of ["s3cret", "127.0.0.1", String(port), "kmlf:", "postgresql", "***"]) {
    assert.ok(!message.includes(secret), `the answer names ${secret}: ${message}`);
  }
}

async function serveOver(uri: string) {
  const store = await openStore(uri, { baseDir: Deno.cwd(), maxRetries: 1, backoffMs: 10 });
  const logged: string[] = [];
  const stateDir = await Deno.makeTempDir({ prefix: "kmlf-db-errors-" });
  const handler = createRequestHandler(store, { stateDir, logError: (line) => logged.push(line) });
  const call = async (path: string, body?: unknown) => {
    const response = await handler(
      new Request(`http://127.0.0.1/api/2.0/mlflow/${path}`, {
        method: body ? "POST" : "GET",
        headers: { "content-type": "application/json" },
        body: body ? JSON.stringify(body) : undefined,
      }),
    );
    return { status: response.status, body: await response.json() };
  };
  return {
    call,
    logged,
    async close() {
      await store.close().catch(() => {});
      await Deno.remove(stateDir, { recursive: true });
    },
  };
}

Deno.test("an unreachable database is a 503 naming no host, and the server's log has the details", async () => {
  const pg = await sharedPostgres();
  const name = new URL(await pg.createDatabase()).pathname;
  const proxy = startStallingProxy({ hostname: "127.0.0.1", port: pg.port });
  const server = await serveOver(`postgresql://kmlf:s3cret@127.0.0.1:${proxy.port}${name}`);
  let proxyOpen = true;
  try {
    assert.equal((await server.call("experiments/search?max_results=5")).status, 200);
    await proxy.close();
    proxyOpen = false;
    const { status, body } = await server.call("experiments/search?max_results=5");
    assert.equal(status, 503);
    assert.equal(body.error_code, "TEMPORARILY_UNAVAILABLE");
    assert.match(
      body.message,
      /^The tracking server cannot reach its database \(tracking\/database-unreachable\); its log has the details under ref [0-9a-f]{8}$/,
    );
    assertNamesNoLocation(body.message, proxy.port);
    const ref = body.message.slice(-8);
    assert.equal(server.logged.length, 1);
    const line = server.logged[0];
    assert.ok(line.includes(`GET /api/2.0/mlflow/experiments/search answered 503 (ref ${ref})`), line);
    assert.match(line, /\[tracking\/database-unreachable\] Cannot reach the PostgreSQL tracking database/);
    assert.ok(line.includes(`kmlf:***@127.0.0.1:${proxy.port}`), line);
    assert.ok(!line.includes("s3cret"), line);
    assert.match(line, /hint: check that the server is running/);
  } finally {
    if (proxyOpen) await proxy.close();
    await server.close();
  }
});

Deno.test("a database that does not answer in time is a 503 naming no host", async () => {
  const url = (await sharedPostgres()).createDatabase();
  const base = (await url).replace("//kmlf@", "//kmlf:s3cret@");
  const port = Number(new URL(base).port);
  const server = await serveOver(`${base}?options=-c%20statement_timeout%3D300%20-c%20lock_timeout%3D0`);
  const other = postgres(await url, { max: 1, onnotice: () => {} });
  let release!: () => void;
  const released = new Promise<void>((r) => release = r);
  let locked!: () => void;
  const holding = new Promise<void>((r) => locked = r);
  const tx = other.begin(async (q) => {
    await q.unsafe("LOCK TABLE experiments IN ACCESS EXCLUSIVE MODE");
    locked();
    await released;
  });
  try {
    await holding;
    const { status, body } = await server.call("experiments/create", { name: "blocked" });
    assert.equal(status, 503);
    assert.equal(body.error_code, "TEMPORARILY_UNAVAILABLE");
    assert.match(
      body.message,
      /^The tracking server gave up waiting for its database \(tracking\/database-timeout\)/,
    );
    assertNamesNoLocation(body.message, port);
    assert.match(server.logged[0], /POST \/api\/2\.0\/mlflow\/experiments\/create answered 503/);
    assert.match(server.logged[0], /lock_timeout/);
  } finally {
    release();
    await tx.catch(() => {});
    await other.end();
    await server.close();
  }
});

Deno.test("a driver's text naming the database's host or port is redacted in any 5xx answer", () => {
  const hide = backendLocationRedactor("postgresql://mlflow:s3cret@db.internal:5433/mlflow?sslmode=require");
  assert.equal(hide("connect ECONNREFUSED db.internal:5433"), "connect ECONNREFUSED <backend store>");
  assert.equal(hide("getaddrinfo ENOTFOUND db.internal"), "getaddrinfo ENOTFOUND <backend store>");
  assert.equal(
    hide("Cannot use postgresql://mlflow:***@db.internal:5433/mlflow?sslmode=require: gone"),
    "Cannot use <backend store>: gone",
  );
  // A name that only contains the host is left alone.
  assert.equal(hide("db.internal.example and my-db.internal"), "db.internal.example and my-db.internal");
  const v6 = backendLocationRedactor("postgresql://u@[::1]:5432/mlflow");
  assert.equal(v6("connect ECONNREFUSED ::1:5432"), "connect ECONNREFUSED <backend store>");
  // Stores without a network location are left to the path redaction.
  assert.equal(backendLocationRedactor("sqlite:////srv/mlflow.db")("/srv/mlflow.db"), "/srv/mlflow.db");
  // A change that may have been saved is not a "retry later": 500, and still no location.
  const unknown = clientFacingError(
    new TrackingError("tracking/database-outcome-unknown", "… postgresql://u:***@db/x broke …"),
    "abcd1234",
  ) as TrackingError;
  assert.equal(unknown.code, "INTERNAL_ERROR");
  assert.ok(!unknown.message.includes("db/x"), unknown.message);
});
