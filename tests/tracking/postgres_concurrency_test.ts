/**
 * PostgreSQL under load and trouble: 16 processes creating and logging into one new database lose
 * nothing (rows counted); `kmlf server` answers concurrent requests from a bounded pool of
 * connections; dropped connections are retried with backoff, and a server that stays down is a clear
 * error — and the same store works again once it is back.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { serverCommand } from "../../lib/cli/server_command.ts";
import { TrackingError } from "../../lib/errors.ts";
import { openStore, RestStore } from "../../lib/tracking/mod.ts";
import { sharedPostgres, startPostgres } from "../services/postgres_server.ts";

const WORKER = new URL("./concurrent_writer.ts", import.meta.url).pathname;

Deno.test("16 processes logging into one new PostgreSQL database lose no row", async () => {
  const url = await (await sharedPostgres()).createDatabase();
  const workers = 16;
  const points = 200;
  const outputs = await Promise.all(
    Array.from({ length: workers }, (_, w) =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "--allow-all", WORKER, url, String(w), String(points)],
        stdout: "piped",
        stderr: "piped",
      }).output()),
  );
  const runIds = outputs.map((o, w) => {
    assert.equal(o.code, 0, `worker ${w} failed: ${new TextDecoder().decode(o.stderr)}`);
    return new TextDecoder().decode(o.stdout).trim();
  });
  assert.equal(new Set(runIds).size, workers);
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const count = async (query: Promise<{ n: string | number }[]>) => Number((await query)[0].n);
    assert.equal(await count(sql`SELECT count(*) AS n FROM experiments WHERE name = 'concurrent'`), 1);
    assert.equal(await count(sql`SELECT count(*) AS n FROM alembic_version`), 1);
    assert.equal(await count(sql`SELECT count(*) AS n FROM experiments WHERE experiment_id = 0`), 1);
    assert.equal(await count(sql`SELECT count(*) AS n FROM runs`), workers);
    assert.equal(await count(sql`SELECT count(*) AS n FROM metrics WHERE key = 'loss'`), workers * points);
    assert.equal(
      await count(sql`SELECT count(*) AS n FROM metrics WHERE key = 'single'`),
      workers * points / 25,
    );
    assert.equal(await count(sql`SELECT count(*) AS n FROM params`), workers * 2);
  } finally {
    await sql.end();
  }
  const store = await openStore(url, { baseDir: Deno.cwd() });
  try {
    for (const id of runIds) {
      const run = await store.getRun(id);
      assert.equal(run.info.status, "FINISHED");
      assert.equal(run.data.metrics.loss, 1 / points);
      assert.equal(run.data.latestMetrics.loss.step, points - 1);
      assert.equal(run.data.tags.progress, String(points - 25));
    }
  } finally {
    await store.close();
  }
});

Deno.test("kmlf server on PostgreSQL serves concurrent requests from a pool of at most 10 connections", async () => {
  const url = await (await sharedPostgres()).createDatabase();
  const dir = await Deno.makeTempDir({ prefix: "kmlf-pg-server-" });
  const stop = new AbortController();
  let listening!: (url: string) => void;
  const address = new Promise<string>((resolve) => (listening = resolve));
  const served = serverCommand(
    { backendStoreUri: url, artifactsDestination: dir, port: "0" },
    { onListening: listening, signal: stop.signal },
  );
  const client = new RestStore(await address, { env: () => undefined });
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const experimentId = await client.createExperiment("pooled");
    let peak = 0;
    const watch = setInterval(async () => {
      const [{ n }] = await admin`SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'kmlf'`;
      peak = Math.max(peak, Number(n));
    }, 20);
    const runs = await Promise.all(Array.from({ length: 40 }, () => client.createRun({ experimentId })));
    await Promise.all(runs.map((r, i) =>
      client.logBatch(r.info.runId, {
        metrics: Array.from(
          { length: 50 },
          (_, s) => ({ key: "m", value: i + s, timestamp: 1 + s, step: s }),
        ),
        params: [{ key: "i", value: String(i) }],
      })
    ));
    clearInterval(watch);
    const { runs: found } = await client.searchRuns({ experimentIds: [experimentId], maxResults: 100 });
    assert.equal(found.length, 40);
    assert.ok(found.every((r) => r.data.metrics.m === Number(r.data.params.i) + 49));
    assert.ok(peak > 1 && peak <= 10, `peak kmlf connections: ${peak}`);
  } finally {
    await admin.end();
    await client.close();
    stop.abort();
    await served;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("dropped connections are retried with backoff; a server that stays down is a clear error", async () => {
  const server = await startPostgres();
  // The test server trusts loopback, so any password works: it shows the password never reaches a message.
  const url = (await server.createDatabase()).replace("//kmlf@", "//kmlf:s3cret-pw@");
  const store = await openStore(url, { baseDir: Deno.cwd(), maxRetries: 4, backoffMs: 100 });
  try {
    const experimentId = await store.createExperiment("resilient");
    // Every connection of the pool killed by the server (an admin, a failover, an idle timeout).
    const admin = postgres(server.adminUrl, { max: 1, onnotice: () => {} });
    await admin`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'kmlf'`;
    await admin.end();
    const run = await store.createRun({ experimentId });
    assert.equal((await store.getRun(run.info.runId)).info.status, "RUNNING");

    await server.stop();
    const started = Date.now();
    await assert.rejects(store.getRun(run.info.runId), (e: unknown) => {
      assert.ok(e instanceof TrackingError, String(e));
      assert.equal(e.code, "tracking/database-unreachable");
      assert.match(e.message, /after 5 attempts/);
      assert.ok(!`${e.message} ${e.hint}`.includes("s3cret-pw"), e.message);
      assert.match(e.message, /postgresql:\/\/kmlf:\*\*\*@127\.0\.0\.1/);
      assert.match(e.hint ?? "", /server is running/);
      return true;
    });
    // 100 + 200 + 400 + 800 ms of backoff between the five attempts.
    assert.ok(Date.now() - started >= 1500, `gave up after ${Date.now() - started} ms`);

    await server.start();
    assert.equal((await store.getRun(run.info.runId)).info.runId, run.info.runId);
  } finally {
    await store.close();
    await server.stop().catch(() => {});
  }
});
