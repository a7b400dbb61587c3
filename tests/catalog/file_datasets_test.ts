/** Behaviour specific to the file datasets: CSV options, Parquet types, pickle values, save errors. */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  BinaryDataset,
  CsvDataset,
  type CsvRow,
  type Dataset,
  ImageDataset,
  JsonDataset,
  ParquetDataset,
  PickleDataset,
  SqliteQueryDataset,
  SqliteTableDataset,
  TextDataset,
  YamlDataset,
} from "../../lib/catalog/mod.ts";
import { DatasetError } from "../../lib/errors.ts";
import { filesUnder, inTempDir } from "./dataset_contract.ts";

Deno.test("csv typing: columns of numbers, booleans and empty fields are typed; typing can be switched off", async () => {
  await inTempDir(async (dir) => {
    const file = join(dir, "t.csv");
    await Deno.writeTextFile(file, "n;flag;s;e\n1.5;true;abc;\n-2;False;007x;\n1e3;TRUE; 42 ;x\n");
    assert.deepEqual(await new CsvDataset({ filepath: file, loadArgs: { delimiter: ";" } }).load(), [
      { n: 1.5, flag: true, s: "abc", e: null },
      { n: -2, flag: false, s: "007x", e: null },
      // Typed by column, as pandas does: " 42 " reads as a number, but not in a column of text.
      { n: 1000, flag: true, s: " 42 ", e: "x" },
    ]);
    const raw = await new CsvDataset({ filepath: file, loadArgs: { delimiter: ";", typing: false } }).load();
    assert.deepEqual(raw[0], { n: "1.5", flag: "true", s: "abc", e: "" });
  });
});

Deno.test("csv without a header names columns 0, 1, … as pandas does (row[0] reads them), or by the columns option", async () => {
  await inTempDir(async (dir) => {
    const file = join(dir, "t.csv");
    await Deno.writeTextFile(file, "1,x\n2,y\n");
    assert.deepEqual(await new CsvDataset({ filepath: file, loadArgs: { header: false } }).load(), [
      { 0: 1, 1: "x" },
      { 0: 2, 1: "y" },
    ]);
    const named = await new CsvDataset({
      filepath: file,
      loadArgs: { header: false, columns: ["id", "label"] },
    }).load();
    assert.deepEqual(named[1], { id: 2, label: "y" });
  });
});

Deno.test("csv save writes a header and rows, honouring delimiter, header and column order", async () => {
  await inTempDir(async (dir) => {
    const file = join(dir, "o.csv");
    // Dates are not a CsvRow value type (loads give strings back) but saves format them as ISO text.
    const rows = [{ a: 1, b: "x,y", when: new Date(0), ok: true }, {
      a: null,
      b: "q",
      ok: false,
    }] as unknown as CsvRow[];
    await new CsvDataset({ filepath: file }).save(rows);
    assert.equal(
      await Deno.readTextFile(file),
      'a,b,when,ok\n1,"x,y",1970-01-01T00:00:00.000Z,True\n,q,,False\n',
    );
    await new CsvDataset({ filepath: file, saveArgs: { delimiter: "|", columns: ["b", "a"] } }).save(rows);
    assert.equal(await Deno.readTextFile(file), "b|a\nx,y|1\nq|\n");
    await new CsvDataset({ filepath: file, saveArgs: { header: false } }).save([{ a: 1, b: "q" }]);
    assert.equal(await Deno.readTextFile(file), "1,q\n");
  });
});

Deno.test("a ragged csv is a clear error naming the file", async () => {
  await inTempDir(async (dir) => {
    const file = join(dir, "bad.csv");
    await Deno.writeTextFile(file, "a,b\n1,2,3\n");
    await assert.rejects(
      () => new CsvDataset({ filepath: file }).load(),
      (e: DatasetError) =>
        e.code === "dataset/bad-csv" && e.message.includes(file) && /delimiter/.test(e.hint!),
    );
  });
});

Deno.test("parquet round-trips integers, doubles, strings, booleans, nulls, dates, bigints, bytes and JSON", async () => {
  await inTempDir(async (dir) => {
    const file = join(dir, "t.parquet");
    const rows = [
      {
        i: 1,
        f: 0.5,
        s: "x",
        b: true,
        t: new Date(0),
        big: 2n ** 62n,
        bytes: new Uint8Array([1, 2]),
        j: { k: [1] },
      },
      { i: null, f: 2, s: null, b: false, t: null, big: 3n, bytes: null, j: null },
    ];
    await new ParquetDataset({ filepath: file }).save(rows);
    const loaded = await new ParquetDataset({ filepath: file }).load();
    assert.deepEqual(loaded[0], { ...rows[0] });
    assert.deepEqual(loaded[1], { ...rows[1], big: 3 }, "safe 64-bit integers come back as numbers");
    const subset = await new ParquetDataset({ filepath: file, loadArgs: { columns: ["s", "i"] } }).load();
    assert.deepEqual(subset, [{ s: "x", i: 1 }, { s: null, i: null }]);
  });
});

