import assert from "node:assert/strict";
import { join } from "node:path";
import { Catalog, type CatalogConfig, DatasetRegistry, generateVersion } from "../../lib/catalog/mod.ts";
import { DatasetError, KmlfAggregateError } from "../../lib/errors.ts";
import { parseYaml } from "../../lib/yaml/parse_yaml.ts";
import { withTree } from "../fs_helpers.ts";

function config(yaml: string): CatalogConfig {
  const src = parseYaml(yaml, "/p/conf/base/catalog.yml");
  return { data: src.value as Record<string, unknown>, locate: (p) => src.locate(p) };
}

Deno.test("relative file paths resolve against the project root; metadata passes through", async () => {
  await withTree({}, async (root) => {
    const c = await Catalog.fromConfig(config("x:\n  type: json\n  filepath: data/x.json\n  metadata: {owner: me}\n"), { projectRoot: root });
    await c.save("x", { a: 1 });
    assert.deepEqual(JSON.parse(await Deno.readTextFile(join(root, "data/x.json"))), { a: 1 });
    assert.equal(c.typeName("x"), "JsonDataset");
    assert.deepEqual(c.resolveConfig("x"), { type: "json", filepath: "data/x.json", metadata: { owner: "me" } });
  });
});

Deno.test("kedro-datasets style and class names are accepted as types", async () => {
  const c = await Catalog.fromConfig(config("a: {type: pandas.CSVDataset, filepath: a.csv}\nb: {type: CSVDataset, filepath: b.csv}\n"), { projectRoot: "/tmp" });
  assert.equal(c.typeName("a"), "CsvDataset");
  assert.equal(c.typeName("b"), "CsvDataset");
});

Deno.test("dataset factories: ranking by specificity, placeholders fill the config, explicit wins", async () => {
  const c = await Catalog.fromConfig(
    config(`
"{name}_csv": {type: csv, filepath: "data/{name}.csv"}
"{layer}.{name}_csv": {type: csv, filepath: "data/{layer}/{name}.csv"}
"cars_csv": {type: json, filepath: explicit.json}
"{default}": {type: json, filepath: "data/other/{default}.json"}
`),
    { projectRoot: "/p" },
  );
  assert.deepEqual(c.listPatterns(), ["{layer}.{name}_csv", "{name}_csv", "{default}"]);
  assert.deepEqual(c.resolveConfig("raw.boats_csv"), { type: "csv", filepath: "data/raw/boats.csv" });
  assert.deepEqual(c.resolveConfig("boats_csv"), { type: "csv", filepath: "data/boats.csv" });
  assert.equal(c.typeName("cars_csv"), "JsonDataset");
  assert.ok(c.has("anything"), "the catch-all matches everything");
  const ds = await c.get("boats_csv");
  assert.equal((ds as unknown as { filepath: string }).filepath, "/p/data/boats.csv");
});

Deno.test("factory errors: undefined placeholder, two catch-alls — reported together", async () => {
  await assert.rejects(
    () => Catalog.fromConfig(config(`"{name}_x": {type: json, filepath: "{nam}.json"}\n"{a}": {type: json, filepath: a}\n"{b}": {type: json, filepath: b}\n`), { projectRoot: "/p" }),
    (e: KmlfAggregateError) => {
      assert.deepEqual(e.errors.map((x) => x.code).sort(), ["catalog/bad-pattern", "catalog/multiple-catch-all"]);
      return true;
    },
  );
});

Deno.test("transcoded names are separate entries; two @ are refused", async () => {
  const c = await Catalog.fromConfig(config("m@json: {type: json, filepath: m.json}\nm@yaml: {type: yaml, filepath: m.json}\n"), { projectRoot: "/p" });
  assert.equal(c.typeName("m@json"), "JsonDataset");
  assert.equal(c.typeName("m@yaml"), "YamlDataset");
  await assert.rejects(() => Catalog.fromConfig(config("a@b@c: {type: json, filepath: x}\n"), { projectRoot: "/p" }), (e: DatasetError) => e.code === "catalog/bad-transcoding");
});

