/** The store contract on the SQLite store: a database file in a temp dir, and an in-memory database. */
import { join } from "node:path";
import { SqliteStore } from "../../lib/tracking/mod.ts";
import { runStoreContract } from "./store_contract.ts";

runStoreContract("sqlite file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-sqlite-" });
  const store = SqliteStore.open(join(dir, "mlflow.db"));
  return {
    store,
    dispose: async () => {
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
});

runStoreContract("sqlite :memory:", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-sqlite-mem-" });
  const store = SqliteStore.open(":memory:", { artifactRoot: join(dir, "artifacts") });
  return {
    store,
    dispose: async () => {
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
});
