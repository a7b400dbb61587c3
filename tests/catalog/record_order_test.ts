/**
 * Records keyed by user strings come out in Kedro's (Python dict's) order, not JavaScript's, which lists
 * integer-like keys first: partitions in id order, IncrementalDataset's data in id order, an Excel workbook's
 * sheets in workbook or `sheet_name` order, and MemoryDataset copies keep that order.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  ExcelDataset,
  IncrementalDataset,
  JsonDataset,
  MemoryDataset,
  PartitionedDataset,
  TextDataset,
} from "../../lib/catalog/mod.ts";
import * as XLSX from "xlsx";
import { inTempDir } from "./dataset_contract.ts";

// Python's sorted() of these ids (code-point order: "10" < "2" < "9" < "a" < "é" < "😀").
const IDS = ["😀", "a", "2", "10", "é", "9", "b/1", "b/10", "b/2"];
const SORTED = ["10", "2", "9", "a", "b/1", "b/10", "b/2", "é", "😀"];

Deno.test("partitioned load lists ids in Python's string order, integer-like ids included", async () => {
  await inTempDir(async (dir) => {
    const ds = new PartitionedDataset({
      path: join(dir, "p"),
      filenameSuffix: ".txt",
      createPartition: (filepath) => new TextDataset({ filepath }),
    });
    await ds.save(Object.fromEntries(IDS.map((id) => [id, `text ${id}`])));
    const parts = await ds.load();
    assert.deepEqual(Object.keys(parts), SORTED);
    assert.deepEqual(Object.entries(parts).map(([id]) => id), SORTED);
    const forIn: string[] = [];
    for (const id in parts) forIn.push(id);
    assert.deepEqual(forIn, SORTED);
    assert.deepEqual(Object.keys({ ...parts }).length, SORTED.length);
    assert.equal(await parts["10"](), "text 10");
    // MemoryDataset copies (deepcopy is inferred for plain data, assign for functions) keep the order.
    const loaded = await new IncrementalDataset({
      path: join(dir, "p"),
      filenameSuffix: ".txt",
      createPartition: (filepath) => new TextDataset({ filepath }),
      checkpoint: new TextDataset({ filepath: join(dir, "CHECKPOINT") }),
      checkpointPath: join(dir, "CHECKPOINT"),
    }).load();
    assert.deepEqual(Object.keys(loaded), SORTED);
    assert.equal(loaded["2"], "text 2");
    for (const copyMode of [undefined, "deepcopy", "copy"] as const) {
      const memory = new MemoryDataset({ copyMode });
      await memory.save(loaded);
      const back = await memory.load() as Record<string, unknown>;
      assert.deepEqual(Object.keys(back), SORTED, `copy_mode ${copyMode}`);
      assert.deepEqual(Object.values(back), SORTED.map((id) => `text ${id}`));
      const json = `{${
        SORTED.map((id) => `${JSON.stringify(id)}:${JSON.stringify(`text ${id}`)}`).join(",")
      }}`;
      assert.equal(JSON.stringify(back), json, `copy_mode ${copyMode}`);
    }
  });
});

Deno.test("an ordered record stays ordered when keys are added and deleted, and serializes in order", async () => {
  await inTempDir(async (dir) => {
    const ds = new PartitionedDataset({
      path: join(dir, "p"),
      filenameSuffix: ".json",
      createPartition: (filepath) => new JsonDataset({ filepath }),
    });
    await ds.save({ b: 1, "3": 2, a: 3 });
    const parts: Record<string, unknown> = await ds.load();
    delete parts["a"];
    parts["1"] = () => 4;
    assert.deepEqual(Object.keys(parts), ["3", "b", "1"]);
  });
});

Deno.test("Excel sheets load in workbook order (null) and in sheet_name's order (list), and save in that order", async () => {
  await inTempDir(async (dir) => {
    const filepath = join(dir, "book.xlsx");
    const names = ["summary", "2024", "2023", "10"];
    const workbook = XLSX.utils.book_new();
    for (const name of names) {
      XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet([["sheet"], [name]]), name);
    }
    await Deno.writeFile(filepath, new Uint8Array(XLSX.write(workbook, { type: "array", bookType: "xlsx" })));
    const all = await new ExcelDataset({ filepath, loadArgs: { sheet_name: null } }).load();
    assert.deepEqual(Object.keys(all), names);
    const picked = await new ExcelDataset({ filepath, loadArgs: { sheet_name: ["2023", "summary", 3] } })
      .load();
    // As pandas keys its dict: a position stays a position ({3: rows}).
    assert.deepEqual(Object.keys(picked), ["2023", "summary", "3"]);
    assert.deepEqual((picked as Record<string, unknown>)["3"], [{ sheet: 10 }]); // pandas reads a text cell "10" as the number, as kmlf
    // Saved back (a node passing the sheets through), the workbook keeps the order.
    const copy = join(dir, "copy.xlsx");
    await new ExcelDataset({ filepath: copy }).save(all);
    assert.deepEqual(XLSX.read(await Deno.readFile(copy), { type: "array" }).SheetNames, names);
  });
});
