/**
 * Differential test of CsvDataset against real pandas (Kedro's pandas.CSVDataset; Debian's python3-pandas,
 * a test prerequisite): on generated grids — numbers, booleans, missing-value spellings, text with the
 * separator, quotes, CRLF, leading and trailing spaces — a file pandas' `to_csv` wrote loads in kmlf as
 * `read_csv` reads it, with the load_args users set, and a file kmlf wrote reads in pandas as the file
 * pandas writes of the same rows, with the save_args users set.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { CsvDataset } from "../../lib/catalog/mod.ts";
import { seededRandom } from "../seeded_random.ts";
import { inTempDir } from "./dataset_contract.ts";
import { asFrame, asRows, type Frame, type FrameCell, pandas, type PandasAnswer } from "./pandas_oracle.ts";

const TEXTS = [
  "a",
  " lead",
  "trail ",
  "a,b",
  "a;b",
  'say "hi"',
  "a\r\nb",
  "a\nb",
  "NA",
  "n/a",
  "null",
  "None",
  "",
  "1.5",
  "10",
  "007",
  "1,5",
  "TRUE",
  "false",
  "yes",
  "é中😀",
  "#x",
  "-",
  "1e3",
  "inf",
  "9007199254740993",
];

function table(rand: () => number): Frame {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const kinds = ["int", "float", "bool", "text", "mixed"] as const;
  const width = 1 + Math.floor(rand() * 4);
  const n = 1 + Math.floor(rand() * 6);
  const columns = Array.from({ length: width }, (_, i) => `c${i}_${pick(kinds)}`);
  const cell = (kind: string): FrameCell => {
    if (rand() < 0.15) return null;
    if (kind === "int") return pick([0, 1, -7, 42, 2 ** 40]);
    if (kind === "float") return pick([0.5, -1.25, 3.141592653589793, 1e-7, 0.1 + 0.2, 1e21]);
    if (kind === "bool") return rand() < 0.5;
    if (kind === "text") return pick(TEXTS);
    return cell(pick(["int", "float", "text"]));
  };
  return { columns, rows: Array.from({ length: n }, () => columns.map((c) => cell(c.split("_")[1]))) };
}

const LOAD_ARGS: Record<string, unknown>[] = [
  {},
  { header: null },
  { skiprows: 1 },
  { skiprows: [1] },
  { nrows: 2 },
  { na_values: ["a", "10"] },
  { keep_default_na: false },
  { keep_default_na: false, na_values: [""] },
  { dtype: "str" },
  { true_values: ["yes"], false_values: ["a"] },
  { usecols: [0] },
];
// The same file written with these save_args, read back with the matching load_args.
const FORMATS: { save: Record<string, unknown>; load: Record<string, unknown> }[] = [
  { save: {}, load: {} },
  { save: { sep: ";" }, load: { sep: ";" } },
  { save: { sep: "\t" }, load: { sep: "\t" } },
  { save: { na_rep: "NULL" }, load: {} },
  { save: { header: false }, load: { header: null } },
  { save: { index: true }, load: { index_col: 0 } },
  { save: { encoding: "utf-8-sig" }, load: { encoding: "utf-8-sig" } },
];

// A kmlf load as the oracle answers it, in pandas' column order (a JavaScript object lists keys like "10"
// first), or the refusal.
async function kmlfRead(
  path: string,
  args: Record<string, unknown>,
  expected: PandasAnswer,
): Promise<string> {
  try {
    const rows = await new CsvDataset({ filepath: path, loadArgs: args }).load();
    const columns = expected && "columns" in expected ? expected.columns.map(String) : undefined;
    return JSON.stringify(asFrame(rows, columns));
  } catch (error) {
    return `refused: ${(error as Error).message}`;
  }
}

// pandas' default float parser (xstrtod) may miss the last bit (0.30000000000000004 reads as 0.3); kmlf
// reads the number written. Numbers are compared to 15 significant digits.
const rounded = (text: string) =>
  text.replace(/-?\d+\.\d+(?:e[-+]?\d+)?|-?\d+e[-+]?\d+/gi, (n) => String(Number(Number(n).toPrecision(15))));

// The oracle is Debian's pandas 1.5; Kedro runs pandas 2, whose default missing values add "None" (kmlf's
// PANDAS_NA_VALUES are pandas 2's).
function pandas2(args: Record<string, unknown>): Record<string, unknown> {
  if (args.keep_default_na === false) return args;
  return { ...args, na_values: [...((args.na_values as string[] | undefined) ?? []), "None"] };
}

const key = (c: FrameCell) => (c !== null && typeof c === "object" ? JSON.stringify(c) : String(c));
const labelled = (pd: PandasAnswer) =>
  pd && "columns" in pd
    ? JSON.stringify({ columns: pd.columns.map(key), rows: pd.rows })
    : JSON.stringify(pd);

Deno.test("a CSV file pandas wrote loads in kmlf as pandas.read_csv reads it, for common load_args and formats", async () => {
  const rand = seededRandom(2930);
  await inTempDir(async (dir) => {
    const tables = Array.from({ length: 30 }, () => table(rand));
    const files = tables.flatMap((frame, i) =>
      FORMATS.map((f, j) => ({ frame, f, path: join(dir, `t${i}_${j}.csv`) }))
    );
    const reads = files.flatMap(({ f, path }, k) =>
      (f.save.sep || f.save.index || f.save.header === false || f.save.encoding ? [f.load] : LOAD_ARGS).map((
        args,
      ) => ({
        k,
        path,
        args: { ...f.load, ...args },
      }))
    );
    const answers = await pandas([
      ...files.map(({ frame, f, path }) => ({
        op: "write" as const,
        format: "csv" as const,
        path,
        frame,
        kwargs: { index: false, ...f.save },
      })),
      ...reads.map(({ path, args }) => ({
        op: "read" as const,
        format: "csv" as const,
        path,
        kwargs: pandas2(args),
      })),
    ]);
    const failures: string[] = [];
    for (const [r, { path, args }] of reads.entries()) {
      const expected = answers[files.length + r];
      // kmlf rows have no index: index_col is refused (its hint says so); compare without it.
      const kmlfArgs = { ...args };
      delete kmlfArgs.index_col;
      const got = await kmlfRead(path, kmlfArgs, expected);
      const want = args.index_col === undefined ? labelled(expected) : undefined;
      const same = want === undefined || rounded(got) === rounded(want) ||
        (expected !== null && "error" in expected && got.startsWith("refused"));
      if (!same) {
        failures.push(
          `${path.split("/").pop()} ${JSON.stringify(args)}\n  file   ${
            JSON.stringify(await Deno.readTextFile(path))
          }\n  kmlf   ${got}\n  pandas ${want}`,
        );
      }
    }
    assert.deepEqual(failures.slice(0, 6), [], `${failures.length} of ${reads.length} loads differ`);
  });
});

Deno.test("a CSV file kmlf wrote reads in pandas as the file pandas writes of the same rows, for common save_args", async () => {
  const rand = seededRandom(2931);
  await inTempDir(async (dir) => {
    const tables = Array.from({ length: 30 }, () => table(rand));
    const cases = tables.flatMap((frame, i) =>
      FORMATS.map((f, j) => ({
        frame,
        f,
        kmlf: join(dir, `k${i}_${j}.csv`),
        py: join(dir, `p${i}_${j}.csv`),
      }))
    );
    for (const c of cases) {
      await new CsvDataset({ filepath: c.kmlf, saveArgs: c.f.save }).save(asRows(c.frame) as never);
    }
    const answers = await pandas(cases.flatMap((c) => [
      {
        op: "write" as const,
        format: "csv" as const,
        path: c.py,
        frame: c.frame,
        kwargs: { index: false, ...c.f.save },
      },
      { op: "read" as const, format: "csv" as const, path: c.py, kwargs: pandas2(c.f.load) },
      { op: "read" as const, format: "csv" as const, path: c.kmlf, kwargs: pandas2(c.f.load) },
    ]));
    const failures: string[] = [];
    for (const [k, c] of cases.entries()) {
      const [fromPandas, fromKmlf] = [answers[3 * k + 1], answers[3 * k + 2]];
      const bytes = [await Deno.readTextFile(c.kmlf), await Deno.readTextFile(c.py)];
      if (JSON.stringify(fromKmlf) !== JSON.stringify(fromPandas)) {
        failures.push(
          `${JSON.stringify(c.f.save)}\n  kmlf's file   ${JSON.stringify(bytes[0])} → ${
            JSON.stringify(fromKmlf)
          }\n  pandas' file  ${JSON.stringify(bytes[1])} → ${JSON.stringify(fromPandas)}`,
        );
      }
    }
    assert.deepEqual(failures.slice(0, 6), [], `${failures.length} of ${cases.length} files differ`);
  });
});
