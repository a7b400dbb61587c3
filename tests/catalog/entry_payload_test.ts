/**
 * Resolving a catalog entry's paths and credentials changes only those values: a MemoryDataset's `data` is
 * the user's data (no path or credentials name in it is resolved), and every mapping keeps what the file
 * said that a plain object loses (integer-like keys in file order, `1.0` floats, int keys).
 */
import assert from "node:assert/strict";
import { builtinRegistry, Catalog, type PartitionedDataset } from "../../lib/catalog/mod.ts";
import { isSourceFloat, sourceKey, sourceKeyOrder } from "../../lib/source_keys.ts";
import { parseYaml } from "../../lib/yaml/parse_yaml.ts";
import type { CatalogConfig } from "../../lib/catalog/mod.ts";
import { CATALOG_FILE } from "./catalog_helpers.ts";
import { absolutePaths } from "../../lib/catalog/entry_paths.ts";
import { resolveCredentials } from "../../lib/catalog/entry_credentials.ts";
import { writeTree } from "../fs_helpers.ts";

// As the project's config loader reads catalog files: with the keys and floats PyYAML would keep.
function catalogConfig(yaml: string): CatalogConfig {
  const src = parseYaml(yaml, CATALOG_FILE, { sourceKeys: true });
  return { data: src.value as Record<string, unknown>, locate: (path) => src.locate(path) };
}

const MEMORY = `
rows:
  type: MemoryDataset
  data:
    "2": two
    "10": ten
    1: one
    lr: 1.0
    filepath: data/raw.csv
    credentials: db
    nested: {path: rel/x, "9": nine, "3": three, rate: 2.0}
`;

Deno.test("a MemoryDataset's data keeps its key order, 1.0 floats and filepath/credentials keys as written", async () => {
  const catalog = await Catalog.fromConfig(catalogConfig(MEMORY), {
    projectRoot: "/p",
    credentials: { data: { db: { user: "u" } }, locate: () => undefined },
  });
  const data = await catalog.load("rows") as Record<string, unknown>;
  assert.deepEqual(sourceKeyOrder(data), ["2", "10", "1", "lr", "filepath", "credentials", "nested"]);
  assert.equal(sourceKey(data, "1"), 1);
  assert.ok(isSourceFloat(data, "lr", 1));
  assert.equal(data.filepath, "data/raw.csv");
  assert.equal(data.credentials, "db");
  const nested = data.nested as Record<string, unknown>;
  assert.equal(nested.path, "rel/x");
  assert.deepEqual(sourceKeyOrder(nested), ["path", "9", "3", "rate"]);
  assert.ok(isSourceFloat(nested, "rate", 2));
});

Deno.test("a factory pattern's entry keeps its data's key order and 1.0 floats", async () => {
  const yaml = `"{n}_rows": {type: MemoryDataset, data: {"10": ten, "2": two, lr: 1.0, name: "{n}"}}\n`;
  const catalog = await Catalog.fromConfig(catalogConfig(yaml), { projectRoot: "/p" });
  const data = await catalog.load("a_rows") as Record<string, unknown>;
  assert.equal(data.name, "a");
  assert.deepEqual(sourceKeyOrder(data), ["10", "2", "lr", "name"]);
  assert.ok(isSourceFloat(data, "lr", 1));
});

Deno.test("a factory pattern's MemoryDataset data may have a credentials key naming none, as an entry's may", async () => {
  const yaml = `"{n}_rows": {type: MemoryDataset, data: {credentials: db, filepath: x.csv}}\n`;
  const catalog = await Catalog.fromConfig(catalogConfig(yaml), { projectRoot: "/p" });
  assert.deepEqual(await catalog.load("a_rows"), { credentials: "db", filepath: "x.csv" });
});

Deno.test("other mappings of an entry get absolute paths (as Kedro's) and keep the file's order and floats", async () => {
  const seen: Record<string, unknown>[] = [];
  const registry = builtinRegistry();
  registry.register(["probe"], (args) => {
    seen.push(args);
    return { load: () => args, save() {}, exists: () => true, describe: () => ({}) };
  });
  const yaml = `
x:
  type: probe
  options: {"2": b, "10": a, filepath: data/x.csv, lr: 1.0}
  untouched: {"2": b, "10": a, lr: 1.0}
  credentials: {"2": b, "10": a}
`;
  const config = catalogConfig(yaml);
  await Catalog.fromConfig(config, { projectRoot: "/p", registry });
  const written = config.data.x as Record<string, Record<string, unknown>>;
  const [args] = seen as Record<string, Record<string, unknown>>[];
  assert.equal(args.options.filepath, "/p/data/x.csv");
  assert.equal(written.options.filepath, "data/x.csv", "the catalog's own config is not changed");
  assert.deepEqual(sourceKeyOrder(args.options), ["2", "10", "filepath", "lr"]);
  assert.ok(isSourceFloat(args.options, "lr", 1));
  for (const key of ["untouched", "credentials"]) {
    assert.deepEqual(sourceKeyOrder(args[key]), ["2", "10", "lr"].slice(0, Object.keys(args[key]).length));
  }
  assert.ok(isSourceFloat(args.untouched, "lr", 1));
});

