/**
 * Missing values as pandas reads and writes them (pandas 2 `read_csv`/`read_excel` `na_values`,
 * `keep_default_na`; `to_csv` `na_rep`): a file written by pandas or for pandas reads the same in kmlf.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { CsvDataset, ExcelDataset } from "../../lib/catalog/mod.ts";
import { PANDAS_NA_VALUES } from "../../lib/pandas_csv.ts";
import { inTempDir } from "./dataset_contract.ts";

const csvOf = (cells: string[]) => `v,n\n${cells.map((c, i) => `${c},${i}`).join("\n")}\n`;

Deno.test("CSV: pandas' default missing-value texts, quoted or not, load as null", async () => {
  await inTempDir(async (dir) => {
    const file = join(dir, "na.csv");
    const quoted = PANDAS_NA_VALUES.map((t) => `"${t}"`);
    await Deno.writeTextFile(file, csvOf([...PANDAS_NA_VALUES, ...quoted, "x", "NA x", "na", "Nan", "NONE"]));
    const rows = await new CsvDataset({ filepath: file }).load();
    const values = rows.map((r) => r.v);
    assert.deepEqual(values, [
      ...PANDAS_NA_VALUES.map(() => null),
      ...quoted.map(() => null),
      // Only the exact spellings are missing, as in pandas.
      "x",
      "NA x",
      "na",
      "Nan",
      "NONE",
    ]);
  });
});

Deno.test("CSV: keep_default_na=false keeps every text, na_values adds to pandas' list or replaces it", async () => {
  await inTempDir(async (dir) => {
    const file = join(dir, "na.csv");
    await Deno.writeTextFile(file, csvOf(["NA", "", "-", "null"]));
    const load = (loadArgs: Record<string, unknown>) =>
      new CsvDataset({ filepath: file, loadArgs }).load().then((rows) => rows.map((r) => r.v));
    assert.deepEqual(await load({ keep_default_na: false }), ["NA", "", "-", "null"]);
    assert.deepEqual(await load({ na_values: ["-"] }), [null, null, null, null]);
    assert.deepEqual(await load({ keep_default_na: false, na_values: ["-"] }), ["NA", "", null, "null"]);
    assert.deepEqual(await load({ na_values: { v: ["-"] } }), [null, null, null, null]);
  });
});

Deno.test("CSV: NaN and null save as na_rep, as pandas' to_csv writes a missing value, and load back as null", async () => {
  await inTempDir(async (dir) => {
    const file = join(dir, "out.csv");
    const ds = new CsvDataset({ filepath: file });
    await ds.save([{ a: 1.5, b: "x" }, { a: NaN, b: null }, { a: null, b: "" }]);
    assert.equal(await Deno.readTextFile(file), "a,b\n1.5,x\n,\n,\n");
    assert.deepEqual(await ds.load(), [{ a: 1.5, b: "x" }, { a: null, b: null }, { a: null, b: null }]);
    await new CsvDataset({ filepath: file, saveArgs: { na_rep: "NULL" } }).save([{ a: NaN }, { a: 2 }]);
    assert.equal(await Deno.readTextFile(file), "a\nNULL\n2\n");
  });
});

Deno.test("Excel: pandas' missing-value texts in a sheet load as null, as read_excel reads them", async () => {
  await inTempDir(async (dir) => {
    const filepath = join(dir, "na.xlsx");
    await new ExcelDataset({ filepath }).save([{ v: "NA" }, { v: "n/a" }, { v: "#N/A" }, { v: "ok" }]);
    const rows = await new ExcelDataset({ filepath }).load() as Record<string, unknown>[];
    assert.deepEqual(rows.map((r) => r.v), [null, null, null, "ok"]);
    const kept = await new ExcelDataset({ filepath, loadArgs: { keep_default_na: false } }).load() as Record<
      string,
      unknown
    >[];
    assert.deepEqual(kept.map((r) => r.v), ["NA", "n/a", "#N/A", "ok"]);
  });
});

Deno.test("Excel: NaN saves as a missing value (an empty cell, or na_rep), as pandas' to_excel writes it", async () => {
  await inTempDir(async (dir) => {
    const filepath = join(dir, "nan.xlsx");
    await new ExcelDataset({ filepath }).save([{ a: NaN, b: Infinity }, { a: 1, b: -Infinity }]);
    // keep_default_na: false shows the cells as written: pandas writes no "NaN" text into the sheet, and
    // read_excel reads the empty cell as "" (pandas 1.5 and 2: [['', inf], [1, -inf]]).
    const raw = await new ExcelDataset({ filepath, loadArgs: { keep_default_na: false } }).load();
    assert.deepEqual(raw, [{ a: "", b: Infinity }, { a: 1, b: -Infinity }]);
    assert.deepEqual(await new ExcelDataset({ filepath }).load(), [{ a: null, b: Infinity }, {
      a: 1,
      b: -Infinity,
    }]);
    await new ExcelDataset({ filepath, saveArgs: { na_rep: "n/a" } }).save([{ a: NaN }, { a: 2 }]);
    const kept = await new ExcelDataset({ filepath, loadArgs: { keep_default_na: false } }).load();
    assert.deepEqual(kept, [{ a: "n/a" }, { a: 2 }]);
  });
});
