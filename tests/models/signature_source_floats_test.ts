/**
 * `signature: auto` types a column as pandas dtypes the file it was read from: a CSV column of `91.0`,
 * `96.0` (or one with an empty cell), a Parquet DOUBLE column and JSON rows' `1.0` are float64, so
 * `double`, though JavaScript holds whole numbers there; an integer column stays `long`. A request with
 * `91.5` is then scored, not refused.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import {
  CsvDataset,
  ExcelDataset,
  JsonDataset,
  MemoryDataset,
  ParquetDataset,
  SqliteTableDataset,
  YamlDataset,
} from "../../lib/catalog/mod.ts";
import { convertColumns, enforceColumns, ScoringError } from "../../lib/models/mod.ts";
import { floatColumns } from "../../lib/source_keys.ts";
import { type ColSpec, inferColumns } from "../../lib/tracking/mod.ts";
import { inTempDir } from "../catalog/dataset_contract.ts";

const typesOf = (rows: unknown) =>
  Object.fromEntries(inferColumns(rows, floatColumns(rows))!.map((c) => [c.name, c.type]));

Deno.test("CSV: whole floats and a column with an empty cell are double, integers long; 91.5 is scored", async () => {
  await inTempDir(async (dir) => {
    const file = join(dir, "reviews.csv");
    await Deno.writeTextFile(
      file,
      "id,review_scores_rating,engines,visits,big,name\n1,91.0,2,3,1e3,a\n2,96.0,1,,2E3,b\n",
    );
    const rows = await new CsvDataset({ filepath: file }).load();
    assert.equal(rows[0].review_scores_rating, 91);
    const types = typesOf(rows);
    assert.deepEqual(types, {
      id: "long",
      review_scores_rating: "double",
      engines: "long",
      visits: "double", // pandas: an int column with NaN is float64
      big: "double",
      name: "string",
    });
    const signature: ColSpec[] = inferColumns(rows, floatColumns(rows))!;
    const request = [{ id: 3, review_scores_rating: 91.5, engines: 2, visits: 1.5, big: 1, name: "c" }];
    assert.deepEqual(enforceColumns(convertColumns(request, signature), signature), request);
    // The integer column still refuses a fraction, as MLflow does for int64.
    assert.throws(
      () => enforceColumns(convertColumns([{ ...request[0], engines: 2.5 }], signature), signature),
      (e: unknown) => e instanceof ScoringError && /engines/.test(e.message),
    );
  });
});

Deno.test("CSV: load_args.dtype float makes a column double; the float columns survive the catalog's copies", async () => {
  await inTempDir(async (dir) => {
    const file = join(dir, "t.csv");
    await Deno.writeTextFile(file, "a,b\n1,2\n3,4\n");
    const rows = await new CsvDataset({ filepath: file, loadArgs: { dtype: { b: "float64" } } }).load();
    assert.deepEqual(typesOf(rows), { a: "long", b: "double" });
    for (const copyMode of ["deepcopy", "copy"] as const) {
      const memory = new MemoryDataset({ copyMode });
      await memory.save(rows);
      const copied = await memory.load();
      assert.notEqual(copied, rows);
      assert.deepEqual(typesOf(copied), { a: "long", b: "double" }, copyMode);
    }
  });
});

Deno.test("Parquet: a DOUBLE column of whole numbers is double, an INT64 one long (with a null: double)", async () => {
  await inTempDir(async (dir) => {
    const file = join(dir, "t.parquet");
    const ds = new ParquetDataset({
      filepath: file,
      saveArgs: { schema: { price: "float64", count: "int64", gaps: "int64" } },
    });
    await ds.save([{ price: 2, count: 1, gaps: 1 }, { price: 3, count: 2, gaps: null }]);
    assert.deepEqual(typesOf(await ds.load()), { price: "double", count: "long", gaps: "double" });
  });
});

Deno.test("JSON and YAML rows: a column with 1.0 is double, one of 1 long", async () => {
  await inTempDir(async (dir) => {
    const file = join(dir, "rows.json");
    await Deno.writeTextFile(file, '[{"a": 1.0, "b": 1}, {"a": 2, "b": 2}]');
    assert.deepEqual(typesOf(await new JsonDataset({ filepath: file }).load()), { a: "double", b: "long" });
    const yaml = join(dir, "rows.yml");
    await Deno.writeTextFile(yaml, "- {a: 1, b: 1}\n- {a: 2.0, b: 2}\n");
    assert.deepEqual(typesOf(await new YamlDataset({ filepath: yaml }).load()), { a: "double", b: "long" });
  });
});

Deno.test("SQLite: a REAL column of whole numbers is double, an INTEGER one long (with a NULL: double)", async () => {
  await inTempDir(async (dir) => {
    const file = join(dir, "t.db");
    const db = new DatabaseSync(file);
    db.exec(
      "CREATE TABLE t (price REAL, count INTEGER, gaps INTEGER); INSERT INTO t VALUES (2.0, 1, 1), (3.0, 2, NULL)",
    );
    db.close();
    const rows = await new SqliteTableDataset({ filepath: file, tableName: "t" }).load();
    assert.deepEqual(rows, [{ price: 2, count: 1, gaps: 1 }, { price: 3, count: 2, gaps: null }]);
    assert.deepEqual(typesOf(rows), { price: "double", count: "long", gaps: "double" });
  });
});

Deno.test("Excel: whole numbers stay long (openpyxl reads them as int), a column with an empty cell is double", async () => {
  await inTempDir(async (dir) => {
    const file = join(dir, "t.xlsx");
    const ds = new ExcelDataset({ filepath: file });
    await ds.save([{ a: 1, b: 1.5, c: 1 }, { a: 2, b: 2, c: null }]);
    assert.deepEqual(typesOf(await ds.load()), { a: "long", b: "double", c: "double" });
  });
});