Deno.test("a mapping with no path or credentials name to resolve is the very object read, at any depth", () => {
  const entry = catalogConfig(
    `x: {type: probe, a: {"2": b, "10": a, b: {lr: 1.0}}, f: {filepath: x.csv, c: {"3": 1}}}`,
  )
    .data.x as Record<string, Record<string, Record<string, unknown>>>;
  const out = absolutePaths(
    resolveCredentials(entry, ["x"], { credentials: {}, locate: () => undefined }),
    "/p",
  ) as typeof entry;
  assert.notEqual(out, entry);
  assert.equal(out.a, entry.a);
  assert.equal(out.f.filepath, "/p/x.csv");
  assert.equal(out.f.c, entry.f.c);
  assert.equal(resolveCredentials(entry, ["x"], { credentials: {}, locate: () => undefined }), entry);
  assert.equal(absolutePaths(entry.a, "/p"), entry.a);
});

Deno.test("a partitioned dataset nested in an incremental's checkpoint and its own path are still resolved", async () => {
  const yaml = `
parts:
  type: partitions.PartitionedDataset
  path: data/parts
  dataset: {type: json}
inc:
  type: partitions.IncrementalDataset
  path: data/inc
  dataset: text
  checkpoint: {type: text, filepath: data/cp.txt}
`;
  const catalog = await Catalog.fromConfig(catalogConfig(yaml), { projectRoot: "/p" });
  assert.equal((await catalog.get("parts") as PartitionedDataset).path, "/p/data/parts");
  const inc = await catalog.get("inc") as PartitionedDataset;
  assert.equal(inc.path, "/p/data/inc");
  assert.match(JSON.stringify(inc.describe()), /\/p\/data\/cp\.txt/);
});

Deno.test("a dataset changing its arguments changes neither the catalog's config nor another partition's", async () => {
  // As Kedro's parse_dataset_definition deep-copies: a plugin popping or setting an option is its own business.
  const root = await writeTree({
    "ds/mut.ts": `export class Mut {
  constructor(o) { this.o = o; this.seen = o.loadArgs.sep; o.loadArgs.sep = "changed"; o.credentials.user = "x"; }
  load() { return this.seen; } save() {} exists() { return true; } describe() { return {}; }
}`,
    "parts/a": "",
    "parts/b": "",
  });
  try {
    const yaml = `
one: {type: "./ds/mut.ts#Mut", load_args: {sep: ","}, credentials: db}
parts:
  type: partitions.PartitionedDataset
  path: parts
  credentials: db
  dataset: {type: "./ds/mut.ts#Mut", load_args: {sep: ","}}
`;
    const catalog = await Catalog.fromConfig(catalogConfig(yaml), {
      projectRoot: root,
      credentials: { data: { db: { user: "u" } }, locate: () => undefined },
    });
    assert.deepEqual(catalog.resolveConfig("one")?.load_args, { sep: "," });
    assert.deepEqual((catalog.resolveConfig("parts")?.dataset as Record<string, unknown>).load_args, {
      sep: ",",
    });
    assert.equal(await catalog.load("one"), ",");
    const parts = await catalog.load("parts") as Record<string, () => Promise<unknown>>;
    assert.deepEqual(await Promise.all(Object.values(parts).map((load) => load())), [",", ","]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a node changing a MemoryDataset's data (copy_mode: assign) does not change the catalog's config", async () => {
  const yaml = `m: {type: MemoryDataset, data: {k: {v: 1}}, copy_mode: assign}\n`;
  const catalog = await Catalog.fromConfig(catalogConfig(yaml), { projectRoot: "/p" });
  ((await catalog.load("m")) as { k: { v: number } }).k.v = 99;
  assert.deepEqual(catalog.resolveConfig("m")?.data, { k: { v: 1 } });
});
