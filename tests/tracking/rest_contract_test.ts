/**
 * The store contract on the REST store, talking over a real socket to kmlf's own MLflow-compatible
 * server (`createRequestHandler`) over a SQLite store in a temp dir. Twice: with `file://` artifact
 * locations (the client writes artifacts itself, as MLflow's does) and with `mlflow-artifacts:`
 * locations (artifacts go through the server's proxy endpoints).
 */
import { join } from "node:path";
import { startKmlfServer } from "./kmlf_server.ts";
import { runStoreContract, type StoreFactory } from "./store_contract.ts";

function restOverServer(artifactRoot?: (dir: string) => string): StoreFactory {
  return async () => {
    // The contract names a custom local experiment location, which a server takes only when allowed.
    const server = await startKmlfServer({
      artifactRoot,
      client: { maxRetries: 1, backoffMs: 1 },
      allowedArtifactRoots: ["/tmp/custom-artifacts"],
    });
    return { store: server.store, dispose: () => server.close() };
  };
}

runStoreContract("rest (file artifacts)", restOverServer((dir) => join(dir, "artifacts")));
runStoreContract("rest (proxied artifacts)", restOverServer());
