import assert from "node:assert/strict";
import { join } from "node:path";
import {
  BinaryDataset,
  CsvDataset,
  JsonDataset,
  MemoryDataset,
  ParquetDataset,
  PartitionedDataset,
  PickleDataset,
  SqliteQueryDataset,
  SqliteTableDataset,
  TextDataset,
  YamlDataset,
} from "../../lib/catalog/mod.ts";
import { DatasetError } from "../../lib/errors.ts";
import { datasetContract } from "./dataset_contract.ts";

const rows = [{ a: 1, b: "x", c: true, d: 1.5 }, { a: 2, b: "y", c: false, d: null }];

datasetContract("memory", { make: () => new MemoryDataset(), sample: { a: [1, 2] }, persistent: false });
datasetContract("json", { make: (d) => new JsonDataset({ filepath: join(d, "x.json") }), sample: { a: [1, 2], b: null }, location: (d) => join(d, "x.json") });
datasetContract("yaml", { make: (d) => new YamlDataset({ filepath: join(d, "x.yml") }), sample: { a: { b: [1, "two"] } }, location: (d) => join(d, "x.yml") });
datasetContract("text", { make: (d) => new TextDataset({ filepath: join(d, "x.txt") }), sample: "héllo\nworld", location: (d) => join(d, "x.txt") });
datasetContract("csv", { make: (d) => new CsvDataset({ filepath: join(d, "x.csv") }), sample: rows, location: (d) => join(d, "x.csv") });
datasetContract("parquet", { make: (d) => new ParquetDataset({ filepath: join(d, "x.parquet") }), sample: rows, location: (d) => join(d, "x.parquet") });
datasetContract("binary", { make: (d) => new BinaryDataset({ filepath: join(d, "x.bin") }), sample: new Uint8Array([0, 1, 255]), location: (d) => join(d, "x.bin") });
datasetContract("pickle", {
  make: (d) => new PickleDataset({ filepath: join(d, "x.pkl") }),
  sample: { w: new Float64Array([0.5, 1.5]), m: new Map([["k", new Set([1])]]), when: new Date(0), big: 2n ** 70n },
  location: (d) => join(d, "x.pkl"),
});
datasetContract("sqlite_table", { make: (d) => new SqliteTableDataset({ filepath: join(d, "db.sqlite"), tableName: "t" }), sample: [{ a: 1, b: "x" }, { a: 2, b: "y" }] });
datasetContract("partitioned", {
  make: (d) => new PartitionedDataset({ path: join(d, "parts"), filenameSuffix: ".json", createPartition: (f) => Promise.resolve(new JsonDataset({ filepath: f })) }),
  sample: { "2024-01": { n: 1 }, "sub/2024-02": { n: 2 } },
  equal: async (loaded, saved) => {
    const l = loaded as Record<string, () => Promise<unknown>>;
    assert.deepEqual(Object.keys(l).sort(), Object.keys(saved).sort());
    for (const k of Object.keys(saved)) assert.deepEqual(await l[k](), saved[k as keyof typeof saved]);
  },
  location: (d) => join(d, "parts", "x"),
});

