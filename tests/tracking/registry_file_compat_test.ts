/**
 * kmlf's file-store registry and MLflow's: kmlf reads the tree MLflow's registry FileStore writes
 * (tests/fixtures/registry-filestore, see its README), and the same REST calls through kmlf's server,
 * with the same clock, write that tree byte for byte.
 */
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequestHandler } from "../../lib/server/mod.ts";
import { FileStore } from "../../lib/tracking/mod.ts";

const FIXTURE = fileURLToPath(new URL("../fixtures/registry-filestore/mlruns", import.meta.url));
const RUN = "56bc687801a444c08e46049e1888cec7";
const SOURCE = `mlflow-artifacts:/1/${RUN}/artifacts/model`;

async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    if (e.isDirectory) await copyTree(join(from, e.name), join(to, e.name));
    else await Deno.copyFile(join(from, e.name), join(to, e.name));
  }
}

async function treeOf(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(dir)) {
      const path = join(dir, e.name);
      if (e.isDirectory) await walk(path);
      else out[relative(root, path)] = await Deno.readTextFile(path);
    }
  };
  await walk(root);
  return out;
}

Deno.test("kmlf reads a registry in MLflow's file layout", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-registry-files-" });
  try {
    await copyTree(FIXTURE, join(dir, "mlruns"));
    const { registry } = await FileStore.open(join(dir, "mlruns"));
    const iris = await registry.getRegisteredModel("iris");
    assert.equal(iris.description, "the demo model");
    assert.deepEqual(iris.tags, { team: "ml" });
    assert.deepEqual(iris.aliases, { champion: "2" });
    assert.equal(iris.lastUpdatedTimestamp, 1700000007000);
    assert.deepEqual(iris.latestVersions.map((v) => [v.version, v.currentStage]), [["1", "Archived"], [
      "2",
      "Production",
    ]]);
    const v2 = await registry.getModelVersionByAlias("iris", "champion");
    assert.equal(v2.version, "2");
    assert.deepEqual(
      v2.aliases,
      ["champion"],
      "aliases come from aliases/, not from the stale meta.yaml list",
    );
    assert.deepEqual(v2.tags, { validated: "yes" });
    assert.equal(v2.runId, RUN);
    assert.equal(await registry.getModelVersionDownloadUri("iris", "2"), SOURCE);
    await assert.rejects(registry.getModelVersion("iris", "3"), /version=3\) not found/);
    const search = await registry.searchModelVersions({ orderBy: ["version_number ASC"] });
    assert.deepEqual(search.modelVersions.map((v) => `${v.name}:${v.version}`), ["iris:1", "iris:2"]);
    assert.deepEqual((await registry.searchRegisteredModels()).registeredModels.map((m) => m.name), [
      "iris",
      "wine",
    ]);
    assert.equal(
      (await registry.createModelVersion("iris", SOURCE)).version,
      "4",
      "deleted numbers are not reused",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the same REST calls with the same clock write MLflow's file tree byte for byte", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-registry-files-" });
  const realNow = Date.now;
  let now = 1700000000000;
  Date.now = () => now;
  try {
    const store = await FileStore.open(join(dir, "mlruns"));
    const handle = createRequestHandler(store, { artifactsDestination: join(dir, "art") });
    const call = async (method: string, rpc: string, body: unknown) => {
      const res = await handle(
        new Request(`http://127.0.0.1/api/2.0/mlflow/${rpc}`, {
          method,
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
      );
      assert.equal(res.status, 200, `${rpc}: ${await res.clone().text()}`);
      await res.body?.cancel();
    };
    await call("POST", "registered-models/create", {
      name: "iris",
      tags: [{ key: "team", value: "ml" }],
      description: "the demo model",
    });
    for (const step of [1, 2, 3]) {
      now = 1700000000000 + step * 1000;
      await call("POST", "model-versions/create", {
        name: "iris",
        source: SOURCE,
        run_id: RUN,
        ...(step === 2 ? { tags: [{ key: "validated", value: "yes" }] } : {}),
      });
    }
    now = 1700000004000;
    await call("POST", "model-versions/transition-stage", { name: "iris", version: "1", stage: "Archived" });
    now = 1700000005000;
    await call("POST", "model-versions/transition-stage", {
      name: "iris",
      version: "2",
      stage: "Production",
    });
    now = 1700000006000;
    await call("POST", "registered-models/alias", { name: "iris", alias: "champion", version: "2" });
    now = 1700000007000;
    await call("DELETE", "model-versions/delete", { name: "iris", version: "3" });
    now = 1700000008000;
    await call("POST", "registered-models/create", { name: "wine" });
    const written = await treeOf(join(dir, "mlruns", "models"));
    const expected = await treeOf(join(FIXTURE, "models"));
    assert.deepEqual(Object.keys(written).sort(), Object.keys(expected).sort());
    for (const file of Object.keys(expected)) assert.equal(written[file], expected[file], file);
  } finally {
    Date.now = realNow;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a name that cannot be the file store's model folder is refused with a hint that fits it", async () => {
  const dir = await Deno.makeTempDir();
  const store = await FileStore.open(join(dir, "mlruns"));
  try {
    for (const name of ["a/b", "a\\b", ".", ".."]) {
      await assert.rejects(
        () => store.registry.createRegisteredModel(name),
        (e: Error & { code?: string; hint?: string }) =>
          e.code === "INVALID_PARAMETER_VALUE" && e.message.endsWith("cannot contain path separator") &&
          e.hint!.includes("without '/' or '\\' that is not '.' or '..'"),
        name,
      );
    }
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
