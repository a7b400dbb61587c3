/** MlflowClient.buildArtifacts: a folder written in place under a local artifact root, never half-visible. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { MlflowClient, openStore } from "../../lib/tracking/mod.ts";

async function withRun(fn: (client: MlflowClient, runId: string, root: string) => Promise<void>) {
  const dir = await Deno.makeTempDir();
  const client = new MlflowClient(await openStore("mlflow.db", { baseDir: dir }));
  try {
    const { info } = await client.createRun("0", { runName: "t" });
    const root = new URL(info.artifactUri).pathname;
    await fn(client, info.runId, root);
  } finally {
    await client.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const leftovers = async (root: string) => {
  const names: string[] = [];
  for await (const e of Deno.readDir(root)) if (e.name.includes(".tmp-")) names.push(e.name);
  return names;
};

Deno.test("buildArtifacts writes the folder in place, merges into an existing one and leaves no temp", async () => {
  await withRun(async (client, runId, root) => {
    const result = await client.buildArtifacts(runId, "model", async (dir) => {
      await Deno.writeTextFile(join(dir, "MLmodel"), "flavors: {}\n");
      await Deno.mkdir(join(dir, "code"));
      await Deno.writeTextFile(join(dir, "code", "nodes.ts"), "export {};\n");
      return 42;
    });
    assert.equal(result, 42);
    assert.deepEqual((await client.listArtifacts(runId, "model")).map((f) => f.path), [
      "model/MLmodel",
      "model/code",
    ]);
    await client.buildArtifacts(runId, "model", (dir) => Deno.writeTextFile(join(dir, "extra.json"), "{}"));
    assert.deepEqual((await client.listArtifacts(runId, "model")).map((f) => f.path), [
      "model/MLmodel",
      "model/code",
      "model/extra.json",
    ]);
    assert.deepEqual(await leftovers(root), []);
  });
});

Deno.test("buildArtifacts: a fill that fails logs nothing; a path out of the root is refused", async () => {
  await withRun(async (client, runId, root) => {
    await assert.rejects(
      () =>
        client.buildArtifacts(runId, "model", async (dir) => {
          await Deno.writeTextFile(join(dir, "MLmodel"), "half");
          throw new Error("no signature");
        }),
      /no signature/,
    );
    assert.deepEqual(await client.listArtifacts(runId), []);
    assert.deepEqual(await leftovers(root), []);
    await assert.rejects(() => client.buildArtifacts(runId, "../outside", () => Promise.resolve()));
    await assert.rejects(
      () => client.buildArtifacts(runId, "", () => Promise.resolve()),
      /without a folder name/,
    );
    assert.equal(await Deno.stat(join(root, "..", "outside")).catch(() => undefined), undefined);
  });
});