// An empty table is no error (tests/catalog/empty_frames_test.ts).
Deno.test("parquet refuses a corrupt file", async () => {
  await inTempDir(async (dir) => {
    const file = join(dir, "t.parquet");
    await Deno.writeTextFile(file, "not parquet");
    await assert.rejects(
      () => new ParquetDataset({ filepath: file }).load(),
      (e: DatasetError) => e instanceof DatasetError && e.code === "dataset/bad-parquet",
    );
  });
});

Deno.test("pickle keeps typed arrays, Map, Set, Date, BigInt and nested structure", async () => {
  await inTempDir(async (dir) => {
    const ds = new PickleDataset({ filepath: join(dir, "m.pkl") });
    const value = {
      weights: new Float32Array([0.25, -1]),
      ids: new BigInt64Array([1n, -2n]),
      index: new Map<string, Set<number>>([["a", new Set([1, 2])]]),
      trained: new Date(Date.UTC(2024, 0, 15)),
      nested: [{ deep: new Uint8Array([7]) }],
    };
    await ds.save(value);
    const loaded = await new PickleDataset({ filepath: join(dir, "m.pkl") }).load() as typeof value;
    assert.ok(loaded.weights instanceof Float32Array);
    assert.ok(loaded.ids instanceof BigInt64Array);
    assert.ok(loaded.index instanceof Map && loaded.index.get("a") instanceof Set);
    assert.ok(loaded.trained instanceof Date);
    assert.deepEqual(loaded, value);
  });
});

Deno.test("saving data of the wrong shape names the dataset kind and keeps the previous file", async () => {
  await inTempDir(async (dir) => {
    const csv = new CsvDataset({ filepath: join(dir, "rows.csv") });
    await csv.save([{ a: 1 }]);
    await assert.rejects(
      () => csv.save("oops" as never),
      (e: DatasetError) => e instanceof DatasetError && e.code === "dataset/not-rows",
    );
    assert.deepEqual(await csv.load(), [{ a: 1 }], "a failed save leaves the old data intact");
    await assert.rejects(
      () => new TextDataset({ filepath: join(dir, "t") }).save(3 as never),
      (e: DatasetError) => e instanceof DatasetError && e.code === "dataset/not-text",
    );
    await assert.rejects(
      () => new BinaryDataset({ filepath: join(dir, "b") }).save("x" as never),
      (e: DatasetError) => e instanceof DatasetError && e.code === "dataset/not-bytes",
    );
    await assert.rejects(
      () => new PickleDataset({ filepath: join(dir, "p") }).save({ f: () => 1 }),
      (e: DatasetError) => e instanceof DatasetError && e.code === "dataset/not-serializable",
    );
    await assert.rejects(
      () => new JsonDataset({ filepath: join(dir, "j") }).save((() => 1) as never),
      (e: DatasetError) => e instanceof DatasetError && e.code === "dataset/not-json",
    );
    assert.deepEqual(await filesUnder(dir), ["rows.csv"]);
  });
});

Deno.test("loading a missing file or a malformed JSON/YAML file is a clear error", async () => {
  await inTempDir(async (dir) => {
    await assert.rejects(
      () => new JsonDataset({ filepath: join(dir, "missing.json") }).load(),
      (e: DatasetError) => e instanceof DatasetError && e.code === "dataset/file-not-found",
    );
    await Deno.writeTextFile(join(dir, "bad.json"), "{");
    await assert.rejects(
      () => new JsonDataset({ filepath: join(dir, "bad.json") }).load(),
      (e: DatasetError) => e instanceof DatasetError && e.code === "dataset/bad-json",
    );
    await Deno.writeTextFile(join(dir, "bad.yml"), "a: 1\n  b: [\n");
    await assert.rejects(
      () => new YamlDataset({ filepath: join(dir, "bad.yml") }).load(),
      (e: DatasetError) =>
        e.code === "dataset/bad-yaml" && e.source?.file === join(dir, "bad.yml") &&
        e.source.line !== undefined,
    );
  });
});

Deno.test("json save_args.indent controls formatting as json.dump's does; binary accepts an ArrayBuffer", async () => {
  await inTempDir(async (dir) => {
    await new JsonDataset({ filepath: join(dir, "c.json"), saveArgs: { indent: 0 } }).save({ a: [1] });
    assert.equal(await Deno.readTextFile(join(dir, "c.json")), '{\n"a": [\n1\n]\n}');
    await new JsonDataset({ filepath: join(dir, "d.json"), saveArgs: { indent: null } }).save({ a: [1, 2] });
    assert.equal(await Deno.readTextFile(join(dir, "d.json")), '{"a": [1, 2]}');
    const bin = new BinaryDataset({ filepath: join(dir, "b.bin") });
    await bin.save(new Uint8Array([5, 6]).buffer as never);
    assert.deepEqual(await bin.load(), new Uint8Array([5, 6]));
  });
});

