/**
 * A worker process of file_store_races_test.ts: creates the experiments named in argv in one shared
 * file store, as fast as it can once `<folder>/go` exists (so all workers start together), and prints one
 * line per name: `<name> created <id>` or `<name> exists`. Args: <mlruns folder> <worker> <name>...
 */
import { TrackingError } from "../../lib/errors.ts";
import { FileStore } from "../../lib/tracking/mod.ts";

const [root, worker, ...names] = Deno.args;
const store = await FileStore.open(root);
await Deno.writeTextFile(`${root}/../ready-${worker}`, "");
while (!(await Deno.stat(`${root}/../go`).then(() => true, () => false))) {
  await new Promise((resolve) => setTimeout(resolve, 1));
}
for (const name of names) {
  try {
    console.log(`${name} created ${await store.createExperiment(name)}`);
  } catch (error) {
    if (!(error instanceof TrackingError) || error.code !== "RESOURCE_ALREADY_EXISTS") throw error;
    console.log(`${name} exists`);
  }
}
