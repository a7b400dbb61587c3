/**
 * Differential test of ExcelDataset against real pandas + openpyxl (Kedro's pandas.ExcelDataset; Debian's
 * python3-pandas and python3-openpyxl, test prerequisites): on generated tables — text with CRLF, leading and
 * trailing spaces, numeric-looking text, formulas, dates, booleans, empty cells, several sheets — a workbook
 * pandas wrote loads in kmlf as `read_excel` reads it, and a workbook kmlf wrote reads in pandas as the data
 * kmlf saved, with the load_args and save_args users set.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ExcelDataset, type ExcelSaveArgs } from "../../lib/catalog/mod.ts";
import { seededRandom } from "../seeded_random.ts";
import { inTempDir } from "./dataset_contract.ts";
import { asFrame, asRows, type Frame, type FrameCell, pandas, type PandasAnswer } from "./pandas_oracle.ts";

const TEXTS = [
  "a",
  " lead",
  "trail ",
  "  both  ",
  "a\r\nb",
  "a\nb",
  "a\rb",
  "x\ty",
  "NA",
  "n/a",
  "null",
  "1.5",
  "10",
  "007",
  "TRUE",
  "false",
  "=1+2",
  "=A2",
  "é中😀",
  "'quoted",
  "-",
  "1e3",
  "2024-01-02",
];

type Kind = "int" | "float" | "bool" | "text" | "date" | "mixed" | "numbool";

function column(rand: () => number, kind: Kind, n: number): FrameCell[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const one = (k: Kind): FrameCell => {
    if (rand() < 0.15) return null;
    switch (k) {
      case "int":
        return pick([0, 1, -7, 42, 2 ** 31, -(2 ** 40), 123456789]);
      case "float":
        return pick([0.5, -1.25, 3.141592653589793, 1e-7, 1e21, 0.1 + 0.2]);
      case "bool":
        return rand() < 0.5;
      case "text":
        return pick(TEXTS);
      case "date": {
        const ms =
          Date.UTC(1900 + Math.floor(rand() * 200), Math.floor(rand() * 12), 1 + Math.floor(rand() * 28)) +
          (rand() < 0.5 ? 0 : Math.floor(rand() * 86_400) * 1000);
        return { $date: new Date(ms).toISOString() };
      }
      // Not booleans with text or dates: pandas' sanitize_objects then turns a 1 after a True into True
      // (equal values share one object), which kmlf does not copy.
      case "mixed":
        return one(pick(["int", "float", "text", "date"] as const));
      case "numbool":
        return one(pick(["int", "float", "bool"] as const));
    }
  };
  return Array.from({ length: n }, () => one(kind));
}

function table(rand: () => number): Frame {
  const kinds: Kind[] = ["int", "float", "bool", "text", "date", "mixed", "numbool"];
  const width = 1 + Math.floor(rand() * 5);
  const n = 1 + Math.floor(rand() * 6);
  const columns = Array.from({ length: width }, (_, i) => `c${i}_${kinds[(i + n) % kinds.length]}`);
  const cols = columns.map((c) => column(rand, c.split("_")[1] as Kind, n));
  // A row of only empty cells at the end is not a row of a sheet: keep the last row non-empty.
  cols[0][n - 1] ??= 1;
  return { columns, rows: Array.from({ length: n }, (_, r) => cols.map((c) => c[r])) };
}

const LOAD_ARGS: Record<string, unknown>[] = [
  {},
  { header: null },
  { skiprows: [1] },
  { nrows: 2 },
  { na_values: ["a", "TRUE"] },
  { keep_default_na: false },
  { dtype: "str" },
  { usecols: "A:B" },
  { names: "one per column" },
  { true_values: ["a"], false_values: ["NA"] },
];

// A pandas column label as a row key: JavaScript's String() of it (row[1.5] and row[false] read those keys),
// a date label its ISO text.
export function labelled(frame: Frame): Frame {
  const key = (c: FrameCell) =>
    c !== null && typeof c === "object"
      ? ("$date" in c ? c.$date : c.$float === "inf" ? "Infinity" : "-Infinity")
      : String(c);
  return { columns: frame.columns.map(key), rows: frame.rows };
}

function same(kmlf: Frame, pd: PandasAnswer, what: string, failures: string[]): void {
  if (pd !== null && "error" in pd) {
    failures.push(`${what}: pandas refused (${pd.error}), kmlf read ${JSON.stringify(kmlf)}`);
    return;
  }
  const expected = pd && "columns" in pd ? labelled(pd) : pd;
  const a = JSON.stringify(kmlf);
  const b = JSON.stringify(expected);
  // pandas' sanitize_objects shares one object among equal values of a column that is not all numbers:
  // a 1 after a True comes out True ("True" as str). kmlf keeps the 1.
  const sharedObject = (k: FrameCell, p: FrameCell) =>
    (k === 1 && p === true) || (k === 0 && p === false) || (k === "1" && p === "True") ||
    (k === "0" && p === "False");
  if (
    expected && "rows" in expected && a !== b &&
    JSON.stringify(kmlf.columns) === JSON.stringify(expected.columns) &&
    kmlf.rows.length === expected.rows.length &&
    kmlf.rows.every((row, r) =>
      row.every((v, i) =>
        JSON.stringify(v) === JSON.stringify(expected.rows[r][i]) || sharedObject(v, expected.rows[r][i])
      )
    )
  ) return;
  if (a !== b) failures.push(`${what}\n  kmlf   ${a}\n  pandas ${b}`);
}

Deno.test("a workbook pandas wrote loads in kmlf as pandas.read_excel reads it, for common load_args", async () => {
  const rand = seededRandom(4729);
  await inTempDir(async (dir) => {
    const tables = Array.from({ length: 40 }, () => table(rand));
    const paths = tables.map((_, i) => join(dir, `t${i}.xlsx`));
    const cases = tables.flatMap((t, i) =>
      LOAD_ARGS.map((args) => ({ i, args: args.names ? { names: t.columns.map((c) => `n_${c}`) } : args }))
    );
    const answers = await pandas([
      ...tables.map((frame, i) => ({
        op: "write" as const,
        format: "excel" as const,
        path: paths[i],
        frame,
        kwargs: { index: false },
      })),
      ...cases.map(({ i, args }) => ({
        op: "read" as const,
        format: "excel" as const,
        path: paths[i],
        kwargs: args,
      })),
    ]);
    const failures: string[] = [];
    for (const [k, { i, args }] of cases.entries()) {
      const expected = answers[tables.length + k];
      let rows: Record<string, unknown>[];
      try {
        rows = await new ExcelDataset({ filepath: paths[i], loadArgs: args }).load() as Record<
          string,
          unknown
        >[];
      } catch (error) {
        if (!(expected && "error" in expected)) {
          failures.push(`${paths[i]} ${JSON.stringify(args)}: kmlf refused: ${error}`);
        }
        continue;
      }
      const columns = expected && "columns" in expected ? labelled(expected).columns.map(String) : undefined;
      same(
        asFrame(rows, rows.length ? undefined : columns),
        args.keep_default_na === false ? asPandas2(expected, tables[i]) : expected,
        `t${i} ${JSON.stringify(args)} ${JSON.stringify(tables[i])}`,
        failures,
      );
    }
    assert.deepEqual(failures.slice(0, 6), [], `${failures.length} of ${cases.length} loads differ`);
  });
});

// With keep_default_na=False a blank cell reads "" (an empty text cell, no cell, a formula never computed).
// The oracle's pandas 1.5 then turns a column of dates and "" into datetime64 (the blank NaT), which it
// deprecates ("Inferring datetime64[ns] from data containing strings"); pandas 2, Kedro's, keeps "" as kmlf.
function asPandas2(pd: PandasAnswer, saved: Frame): PandasAnswer {
  if (!pd || !("rows" in pd)) return pd;
  const datesAndBlanks = saved.columns.map((_, c) =>
    saved.rows.every((row) => row[c] === null || (typeof row[c] === "object" && "$date" in row[c]))
  );
  const rows = pd.rows.map((row, r) =>
    row.map((v, c) => (datesAndBlanks[c] && v === null && saved.rows[r]?.[c] === null ? "" : v))
  );
  return { ...pd, rows };
}

// pandas' own workbook keeps 15 significant digits of a float (openpyxl writes 0.30000000000000004 as 0.3):
// where it lost digits, kmlf's must read as the number saved.
function sameReading(fromKmlf: PandasAnswer, fromPandas: PandasAnswer, saved: Frame): boolean {
  if (JSON.stringify(fromKmlf) === JSON.stringify(fromPandas)) return true;
  if (!fromKmlf || !fromPandas || !("rows" in fromKmlf) || !("rows" in fromPandas)) return false;
  if (JSON.stringify(fromKmlf.columns) !== JSON.stringify(fromPandas.columns)) return false;
  const savedNumbers = new Set(saved.rows.flat().filter((v) => typeof v === "number"));
  return fromKmlf.rows.length === fromPandas.rows.length &&
    fromKmlf.rows.every((row, r) =>
      row.every((v, i) => {
        const p = fromPandas.rows[r][i];
        if (JSON.stringify(v) === JSON.stringify(p)) return true;
        return typeof v === "number" && typeof p === "number" && savedNumbers.has(v) &&
          Number(v.toPrecision(15)) === Number(p.toPrecision(15));
      })
    );
}

const SAVE_ARGS: (ExcelSaveArgs & Record<string, unknown>)[] = [{}, { sheet_name: "data" }, { index: true }, {
  na_rep: "n/a",
}, {
  header: false,
}];

Deno.test("a workbook kmlf wrote reads in pandas as the workbook pandas writes of the same rows", async () => {
  const rand = seededRandom(4730);
  await inTempDir(async (dir) => {
    const tables = Array.from({ length: 40 }, () => table(rand));
    const cases = tables.flatMap((frame, i) =>
      SAVE_ARGS.map((args, j) => ({
        frame,
        args,
        kmlf: join(dir, `k${i}_${j}.xlsx`),
        py: join(dir, `p${i}_${j}.xlsx`),
      }))
    );
    for (const c of cases) {
      await new ExcelDataset({ filepath: c.kmlf, saveArgs: c.args }).save(asRows(c.frame) as never);
    }
    const read = (args: ExcelSaveArgs) => ({
      ...(args.sheet_name ? { sheet_name: args.sheet_name } : {}),
      ...(args.header === false ? { header: null } : {}),
      ...(args.index ? { index_col: 0 } : {}),
    });
    const answers = await pandas(cases.flatMap((c) => [
      {
        op: "write" as const,
        format: "excel" as const,
        path: c.py,
        frame: c.frame,
        kwargs: { index: false, ...c.args },
      },
      { op: "read" as const, format: "excel" as const, path: c.py, kwargs: read(c.args) },
      { op: "read" as const, format: "excel" as const, path: c.kmlf, kwargs: read(c.args) },
    ]));
    const failures: string[] = [];
    for (const [k, c] of cases.entries()) {
      const [fromPandas, fromKmlf] = [answers[3 * k + 1], answers[3 * k + 2]];
      // pandas (openpyxl) writes text starting with "=" as a formula, which reads back as a missing value:
      // kmlf writes it as the text it is.
      if (JSON.stringify(c.frame).includes('"=')) continue;
      if (!sameReading(fromKmlf, fromPandas, c.frame)) {
        failures.push(
          `${JSON.stringify(c.args)} ${JSON.stringify(c.frame)}\n  kmlf's file   ${
            JSON.stringify(fromKmlf)
          }\n  pandas' file  ${JSON.stringify(fromPandas)}`,
        );
      }
    }
    assert.deepEqual(failures.slice(0, 6), [], `${failures.length} of ${cases.length} workbooks differ`);
  });
});

Deno.test("several sheets: kmlf and pandas read each other's workbooks alike, sheet_name null and lists", async () => {
  const rand = seededRandom(4731);
  await inTempDir(async (dir) => {
    const sheets: Record<string, Frame> = {
      summary: table(rand),
      "2024": table(rand),
      "Sheet 3": table(rand),
    };
    const py = join(dir, "pandas.xlsx");
    const kmlf = join(dir, "kmlf.xlsx");
    const reads = [null, ["2024", "summary"], [2, 0], "Sheet 3", 1];
    const answers = await pandas([
      { op: "write", format: "excel", path: py, sheets, kwargs: { index: false } },
      ...reads.map((sheet_name) => ({
        op: "read" as const,
        format: "excel" as const,
        path: py,
        kwargs: { sheet_name },
      })),
    ]);
    const failures: string[] = [];
    for (const [k, sheet_name] of reads.entries()) {
      const got = await new ExcelDataset({ filepath: py, loadArgs: { sheet_name } }).load();
      const expected = answers[1 + k];
      const kmlfAnswer = Array.isArray(got) ? asFrame(got) : {
        sheets: Object.fromEntries(Object.entries(got).map(([name, rows]) => [name, asFrame(rows)])),
        order: Object.keys(got),
      };
      if (JSON.stringify(kmlfAnswer) !== JSON.stringify(expected)) {
        failures.push(
          `sheet_name ${JSON.stringify(sheet_name)}\n  kmlf   ${JSON.stringify(kmlfAnswer)}\n  pandas ${
            JSON.stringify(expected)
          }`,
        );
      }
    }
    // kmlf saves the sheets pandas read (a node passing them through); pandas reads them back the same.
    const all = await new ExcelDataset({ filepath: py, loadArgs: { sheet_name: null } }).load();
    await new ExcelDataset({ filepath: kmlf }).save(all);
    // pandas does the same with what it read (a missing value is an empty cell: trailing ones are no rows).
    const read = answers[1] as { sheets: Record<string, Frame> };
    const [again, , pandasAgain] = await pandas([
      { op: "read", format: "excel", path: kmlf, kwargs: { sheet_name: null } },
      {
        op: "write",
        format: "excel",
        path: join(dir, "again.xlsx"),
        sheets: read.sheets,
        kwargs: { index: false },
      },
      { op: "read", format: "excel", path: join(dir, "again.xlsx"), kwargs: { sheet_name: null } },
    ]);
    if (JSON.stringify(again) !== JSON.stringify(pandasAgain)) {
      failures.push(`resaved\n  kmlf   ${JSON.stringify(again)}\n  pandas ${JSON.stringify(pandasAgain)}`);
    }
    assert.deepEqual(failures, []);
  });
});
