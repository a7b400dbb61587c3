/**
 * The store contract on the REST store, talking over a real socket to kmlf's own MLflow-compatible
 * server (`createRequestHandler`) over a SQLite store in a temp dir. Twice: with `file://` artifact
 * locations (the client writes artifacts itself, as MLflow's does) and with `mlflow-artifacts:`
 * locations (artifacts go through the server's proxy endpoints).
 */
import { join } from "node:path";
import { createRequestHandler } from "../../lib/server/mod.ts";
import { RestStore, SqliteStore } from "../../lib/tracking/mod.ts";
import { runStoreContract, type StoreFactory } from "./store_contract.ts";

function restOverServer(artifactRoot: (dir: string) => string): StoreFactory {
  return async () => {
    const dir = await Deno.makeTempDir({ prefix: "kmlf-rest-contract-" });
    const backend = SqliteStore.open(join(dir, "mlflow.db"), { artifactRoot: artifactRoot(dir) });
    const handler = createRequestHandler(backend, { artifactsDestination: join(dir, "mlartifacts") });
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, handler);
    const store = new RestStore(`http://127.0.0.1:${server.addr.port}`, {
      env: () => undefined,
      maxRetries: 1,
      backoffMs: 1,
    });
    return {
      store,
      dispose: async () => {
        await store.close();
        await server.shutdown();
        await backend.close();
        await Deno.remove(dir, { recursive: true });
      },
    };
  };
}

runStoreContract("rest (file artifacts)", restOverServer((dir) => join(dir, "artifacts")));
runStoreContract("rest (proxied artifacts)", restOverServer(() => "mlflow-artifacts:/"));
