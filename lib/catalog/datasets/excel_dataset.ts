/** Excel workbooks (.xlsx) as arrays of row objects, read and written with SheetJS (loaded on first use). */
import { DatasetError, didYouMeanHint } from "../../errors.ts";
import { FileDataset } from "../file_dataset.ts";
import { assertRows } from "../save_checks.ts";
import { orderedRecord } from "../ordered_record.ts";
import { assertCells } from "./_table_cells.ts";
import { readXlsxText, xlsxCarriageReturns, xlsxText } from "./_xlsx_text.ts";
import { type Cell, gridToRows, type TableReadArgs, type TableRow } from "./_table_rows.ts";
import { savedColumns } from "./_table_columns.ts";

/** `load_args` of {@link ExcelDataset}: pandas' `read_excel` names. */
export interface ExcelLoadArgs extends TableReadArgs {
  /** Sheet name or 0-based position (default 0); a list or null loads `{sheet: rows}` (null: every sheet). */
  sheet_name?: string | number | (string | number)[] | null;
}

/** `save_args` of {@link ExcelDataset}: pandas' `to_excel` names. */
export interface ExcelSaveArgs {
  /** Sheet to write rows to (default `Sheet1`); a `{sheet: rows}` object writes one sheet per key. */
  sheet_name?: string;
  /** Write a header row (default true). */
  header?: boolean;
  columns?: string[];
  /** Write pandas' index column first (default false, as Kedro's ExcelDataset). */
  index?: boolean;
  index_label?: string;
  /** Text written for null cells (default: an empty cell). */
  na_rep?: string;
}

type Sheets = Record<string, TableRow[]>;

/**
 * Kedro's `pandas.ExcelDataset`: loads the rows of one sheet (or `{sheet: rows}` for several), with
 * typed cells (numbers, booleans, text, Dates); saves rows (or `{sheet: rows}`) as a new workbook.
 *
 * @example
 * ```ts
 * const ds = new ExcelDataset({ filepath: "/tmp/shuttles.xlsx", loadArgs: { sheet_name: "Sheet1", skiprows: 2 } });
 * const rows = await ds.load();
 * ```
 */
