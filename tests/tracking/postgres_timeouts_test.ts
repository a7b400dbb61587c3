/**
 * A PostgreSQL tracking store never waits forever: a table another session keeps locked, a statement
 * running past `statement_timeout`, a server that goes silent mid-answer and a host that accepts a
 * connection and never speaks each fail with `tracking/database-timeout` (or `-unreachable`), naming
 * the URI without its password and the setting that gives more time. Settings in the URI (libpq's
 * `?options=-c …` and `?connect_timeout=`) win over kmlf's defaults. On the test command's real server.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { TrackingError } from "../../lib/errors.ts";
import { openStore } from "../../lib/tracking/mod.ts";
import { PgDb } from "../../lib/tracking/stores/postgres/pg_db.ts";
import { optionSettings, pgTimeouts } from "../../lib/tracking/stores/postgres/pg_timeouts.ts";
import { sharedPostgres } from "../services/postgres_server.ts";
import { startStallingProxy } from "../services/stalling_proxy.ts";

const withPassword = (url: string) => url.replace("//kmlf@", "//kmlf:s3cret@");

async function failure(work: () => Promise<unknown>): Promise<{ error: TrackingError; ms: number }> {
  const started = Date.now();
  const error = await work().then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof TrackingError, `expected a TrackingError, got ${error}`);
  assert.ok(!`${error.message} ${error.hint}`.includes("s3cret"), error.message);
  return { error, ms: Date.now() - started };
}

/** A second session holding an exclusive lock on `table` until `release()`. */
async function lockTable(url: string, table: string): Promise<{ release(): Promise<void> }> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  let release!: () => void;
  const released = new Promise<void>((r) => release = r);
  let locked!: () => void;
  const holding = new Promise<void>((r) => locked = r);
  const tx = sql.begin(async (q) => {
    await q.unsafe(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    locked();
    await released;
  });
  await holding;
  return {
    async release() {
      release();
      await tx;
      await sql.end();
    },
  };
}

Deno.test("libpq's options and connect_timeout in the URI are read as the server reads them", () => {
  assert.deepEqual(
    [...optionSettings(
      "-c statement_timeout=5min -clock_timeout=10s --idle-in-transaction-session-timeout=1h",
    )],
    [["statement_timeout", "5min"], ["lock_timeout", "10s"], ["idle_in_transaction_session_timeout", "1h"]],
  );
  assert.deepEqual([...optionSettings("-c search_path=a\\ b")], [["search_path", "a b"]]);
  const defaults = pgTimeouts("postgresql://u@h/db");
  assert.deepEqual(defaults.startup, { statement_timeout: "60s", lock_timeout: "30s" });
  assert.equal(defaults.connectS, 10);
  assert.equal(defaults.clientS, 70);
  const given = pgTimeouts(
    "postgresql://u@h1:5432,h2:5433/db?connect_timeout=3&options=-c%20statement_timeout%3D2s",
  );
  assert.deepEqual(given.startup, { lock_timeout: "30s" });
  assert.equal(given.statement.ms, 2000);
  assert.equal(given.connectS, 3);
  assert.equal(given.clientS, 4);
  assert.equal(pgTimeouts("postgresql://u@h/db?statement_timeout=0").clientS, 0, "0 means no limit");
});

Deno.test("kmlf's connections run with statement and lock timeouts, unless the URI sets its own", async () => {
  const url = await (await sharedPostgres()).createDatabase();
  const settings = async (uri: string) => {
    const db = await PgDb.connect(uri);
    try {
      return await db.get<{ s: string; l: string }>(
        "SELECT current_setting('statement_timeout') AS s, current_setting('lock_timeout') AS l",
      );
    } finally {
      await db.close();
    }
  };
  assert.deepEqual(await settings(url), { s: "1min", l: "30s" });
  assert.deepEqual(await settings(`${url}?options=-c%20statement_timeout%3D7s`), { s: "7s", l: "30s" });
  assert.deepEqual(await settings(`${url}?options=-c statement_timeout=0 -c lock_timeout=2min`), {
    s: "0",
    l: "2min",
  });
});