Deno.test("csv typing: numbers, booleans and empty become typed; typing can be switched off", async () => {
  const dir = await Deno.makeTempDir();
  const file = join(dir, "t.csv");
  await Deno.writeTextFile(file, "n;flag;s;e\n1.5;true;abc;\n-2;False;007x;\n");
  assert.deepEqual(await new CsvDataset({ filepath: file, loadArgs: { delimiter: ";" } }).load(), [
    { n: 1.5, flag: true, s: "abc", e: null },
    { n: -2, flag: false, s: "007x", e: null },
  ]);
  assert.deepEqual((await new CsvDataset({ filepath: file, loadArgs: { delimiter: ";", typing: false } }).load())[0], { n: "1.5", flag: "true", s: "abc", e: "" });
  const noHeader = await new CsvDataset({ filepath: file, loadArgs: { delimiter: ";", header: false } }).load();
  assert.deepEqual(noHeader[0], { column_0: "n", column_1: "flag", column_2: "s", column_3: "e" });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("csv save honours delimiter, header and column order", async () => {
  const dir = await Deno.makeTempDir();
  const file = join(dir, "o.csv");
  await new CsvDataset({ filepath: file, saveArgs: { delimiter: "|", columns: ["b", "a"] } }).save([{ a: 1, b: "x,y" }]);
  assert.equal(await Deno.readTextFile(file), 'b|a\nx,y|1\n');
  await new CsvDataset({ filepath: file, saveArgs: { header: false } }).save([{ a: 1, b: "q" }]);
  assert.equal(await Deno.readTextFile(file), "1,q\n");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a ragged csv is a clear error", async () => {
  const dir = await Deno.makeTempDir();
  const file = join(dir, "bad.csv");
  await Deno.writeTextFile(file, "a,b\n1,2,3\n");
  await assert.rejects(() => new CsvDataset({ filepath: file }).load(), (e: DatasetError) => e.code === "dataset/bad-csv");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("parquet reads a column subset", async () => {
  const dir = await Deno.makeTempDir();
  const file = join(dir, "t.parquet");
  await new ParquetDataset({ filepath: file }).save([{ a: 1, b: "x" }, { a: 2, b: "y" }]);
  assert.deepEqual(await new ParquetDataset({ filepath: file, loadArgs: { columns: ["b"] } }).load(), [{ b: "x" }, { b: "y" }]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("memory copy modes: deepcopy isolates consumers, assign shares, bad mode is an error", () => {
  const data = { list: [1] };
  const deep = new MemoryDataset();
  deep.save(data);
  (deep.load() as typeof data).list.push(2);
  assert.deepEqual(deep.load(), { list: [1] });
  const shared = new MemoryDataset({ copyMode: "assign" });
  shared.save(data);
  assert.equal(shared.load(), data);
  const shallow = new MemoryDataset({ copyMode: "copy" });
  shallow.save(data);
  assert.notEqual(shallow.load(), data);
  assert.equal((shallow.load() as typeof data).list, data.list);
  class Model {
    w = 1;
  }
  const inferred = new MemoryDataset();
  const m = new Model();
  inferred.save(m);
  assert.equal(inferred.load(), m, "class instances are assigned, keeping their prototype");
  assert.throws(() => new MemoryDataset({ copyMode: "clone" as "copy" }), (e: DatasetError) => e.code === "dataset/bad-copy-mode");
  assert.throws(() => new MemoryDataset().load(), (e: DatasetError) => e.code === "dataset/memory-empty");
});

Deno.test("partitioned load is lazy: nothing is read until a partition is called", async () => {
  const dir = await Deno.makeTempDir();
  let created = 0;
  const ds = new PartitionedDataset({
    path: join(dir, "p"),
    createPartition: (f) => (created++, Promise.resolve(new TextDataset({ filepath: f }))),
    filenameSuffix: ".txt",
  });
  await ds.save({ a: "1", b: () => "2" });
  created = 0;
  const parts = await ds.load() as Record<string, () => Promise<unknown>>;
  assert.deepEqual(Object.keys(parts), ["a", "b"]);
  assert.equal(created, 0);
  assert.equal(await parts.b(), "2");
  assert.equal(created, 1);
  await assert.rejects(() => ds.save({ "../escape": "x" }), (e: DatasetError) => e.code === "dataset/bad-partition-id");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("sqlite table append/fail modes and a query dataset with params", async () => {
  const dir = await Deno.makeTempDir();
  const db = join(dir, "db.sqlite");
  await new SqliteTableDataset({ filepath: db, tableName: "scores" }).save([{ id: 1, score: 0.5 }]);
  await new SqliteTableDataset({ filepath: db, tableName: "scores", saveArgs: { if_exists: "append" } }).save([{ id: 2, score: 0.9 }]);
  await assert.rejects(
    () => new SqliteTableDataset({ filepath: db, tableName: "scores", saveArgs: { if_exists: "fail" } }).save([{ id: 3, score: 1 }]),
    (e: DatasetError) => e.code === "dataset/table-exists",
  );
  const q = new SqliteQueryDataset({ filepath: db, sql: "SELECT id FROM scores WHERE score > ? ORDER BY id", loadArgs: { params: [0.6] } });
  assert.deepEqual(await q.load(), [{ id: 2 }]);
  assert.throws(() => q.save(), (e: DatasetError) => e.code === "dataset/read-only");
  assert.throws(() => new SqliteTableDataset({ filepath: db, tableName: "x; DROP TABLE y" }), (e: DatasetError) => e.code === "dataset/bad-table-name");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("type errors on save name the dataset kind", async () => {
  const dir = await Deno.makeTempDir();
  await assert.rejects(() => new TextDataset({ filepath: join(dir, "t") }).save(3 as unknown as string), (e: DatasetError) => e.code === "dataset/not-text");
  await assert.rejects(() => new BinaryDataset({ filepath: join(dir, "b") }).save("x" as unknown as Uint8Array), (e: DatasetError) => e.code === "dataset/not-bytes");
  await assert.rejects(() => new PickleDataset({ filepath: join(dir, "p") }).save({ f: () => 1 }), (e: DatasetError) => e.code === "dataset/not-serializable");
  await assert.rejects(() => new JsonDataset({ filepath: join(dir, "missing.json") }).load(), (e: DatasetError) => e.code === "dataset/file-not-found");
  await Deno.remove(dir, { recursive: true });
});