Deno.test("JSON and YAML refuse a Map, Set, typed array, Error or RegExp by path instead of writing {}", async () => {
  await inTempDir(async (dir) => {
    const json = new JsonDataset({ filepath: join(dir, "x.json") });
    const yaml = new YamlDataset({ filepath: join(dir, "x.yml") });
    await json.save({ good: 1 });
    await yaml.save({ good: 1 });
    const cases: [unknown, RegExp][] = [
      [{ m: new Map([["a", 1]]) }, /cannot hold a Map at value\.m$/],
      [[1, new Set([1])], /cannot hold a Set at value\[1\]$/],
      [{ w: { t: new Float32Array(2) } }, /cannot hold a Float32Array at value\.w\.t$/],
      [{ e: new Error("x") }, /cannot hold an Error at value\.e$/],
      [{ r: /x/ }, /cannot hold a RegExp at value\.r$/],
    ];
    for (const [data, message] of cases) {
      for (const ds of [json, yaml]) {
        await assert.rejects(
          () => ds.save(data as never),
          (e: DatasetError) =>
            e instanceof DatasetError && e.code === "dataset/not-serializable" && message.test(e.message),
        );
      }
    }
    assert.deepEqual(await json.load(), { good: 1 }, "the good file is kept");
    assert.deepEqual(await yaml.load(), { good: 1 });
    await json.save({ d: new Date(0), n: null, nested: [{ a: [1] }] });
    assert.deepEqual(await json.load(), { d: "1970-01-01T00:00:00.000Z", n: null, nested: [{ a: [1] }] });
  });
});

Deno.test("exists() of a file dataset that cannot look is a rejection, not a throw", async () => {
  await inTempDir(async (dir) => {
    // A file where a folder should be: stat fails with NotADirectory, which exists() reports.
    await Deno.writeTextFile(join(dir, "plain"), "x");
    const below = join(dir, "plain", "below");
    const datasets: Dataset[] = [
      new TextDataset({ filepath: below }),
      new CsvDataset({ filepath: below }),
      new ImageDataset({ filepath: below }),
      new SqliteQueryDataset({ filepath: below, sql: "SELECT 1" }),
      new SqliteTableDataset({ filepath: below, tableName: "t" }),
    ];
    for (const ds of datasets) {
      let pending: Promise<boolean> | boolean | undefined;
      assert.doesNotThrow(() => pending = ds.exists(), ds.constructor.name);
      assert.ok(pending instanceof Promise, ds.constructor.name);
      await assert.rejects(pending, Deno.errors.NotADirectory, ds.constructor.name);
    }
  });
});

Deno.test("every rows dataset says what it got instead of rows: the value's kind or the first bad row", async () => {
  const { ExcelDataset, PlotlyDataset } = await import("../../lib/catalog/mod.ts");
  await inTempDir(async (dir) => {
    const cases: [Dataset<never>, unknown, RegExp][] = [
      [
        new CsvDataset({ filepath: join(dir, "a.csv") }) as never,
        { a: 1 },
        /CsvDataset .*: got an object, not a list/,
      ],
      [new CsvDataset({ filepath: join(dir, "a.csv") }) as never, [{ a: 1 }, 2], /: row 1 is a number$/],
      [new ParquetDataset({ filepath: join(dir, "a.parquet") }) as never, [null], /: row 0 is null$/],
      [new ExcelDataset({ filepath: join(dir, "a.xlsx") }) as never, "x", /: got a string$/],
      [new ExcelDataset({ filepath: join(dir, "a.xlsx") }) as never, {}, /: got an object with no sheets$/],
      [
        new ExcelDataset({ filepath: join(dir, "a.xlsx") }) as never,
        { ok: [{ a: 1 }], bad: [{ a: 1 }, [1]] },
        /sheet "bad": row 1 is a list$/,
      ],
      [
        new SqliteTableDataset({ filepath: join(dir, "a.db"), tableName: "t" }) as never,
        [{ a: 1 }, "x"],
        /SqliteTableDataset .*: row 1 is a string$/,
      ],
      [
        new PlotlyDataset({
          filepath: join(dir, "p.json"),
          plotlyArgs: { type: "bar", fig: { x: "a", y: "b" } },
        }) as never,
        5,
        /: got a number$/,
      ],
    ];
    for (const [dataset, data, message] of cases) {
      await assert.rejects(
        async () => await dataset.save(data as never),
        (e: DatasetError) =>
          e instanceof DatasetError && e.code === "dataset/not-rows" && message.test(e.message),
        `${message}`,
      );
    }
    assert.deepEqual(await filesUnder(dir), [], "nothing written");
  });
});

Deno.test("describe() is a copy: changing its load_args changes neither the dataset's loads nor the next describe", async () => {
  await inTempDir(async (dir) => {
    const file = join(dir, "t.csv");
    await Deno.writeTextFile(file, "a;b\n1;2\n");
    const csv = new CsvDataset({ filepath: file, loadArgs: { sep: ";" } });
    (csv.describe().load_args as Record<string, unknown>).sep = ",";
    assert.deepEqual(csv.describe().load_args, { sep: ";" });
    assert.deepEqual(await csv.load(), [{ a: 1, b: 2 }]);
  });
});
