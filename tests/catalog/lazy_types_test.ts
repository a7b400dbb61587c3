/**
 * Built-in dataset types registered lazily (excel, parquet, plotly, image, partitioned, sqlite): the
 * registry names them without loading them, and a catalog that uses one loads it and validates its
 * arguments as before.
 */
import assert from "node:assert/strict";
import { builtinRegistry, Catalog, DatasetRegistry, MemoryDataset } from "../../lib/catalog/mod.ts";
import { DatasetError } from "../../lib/errors.ts";
import { BUILTIN_TYPE_NAMES } from "./catalog_helpers.ts";

Deno.test("lookup names a lazy type without loading it; resolve loads it once", async () => {
  let loads = 0;
  const registry = new DatasetRegistry();
  registry.registerLazy(["later", "LaterDataset", "x.LaterDataset"], () => {
    loads++;
    return Promise.resolve({ factory: () => new MemoryDataset(), versionable: true });
  });
  assert.deepEqual(registry.lookup("kedro_datasets.x.LaterDataset"), {
    names: ["later", "LaterDataset", "x.LaterDataset"],
    typeName: "LaterDataset",
  });
  assert.deepEqual(registry.typeNames(), ["later"]);
  assert.equal(loads, 0);
  const [a, b] = await Promise.all([registry.resolve("later"), registry.resolve("LaterDataset")]);
  assert.equal(loads, 1);
  assert.equal(a, b);
  assert.equal(a?.versionable, true);
  assert.equal(await registry.resolve("unknown"), undefined);
});

Deno.test("every built-in type resolves with the type name lookup gives, in registration order", async () => {
  const registry = builtinRegistry();
  assert.deepEqual(registry.typeNames(), BUILTIN_TYPE_NAMES);
  for (const name of registry.allNames()) {
    const type = await registry.resolve(name);
    assert.equal(type?.typeName, registry.lookup(name)?.typeName, name);
    assert.ok(type?.names.includes(name), name);
  }
});

Deno.test("a lazy type's arguments are validated like any other's", async () => {
  const config = (entry: Record<string, unknown>) => ({ data: { table: entry }, locate: () => undefined });
  const catalog = await Catalog.fromConfig(
    config({ type: "parquet", filepath: "data/t.parquet", save_args: { compression: "zstd9" } }),
    { projectRoot: "/tmp/project" },
  ).catch((error) => error);
  assert.ok(catalog instanceof DatasetError, String(catalog));
  assert.match(catalog.message, /compression/);
  const excel = await Catalog.fromConfig(config({ type: "pandas.ExcelDataset", filepath: "data/t.xlsx" }), {
    projectRoot: "/tmp/project",
  });
  assert.equal(excel.typeName("table"), "ExcelDataset");
});
