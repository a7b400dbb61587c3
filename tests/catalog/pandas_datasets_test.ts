/** The datasets Kedro projects move over with: pandas argument names, Excel, Parquet written by pandas. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Catalog, CsvDataset, ExcelDataset, ParquetDataset } from "../../lib/catalog/mod.ts";
import type { DatasetError, KmlfAggregateError } from "../../lib/errors.ts";
import { catalogConfig } from "./catalog_helpers.ts";
import { inTempDir } from "./dataset_contract.ts";

const FIXTURES = new URL("../fixtures/", import.meta.url).pathname;

Deno.test("csv takes pandas' read_csv names: sep, skiprows, header row, usecols, nrows, na_values, dtype, thousands", async () => {
  await inTempDir(async (dir) => {
    const file = join(dir, "x.csv");
    await Deno.writeTextFile(
      file,
      "# exported\nid;price;flag;note\n1;1.234,5;yes;n/a\n2;7;no;ok\n3;8;yes;\n",
    );
    const rows = await new CsvDataset({
      filepath: file,
      loadArgs: {
        sep: ";",
        skiprows: 1,
        usecols: ["id", "price", "flag", "note"],
        nrows: 2,
        na_values: ["n/a"],
        thousands: ".",
        decimal: ",",
        true_values: ["yes"],
        false_values: ["no"],
        dtype: { id: "str" },
      },
    }).load();
    assert.deepEqual(rows, [
      { id: "1", price: 1234.5, flag: true, note: null },
      { id: "2", price: 7, flag: false, note: "ok" },
    ]);
    const named = await new CsvDataset({ filepath: file, loadArgs: { sep: ";", header: 1, usecols: [0, 3] } })
      .load();
    // "n/a" is one of pandas' default missing-value texts.
    assert.deepEqual(named[0], { id: 1, note: null });
    const noHeader = await new CsvDataset({
      filepath: file,
      loadArgs: { sep: ";", skiprows: [0, 1], names: ["a", "b", "c", "d"], nrows: 1 },
    }).load();
    assert.deepEqual(noHeader, [{ a: 1, b: "1.234,5", c: "yes", d: null }]);
  });
});

Deno.test("csv reads latin-1 and writes pandas' index, na_rep, booleans and a BOM like to_csv", async () => {
  await inTempDir(async (dir) => {
    const file = join(dir, "x.csv");
    await Deno.writeFile(file, new Uint8Array([0x6e, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x0a])); // "n\ncafé" in latin-1
    assert.deepEqual(await new CsvDataset({ filepath: file, loadArgs: { encoding: "latin-1" } }).load(), [
      { n: "café" },
    ]);
    await new CsvDataset({ filepath: file, saveArgs: { index: true, na_rep: "NA", encoding: "utf-8-sig" } })
      .save([{ a: 1, ok: true }, { a: null, ok: false }]);
    assert.equal(await Deno.readTextFile(file), "\ufeff,a,ok\n0,1,True\n1,NA,False\n");
    // Read back, pandas-style: the unnamed index column is "Unnamed: 0", NA is missing when asked.
    assert.deepEqual(await new CsvDataset({ filepath: file, loadArgs: { na_values: "NA" } }).load(), [
      { "Unnamed: 0": 0, a: 1, ok: true },
      { "Unnamed: 0": 1, a: null, ok: false },
    ]);
  });
});

Deno.test("a value that does not fit load_args.dtype is an error naming the column", async () => {
  await inTempDir(async (dir) => {
    const file = join(dir, "x.csv");
    await Deno.writeTextFile(file, "n\n1\n1.5\n");
    await assert.rejects(
      () => new CsvDataset({ filepath: file, loadArgs: { dtype: { n: "int64" } } }).load(),
      (e: DatasetError) => e.code === "dataset/bad-dtype" && /Column "n".*"1.5"/.test(e.message),
    );
  });
});

Deno.test("pandas arguments kmlf does not take get a hint; typos get did-you-mean; sep and delimiter conflict", async () => {
  const yaml = `
a: {type: pandas.CSVDataset, filepath: a.csv, load_args: {index_col: 0, na_value: x}}
b: {type: pandas.ParquetDataset, filepath: b.parquet, save_args: {dtype: {x: float64}}}
c: {type: pandas.CSVDataset, filepath: c.csv, load_args: {sep: ";", delimiter: ","}}
d: {type: pandas.ExcelDataset, filepath: d.xlsx, load_args: {engine: openpyxl, sheet_name: 1}}
`;
  await assert.rejects(
    () => Catalog.fromConfig(catalogConfig(yaml), { projectRoot: "/p" }),
    (e: KmlfAggregateError) => {
      const byKey = Object.fromEntries(e.errors.map((x) => [x.source?.keyPath, x]));
      assert.deepEqual(Object.keys(byKey).sort(), [
        "a.load_args.index_col",
        "a.load_args.na_value",
        "b.save_args.dtype",
        "c.load_args.delimiter",
      ]);
      assert.equal(byKey["a.load_args.index_col"].code, "catalog/unsupported-argument");
      assert.match(byKey["a.load_args.index_col"].hint!, /no index/);
      assert.match(byKey["a.load_args.na_value"].hint!, /did you mean "na_values"/);
      assert.match(byKey["b.save_args.dtype"].hint!, /"schema"/);
      assert.match(byKey["c.load_args.delimiter"].message, /sep and delimiter/);
      return true;
    },
  );
});

Deno.test("excel loads a workbook written by openpyxl with typed cells, and the sheet pandas would pick", async () => {
  const file = join(FIXTURES, "spaceflights/shuttles.xlsx");
  const rows = await new ExcelDataset({ filepath: file, loadArgs: { engine: "openpyxl" } }).load() as Record<
    string,
    unknown
  >[];
  assert.equal(rows.length, 60);
  assert.deepEqual(rows[0], {
    id: 45163,
    shuttle_location: "Sao Tome and Principe",
    shuttle_type: "Type V5",
    engine_type: "Plasma",
    engine_vendor: "ThetaBase Services",
    engines: 2,
    passenger_capacity: 4,
    cancellation_policy: "moderate",
    crew: 2,
    d_check_complete: "f",
    moon_clearance_complete: "f",
    price: "$1,715.0",
    company_id: 32413,
  });
  const some = await new ExcelDataset({
    filepath: file,
    loadArgs: { sheet_name: "Sheet1", usecols: "A,L", nrows: 1 },
  }).load();
  assert.deepEqual(some, [{ id: 45163, price: "$1,715.0" }]);
  await assert.rejects(
    () => new ExcelDataset({ filepath: file, loadArgs: { sheet_name: "shuttles" } }).load(),
    (e: DatasetError) => e.code === "dataset/unknown-sheet" && /Sheet1/.test(e.hint!),
  );
});

Deno.test("excel saves rows or {sheet: rows}; null loads every sheet; dates and nulls survive", async () => {
  await inTempDir(async (dir) => {
    const filepath = join(dir, "out.xlsx");
    const when = new Date("2024-01-15T10:30:00Z");
    await new ExcelDataset({ filepath }).save({
      capacity: [{ type: "V5", n: 4, when }, { type: "V2", n: null, when: null }],
      notes: [{ text: "ok" }],
    });
    const all = await new ExcelDataset({ filepath, loadArgs: { sheet_name: null } }).load() as Record<
      string,
      Record<string, unknown>[]
    >;
    assert.deepEqual(Object.keys(all), ["capacity", "notes"]);
    assert.equal(all.capacity[1].n, null);
    assert.equal((all.capacity[0].when as Date).toISOString(), when.toISOString());
    assert.deepEqual(await new ExcelDataset({ filepath, loadArgs: { sheet_name: 1 } }).load(), [{
      text: "ok",
    }]);
    await new ExcelDataset({ filepath, saveArgs: { sheet_name: "data", index: true } }).save([{ a: 1 }]);
    assert.deepEqual(await new ExcelDataset({ filepath, loadArgs: { sheet_name: "data" } }).load(), [
      { "Unnamed: 0": 0, a: 1 },
    ]);
  });
});

Deno.test("parquet files written by pandas load without the index column; reset_index keeps it as 'index'", async () => {
  const dir = join(FIXTURES, "parquet");
  const numbers = await new ParquetDataset({ filepath: join(dir, "rowgroups.parquet") }).load();
  assert.deepEqual(numbers.map((r) => r.numbers), Array.from({ length: 15 }, (_, i) => i + 1));
  const brotli = await new ParquetDataset({ filepath: join(dir, "brotli_compressed.parquet") }).load();
  assert.deepEqual(brotli.map((r) => [r.c0, new TextDecoder().decode(r.c1 as Uint8Array), r.v11]), [
    [1593604800, "abc", 42],
    [1593604800, "def", 7.7],
    [1593604801, "abc", 42.125],
    [1593604801, "def", 7.7],
  ]);
  const indexed = join(dir, "pandas_index.parquet");
  const rows = await new ParquetDataset({ filepath: indexed }).load();
  assert.deepEqual(Object.keys(rows[0]), ["shuttle_type", "engines", "price", "passenger_capacity"]);
  const kept = await new ParquetDataset({ filepath: indexed, loadArgs: { reset_index: true } }).load();
  assert.deepEqual(kept.map((r) => r.index), [0, 2, 5]);
});

async function columnTypes(path: string): Promise<Record<string, string>> {
  const { parquetMetadata } = await import("hyparquet");
  const schema = parquetMetadata(await Deno.readFile(path)).schema.slice(1);
  return Object.fromEntries(schema.map((e) => [e.name, String(e.type)]));
}

Deno.test("parquet types do not depend on the values: int64/double, kept across saves, fixed by save_args.schema", async () => {
  await inTempDir(async (dir) => {
    const filepath = join(dir, "t.parquet");
    // A pandas file whose float64 columns hold whole numbers: saved again, they stay DOUBLE.
    await Deno.copyFile(join(FIXTURES, "parquet/pandas_index.parquet"), filepath);
    const ds = new ParquetDataset({ filepath });
    await ds.save(await ds.load());
    assert.deepEqual(await columnTypes(filepath), {
      shuttle_type: "BYTE_ARRAY",
      engines: "DOUBLE",
      price: "DOUBLE",
      passenger_capacity: "INT64",
    });
    await ds.save([{ engines: 4, price: 100, passenger_capacity: 2.5, extra: 3 }]);
    const types = await columnTypes(filepath);
    assert.equal(types.engines, "DOUBLE", "kept although every value is whole");
    assert.equal(types.passenger_capacity, "DOUBLE", "widened: the new values do not fit INT64");
    assert.equal(types.extra, "INT64", "a new integer column is INT64, not INT32");
    const declared = new ParquetDataset({
      filepath: join(dir, "s.parquet"),
      saveArgs: { schema: { n: "float64", k: "string" } },
    });
    await declared.save([{ n: 1, k: "a" }]);
    assert.deepEqual(await columnTypes(join(dir, "s.parquet")), { n: "DOUBLE", k: "BYTE_ARRAY" });
    await assert.rejects(
      () => declared.save([{ n: "x", k: "a" }]),
      (e: DatasetError) => /Column "n" is DOUBLE/.test(e.message),
    );
    // Compression pandas users pick: gzip round-trips through node:zlib.
    const gz = new ParquetDataset({ filepath: join(dir, "g.parquet"), saveArgs: { compression: "gzip" } });
    await gz.save([{ a: 1.5 }]);
    assert.deepEqual(await gz.load(), [{ a: 1.5 }]);
  });
});

Deno.test("a mistyped column in usecols (csv, excel) or columns (parquet) gets a did-you-mean and the file's columns", async () => {
  await inTempDir(async (root) => {
    const rows = [{ id: 1, shuttle_type: "A", price: 2.5 }];
    const csv = join(root, "t.csv");
    const xlsx = join(root, "t.xlsx");
    const parquet = join(root, "t.parquet");
    await new CsvDataset({ filepath: csv }).save(rows);
    await new ExcelDataset({ filepath: xlsx }).save(rows);
    await new ParquetDataset({ filepath: parquet }).save(rows);
    const cases: [string, () => Promise<unknown>][] = [
      [
        "dataset/bad-usecols",
        () => new CsvDataset({ filepath: csv, loadArgs: { usecols: ["id", "shuttle_typ"] } }).load(),
      ],
      [
        "dataset/bad-usecols",
        () => new ExcelDataset({ filepath: xlsx, loadArgs: { usecols: ["shuttle_typ"] } }).load(),
      ],
      [
        "dataset/bad-columns",
        () => new ParquetDataset({ filepath: parquet, loadArgs: { columns: ["shuttle_typ"] } }).load(),
      ],
    ];
    for (const [code, load] of cases) {
      await assert.rejects(load, (e: DatasetError) => {
        assert.equal(e.code, code);
        assert.match(e.message, /shuttle_typ/);
        assert.equal(e.hint, 'did you mean "shuttle_type"? the columns are: id, shuttle_type, price');
        return true;
      });
    }
    assert.deepEqual(
      await new ParquetDataset({ filepath: parquet, loadArgs: { columns: ["price"] } }).load(),
      [
        { price: 2.5 },
      ],
    );
  });
});

Deno.test("save_args.columns (csv, excel) and save_args.schema (parquet) naming a column the rows lack are errors, as in pandas", async () => {
  await inTempDir(async (root) => {
    const rows = [{ id: 1, shuttle_type: "A", price: 2.5 }];
    const cases: [string, () => Promise<unknown>][] = [
      [
        "csv",
        () =>
          new CsvDataset({ filepath: join(root, "t.csv"), saveArgs: { columns: ["id", "prise"] } }).save(
            rows,
          ),
      ],
      [
        "excel",
        () =>
          new ExcelDataset({ filepath: join(root, "t.xlsx"), saveArgs: { columns: ["prise"] } }).save(rows),
      ],
      [
        "parquet",
        () =>
          new ParquetDataset({
            filepath: join(root, "t.parquet"),
            saveArgs: { schema: { prise: "float64" } },
          }).save(rows),
      ],
    ];
    for (const [what, save] of cases) {
      await assert.rejects(save, (e: DatasetError) => {
        assert.equal(e.code, "dataset/bad-columns", what);
        assert.match(e.message, /names columns the rows do not have: prise/);
        assert.equal(e.hint, 'did you mean "price"? the columns are: id, shuttle_type, price');
        return true;
      });
    }
    assert.deepEqual([...Deno.readDirSync(root)], [], "nothing written");
    await new CsvDataset({ filepath: join(root, "ok.csv"), saveArgs: { columns: ["price", "id"] } }).save(
      rows,
    );
    assert.equal(await Deno.readTextFile(join(root, "ok.csv")), "price,id\n2.5,1\n");
  });
});

Deno.test("a mistyped Excel sheet_name gets a did-you-mean", async () => {
  await inTempDir(async (root) => {
    const filepath = join(root, "t.xlsx");
    await new ExcelDataset({ filepath, saveArgs: { sheet_name: "Shuttles" } }).save([{ id: 1 }]);
    await assert.rejects(
      () => new ExcelDataset({ filepath, loadArgs: { sheet_name: "shuttles" } }).load(),
      (e: DatasetError) => e.code === "dataset/unknown-sheet" && /did you mean "Shuttles"\?/.test(e.hint!),
    );
  });
});
