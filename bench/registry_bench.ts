/**
 * Model registry benchmarks (issue 11): resolving `models:/iris@champion` (the version an alias points
 * at, then its download URI) and `models:/iris/latest` through each store's registry, target ≤ 20 ms,
 * with 200 registered models of 10 versions each; and the two registry searches (target ≤ 50 ms). "cold"
 * opens the store, resolves and closes it (what a fresh `kmlf models serve -m models:/…` does); "warm"
 * reuses an open store. PostgreSQL (a server the bench starts, tests/services/postgres_server.ts) runs the
 * same code as SQLite. Then the figure: `models:/iris@champion` resolved *and* the demo's logged
 * model loaded (`loadModel`: MLmodel, the inference pipeline from its code/, its artifacts), target ≤ 20 ms,
 * from a SQLite store (artifacts read in place) and from a kmlf server (the download cached).
 * Run: `deno run -A bench/registry_bench.ts`. Prints figures; asserts nothing. About 40 s.
 */
import { join } from "node:path";
import { createRequestHandler } from "../lib/server/mod.ts";
import {
  FileStore,
  type ModelRegistryStore,
  openStore,
  registerModel,
  SqliteStore,
  type TrackingStore,
} from "../lib/tracking/mod.ts";
import { loadModel } from "../lib/models/mod.ts";
import { demoProject, kmlf } from "../tests/cli_harness.ts";
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

/** The demo's trained model registered as iris, alias champion; resolved and loaded as serving does. */
async function measureModelLoad(): Promise<void> {
  const project = await demoProject({}, { tracked: true });
  try {
    const run = await kmlf(["run", "training"], { cwd: project });
    const uri = run.stderr.match(/Model logged: (runs:\/\w+\/model)/)?.[1];
    if (!uri) throw new Error(run.stderr);
    const store = await openStore("mlflow.db", { baseDir: project });
    const version = await registerModel(store, uri, "iris");
    await store.registry.setRegisteredModelAlias("iris", "champion", version.version);
    const cacheDir = join(dir, "model-cache");
    const load = async (s: TrackingStore) => {
      const model = await loadModel("models:/iris@champion", { store: s, cacheDir, baseDir: project });
      if (model.origin?.registered?.version !== version.version) throw new Error("wrong model");
    };
    report(
      "SQLite: models:/iris@champion resolve + load, warm",
      await timings(50, () => load(store)),
      "ms",
      20,
    );
    report(
      "SQLite: … cold (open store + resolve + load)",
      await timings(20, async () => {
        const fresh = await openStore("mlflow.db", { baseDir: project });
        await load(fresh);
        await fresh.close();
      }),
      "ms",
      20,
    );
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      createRequestHandler(store, { artifactsDestination: join(dir, "server-artifacts") }),
    );
    const rest = await openStore(`http://127.0.0.1:${server.addr.port}`, { baseDir: project });
    // The first load downloads the model into the cache; the figure is for a cached model.
    report(
      "REST: models:/iris@champion resolve + load, cached",
      await timings(50, () => load(rest)),
      "ms",
      20,
    );
    await rest.close();
    await server.shutdown();
    await store.close();
  } finally {
    await Deno.remove(project, { recursive: true });
  }
}

try {
  console.log("Model registry (machine shared with other work: figures are noisy)");
  await measureModelLoad();
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
