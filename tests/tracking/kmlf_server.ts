/**
 * kmlf's own MLflow-compatible server on a loopback port, over a SQLite store in a temp dir, with a
 * `RestStore` talking to it: the real wire end to end, for REST store tests.
 */
import { join } from "node:path";
import { createRequestHandler } from "../../lib/server/mod.ts";
import {
  FileStore,
  openStore,
  RestStore,
  type RestStoreOptions,
  SqliteStore,
  type TrackingStore,
} from "../../lib/tracking/mod.ts";

// A fresh database on the tests' shared PostgreSQL server (loaded only by callers that ask for one).
async function openPostgres(dir: string, artifactRoot: string): Promise<TrackingStore> {
  const { sharedPostgres } = await import("../services/postgres_server.ts");
  const url = await (await sharedPostgres()).createDatabase();
  return await openStore(url, { baseDir: dir, artifactRoot });
}

/** A running server and a client of it; always `close()` it. */
export interface KmlfServer {
  dir: string;
  url: string;
  port: number;
  store: RestStore;
  close(): Promise<void>;
}

/**
 * Starts the server (over SQLite unless `backend` says `file`). Experiments keep artifacts behind the proxy (`mlflow-artifacts:/`) unless
 * `artifactRoot` says otherwise; the client ignores the environment's credentials.
 */
export async function startKmlfServer(
  options: {
    artifactRoot?: (dir: string) => string;
    client?: RestStoreOptions;
    /** The store behind the server: SQLite (default), an mlruns folder, or a fresh PostgreSQL database. */
    backend?: "sqlite" | "file" | "postgres";
    /** Local folders clients may name as experiment locations (`--allowed-artifact-roots`). */
    allowedArtifactRoots?: string[];
  } = {},
): Promise<KmlfServer> {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-rest-server-" });
  const artifactRoot = options.artifactRoot?.(dir) ?? "mlflow-artifacts:/";
  const backend: TrackingStore = options.backend === "file"
    ? await FileStore.open(join(dir, "mlruns"), { artifactRoot })
    : options.backend === "postgres"
    ? await openPostgres(dir, artifactRoot)
    : SqliteStore.open(join(dir, "mlflow.db"), { artifactRoot });
  const handler = createRequestHandler(backend, {
    artifactsDestination: join(dir, "mlartifacts"),
    allowedArtifactRoots: options.allowedArtifactRoots,
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, handler);
  const url = `http://127.0.0.1:${server.addr.port}`;
  const store = new RestStore(url, { env: () => undefined, ...options.client });
  return {
    dir,
    url,
    port: server.addr.port,
    store,
    async close() {
      await store.close();
      await server.shutdown();
      await backend.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}
