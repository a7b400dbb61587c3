/**
 * An empty array of rows is an empty table in every tabular dataset, as pandas saves an empty frame: it
 * saves, and loads back as `[]`. An array names no columns without rows, so the columns are the ones the
 * entry declares (Parquet's `save_args.schema`, CSV's and Excel's `save_args.columns`), else none; a SQLite
 * table replaced by no rows keeps its columns.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parquetMetadata } from "hyparquet";
import {
  CsvDataset,
  type Dataset,
  ExcelDataset,
  JsonDataset,
  ParquetDataset,
  SqliteQueryDataset,
  SqliteTableDataset,
} from "../../lib/catalog/mod.ts";

async function inTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-empty-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("no rows round-trip as [] through every tabular dataset", async () => {
  await inTempDir(async (dir) => {
    const datasets: [string, Dataset<unknown>][] = [
      ["parquet", new ParquetDataset({ filepath: join(dir, "a.parquet") }) as Dataset<unknown>],
      ["csv", new CsvDataset({ filepath: join(dir, "a.csv") }) as Dataset<unknown>],
      ["excel", new ExcelDataset({ filepath: join(dir, "a.xlsx") }) as Dataset<unknown>],
      ["json", new JsonDataset({ filepath: join(dir, "a.json") }) as Dataset<unknown>],
    ];
    for (const [name, ds] of datasets) {
      await ds.save([]);
      assert.deepEqual(await ds.load(), [], name);
      // A table with rows after an empty one, and back: the file is replaced each time.
      await ds.save([{ a: 1 }]);
      assert.deepEqual(await ds.load(), [{ a: 1 }], name);
      await ds.save([]);
      assert.deepEqual(await ds.load(), [], name);
    }
  });
});

Deno.test("an empty Parquet table has save_args.schema's columns, typed as declared; else none", async () => {
  await inTempDir(async (dir) => {
    const typed = new ParquetDataset({
      filepath: join(dir, "typed.parquet"),
      saveArgs: { schema: { id: "int64", name: "string" } },
    });
    await typed.save([]);
    const meta = parquetMetadata((await Deno.readFile(join(dir, "typed.parquet"))).buffer);
    assert.equal(meta.num_rows, 0n);
    assert.deepEqual(meta.schema.slice(1).map((e) => [e.name, e.type]), [["id", "INT64"], [
      "name",
      "BYTE_ARRAY",
    ]]);
    assert.deepEqual(await typed.load(), []);
    const bare = new ParquetDataset({ filepath: join(dir, "bare.parquet") });
    await bare.save([]);
    assert.deepEqual(
      parquetMetadata((await Deno.readFile(join(dir, "bare.parquet"))).buffer).schema.length,
      1,
    );
  });
});

Deno.test("CSV writes save_args.columns as the header of no rows; an Excel sheet of no rows round-trips", async () => {
  await inTempDir(async (dir) => {
    const csv = new CsvDataset({ filepath: join(dir, "a.csv"), saveArgs: { columns: ["id", "name"] } });
    await csv.save([]);
    assert.equal(await Deno.readTextFile(join(dir, "a.csv")), "id,name\n");
    assert.deepEqual(await csv.load(), []);
    const sheets = new ExcelDataset({ filepath: join(dir, "a.xlsx") });
    await sheets.save({ full: [{ a: 1 }], empty: [] } as never);
    const loaded = await new ExcelDataset({ filepath: join(dir, "a.xlsx"), loadArgs: { sheet_name: null } })
      .load();
    assert.deepEqual(loaded, { full: [{ a: 1 }], empty: [] });
  });
});

Deno.test("a SQLite table replaced by no rows is empty and keeps its columns; appending none adds none", async () => {
  await inTempDir(async (dir) => {
    const filepath = join(dir, "a.db");
    const replace = new SqliteTableDataset({ filepath, tableName: "t", saveArgs: { if_exists: "replace" } });
    await replace.save([{ id: 1, name: "x" }]);
    await replace.save([]);
    assert.equal(await replace.exists(), true);
    assert.deepEqual(await replace.load(), []);
    const columns = new SqliteQueryDataset({ filepath, sql: "SELECT name FROM pragma_table_info('t')" });
    assert.deepEqual(await columns.load(), [{ name: "id" }, { name: "name" }]);
    const append = new SqliteTableDataset({ filepath, tableName: "t", saveArgs: { if_exists: "append" } });
    await append.save([{ id: 2, name: "y" }]);
    await append.save([]);
    assert.deepEqual(await append.load(), [{ id: 2, name: "y" }]);
  });
});
