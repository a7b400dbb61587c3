/**
 * Columns named like integers (`2`, `1`, `10`) keep the file's order when a CSV or Excel file is loaded and
 * saved back, as pandas keeps a DataFrame's columns; a plain JavaScript row object lists them first, in
 * numeric order (lib/source_keys.ts keeps the file's order beside the rows).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { CsvDataset, ExcelDataset, MemoryDataset, ParquetDataset } from "../../lib/catalog/mod.ts";
import { inTempDir } from "./dataset_contract.ts";

Deno.test("csv: a file with columns b, 10, 2, a is saved back with its columns in that order", async () => {
  await inTempDir(async (dir) => {
    const text = "b,10,2,a\nx,1,2.5,y\nz,3,4.5,w\n";
    await Deno.writeTextFile(join(dir, "in.csv"), text);
    const rows = await new CsvDataset({ filepath: join(dir, "in.csv") }).load();
    // Through a MemoryDataset's copy too, as between two nodes.
    const memory = new MemoryDataset<typeof rows>();
    await memory.save(rows);
    await new CsvDataset({ filepath: join(dir, "out.csv") }).save(await memory.load());
    assert.equal(await Deno.readTextFile(join(dir, "out.csv")), text);
  });
});

Deno.test("excel: a sheet with columns 3, 1, name is read and saved back in that order", async () => {
  await inTempDir(async (dir) => {
    const first = new ExcelDataset({ filepath: join(dir, "a.xlsx") });
    // A node's rows list integer-like keys first: the order is JavaScript's, and saved so.
    await first.save([{ name: "x", 3: 1, 1: 2 }]);
    const saved = await first.load() as Record<string, unknown>[];
    assert.deepEqual(Object.keys(saved[0]), ["1", "3", "name"]);
    await Deno.writeTextFile(join(dir, "in.csv"), "3,1,name\n1,2,x\n");
    const rows = await new CsvDataset({ filepath: join(dir, "in.csv") }).load();
    const second = new ExcelDataset({ filepath: join(dir, "b.xlsx") });
    await second.save(rows);
    const back = await second.load() as Record<string, string | number>[];
    await new CsvDataset({ filepath: join(dir, "out.csv") }).save(back);
    assert.equal(await Deno.readTextFile(join(dir, "out.csv")), "3,1,name\n1,2,x\n");
  });
});

Deno.test("parquet: columns 2, 1, x keep the file's order through a load and a save", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "in.csv"), "2,1,x\n5,6,a\n");
    const rows = await new CsvDataset({ filepath: join(dir, "in.csv") }).load();
    const parquet = new ParquetDataset({ filepath: join(dir, "t.parquet") });
    await parquet.save(rows);
    const back = await parquet.load() as Record<string, string | number>[];
    await new CsvDataset({ filepath: join(dir, "out.csv") }).save(back);
    assert.equal(await Deno.readTextFile(join(dir, "out.csv")), "2,1,x\n5,6,a\n");
  });
});