export class ExcelDataset extends FileDataset<TableRow[] | Sheets> {
  protected async decode(bytes: Uint8Array, path: string): Promise<TableRow[] | Sheets> {
    const args = this.loadArgs as ExcelLoadArgs;
    if (!isWorkbookFile(bytes)) {
      // SheetJS would read a text file (CSV, HTML) as a one-sheet workbook; pandas refuses it, and so do we.
      throw new DatasetError("dataset/bad-excel", `File ${path} is not an Excel workbook`, {
        hint: "pandas' Excel formats (.xlsx, .xlsm, .xlsb, .ods: ZIP; .xls: OLE2) start otherwise; " +
          "point filepath at the workbook, or use type: pandas.CSVDataset for a CSV file",
      });
    }
    const XLSX = await import("xlsx");
    let workbook: import("xlsx").WorkBook;
    try {
      const options: import("xlsx").ParsingOptions = {
        type: "array",
        cellDates: false, // SheetJS truncates a date to the millisecond below; see exactDates
        cellNF: true, // the number format says which numbers are dates
        dense: true,
        cellHTML: false,
        cellText: false,
        cellStyles: false,
      };
      // A ZIP (.xlsx, .xlsm, .ods) is read with Excel's text (CRs, characters past U+FFFF; _xlsx_text.ts).
      workbook = bytes[0] === 0x50 ? readXlsxText(XLSX, bytes, options) : XLSX.read(bytes, options);
    } catch (error) {
      throw new DatasetError(
        "dataset/bad-excel",
        `Cannot read Excel workbook ${path}: ${(error as Error).message}`,
        {
          hint: "check that the file is an .xlsx (or .xls/.ods) workbook",
        },
      );
    }
    const names = workbook.SheetNames;
    const pick = (sheet: string | number): string => {
      const name = typeof sheet === "number" ? names[sheet] : names.includes(sheet) ? sheet : undefined;
      if (name === undefined) {
        throw new DatasetError(
          "dataset/unknown-sheet",
          `Workbook ${path} has no sheet ${JSON.stringify(sheet)}`,
          {
            hint: `${
              typeof sheet === "string" && didYouMeanHint(sheet, names)
                ? `${didYouMeanHint(sheet, names)} `
                : ""
            }` +
              `its sheets: ${names.join(", ")} (load_args.sheet_name takes a name or a 0-based position)`,
          },
        );
      }
      return name;
    };
    const date1904 = Boolean(workbook.Workbook?.WBProps?.date1904);
    const rowsOf = (name: string): TableRow[] => {
      exactDates(workbook.Sheets[name], date1904, XLSX.SSF.is_date);
      const grid = XLSX.utils.sheet_to_json<Cell[]>(workbook.Sheets[name], {
        header: 1,
        raw: true,
        defval: null,
        blankrows: true,
        UTC: true, // a date cell is the UTC time of a Date, whatever the machine's time zone
      });
      // Like pandas: an empty row inside the table is a row of missing values; empty rows after it are not
      // rows (the sheet's range may reach past the data) — after nrows, since pandas reads only the rows
      // nrows needs before it drops them.
      let end = Math.min(grid.length, rowsNeeded(args) ?? Infinity);
      while (end > 0 && grid[end - 1].every((c) => c === null || c === "")) end--;
      // read_excel, unlike read_csv, reads the header row even when names are given: names replace it.
      // pandas' openpyxl reader reads every empty cell of the table (no cell, a formula never computed) as
      // "", which only its default missing values make NaN: with keep_default_na: false it stays "".
      return gridToRows(
        grid.slice(0, end),
        args.names && args.header === undefined ? { ...args, header: 0 } : args,
        { emptyCell: args.keep_default_na === false ? "" : undefined },
      );
    };
    const sheet = args.sheet_name === undefined ? 0 : args.sheet_name;
    if (sheet !== null && !Array.isArray(sheet)) return rowsOf(pick(sheet));
    // Keyed as pandas keys its dict: by name, or by position where sheet_name lists one ({2: rows}); in
    // workbook (or sheet_name list) order, which a plain object would not keep for keys like "2024".
    const wanted = sheet === null ? names : sheet;
    return orderedRecord(wanted.map((s) => [String(s), rowsOf(pick(s))]));
  }

  protected async encode(data: TableRow[] | Sheets): Promise<Uint8Array> {
    const args = this.saveArgs as ExcelSaveArgs;
    const sheets: [string, unknown][] = Array.isArray(data)
      ? [[args.sheet_name ?? "Sheet1", data]]
      : typeof data === "object" && data !== null
      ? Object.entries(data)
      : [];
    const hint = "return rows like [{a: 1, b: 'x'}] (or {Sheet1: rows, Sheet2: rows}) from the node";
    if (sheets.length === 0) {
      const message = "ExcelDataset saves an array of row objects, or an object of sheet name → rows";
      if (typeof data === "object" && data !== null) {
        throw new DatasetError("dataset/not-rows", `${message}: got an object with no sheets`, { hint });
      }
      assertRows(data, message, hint);
    }
    for (const [name, rows] of sheets) {
      const what = Array.isArray(data)
        ? "ExcelDataset saves an array of row objects"
        : `ExcelDataset's sheet "${name}"`;
      assertRows(rows, what, hint);
    }
    assertSheetNames(sheets.map(([name]) => name));
    const XLSX = await import("xlsx");
    const workbook = XLSX.utils.book_new();
    for (const [name, rows] of sheets as [string, TableRow[]][]) {
      XLSX.utils.book_append_sheet(
        workbook,
        XLSX.utils.aoa_to_sheet(grid(rows, args), { cellDates: true, UTC: true }),
        name,
      );
    }
    // Shared strings, so that every text goes through one part kmlf can fix (xlsxCarriageReturns).
    const bytes = XLSX.write(workbook, { type: "array", bookType: "xlsx", compression: true, bookSST: true });
    return xlsxCarriageReturns(XLSX, new Uint8Array(bytes));
  }
}

