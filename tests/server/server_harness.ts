/** Shared setup for server tests: a temp SQLite store, its artifacts destination, and the handler. */
import { join } from "node:path";
import { createRequestHandler, type RequestHandlerOptions } from "../../lib/server/mod.ts";
import { SqliteStore, type TrackingStore } from "../../lib/tracking/mod.ts";

/** A server over a fresh store, with helpers to call it without sockets. */
export interface ServerFixture {
  dir: string;
  store: TrackingStore;
  artifactsDestination: string;
  handle: (request: Request) => Promise<Response>;
  /** GET with query fields (lists become repeated keys). */
  get(path: string, query?: Record<string, string | string[]>): Promise<Response>;
  /** POST a JSON body. */
  post(path: string, body: unknown): Promise<Response>;
  dispose(): Promise<void>;
}

/**
 * A handler over a new SQLite store whose experiments keep artifacts behind the proxy, like
 * `mlflow server` (`mlflow-artifacts:/<exp>/<run>/artifacts`), unless `proxied` is false.
 */
export async function serverFixture(
  options: RequestHandlerOptions & { proxied?: boolean } = {},
): Promise<ServerFixture> {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-server-" });
  const artifactsDestination = join(dir, "mlartifacts");
  const store = SqliteStore.open(join(dir, "mlflow.db"), {
    artifactRoot: options.proxied === false ? artifactsDestination : "mlflow-artifacts:/",
  });
  const handle = createRequestHandler(store, { artifactsDestination, ...options });
  const base = "http://127.0.0.1:5000";
  return {
    dir,
    store,
    artifactsDestination,
    handle,
    get(path, query = {}) {
      const url = new URL(base + path);
      for (const [k, v] of Object.entries(query)) {
        for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, item);
      }
      return handle(new Request(url));
    },
    post(path, body) {
      return handle(
        new Request(base + path, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
      );
    },
    async dispose() {
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}