Deno.test("credentials are injected by name at any depth; a missing name lists the defined ones", async () => {
  const creds = config("db: {filepath: /tmp/creds.sqlite}\nother: {}\n");
  const c = await Catalog.fromConfig(config("t: {type: sqlite_table, table_name: t, credentials: db, filepath: x.sqlite}\n"), { projectRoot: "/p", credentials: creds });
  assert.ok(c.has("t"));
  await assert.rejects(
    () => Catalog.fromConfig(config("t: {type: sqlite_table, table_name: t, filepath: x, credentials: dbb}\n"), { projectRoot: "/p", credentials: creds }),
    (e: DatasetError) => e.code === "catalog/unknown-credentials" && /did you mean "db"/.test(e.hint!) && e.source?.keyPath === "t.credentials",
  );
});

Deno.test("parameters register as params:<path> recursively and as parameters", async () => {
  const c = Catalog.empty();
  c.addParameters({ model: { lr: 0.1, opt: { b: 1 } }, seed: 3 });
  assert.deepEqual(await c.load("params:model.opt"), { b: 1 });
  assert.equal(await c.load("params:model.opt.b"), 1);
  assert.deepEqual(await c.load("parameters"), { model: { lr: 0.1, opt: { b: 1 } }, seed: 3 });
  assert.ok(c.isEphemeral("params:seed"));
});

Deno.test("undeclared names become memory datasets only when asked", async () => {
  const c = await Catalog.fromConfig(config("iris: {type: csv, filepath: iris.csv}\n"), { projectRoot: "/p" });
  await assert.rejects(() => c.get("irs"), (e: DatasetError) => e.code === "catalog/unknown-dataset" && /did you mean "iris"/.test(e.hint!));
  const ds = await c.get("tmp", { fallbackToRuntimePattern: true });
  assert.equal(ds.constructor.name, "MemoryDataset");
  assert.ok(c.isEphemeral("tmp"));
  assert.ok(!c.isEphemeral("iris"));
});

Deno.test("saving null or undefined is refused; load errors name the dataset and type", async () => {
  await withTree({}, async (root) => {
    const c = await Catalog.fromConfig(config("x: {type: json, filepath: x.json}\n"), { projectRoot: root });
    await assert.rejects(() => c.save("x", undefined), (e: DatasetError) => e.code === "dataset/save-none");
    await assert.rejects(() => c.load("x"), (e: DatasetError) => e.code === "dataset/file-not-found" && /"x" \(JsonDataset\)/.test(e.message) && e.source?.line === 1);
  });
});

Deno.test("versioned datasets: one version per save version, latest by default, pinned on request", async () => {
  await withTree({}, async (root) => {
    const cfg = config("m: {type: json, filepath: data/m.json, versioned: true}\n");
    const v1 = generateVersion(new Date(Date.UTC(2024, 0, 1)));
    const v2 = generateVersion(new Date(Date.UTC(2024, 0, 2)));
    await (await Catalog.fromConfig(cfg, { projectRoot: root, saveVersion: v1 })).save("m", { v: 1 });
    await (await Catalog.fromConfig(cfg, { projectRoot: root, saveVersion: v2 })).save("m", { v: 2 });
    assert.ok(await Deno.stat(join(root, "data/m.json", v1, "m.json")));
    assert.deepEqual(await (await Catalog.fromConfig(cfg, { projectRoot: root })).load("m"), { v: 2 });
    assert.deepEqual(await (await Catalog.fromConfig(cfg, { projectRoot: root, loadVersions: { m: v1 } })).load("m"), { v: 1 });
    await assert.rejects(
      async () => await (await Catalog.fromConfig(cfg, { projectRoot: root, loadVersions: { m: "2023-01-01T00.00.00.000Z" } })).load("m"),
      (e: DatasetError) => e.code === "dataset/version-not-found" && e.hint!.includes(v2),
    );
    const again = await Catalog.fromConfig(cfg, { projectRoot: root, saveVersion: v2 });
    await assert.rejects(() => again.save("m", { v: 3 }), (e: DatasetError) => e.code === "dataset/version-exists");
  });
});

