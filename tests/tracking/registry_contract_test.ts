/**
 * The registry contract on every store: SQLite (file and in-memory), PostgreSQL (a real server started
 * by the suite, one fresh database per test), the mlruns file store, and the REST store talking to
 * kmlf's own server over SQLite and over a file store.
 */
import { join } from "node:path";
import { FileStore, openStore, SqliteStore } from "../../lib/tracking/mod.ts";
import { sharedPostgres } from "../services/postgres_server.ts";
import { startKmlfServer } from "./kmlf_server.ts";
import { runRegistryContract } from "./registry_contract.ts";

runRegistryContract("sqlite", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-registry-sqlite-" });
  const store = SqliteStore.open(join(dir, "mlflow.db"));
  return {
    store,
    dispose: async () => {
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
});

runRegistryContract("sqlite :memory:", () => {
  const store = SqliteStore.open(":memory:");
  return Promise.resolve({ store, dispose: () => store.close() });
});

runRegistryContract("postgresql", async () => {
  const url = await (await sharedPostgres()).createDatabase();
  const store = await openStore(url, { baseDir: Deno.cwd() });
  return { store, dispose: () => store.close() };
});

runRegistryContract("file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-registry-file-" });
  const store = await FileStore.open(join(dir, "mlruns"));
  return { store, dispose: () => Deno.remove(dir, { recursive: true }) };
});

for (const backend of ["sqlite", "file"] as const) {
  runRegistryContract(`rest (${backend} server)`, async () => {
    const server = await startKmlfServer({ backend, client: { maxRetries: 1, backoffMs: 1 } });
    return { store: server.store, dispose: () => server.close() };
  });
}
