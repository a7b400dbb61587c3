/**
 * A store with one run holding a metric, a param, a tag and an artifact, a secret file outside the
 * store (and outside the artifact root), symbolic links planted inside the store that lead to it, and
 * a kmlf server over the same store (handler without sockets, and a loopback socket for REST clients).
 */
import { join } from "node:path";
import { createRequestHandler } from "../../lib/server/mod.ts";
import { FileStore, openStore, RestStore, SqliteStore, type TrackingStore } from "../../lib/tracking/mod.ts";
import { sharedPostgres } from "../services/postgres_server.ts";

/** The secret's content: it must never appear in any answer. */
export const SECRET = "1 31337.25 0\nTOP-SECRET-CONTENT\n";

/** What a security test gets. */
export interface SecurityFixture {
  /** The temp dir holding everything (a message must never show it). */
  dir: string;
  /** The file outside the store every traversal aims at; `outsideDir` holds it. */
  secretPath: string;
  outsideDir: string;
  store: TrackingStore;
  runId: string;
  experimentId: string;
  /** The run's local artifact folder, when its artifacts are local. */
  artifactDir: string;
  /** The server's handler over `store`, and a GET helper with query fields (lists repeat the key). */
  handle(request: Request): Promise<Response>;
  get(path: string, query?: Record<string, string | string[]>): Promise<Response>;
  /** A REST store talking to that server over a loopback socket (started on first use). */
  rest(): Promise<RestStore>;
  dispose(): Promise<void>;
}

/** The stores a security test runs against. */
export type SecurityStoreKind = "file" | "sqlite" | "postgresql";

async function openKind(kind: SecurityStoreKind, dir: string, artifactRoot: string): Promise<TrackingStore> {
  switch (kind) {
    case "file":
      return await FileStore.open(join(dir, "store", "mlruns"), { artifactRoot: `file://${artifactRoot}` });
    case "sqlite":
      return SqliteStore.open(join(dir, "store", "mlflow.db"), { artifactRoot });
    case "postgresql":
      // A fresh database on the suite's PostgreSQL server; artifacts local, as with SQLite.
      return await openStore(await (await sharedPostgres()).createDatabase(), {
        baseDir: join(dir, "store"),
        artifactRoot,
      });
  }
}

/** Builds the fixture over a `file`, `sqlite` or `postgresql` store. */
export async function securityFixture(kind: SecurityStoreKind): Promise<SecurityFixture> {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "kmlf-security-" }));
  const outsideDir = join(dir, "outside");
  await Deno.mkdir(outsideDir);
  const secretPath = join(outsideDir, "secret");
  await Deno.writeTextFile(secretPath, SECRET);
  // Names the traversal variants aim at, at several depths above the store.
  for (const d of [dir, join(dir, "store")]) {
    await Deno.mkdir(d, { recursive: true });
    await Deno.writeTextFile(join(d, "secret"), SECRET);
  }
  const artifactRoot = join(dir, "store", "artifacts");
  const store = await openKind(kind, dir, artifactRoot);
  const experimentId = await store.createExperiment("security");
  const run = await store.createRun({ experimentId });
  const runId = run.info.runId;
  await store.logBatch(runId, {
    metrics: [{ key: "loss", value: 0.5, timestamp: 1, step: 0 }],
    params: [{ key: "lr", value: "0.1" }],
    tags: [{ key: "team", value: "ml" }],
  });
  const repo = store.getArtifactRepository(run.info.artifactUri);
  await repo.writeArtifact("notes.txt", "hello");
  const artifactDir = run.info.artifactUri.replace(/^file:\/\//, "");
  // Links planted inside the artifact folder, leading out of it.
  await Deno.symlink(secretPath, join(artifactDir, "link-to-secret"));
  await Deno.symlink(outsideDir, join(artifactDir, "link-to-outside"));
  const handle = createRequestHandler(store, { artifactsDestination: join(dir, "store", "mlartifacts") });
  let server: Deno.HttpServer<Deno.NetAddr> | undefined;
  let rest: RestStore | undefined;
  return {
    dir,
    secretPath,
    outsideDir,
    store,
    runId,
    experimentId,
    artifactDir,
    handle: (request) => Promise.resolve(handle(request)),
    get(path, query = {}) {
      const url = new URL(`http://127.0.0.1:5000${path}`);
      for (const [k, v] of Object.entries(query)) {
        for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, item);
      }
      return Promise.resolve(handle(new Request(url)));
    },
    rest() {
      if (!rest) {
        server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, handle);
        rest = new RestStore(`http://127.0.0.1:${server.addr.port}`, {
          env: () => undefined,
          maxRetries: 0,
          backoffMs: 1,
        });
      }
      return Promise.resolve(rest);
    },
    async dispose() {
      await rest?.close();
      await server?.shutdown();
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** The file store's folder of a run (for planting links inside it). */
export function fileRunDir(fx: SecurityFixture): string {
  return join((fx.store as FileStore).root, fx.experimentId, fx.runId);
}