Deno.test("a table another session keeps locked fails the store call, naming lock_timeout and the URI", async () => {
  const url = withPassword(await (await sharedPostgres()).createDatabase());
  const store = await openStore(`${url}?options=-c%20lock_timeout%3D300`, { baseDir: Deno.cwd() });
  const lock = await lockTable(url, "experiments");
  try {
    const { error } = await failure(() => store.createExperiment("blocked"));
    assert.equal(error.code, "tracking/database-timeout");
    assert.match(error.message, /postgresql:\/\/kmlf:\*\*\*@127\.0\.0\.1:\d+\/kmlf_\w+\?options=/);
    assert.match(error.message, /waited longer than lock_timeout=300 for a lock another session holds/);
    assert.match(error.hint ?? "", /pg_stat_activity.*options=-c%20lock_timeout%3D2min/);
  } finally {
    await lock.release();
  }
  // The lock gone, the same store works again: nothing was left half-done.
  assert.ok(await store.createExperiment("after"));
  await store.close();
});

Deno.test("a statement past statement_timeout is canceled by the server and named", async () => {
  const url = withPassword(await (await sharedPostgres()).createDatabase());
  const store = await openStore(`${url}?options=-c%20statement_timeout%3D300%20-c%20lock_timeout%3D0`, {
    baseDir: Deno.cwd(),
  });
  const lock = await lockTable(url, "runs");
  try {
    const { error } = await failure(() => store.createRun({ experimentId: "0" }));
    assert.equal(error.code, "tracking/database-timeout");
    assert.match(error.message, /kmlf:\*\*\*@.*did not finish a statement within statement_timeout=300 /);
    assert.match(error.hint ?? "", /statement_timeout=5min \(0 for no limit\)/);
  } finally {
    await lock.release();
  }
  await store.close();
});

Deno.test("a server that goes silent mid-answer fails the call after statement_timeout plus a margin", async () => {
  const server = await sharedPostgres();
  const name = new URL(await server.createDatabase()).pathname;
  const proxy = startStallingProxy({ hostname: "127.0.0.1", port: server.port });
  const db = await PgDb.connect(
    `postgresql://kmlf:s3cret@127.0.0.1:${proxy.port}${name}?options=-c%20statement_timeout%3D1s`,
    { maxRetries: 0, cancelTimeoutS: 1 },
  );
  try {
    assert.deepEqual(await db.get("SELECT 1 AS one"), { one: 1 });
    proxy.stallAfter(0);
    const { error } = await failure(() => db.get("SELECT 2 AS two"));
    assert.equal(error.code, "tracking/database-timeout");
    assert.match(error.message, /did not answer within 2 s \(statement_timeout=1s plus a margin\)/);
    assert.match(error.message, /kmlf:\*\*\*@127\.0\.0\.1/);
  } finally {
    await db.close().catch(() => {});
    await proxy.close();
  }
});

Deno.test("a host that accepts and never speaks is bounded by the URI's connect_timeout", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) held.push(conn);
  })().catch(() => {});
  try {
    const { port } = listener.addr as Deno.NetAddr;
    const { error, ms } = await failure(() =>
      openStore(`postgresql://kmlf:s3cret@127.0.0.1:${port}/mlflow?connect_timeout=1`, {
        baseDir: Deno.cwd(),
        maxRetries: 1,
        backoffMs: 10,
      })
    );
    assert.equal(error.code, "tracking/database-unreachable");
    assert.match(error.message, /after 2 attempts/);
    assert.match(error.hint ?? "", /connect_timeout=1 s \(from the URI\).*\?connect_timeout=30/);
    // Two attempts of 1 s each, not of kmlf's default 10 s.
    assert.ok(ms < 10_000, `took ${ms} ms`);
  } finally {
    listener.close();
    for (const conn of held) conn.close();
    await accepting;
  }
});

