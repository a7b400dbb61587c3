/**
 * The store contract on a real PostgreSQL server (Debian's `postgresql`, started by the suite on a
 * free loopback port: tests/services/postgres_server.ts), one fresh database per test.
 */
import { openStore } from "../../lib/tracking/mod.ts";
import { sharedPostgres } from "../services/postgres_server.ts";
import { runStoreContract } from "./store_contract.ts";

runStoreContract("postgresql", async () => {
  const url = await (await sharedPostgres()).createDatabase();
  const dir = await Deno.makeTempDir({ prefix: "kmlf-pg-store-" });
  const store = await openStore(url, { baseDir: dir });
  return {
    store,
    dispose: async () => {
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
});
