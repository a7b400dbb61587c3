/** The store contract on the SQLite store: a database file in a temp dir, and an in-memory database. */
import assert from "node:assert/strict";
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

Deno.test("an in-memory store makes a temp artifact folder only when it needs one, and removes it on close", async () => {
  const scratch = await Deno.makeTempDir({ prefix: "kmlf-sqlite-mem-tmp-" });
  // Temp folders go to TMPDIR, read at each call: a scratch one shows what the store made and left.
  const saved = Deno.env.get("TMPDIR");
  Deno.env.set("TMPDIR", scratch);
  const left = () => [...Deno.readDirSync(scratch)].map((e) => e.name);
  try {
    const placed = SqliteStore.open(":memory:", { artifactRoot: join(scratch, "artifacts") });
    const proxied = SqliteStore.open(":memory:", { artifactRoot: "mlflow-artifacts:/" });
    assert.deepEqual(left(), []);
    await placed.close();
    await proxied.close();

    const own = SqliteStore.open(":memory:");
    const run = await own.createRun({ experimentId: "0" });
    const folder = new URL(run.info.artifactUri).pathname;
    assert.ok(folder.startsWith(scratch), folder);
    await own.getArtifactRepository(run.info.artifactUri).writeArtifact("notes.txt", "hi");
    assert.equal(left().length, 1);
    await own.close();
    assert.deepEqual(left(), []);
  } finally {
    if (saved === undefined) Deno.env.delete("TMPDIR");
    else Deno.env.set("TMPDIR", saved);
    await Deno.remove(scratch, { recursive: true });
  }
});
