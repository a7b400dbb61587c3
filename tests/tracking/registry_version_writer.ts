/**
 * A worker process of registry_concurrency_test.ts: opens the shared store (a SQLite file or an mlruns
 * folder) and creates `count` versions of the model "shared", printing each version number it got.
 * Args: <store path> <worker index> <count>.
 */
import { openStore } from "../../lib/tracking/mod.ts";

const [path, worker, count] = Deno.args;
const store = await openStore(path, { baseDir: Deno.cwd() });
for (let i = 0; i < Number(count); i++) {
  const version = await store.registry.createModelVersion("shared", `s3://bucket/w${worker}/${i}`, {
    tags: { worker },
  });
  console.log(version.version);
}
await store.close();
