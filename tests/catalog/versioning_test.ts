/** Versioned datasets: layout, one save version per catalog, latest/pinned loads and every error case. */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  Catalog,
  type CatalogOptions,
  CsvDataset,
  generateVersion,
  hasFilePath,
  JsonDataset,
} from "../../lib/catalog/mod.ts";
import { DatasetError, KmlfAggregateError } from "../../lib/errors.ts";
import { catalogConfig } from "./catalog_helpers.ts";
import { inTempDir } from "./dataset_contract.ts";

const V1 = generateVersion(new Date(Date.UTC(2024, 0, 1)));
const V2 = generateVersion(new Date(Date.UTC(2024, 0, 2, 10, 30, 0, 5)));
const VERSIONED = "m: {type: json, filepath: data/m.json, versioned: true}\n";

function open(root: string, options: Partial<CatalogOptions> = {}, yaml = VERSIONED): Promise<Catalog> {
  return Catalog.fromConfig(catalogConfig(yaml), { projectRoot: root, ...options });
}

Deno.test("generateVersion is UTC with milliseconds and sorts like time", () => {
  assert.equal(V2, "2024-01-02T10.30.00.005Z");
  assert.match(generateVersion(), /^\d{4}-\d{2}-\d{2}T\d{2}\.\d{2}\.\d{2}\.\d{3}Z$/);
  assert.ok(V1 < V2);
});

Deno.test("versioned saves from two catalogs: latest by default, a pinned version on request", async () => {
  await inTempDir(async (root) => {
    await (await open(root, { saveVersion: V1 })).save("m", { v: 1 });
    await (await open(root, { saveVersion: V2 })).save("m", { v: 2 });
    assert.deepEqual(JSON.parse(await Deno.readTextFile(join(root, "data/m.json", V1, "m.json"))), { v: 1 });
    assert.deepEqual(await (await open(root)).load("m"), { v: 2 });
    assert.deepEqual(await (await open(root, { loadVersions: { m: V1 } })).load("m"), { v: 1 });
  });
});

Deno.test("every versioned dataset of one catalog saves under the catalog's one save version", async () => {
  await inTempDir(async (root) => {
    const yaml =
      "a: {type: json, filepath: a.json, versioned: true}\nb: {type: text, filepath: b.txt, versioned: true}\n";
    const c = await open(root, {}, yaml);
    assert.match(c.saveVersion!, /Z$/, "a catalog without a save version makes one");
    await c.save("a", { x: 1 });
    await new Promise((r) => setTimeout(r, 5));
    await c.save("b", "text");
    assert.ok((await Deno.stat(join(root, "a.json", c.saveVersion!, "a.json"))).isFile);
    assert.ok((await Deno.stat(join(root, "b.txt", c.saveVersion!, "b.txt"))).isFile);
  });
});

Deno.test("a pinned version that does not exist lists the available ones", async () => {
  await inTempDir(async (root) => {
    await (await open(root, { saveVersion: V1 })).save("m", { v: 1 });
    await (await open(root, { saveVersion: V2 })).save("m", { v: 2 });
    const c = await open(root, { loadVersions: { m: "2023-01-01T00.00.00.000Z" } });
    assert.equal(await c.exists("m"), false);
    await assert.rejects(() => c.load("m"), (e: DatasetError) => {
      assert.equal(e.code, "dataset/version-not-found");
      assert.match(e.message, /Cannot load dataset "m" \(JSONDataset\): Version 2023-01-01T00\.00\.00\.000Z/);
      assert.ok(e.hint!.includes(`${V2}, ${V1}`), e.hint);
      return true;
    });
  });
});

