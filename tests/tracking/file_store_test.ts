/** The store contract on the mlruns file store. */
import { join } from "node:path";
import { FileStore } from "../../lib/tracking/file/file_store.ts";
import { runStoreContract } from "./store_contract.ts";

runStoreContract("file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-filestore-" });
  const store = await FileStore.open(join(dir, "mlruns"));
  return { store, dispose: () => Deno.remove(dir, { recursive: true }) };
});