Deno.test("a connection lost while a write commits is not retried: no second run, a clear error", async () => {
  const server = await sharedPostgres();
  const url = await server.createDatabase();
  const proxy = startStallingProxy({ hostname: "127.0.0.1", port: server.port });
  const store = await openStore(
    `postgresql://kmlf:s3cret@127.0.0.1:${proxy.port}${new URL(url).pathname}`,
    { baseDir: Deno.cwd(), maxRetries: 3, backoffMs: 10 },
  );
  try {
    proxy.breakAfter("commit");
    const { error } = await failure(() => store.createRun({ experimentId: "0", runName: "once" }));
    assert.equal(error.code, "tracking/database-outcome-unknown");
    assert.match(
      error.message,
      /kmlf:\*\*\*@127\.0\.0\.1:\d+\/kmlf_\w+ broke while a change was being committed/,
    );
    assert.match(error.hint ?? "", /check the run in the store/);
    // The commit reached the server: exactly one run, not one per retry.
    const { runs } = await store.searchRuns({ experimentIds: ["0"] });
    assert.deepEqual(runs.map((r) => r.info.runName), ["once"]);
    // A connection lost before the commit is retried as before.
    proxy.breakAfter("INSERT INTO runs");
    const run = await store.createRun({ experimentId: "0", runName: "retried" });
    assert.equal(run.info.runName, "retried");
    assert.equal(proxy.breaks, 2, "both connections were cut");
    assert.equal((await store.searchRuns({ experimentIds: ["0"] })).runs.length, 2);
  } finally {
    await store.close();
    await proxy.close();
  }
});

Deno.test("a limit the DBA set on the database or role wins over kmlf's default, and the URI's over both", async () => {
  const url = await (await sharedPostgres()).createDatabase();
  const name = new URL(url).pathname.slice(1);
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`ALTER DATABASE ${name} SET statement_timeout = '5min'`);
  await admin.unsafe(`ALTER ROLE kmlf IN DATABASE ${name} SET lock_timeout = '2s'`);
  await admin.end();
  const shown = async (db: PgDb) => [
    (await db.get<{ statement_timeout: string }>("SHOW statement_timeout"))!.statement_timeout,
    (await db.get<{ lock_timeout: string }>("SHOW lock_timeout"))!.lock_timeout,
  ];

  const db = await PgDb.connect(withPassword(url));
  try {
    assert.deepEqual(await shown(db), ["5min", "2s"]);
    assert.equal(db.limits.statement.origin, "server");
    assert.equal(db.limits.statement.ms, 300_000);
    assert.equal(db.limits.lock.ms, 2000);
    assert.equal(db.limits.clientS, 310); // the client's backstop follows the server's limit
    assert.deepEqual(db.limits.startup, {});
  } finally {
    await db.close();
  }
  // The URI's setting wins over the server's; what neither sets keeps the server's.
  const explicit = await PgDb.connect(`${withPassword(url)}?options=-c%20statement_timeout%3D45s`);
  try {
    assert.deepEqual(await shown(explicit), ["45s", "2s"]);
    assert.equal(explicit.limits.statement.origin, "uri");
    assert.equal(explicit.limits.lock.origin, "server");
  } finally {
    await explicit.close();
  }
  // A lock wait past the DBA's limit says where the limit was set.
  const store = await openStore(withPassword(url), { baseDir: Deno.cwd() });
  const lock = await lockTable(url, "experiments");
  try {
    const { error } = await failure(() => store.createExperiment("blocked"));
    assert.equal(error.code, "tracking/database-timeout");
    assert.match(error.message, /lock_timeout=2000ms \(set on the database server\) for a lock/);
  } finally {
    await lock.release();
    await store.close();
  }
});

Deno.test("a server without its own limits gets kmlf's defaults", async () => {
  const url = await (await sharedPostgres()).createDatabase();
  const db = await PgDb.connect(withPassword(url));
  try {
    assert.equal(
      (await db.get<{ statement_timeout: string }>("SHOW statement_timeout"))!.statement_timeout,
      "1min",
    );
    assert.equal((await db.get<{ lock_timeout: string }>("SHOW lock_timeout"))!.lock_timeout, "30s");
    assert.equal(db.limits.statement.origin, "kmlf");
    assert.equal(db.limits.clientS, 70);
  } finally {
    await db.close();
  }
});
