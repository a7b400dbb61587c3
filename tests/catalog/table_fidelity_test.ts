/**
 * What a table dataset saves is what it loads back — or the save is refused, naming the row, the column
 * and the fix — and its files read as pandas reads them.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  CsvDataset,
  type Dataset,
  ExcelDataset,
  ParquetDataset,
  SqliteQueryDataset,
  SqliteTableDataset,
} from "../../lib/catalog/mod.ts";
import { DatasetError } from "../../lib/errors.ts";
import { inTempDir } from "./dataset_contract.ts";

type Make = (dir: string) => Dataset<unknown>;
const TABLES: Record<string, Make> = {
  csv: (dir) => new CsvDataset({ filepath: join(dir, "t.csv") }) as Dataset<unknown>,
  excel: (dir) => new ExcelDataset({ filepath: join(dir, "t.xlsx") }) as Dataset<unknown>,
  parquet: (dir) => new ParquetDataset({ filepath: join(dir, "t.parquet") }) as Dataset<unknown>,
  sqlite: (dir) =>
    new SqliteTableDataset({ filepath: join(dir, "t.db"), tableName: "t" }) as Dataset<unknown>,
};

async function roundTrip(make: Make, rows: unknown): Promise<unknown> {
  return await inTempDir(async (dir) => {
    const ds = make(dir);
    await ds.save(rows);
    return await ds.load();
  });
}

async function refused(make: Make, rows: unknown, message: RegExp, hint?: RegExp): Promise<void> {
  await inTempDir(async (dir) => {
    const ds = make(dir);
    await assert.rejects(async () => await ds.save(rows), (e: DatasetError) => {
      assert.ok(e instanceof DatasetError, String(e));
      assert.match(e.message, message);
      if (hint) assert.match(e.hint ?? "", hint);
      return true;
    });
    assert.equal(await ds.exists(), false, "a refused save writes nothing");
  });
}

Deno.test("table datasets refuse a cell their format would store as something else, naming row and column", async () => {
  const nested = [{ id: 1, o: 1 }, { id: 2, o: { x: 1 } }];
  for (const type of ["csv", "excel", "sqlite"]) {
    await refused(TABLES[type], nested, /cannot hold an object \(row 1, column "o"\)/, /JSON\.stringify/);
    await refused(TABLES[type], [{ l: [1, 2] }], /cannot hold a list \(row 0, column "l"\)/);
    await refused(TABLES[type], [{ m: new Map() }], /cannot hold a Map \(row 0, column "m"\)/);
  }
  for (const type of ["csv", "excel"]) {
    await refused(TABLES[type], [{ b: new Uint8Array([1]) }], /cannot hold bytes/);
  }
  for (const type of Object.keys(TABLES)) {
    await refused(TABLES[type], [{ d: new Date(NaN) }], /cannot hold an invalid Date \(row 0, column "d"\)/);
    await refused(TABLES[type], [{}, {}], /without columns/, /at least one key/);
  }
  await refused(
    TABLES.excel,
    [{ n: 2n ** 60n + 1n }],
    /Excel cannot hold the BigInt 1152921504606846977n/,
    /String/,
  );
  await refused(TABLES.excel, [{ s: "x".repeat(32768) }], /text of 32768 characters/, /32767/);
  await refused(TABLES.sqlite, [{ n: 2n ** 64n }], /SQLite cannot hold the BigInt/, /64-bit/);
  await refused(
    TABLES.sqlite,
    [{ x: 1 }, { x: NaN }],
    /SQLite cannot hold NaN \(row 1, column "x"\)/,
    /null/,
  );
  await refused(TABLES.sqlite, [{ Price: 1, price: 2 }], /"Price" and "price" are one column/);
  await refused(TABLES.parquet, [{ n: -(2n ** 63n) - 1n }], /Parquet cannot hold the BigInt/);
  await refused(
    TABLES.parquet,
    [{ o: { s: new Set([1]) } }],
    /cannot hold a Set at \.s \(row 0, column "o"\)/,
  );
  await refused(TABLES.parquet, [{ o: [1, NaN] }], /cannot hold NaN at \[1\]/);
});

Deno.test("values a table format holds come back as they were saved", async () => {
  // Parquet keeps nested values (as JSON), and -0 only in a float column; SQLite has no NaN.
  assert.deepEqual(await roundTrip(TABLES.parquet, [{ o: { x: [1, "a"] }, b: new Uint8Array([7]) }]), [
    { o: { x: [1, "a"] }, b: new Uint8Array([7]) },
  ]);
  const numbers = [{ nan: NaN, inf: Infinity, ninf: -Infinity, z: -0.0, f: 0.5 }];
  for (const type of ["csv", "excel", "parquet"]) {
    const back = await roundTrip(TABLES[type], numbers) as Record<string, number>[];
    // CSV and Excel hold a NaN as pandas' to_csv/to_excel do, as a missing value: it reads back missing.
    if (type !== "parquet") assert.equal(back[0].nan, null, type);
    else assert.ok(Number.isNaN(back[0].nan), type);
    assert.deepEqual([back[0].inf, back[0].ninf, back[0].f], [Infinity, -Infinity, 0.5], type);
    if (type === "csv") assert.ok(Object.is(back[0].z, -0), "CSV keeps -0");
  }
  // A row of missing values between others is a row, not a blank line a reader skips.
  for (const type of Object.keys(TABLES)) {
    const rows = [{ a: 1 }, { a: null }, { a: 2 }];
    assert.deepEqual(await roundTrip(TABLES[type], rows), rows, type);
  }
  // Integers beyond 2^53: exact, as a number when a number is exactly it, else as a BigInt.
  for (const type of ["csv", "sqlite"]) {
    const rows = [{ n: 2 ** 53 + 2, b: 1234567890123456789n }];
    assert.deepEqual(await roundTrip(TABLES[type], rows), rows, type);
  }
});

Deno.test("CSV and Excel text is typed by column as pandas types it: a column of codes keeps its text", async () => {
  const rows = [
    { code: "0123", n: "7", flag: "true", mixed: 1, word: "NaN" },
    { code: "12A", n: "1e3", flag: "False", mixed: "x", word: "nan?" },
  ];
  for (const type of ["csv", "excel"]) {
    assert.deepEqual(await roundTrip(TABLES[type], rows), [
      // "NaN" is one of pandas' missing-value texts; "nan?" is not.
      { code: "0123", n: 7, flag: true, mixed: type === "csv" ? "1" : 1, word: null },
      { code: "12A", n: 1000, flag: false, mixed: "x", word: "nan?" },
    ], type);
  }
});

Deno.test("CSV headers: a repeated name is made unique as pandas does; repeated load_args.names are refused", async () => {
  await inTempDir(async (dir) => {
    const file = join(dir, "t.csv");
    await Deno.writeTextFile(file, "a,a,b,a.1\n1,2,3,4\n");
    assert.deepEqual(await new CsvDataset({ filepath: file }).load(), [{ a: 1, "a.2": 2, b: 3, "a.1": 4 }]);
    await assert.rejects(
      () => new CsvDataset({ filepath: file, loadArgs: { names: ["x", "x", "y", "z"] } }).load(),
      (e: DatasetError) => e.code === "dataset/duplicate-names" && /"x" twice/.test(e.message),
    );
  });
});

Deno.test("Excel: an empty row inside a sheet is a row of nulls; empty rows after the table are not rows", async () => {
  await inTempDir(async (dir) => {
    const XLSX = await import("xlsx");
    const sheet = XLSX.utils.aoa_to_sheet([["a", "b"], [1, "x"], [null, null], [2, "y"], [null], [null]]);
    sheet["!ref"] = "A1:B8"; // a range reaching past the data, as formatting leaves it
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, sheet, "Sheet1");
    const file = join(dir, "t.xlsx");
    await Deno.writeFile(file, new Uint8Array(XLSX.write(book, { type: "array", bookType: "xlsx" })));
    assert.deepEqual(await new ExcelDataset({ filepath: file }).load(), [
      { a: 1, b: "x" },
      { a: null, b: null },
      { a: 2, b: "y" },
    ]);
  });
});

Deno.test("SQLite reads integers beyond 2^53 exactly, from a table and from a query", async () => {
  await inTempDir(async (dir) => {
    const filepath = join(dir, "t.db");
    await new SqliteTableDataset({ filepath, tableName: "t" }).save([{ n: 2n ** 62n + 1n }, { n: 5 }]);
    const query = new SqliteQueryDataset({
      filepath,
      sql: "SELECT n FROM t WHERE n > ?",
      loadArgs: { params: [1] },
    });
    assert.deepEqual(await query.load(), [{ n: 2n ** 62n + 1n }, { n: 5 }]);
  });
});

Deno.test("Excel refuses sheet names Excel rejects or would merge, naming the sheet, before writing", async () => {
  const bad: [Record<string, unknown[]>, RegExp][] = [
    [{ Data: [{ a: 1 }], data: [{ a: 2 }] }, /"data" is the same sheet to Excel as "Data"/],
    [{ "": [{ a: 1 }] }, /"" is empty/],
    [{ "2024/01": [{ a: 1 }] }, /"2024\/01" contains one of/],
    [{ ["x".repeat(32)]: [{ a: 1 }] }, /32 characters long/],
    [{ "'q'": [{ a: 1 }] }, /apostrophe/],
    [{ history: [{ a: 1 }] }, /reserved/],
  ];
  for (const [sheets, message] of bad) {
    await refused(TABLES.excel, sheets, message, /rename the key/);
  }
  const sheets = { "Ünïcode 😀": [{ a: 1 }], ["x".repeat(31)]: [{ b: "y" }] };
  const back = await roundTrip(
    (dir) =>
      new ExcelDataset({ filepath: join(dir, "t.xlsx"), loadArgs: { sheet_name: null } }) as Dataset<unknown>,
    sheets,
  );
  assert.deepEqual(back, sheets);
});

Deno.test("Excel dates come back to the millisecond, whatever the time zone of the machine that wrote them", async () => {
  await inTempDir(async (dir) => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const start = Date.UTC(1850, 0, 1);
    const dates = [
      ...Array.from(
        { length: 300 },
        () => new Date(Math.floor(start + random() * (Date.UTC(2200, 0, 1) - start))),
      ),
      new Date("1900-02-28T12:00:00.000Z"),
      new Date("1900-03-01T00:00:00.000Z"),
      new Date("2024-03-10T07:30:00.123Z"), // a DST change in New York
    ];
    const file = join(dir, "dates.xlsx");
    const rows = dates.map((d) => ({ d: d.toISOString() }));
    await Deno.writeTextFile(join(dir, "rows.json"), JSON.stringify(rows));
    // Written by another process in New York; SheetJS used the local time of the machine.
    const script = `
      import { ExcelDataset } from ${
      JSON.stringify(new URL("../../lib/catalog/mod.ts", import.meta.url).href)
    };
      const rows = JSON.parse(Deno.readTextFileSync(${JSON.stringify(join(dir, "rows.json"))}));
      await new ExcelDataset({ filepath: ${
      JSON.stringify(file)
    } }).save(rows.map((r) => ({ d: new Date(r.d) })));
    `;
    const config = new URL("../../deno.json", import.meta.url).pathname;
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--config", config, script],
      env: { TZ: "America/New_York" },
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const back = await new ExcelDataset({ filepath: file }).load() as { d: Date }[];
    assert.deepEqual(back.map((r) => r.d.toISOString()), dates.map((d) => d.toISOString()));
  });
});
