/**
 * Scale-out benchmarks (README "Scaling out"): searchRuns over 10,000 runs on PostgreSQL next to
 * SQLite (same runs, same queries), logging throughput into each, and the load cost of the client
 * libraries chosen for PostgreSQL (npm `postgres` against `pg`) and S3 (npm `aws4fetch` against the AWS
 * SDK's `@aws-sdk/client-s3`). Starts its own PostgreSQL server (tests/services/postgres_server.ts).
 * Figures are medians; the build machines are shared, so read them as orders of magnitude.
 */
import { join } from "node:path";
import postgresClient from "postgres";
import { openStore, type TrackingStore } from "../lib/tracking/mod.ts";
import { startPostgres } from "../tests/services/postgres_server.ts";
import { median, report } from "./bench_utils.ts";
import { seedSearchRuns } from "./seed_runs.ts";

const RUNS = 10_000;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const QUERIES: { label: string; filter: string; orderBy: string[] }[] = [
  {
    label: "metric filter + metric order",
    filter: "metrics.metric_0 > 0.5",
    orderBy: ["metrics.metric_1 DESC"],
  },
  { label: "param filter", filter: "params.param_3 = '42'", orderBy: [] },
  {
    label: "run name LIKE + start_time",
    filter: "attributes.run_name LIKE 'run-1%'",
    orderBy: ["start_time ASC"],
  },
];

async function searchTimes(store: TrackingStore, experimentId: string): Promise<Map<string, number>> {
  const results = new Map<string, number>();
  for (const q of QUERIES) {
    for (const maxResults of [100, 1000]) {
      const times: number[] = [];
      for (let i = 0; i < 12; i++) {
        times.push(await timed(() => store.searchRuns({ experimentIds: [experimentId], ...q, maxResults })));
      }
      results.set(`${q.label}, page ${maxResults}`, median(times.slice(2)));
    }
  }
  return results;
}

async function importMs(specifier: string): Promise<number> {
  const code = `const t = performance.now(); await import(${JSON.stringify(specifier)}); ` +
    "console.log(performance.now() - t);";
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", code],
      stdout: "piped",
      stderr: "null",
    })
      .output();
    times.push(Number(new TextDecoder().decode(out.stdout).trim()));
  }
  return median(times);
}

// The two maintained PostgreSQL clients on the same round trips: npm `postgres` pipelines queries on a
// connection, npm `pg` sends one at a time. Each runs in its own process, outside kmlf's lockfile.
const DRIVER_SCRIPT = `
const [driver, url] = Deno.args;
let query, end;
if (driver === "pg") {
  const { default: pg } = await import("npm:pg@8.23.1");
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  query = (text, params) => pool.query(text, params);
  end = () => pool.end();
} else {
  const { default: postgres } = await import("npm:postgres@4.2.0");
  const sql = postgres(url, { max: 4, onnotice: () => {} });
  query = (text, params) => sql.unsafe(text, params, { prepare: true });
  end = () => sql.end();
}
await query("CREATE TABLE t (k varchar(250), v double precision, ts bigint)", []);
let t = performance.now();
for (let i = 0; i < 2000; i++) await query("INSERT INTO t VALUES ($1, $2, $3)", ["loss", i / 7, 1700000000000 + i]);
const inserts = performance.now() - t;
t = performance.now();
await Promise.all(Array.from({ length: 500 }, (_, i) => query("SELECT $1::int + 1 AS x", [i])));
console.log(JSON.stringify({ inserts, concurrent: performance.now() - t }));
await end();
`;

async function driverThroughput(driver: "postgres" | "pg", url: string) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-lock", DRIVER_SCRIPT, driver, url],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  return JSON.parse(new TextDecoder().decode(out.stdout)) as { inserts: number; concurrent: number };
}

const dir = await Deno.makeTempDir({ prefix: "kmlf-scale-bench-" });
const server = await startPostgres();
try {
  const sqlite = await openStore(join(dir, "search.db"), { baseDir: dir });
  const pgUrl = await server.createDatabase();
  const postgres = await openStore(pgUrl, { baseDir: dir });
  console.log("SQLite:");
  const t1 = performance.now();
  const a = await seedSearchRuns(sqlite, RUNS);
  const sqliteSeed = performance.now() - t1;
  console.log("PostgreSQL:");
  const t2 = performance.now();
  const b = await seedSearchRuns(postgres, RUNS);
  const postgresSeed = performance.now() - t2;
  // Planner statistics, as autovacuum gathers them shortly after a bulk load on a real server.
  const admin = postgresClient(pgUrl);
  await admin`ANALYZE`;
  await admin.end();
  report("log 10,000 runs (createRun + logBatch) — SQLite", sqliteSeed / RUNS, "ms/run", 5);
  report("log 10,000 runs (createRun + logBatch) — PostgreSQL", postgresSeed / RUNS, "ms/run", 5);
  const [onSqlite, onPostgres] = [
    await searchTimes(sqlite, a.experimentId),
    await searchTimes(postgres, b.experimentId),
  ];
  for (const [label, ms] of onSqlite) {
    report(`searchRuns 10k, ${label} — SQLite`, ms, "ms", 50);
    report(`searchRuns 10k, ${label} — PostgreSQL`, onPostgres.get(label)!, "ms", 50);
  }
  await sqlite.close();
  await postgres.close();

  for (const driver of ["postgres", "pg"] as const) {
    const { inserts, concurrent } = await driverThroughput(driver, await server.createDatabase());
    report(`${driver}: 2,000 sequential INSERTs`, inserts, "ms", 1000);
    report(`${driver}: 500 concurrent SELECTs on a pool of 4`, concurrent, "ms", 100);
  }
  report("import npm:postgres@4.2.0 (chosen)", await importMs("npm:postgres@4.2.0"), "ms", 100);
  report("import npm:pg@8.23.1", await importMs("npm:pg@8.23.1"), "ms", 100);
  report("import npm:aws4fetch@1.0.20 (chosen)", await importMs("npm:aws4fetch@1.0.20"), "ms", 100);
  report("import npm:@aws-sdk/client-s3", await importMs("npm:@aws-sdk/client-s3"), "ms", 100);
} finally {
  await server.stop();
  await Deno.remove(dir, { recursive: true });
}