Deno.test("versioning errors: no versions yet, plain file in the way, bad version string, unknown load_versions name", async () => {
  await withTree({ "data/plain.json": "{}" }, async (root) => {
    const c = await Catalog.fromConfig(config("m: {type: json, filepath: data/m.json, versioned: true}\np: {type: json, filepath: data/plain.json, versioned: true}\n"), { projectRoot: root, saveVersion: generateVersion() });
    await assert.rejects(() => c.load("m"), (e: DatasetError) => e.code === "dataset/no-versions");
    await assert.rejects(() => c.save("p", {}), (e: DatasetError) => e.code === "dataset/versioned-file-conflict");
    await assert.rejects(() => Catalog.fromConfig(config("m: {type: json, filepath: m.json, versioned: true}\n"), { projectRoot: root, loadVersions: { m: "../x" } }), (e: DatasetError) => e.code === "dataset/bad-version");
    await assert.rejects(() => Catalog.fromConfig(config("m: {type: json, filepath: m.json}\n"), { projectRoot: root, loadVersions: { n: "v" } }), (e: DatasetError) => e.code === "catalog/unknown-load-version");
    await assert.rejects(() => Catalog.fromConfig(config("m: {type: memory, versioned: true}\n"), { projectRoot: root }), (e: DatasetError) => e.code === "catalog/not-versionable");
  });
});

Deno.test("entry errors are all reported together with locations", async () => {
  await assert.rejects(
    () => Catalog.fromConfig(config("a: just-a-path.csv\nb: {filepath: x}\nc: {type: jsn, filepath: x}\nd: {type: csv, filepath: x, load_args: {delimeter: ';'}}\n"), { projectRoot: "/p" }),
    (e: KmlfAggregateError) => {
      const byCode = Object.fromEntries(e.errors.map((x) => [x.code, x]));
      assert.deepEqual(Object.keys(byCode).sort(), ["catalog/bad-argument", "catalog/bad-entry", "catalog/missing-type", "catalog/unknown-type"]);
      assert.match(byCode["catalog/unknown-type"].hint!, /did you mean "json"/);
      assert.match(byCode["catalog/bad-argument"].hint!, /did you mean "delimiter"/);
      assert.equal(byCode["catalog/bad-argument"].source?.line, 4);
      return true;
    },
  );
});

Deno.test("a user dataset class from a TS module gets camelCased options", async () => {
  await withTree({
    "datasets/upper.ts": `export class UpperDataset {
  constructor(opts) { this.opts = opts; }
  async load() { return (await Deno.readTextFile(this.opts.filepath)).toUpperCase(); }
  async save(d) { await Deno.writeTextFile(this.opts.filepath, d); }
  async exists() { return true; }
  describe() { return { filepath: this.opts.filepath, flag: this.opts.someFlag }; }
}
export const notAClass = 1;
`,
  }, async (root) => {
    const c = await Catalog.fromConfig(config("u: {type: ./datasets/upper.ts#UpperDataset, filepath: u.txt, some_flag: true}\n"), { projectRoot: root });
    await c.save("u", "shout");
    assert.equal(await c.load("u"), "SHOUT");
    assert.deepEqual((await c.get("u")).describe(), { filepath: join(root, "u.txt"), flag: true });
    await assert.rejects(() => Catalog.fromConfig(config("u: {type: ./datasets/upper.ts#UperDataset}\n"), { projectRoot: root }), (e: DatasetError) => e.code === "catalog/custom-not-a-class" && /UpperDataset/.test(e.hint!));
    await assert.rejects(() => Catalog.fromConfig(config("u: {type: ./datasets/nope.ts#X}\n"), { projectRoot: root }), (e: DatasetError) => e.code === "catalog/custom-import-failed");
  });
});

Deno.test("the registry is extensible by other layers", async () => {
  const registry = DatasetRegistry.withBuiltins();
  registry.register(["const"], (args) => ({ load: () => args.value, save() {}, exists: () => true, describe: () => ({}) }));
  const c = await Catalog.fromConfig(config("k: {type: const, value: 42}\n"), { projectRoot: "/p", registry });
  assert.equal(await c.load("k"), 42);
  assert.ok(registry.typeNames().includes("const"));
});