function grid(rows: TableRow[], args: ExcelSaveArgs): unknown[][] {
  const columns = savedColumns(rows, args.columns);
  assertCells(rows, columns, {
    format: "Excel",
    nestedHint: "save the rows to a JSON or Parquet dataset, which keep nested values",
    bigint: "safe",
    nan: true,
    bytes: false,
    maxText: 32767,
  });
  const index = args.index === true;
  // Excel has no NaN or infinity: they are written as pandas' to_excel writes them, NaN as a missing value
  // (na_rep, an empty cell by default) and ±infinity as its inf_rep text (`inf`, read back as a float).
  const cell = (v: unknown) =>
    typeof v === "string"
      ? xlsxText(v)
      : v === null || v === undefined || Number.isNaN(v)
      ? (args.na_rep === undefined ? null : xlsxText(args.na_rep))
      : typeof v === "number" && !Number.isFinite(v)
      ? (v > 0 ? "inf" : "-inf")
      : v;
  const body = rows.map((r, i) => [...(index ? [i] : []), ...columns.map((c) => cell(r[c]))]);
  const header = [...(index ? [args.index_label ?? null] : []), ...columns].map((
    h,
  ) => (typeof h === "string" ? xlsxText(h) : h));
  return args.header === false ? body : [header, ...body];
}

// pandas' _calc_rows: the sheet rows that load_args.nrows reads (header and skipped rows included).
function rowsNeeded(args: ExcelLoadArgs): number | undefined {
  if (args.nrows === undefined) return undefined;
  const header = args.header === undefined || args.header === true ? 0 : args.header;
  const headerRows = header === null || header === false ? 0 : header + 1;
  const skipped = typeof args.skiprows === "number" ? args.skiprows : args.skiprows?.length ?? 0;
  return headerRows + args.nrows + skipped;
}

const DAY_MS = 86_400_000;
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

// Formulas without a value are read as "" (see below). Date cells are numbers (days since 1899-12-30, or 1904-01-01) with a date format. SheetJS turns them
// into Dates by truncating to the millisecond, so about one Date in six saved came back 1 ms early; here
// they are rounded. Serials below 60 skip Excel's fictitious 1900-02-29, as SheetJS writes them.
function exactDates(sheet: import("xlsx").WorkSheet, date1904: boolean, isDate: (format: string) => boolean) {
  for (const row of sheet["!data"] ?? []) {
    for (const cell of row ?? []) {
      // A formula whose value was never computed (a workbook written by openpyxl, as pandas writes "=1+2"):
      // openpyxl reads it as "" (a missing value by default), as here.
      if (cell?.f !== undefined && (cell.v === undefined || cell.v === null)) {
        Object.assign(cell, { t: "s", v: "" });
      }
      if (cell?.t !== "n" || typeof cell.z !== "string" || !isDate(cell.z)) continue;
      const serial = cell.v as number;
      const days = date1904 ? serial + 1462 : serial < 60 ? serial + 1 : serial;
      cell.t = "d";
      cell.v = new Date(EXCEL_EPOCH + Math.round(days * DAY_MS));
    }
  }
}

// Excel's rules for sheet names (SheetJS enforces most, without saying which sheet; an empty name it
// silently replaces, and two names differing in case it writes into a workbook Excel cannot open).
function assertSheetNames(names: readonly string[]): void {
  const seen = new Map<string, string>();
  for (const name of names) {
    const problem = name === ""
      ? "is empty"
      : name.length > 31
      ? `is ${name.length} characters long (Excel allows 31)`
      : /[:\\/?*[\]]/.test(name)
      ? "contains one of : \\ / ? * [ ]"
      : name.startsWith("'") || name.endsWith("'")
      ? "starts or ends with an apostrophe"
      : name.toLowerCase() === "history"
      ? "is reserved by Excel"
      : seen.has(name.toLowerCase())
      ? `is the same sheet to Excel as "${seen.get(name.toLowerCase())}" (names ignore case)`
      : undefined;
    if (problem) {
      throw new DatasetError("dataset/bad-sheet-name", `Sheet name ${JSON.stringify(name)} ${problem}`, {
        hint: "rename the key of {sheet: rows} returned by the node (or save_args.sheet_name)",
      });
    }
    seen.set(name.toLowerCase(), name);
  }
}

// A ZIP local file header (xlsx, xlsm, xlsb, ods) or an OLE2 compound file (xls).
function isWorkbookFile(bytes: Uint8Array): boolean {
  const starts = (magic: number[]) => magic.every((b, i) => bytes[i] === b);
  return starts([0x50, 0x4b, 0x03, 0x04]) || starts([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
}
