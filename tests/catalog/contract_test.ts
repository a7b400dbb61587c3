/** The dataset contract suite, run against every built-in dataset type. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import {
  BinaryDataset,
  CsvDataset,
  generateVersion,
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
import { datasetContract } from "./dataset_contract.ts";
import { ExcelDataset, ImageDataset, PlotlyJsonDataset } from "../../lib/catalog/mod.ts";

const rows = [{ a: 1, b: "x", c: true, d: 1.5 }, { a: 2, b: "y", c: false, d: null }];

datasetContract("memory", { make: () => new MemoryDataset(), sample: { a: [1, 2] }, persistent: false });
datasetContract("json", {
  make: (d) => new JsonDataset({ filepath: join(d, "x.json") }),
  sample: { a: [1, 2], b: null },
});
datasetContract("yaml", {
  make: (d) => new YamlDataset({ filepath: join(d, "x.yml") }),
  sample: { a: { b: [1, "two"] } },
});
datasetContract("text", {
  make: (d) => new TextDataset({ filepath: join(d, "x.txt") }),
  sample: "héllo\nworld",
});
datasetContract("csv", { make: (d) => new CsvDataset({ filepath: join(d, "x.csv") }), sample: rows });
datasetContract("parquet", {
  make: (d) => new ParquetDataset({ filepath: join(d, "x.parquet") }),
  sample: rows,
});
datasetContract("excel", { make: (d) => new ExcelDataset({ filepath: join(d, "x.xlsx") }), sample: rows });
datasetContract("plotly json", {
  make: (d) => new PlotlyJsonDataset({ filepath: join(d, "fig.json") }),
  sample: { data: [{ type: "bar", x: ["a", "b"], y: [1, 2] }], layout: { title: { text: "t" } } },
});
datasetContract("image", {
  make: (d) => new ImageDataset({ filepath: join(d, "plot.svg") }),
  sample: '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>',
});
datasetContract("binary", {
  make: (d) => new BinaryDataset({ filepath: join(d, "x.bin") }),
  sample: new Uint8Array([0, 1, 255]),
});
datasetContract("pickle", {
  make: (d) => new PickleDataset({ filepath: join(d, "x.pkl") }),
  sample: {
    w: new Float64Array([0.5, 1.5]),
    m: new Map([["k", new Set([1])]]),
    when: new Date(0),
    big: 2n ** 70n,
  },
});
let run = 0; // every instance of the versioned case is a new run, so saves never collide
datasetContract("versioned json", {
  make: (d) =>
    new JsonDataset({ filepath: join(d, "v.json"), version: { save: generateVersion(new Date(++run)) } }),
  sample: { v: 1 },
});
datasetContract("partitioned", {
  make: (d) =>
    new PartitionedDataset({
      path: join(d, "parts"),
      filenameSuffix: ".json",
      createPartition: (f) => new JsonDataset({ filepath: f }),
    }),
  sample: { "2024-01": { n: 1 }, "sub/2024-02": { n: 2 } },
  equal: async (loaded, saved) => {
    const parts = loaded as Record<string, () => Promise<unknown>>;
    assert.deepEqual(Object.keys(parts).sort(), Object.keys(saved).sort());
    for (const [id, data] of Object.entries(saved)) assert.deepEqual(await parts[id](), data);
  },
});
datasetContract("sqlite_table", {
  make: (d) => new SqliteTableDataset({ filepath: join(d, "db.sqlite"), tableName: "t" }),
  sample: [{ a: 1, b: "x", c: 0.5 }, { a: 2, b: null, c: 1 }],
});
datasetContract("sqlite_query", {
  make: (d) =>
    new SqliteQueryDataset({ filepath: join(d, "db.sqlite"), sql: "SELECT a, b FROM t ORDER BY a" }),
  sample: [{ a: 1, b: "x" }, { a: 2, b: "y" }],
  seed: (d) => {
    const db = new DatabaseSync(join(d, "db.sqlite"));
    db.exec("CREATE TABLE t (a INTEGER, b TEXT); INSERT INTO t VALUES (2, 'y'), (1, 'x');");
    db.close();
    return Promise.resolve();
  },
});