Deno.test("versioned errors: no versions yet, saving the same version twice, a plain file in the way", async () => {
  await inTempDir(async (root) => {
    await Deno.mkdir(join(root, "data"));
    await Deno.writeTextFile(join(root, "data/plain.json"), "{}");
    const c = await open(
      root,
      { saveVersion: V1 },
      VERSIONED + "p: {type: json, filepath: data/plain.json, versioned: true}\n",
    );
    assert.equal(await c.exists("m"), false);
    await assert.rejects(
      () => c.load("m"),
      (e: DatasetError) =>
        e instanceof DatasetError && e.code === "dataset/no-versions" && /--load-versions/.test(e.hint!),
    );
    await c.save("m", { v: 1 });
    await assert.rejects(
      () => c.save("m", { v: 2 }),
      (e: DatasetError) => e instanceof DatasetError && e.code === "dataset/version-exists",
    );
    await assert.rejects(
      () => c.save("p", {}),
      (e: DatasetError) =>
        e instanceof DatasetError && e.code === "dataset/versioned-file-conflict" &&
        /plain file/.test(e.message),
    );
    await assert.rejects(
      () => c.load("p"),
      (e: DatasetError) => e instanceof DatasetError && e.code === "dataset/versioned-file-conflict",
    );
  });
});

Deno.test("versioning turned off over a folder of versions is a conflict naming it, for load and save", async () => {
  await inTempDir(async (root) => {
    await (await open(root, { saveVersion: V1 })).save("m", { v: 1 });
    const plain = await open(root, {}, "m: {type: json, filepath: data/m.json}\n");
    for (const act of [() => plain.load("m"), () => plain.save("m", { v: 2 })]) {
      await assert.rejects(act, (e: DatasetError) => {
        assert.equal(e.code, "dataset/versioned-file-conflict");
        assert.match(e.message, /m\.json is a folder of 1 version\(s\) saved with versioned: true/);
        assert.match(e.hint!, /set versioned: true on the entry again/);
        return true;
      });
    }
    // A folder that holds no versions stays "a folder, not a file".
    await Deno.mkdir(join(root, "data/f.json/sub"), { recursive: true });
    const folder = await open(root, {}, "f: {type: json, filepath: data/f.json}\n");
    await assert.rejects(() => folder.load("f"), (e: DatasetError) => e.code === "dataset/is-a-directory");
  });
});

Deno.test("version and load_versions problems are reported when the catalog is built", async () => {
  await inTempDir(async (root) => {
    const yaml = VERSIONED + "plain: {type: json, filepath: p.json}\nmem: {type: memory, versioned: true}\n";
    await assert.rejects(
      () => open(root, { saveVersion: "a/b", loadVersions: { m: "..", mm: V1, plain: V1 } }, yaml),
      (e: KmlfAggregateError) => {
        assert.ok(e instanceof KmlfAggregateError);
        const codes = e.errors.map((x) => x.code).sort();
        assert.deepEqual(codes, [
          "catalog/load-version-not-versioned",
          "catalog/not-versionable",
          "catalog/unknown-load-version",
          "dataset/bad-version",
          "dataset/bad-version",
        ]);
        assert.match(
          e.errors.find((x) => x.code === "catalog/unknown-load-version")!.hint!,
          /did you mean "m"/,
        );
        return true;
      },
    );
  });
});

Deno.test("filePath() names the file a versioned dataset last saved, or the one it would load", async () => {
  await inTempDir(async (root) => {
    const filepath = join(root, "t.csv");
    const ds = new CsvDataset({ filepath, version: { save: V2 } });
    assert.throws(
      () => ds.filePath(),
      (e: DatasetError) => e instanceof DatasetError && e.code === "dataset/no-versions",
    );
    await ds.save([{ a: 1 }]);
    assert.equal(ds.filePath(), join(filepath, V2, "t.csv"));
    assert.equal(new CsvDataset({ filepath, version: {} }).filePath(), join(filepath, V2, "t.csv"));
    assert.equal(new CsvDataset({ filepath, version: { load: V2 } }).versioned?.listVersions()[0], V2);
    const plain = new JsonDataset({ filepath: join(root, "p.json") });
    assert.ok(hasFilePath(plain) && plain.filePath() === join(root, "p.json"));
    assert.ok(!hasFilePath({ load() {} }));
  });
});
