/** MemoryDataset: copy modes, inference, and the "not saved yet" error. */
import assert from "node:assert/strict";
import { Catalog, MemoryDataset } from "../../lib/catalog/mod.ts";
import { DatasetError } from "../../lib/errors.ts";

Deno.test("memory deepcopy (the default for plain data) isolates every consumer", () => {
  const data = { list: [1], when: new Date(0), tags: new Set(["a"]) };
  const ds = new MemoryDataset<typeof data>();
  ds.save(data);
  data.list.push(99);
  const first = ds.load();
  first.list.push(2);
  first.tags.add("b");
  assert.deepEqual(ds.load(), { list: [1], when: new Date(0), tags: new Set(["a"]) });
});

Deno.test("memory deepcopy of plain mappings and lists: every load its own, as structuredClone's would be", () => {
  const evil = JSON.parse('{"__proto__": {"polluted": true}, "list": [1, [2]], "n": null}');
  const shared = { k: 1 };
  const cases: unknown[] = [
    { model: { lr: 0.1, layers: [4, 2] }, deep: { a: { b: { c: "x" } } } },
    evil,
    [1, , 3], // a hole stays a hole
    { twice: [shared, shared] }, // one object met twice: two references to one copy, not two copies
    Object.assign(Object.create(null), { a: { b: 1 } }),
  ];
  for (const data of cases) {
    const ds = new MemoryDataset({ data });
    const first = ds.load() as Record<string, unknown>;
    assert.deepEqual(first, structuredClone(data));
    assert.equal(Object.getPrototypeOf(first), Object.getPrototypeOf(structuredClone(data)));
    const again = ds.load() as Record<string, unknown>;
    assert.notEqual(again, first);
    for (const key of Object.keys(first)) {
      if (typeof first[key] === "object" && first[key] !== null) assert.notEqual(again[key], first[key]);
    }
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.ok(Object.hasOwn(new MemoryDataset({ data: evil }).load() as object, "__proto__"));
  assert.ok(!(1 in (new MemoryDataset({ data: [1, , 3] }).load() as unknown[])));
  const twice = new MemoryDataset({ data: { twice: [shared, shared] } }).load() as { twice: object[] };
  assert.equal(twice.twice[0], twice.twice[1]);
  // A node changing its copy (nested list included) changes nothing the next reader gets.
  const params = new MemoryDataset({ data: { model: { layers: [4, 2] } } });
  (params.load() as { model: { layers: number[] } }).model.layers.push(1);
  assert.deepEqual(params.load(), { model: { layers: [4, 2] } });
});

Deno.test("memory copy is shallow and assign shares the same reference", () => {
  const data = { list: [1] };
  const shallow = new MemoryDataset<typeof data>({ copyMode: "copy" });
  shallow.save(data);
  assert.notEqual(shallow.load(), data);
  assert.equal(shallow.load().list, data.list);
  const map = new Map([["k", 1]]);
  const shallowMap = new MemoryDataset<Map<string, number>>({ copyMode: "copy" });
  shallowMap.save(map);
  assert.ok(shallowMap.load() instanceof Map && shallowMap.load() !== map);
  assert.equal(shallowMap.load().get("k"), 1);
  const shared = new MemoryDataset({ copyMode: "assign" });
  shared.save(data);
  assert.equal(shared.load(), data);
});

Deno.test("memory infers assign for class instances and functions, which deep copies would break", () => {
  class Model {
    w = 1;
    predict(x: number) {
      return x * this.w;
    }
  }
  const model = new Model();
  const ds = new MemoryDataset();
  ds.save(model);
  assert.equal(ds.load(), model, "class instances keep their prototype");
  const lazy = { a: () => 1 };
  ds.save(lazy);
  assert.equal(ds.load(), lazy, "records of functions (partitioned saves) are passed through");
  const forced = new MemoryDataset({ copyMode: "deepcopy" });
  assert.throws(
    () => forced.save(lazy),
    (e: DatasetError) =>
      e instanceof DatasetError && e.code === "dataset/not-cloneable" && /copy_mode: assign/.test(e.hint!),
  );
});

Deno.test("memory load before any save, and a bad copy mode, are errors", () => {
  assert.throws(
    () => new MemoryDataset().load(),
    (e: DatasetError) =>
      e instanceof DatasetError && e.code === "dataset/memory-empty" && /not been saved yet/.test(e.message),
  );
  assert.throws(
    () => new MemoryDataset({ copyMode: "clone" as "copy" }),
    (e: DatasetError) => e instanceof DatasetError && e.code === "dataset/bad-copy-mode",
  );
  const ds = new MemoryDataset({ data: [1] });
  assert.ok(ds.ephemeral);
  assert.deepEqual(ds.describe(), { copy_mode: "inferred", data: "array(1)" });
});

Deno.test("a null parameter is a value nodes read, as in Kedro (MemoryDataset(data=None) keeps None)", async () => {
  const ds = new MemoryDataset({ data: null });
  assert.equal(ds.exists(), true);
  assert.equal(ds.load(), null);
  const catalog = Catalog.empty();
  catalog.addParameters({ model: { max_depth: null, lr: 0.1 }, seed: null });
  assert.equal(await catalog.load("params:model.max_depth"), null);
  assert.equal(await catalog.load("params:seed"), null);
  assert.deepEqual(await catalog.load("params:model"), { max_depth: null, lr: 0.1 });
  // Saving null from a node is still refused (Kedro: "Saving 'None' to a 'Dataset' is not allowed").
  assert.throws(() => ds.save(null), (e: DatasetError) => e.code === "dataset/save-none");
});
