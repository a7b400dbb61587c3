/**
 * A PostgreSQL tracking URI that cannot work is a clear error at once, not an internal one and not
 * five retries: a host and port answering another protocol (an HTTP server), a host name that does not
 * exist, an sslmode the server cannot meet. Each names the URI without its password, and says the fix.
 */
import assert from "node:assert/strict";
import { TrackingError } from "../../lib/errors.ts";
import { openStore } from "../../lib/tracking/mod.ts";
import { sharedPostgres } from "../services/postgres_server.ts";

async function refusal(uri: string): Promise<{ error: TrackingError; ms: number }> {
  const started = Date.now();
  let error: unknown;
  try {
    const store = await openStore(uri, { baseDir: Deno.cwd(), maxRetries: 5, backoffMs: 400 });
    await store.close();
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof TrackingError, `expected a TrackingError, got ${error}`);
  assert.ok(!`${error.message} ${error.hint}`.includes("s3cret"), error.message);
  return { error, ms: Date.now() - started };
}

Deno.test("a host and port that answer HTTP instead of PostgreSQL are named at once", async () => {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, () => new Response("hi"));
  try {
    const { error, ms } = await refusal(`postgresql://kmlf:s3cret@127.0.0.1:${server.addr.port}/mlflow`);
    assert.equal(error.code, "tracking/database-connection");
    assert.match(
      error.message,
      /kmlf:\*\*\*@127\.0\.0\.1:\d+\/mlflow: the server at that host and port does not speak PostgreSQL's protocol/,
    );
    assert.match(error.hint ?? "", /PostgreSQL server's port \(5432 by default\).*http:\/\/host:port/);
    assert.ok(ms < 5000, `took ${ms} ms: retried a server that answered`);
  } finally {
    await server.shutdown();
  }
});

Deno.test("an unknown host name and an sslmode the server cannot meet say what to fix", async () => {
  const missing = await refusal("postgresql://kmlf:s3cret@no-such-host.invalid/mlflow");
  assert.equal(missing.error.code, "tracking/database-unreachable");
  assert.match(missing.error.message, /no-such-host\.invalid/);
  assert.match(missing.error.hint ?? "", /host/);

  const url = await (await sharedPostgres()).createDatabase();
  const ssl = await refusal(`${url.replace("//kmlf@", "//kmlf:s3cret@")}?sslmode=require`);
  assert.equal(ssl.error.code, "tracking/database-connection");
  assert.match(ssl.error.message, /SSL/);
  assert.match(ssl.error.hint ?? "", /sslmode=disable/);
  assert.ok(ssl.ms < 5000, `took ${ssl.ms} ms: retried a refusal retrying cannot change`);
});

Deno.test("libpq's ?password= is the login's password, and is masked in every message", async () => {
  const url = await (await sharedPostgres()).createDatabase();
  const store = await openStore(`${url}?password=s3cret`, { baseDir: Deno.cwd() });
  assert.ok(await store.createExperiment("with-query-password"));
  await store.close();
  const missing = await refusal(
    `${url.replace(/\/kmlf_\w+$/, "/no_such_db")}?sslmode=disable&password=s3cret`,
  );
  assert.equal(missing.error.code, "tracking/database-missing");
  assert.match(missing.error.message, /no_such_db\?sslmode=disable&password=\*\*\*/);
});

Deno.test("a URI parameter the server does not know names itself and the fix", async () => {
  const url = await (await sharedPostgres()).createDatabase();
  for (const query of ["keepalives=1", "options=-c%20statement_timeout%3Dsoon"]) {
    const { error, ms } = await refusal(`${url.replace("//kmlf@", "//kmlf:s3cret@")}?${query}`);
    assert.equal(error.code, "tracking/database-connection", error.message);
    assert.match(error.message, /kmlf:\*\*\*@.*(keepalives|statement_timeout)/);
    assert.match(error.hint ?? "", /fix or remove that parameter in the tracking URI/);
    assert.ok(ms < 5000, `took ${ms} ms: retried a refusal retrying cannot change`);
  }
});
