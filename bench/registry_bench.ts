/**
 * Model registry benchmarks (issue 11): resolving `models:/iris@champion` (the version an alias points
 * at, then its download URI) and `models:/iris/latest` through each store's registry, target ≤ 20 ms,
 * with 200 registered models of 10 versions each; and the two registry searches (target ≤ 50 ms). "cold" opens the store, resolves and closes it (what a
 * fresh `kmlf models serve -m models:/…` does); "warm" reuses an open store. Loading the cached model
 * itself comes with the model-URI work of issue 10.
 * PostgreSQL (a server the bench starts, tests/services/postgres_server.ts) runs the same code as SQLite.
 * Run: `deno run -A bench/registry_bench.ts`. Prints figures; asserts nothing. About 40 s.
 */
import { join } from "node:path";
import { createRequestHandler } from "../lib/server/mod.ts";
import {
  FileStore,
  type ModelRegistryStore,
  openStore,
  SqliteStore,
  type TrackingStore,
} from "../lib/tracking/mod.ts";
import { startPostgres } from "../tests/services/postgres_server.ts";
import { median, report } from "./bench_utils.ts";

const MODELS = 200;
const VERSIONS = 10;
const dir = await Deno.makeTempDir({ prefix: "kmlf-registry-bench-" });

async function seed(registry: ModelRegistryStore): Promise<void> {
  for (let m = 0; m < MODELS; m++) {
    const name = m === 0 ? "iris" : `model-${String(m).padStart(3, "0")}`;
    await registry.createRegisteredModel(name, { tags: { team: `t${m % 7}` } });
    for (let v = 1; v <= VERSIONS; v++) {
      await registry.createModelVersion(name, `s3://models/${name}/${v}`, {
        runId: crypto.randomUUID().replaceAll("-", ""),
      });
    }
    await registry.setRegisteredModelAlias(name, "champion", String(VERSIONS - 2));
    await registry.transitionModelVersionStage(name, String(VERSIONS - 1), "Production");
  }
}

async function resolveAlias(registry: ModelRegistryStore): Promise<string> {
  const version = await registry.getModelVersionByAlias("iris", "champion");
  return await registry.getModelVersionDownloadUri("iris", version.version);
}

async function resolveLatest(registry: ModelRegistryStore): Promise<string> {
  const latest = await registry.getLatestVersions("iris");
  const newest = latest.reduce((a, v) => (Number(v.version) > Number(a.version) ? v : a));
  return await registry.getModelVersionDownloadUri("iris", newest.version);
}

async function timings(n: number, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await fn();
    ms.push(performance.now() - start);
  }
  return median(ms);
}

async function measure(label: string, open: () => Promise<TrackingStore>): Promise<void> {
  const store = await open();
  const seedStart = performance.now();
  await seed(store.registry);
  console.log(
    `  (${label}: seeded ${MODELS} models × ${VERSIONS} versions in ${
      ((performance.now() - seedStart) / 1000).toFixed(1)
    } s)`,
  );
  const expected = `s3://models/iris/${VERSIONS - 2}`;
  if ((await resolveAlias(store.registry)) !== expected) throw new Error(`${label}: wrong resolution`);
  report(
    `${label}: models:/iris@champion, warm`,
    await timings(200, () => resolveAlias(store.registry)),
    "ms",
    20,
  );
  report(
    `${label}: models:/iris/latest, warm`,
    await timings(200, () => resolveLatest(store.registry)),
    "ms",
    20,
  );
  report(
    `${label}: registered-models search (name LIKE, page of 100)`,
    await timings(20, () => store.registry.searchRegisteredModels({ filter: "name LIKE 'model-1%'" })),
    "ms",
    50,
  );
  report(
    `${label}: model-versions search (name =)`,
    await timings(20, () => store.registry.searchModelVersions({ filter: "name = 'iris'" })),
    "ms",
    50,
  );
  await store.close();
  report(
    `${label}: models:/iris@champion, cold (open + resolve)`,
    await timings(20, async () => {
      const fresh = await open();
      await resolveAlias(fresh.registry);
      await fresh.close();
    }),
    "ms",
    20,
  );
}

try {
  console.log("Model registry (machine shared with other work: figures are noisy)");
  await measure("SQLite", () => Promise.resolve(SqliteStore.open(join(dir, "mlflow.db"))));
  const pgUrl = await (await startPostgres()).createDatabase("registry_bench");
  await measure("PostgreSQL", () => openStore(pgUrl, { baseDir: dir }));
  await measure("file store", () => FileStore.open(join(dir, "mlruns")));
  const backend = SqliteStore.open(join(dir, "server.db"));
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    createRequestHandler(backend, { artifactsDestination: join(dir, "server-artifacts") }),
  );
  await measure(
    "REST (kmlf server)",
    () => openStore(`http://127.0.0.1:${server.addr.port}`, { baseDir: dir }),
  );
  await server.shutdown();
  await backend.close();
} finally {
  await Deno.remove(dir, { recursive: true });
}
