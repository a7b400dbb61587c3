/**
 * pandas' reading options over a grid of cells (CSV text or typed spreadsheet cells): skiprows, header,
 * names, usecols, nrows, na_values, dtype, true/false values, thousands and decimal separators.
 */
import { recordFloatColumns, recordTableColumns } from "../../source_keys.ts";
import { DatasetError } from "../../errors.ts";
import { pyStr } from "../../py_repr.ts";
import { assertUniqueNames, selectColumns } from "./_table_columns.ts";
import { PANDAS_NA_VALUES, uniqueNames } from "../../pandas_csv.ts";
import { LOAD_DTYPES } from "./_table_dtypes.ts";

/** A cell as a reader produced it: text from CSV, typed values from a spreadsheet. */
export type Cell = string | number | bigint | boolean | Date | null;
/** A loaded row: column → value. */
export type TableRow = Record<string, Cell>;

/** The pandas-style reading options shared by the CSV and Excel datasets (snake_case, as in the catalog). */
export interface TableReadArgs {
  /** Row number of the header (0 = first row; true = 0), or false/null for none. */
  header?: boolean | number | null;
  /** Column names to use (kmlf's older `columns` replaces the header row instead). */
  names?: string[];
  columns?: string[];
  usecols?: (string | number)[] | string;
  skiprows?: number | number[];
  nrows?: number;
  na_values?: string | string[] | Record<string, string | string[]>;
  keep_default_na?: boolean;
  dtype?: string | Record<string, string>;
  true_values?: string[];
  false_values?: string[];
  thousands?: string;
  decimal?: string;
  /** kmlf: false keeps every CSV value as text. */
  typing?: boolean;
}

const NUMBER = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
const INTEGER = /^\s*[+-]?\d+\s*$/;
// What pandas' parser reads as a float besides digits (kmlf's CSV writes NaN, inf and -inf).
const SPECIAL_NUMBERS: ReadonlyMap<string, number> = new Map([
  ["nan", NaN],
  ["inf", Infinity],
  ["+inf", Infinity],
  ["-inf", -Infinity],
  ["infinity", Infinity],
  ["+infinity", Infinity],
  ["-infinity", -Infinity],
]);
const BOOLEANS: ReadonlyMap<string, boolean> = new Map([
  ["true", true],
  ["True", true],
  ["TRUE", true],
  ["false", false],
  ["False", false],
  ["FALSE", false],
]);

/**
 * Turns a grid of cells into row objects the way pandas' readers do with the same options. Like pandas,
 * text is typed by column: a column becomes numbers only when every value in it reads as one (and
 * booleans likewise), so `0123` next to `12A` stays text; a repeated header name is made unique
 * (`a`, `a.1`) instead of one column overwriting the other.
 *
 * @example
 * ```ts
 * gridToRows([["a", "b"], ["1", "x"]], {}); // [{ a: 1, b: "x" }]
 * ```
 */
export function gridToRows(
  grid: readonly Cell[][],
  args: TableReadArgs,
  options: { strictWidth?: boolean; emptyCell?: "" } = {},
): TableRow[] {
  let lines = [...grid];
  if (typeof args.skiprows === "number") lines = lines.slice(args.skiprows);
  else if (Array.isArray(args.skiprows)) {
    const skip = new Set(args.skiprows);
    lines = lines.filter((_, i) => !skip.has(i));
  }
  // pandas: passing names means "no header row" unless header is given.
  const headerRow = args.header === false || args.header === null || (args.header === undefined && args.names)
    ? undefined
    : args.header === true || args.header === undefined
    ? 0
    : args.header;
  const header = headerRow === undefined ? undefined : lines[headerRow] ?? [];
  let body = headerRow === undefined ? lines : lines.slice(headerRow + 1);
  // A loop, not Math.max(...rows): spreading past ~125,000 rows overflows the stack.
  let width = header?.length ?? 0;
  for (const r of body) if (r.length > width) width = r.length;
  // Like read_csv: a data row may be shorter than the header (padded with nulls), not longer.
  const long = options.strictWidth && header ? body.findIndex((r) => r.length > header.length) : -1;
  if (long >= 0) {
    throw new DatasetError(
      "dataset/bad-csv",
      `Expected ${header!.length} fields in data row ${long + 1}, saw ${body[long].length}`,
      { hint: "check the separator (load_args.sep or delimiter) and the quoting of the file" },
    );
  }
  const given = args.names ?? args.columns;
  if (given) assertUniqueNames(given, args.names ? "names" : "columns");
  const names = given ??
    (header
      ? uniqueNames(Array.from(
        { length: width },
        (_, i) => (header[i] === null || header[i] === undefined || header[i] === ""
          ? `Unnamed: ${i}`
          : header[i] instanceof Date
          ? (header[i] as Date).toISOString()
          : String(header[i])),
      ))
      : Array.from({ length: width }, (_, i) => String(i))); // pandas' labels 0, 1, …: row[0] reads them
  const keep = selectColumns(names, args.usecols);
  if (args.nrows !== undefined) body = body.slice(0, args.nrows);
  const convert = converter(args);
  const rows = body.map((cells) => {
    const row: TableRow = {};
    for (const i of keep) row[names[i]] = convert(names[i], cells[i] ?? options.emptyCell ?? null);
    return row;
  });
  // Columns such as `2`, `1` in the file's order, as pandas keeps them (a plain row lists `1` first).
  recordTableColumns(rows, keep.map((i) => names[i]));
  // The numeric columns pandas reads as float64, for a signature inferred from the rows (`91.0` is 91 here).
  const floats: string[] = [];
  if (args.typing !== false) {
    const flagOf = booleanTexts(args);
    for (const i of keep) {
      const dtype = typeof args.dtype === "string" ? args.dtype : args.dtype?.[names[i]];
      if (
        dtype === undefined
          ? typeColumn(rows, names[i], args, flagOf)
          : (LOAD_DTYPES.float as readonly string[]).includes(dtype)
      ) {
        floats.push(names[i]);
      }
    }
  }
  recordFloatColumns(rows, floats);
  return rows;
}

// Types one column as pandas' parser does (_infer_types): numbers when every value reads as one — Excel's
// boolean cells count, as 1 and 0, when a number or a missing value is with them (maybe_convert_numeric) —
// else booleans when every value is one (true_values and false_values too, for the whole column only),
// else the column keeps its values as they are. Returns whether pandas' column is float64: numbers with a
// cell written as a float (`91.0`, `1e3`, `nan`) or a missing one, or no value at all.
function typeColumn(
  rows: TableRow[],
  column: string,
  args: TableReadArgs,
  flagOf: (text: string) => boolean | undefined,
): boolean {
  let numeric = true;
  let boolean = true;
  let number = false;
  let realBoolean = false;
  let missing = false;
  let seen = false;
  let float = false;
  const point = args.decimal || ".";
  // Each value read once: the typed column is only written back when every value agreed.
  const numbers: Cell[] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const value = rows[r][column];
    if (value === null) {
      missing = true;
      continue;
    }
    seen = true;
    if (typeof value === "string") {
      if (numeric) {
        const n = numberText(value, args);
        if (n === undefined) numeric = false;
        else {
          [numbers[r], number] = [n, true];
          // A whole number written as a float: only looked at until the column has one.
          if (!float && typeof n === "number" && (!Number.isInteger(n) || wroteFloat(value, point))) {
            float = true;
          }
        }
      }
      if (boolean && flagOf(value) === undefined) boolean = false;
    } else if (typeof value === "number" || typeof value === "bigint") {
      [numbers[r], number, boolean] = [value, true, false];
      if (typeof value === "number" && !Number.isInteger(value)) float = true;
    } else if (typeof value === "boolean") {
      [numbers[r], realBoolean] = [value ? 1 : 0, true];
    } else return false;
    if (!numeric && !boolean) return false;
  }
  if (!seen) return rows.length > 0; // all missing: pandas' float64 of NaN
  if (numeric && (number || (missing && realBoolean))) {
    for (let r = 0; r < rows.length; r++) if (rows[r][column] !== null) rows[r][column] = numbers[r];
    return float || missing;
  } else if (boolean) {
    for (let r = 0; r < rows.length; r++) {
      const value = rows[r][column];
      if (typeof value === "string") rows[r][column] = flagOf(value)!;
    }
  }
  return false;
}

// Whether number text spells a float: a decimal point or an exponent (pandas' parser then gives float64).
function wroteFloat(text: string, point: string): boolean {
  return text.includes(point) || text.includes("e") || text.includes("E");
}

/** What reads as a boolean: pandas' True/TRUE/true spellings and `true_values`/`false_values`. */
function booleanTexts(args: TableReadArgs): (text: string) => boolean | undefined {
  if (!args.true_values?.length && !args.false_values?.length) return (text) => BOOLEANS.get(text);
  const trueValues = new Set(args.true_values?.map(String));
  const falseValues = new Set(args.false_values?.map(String));
  return (text) => (trueValues.has(text) ? true : falseValues.has(text) ? false : BOOLEANS.get(text));
}

function converter(args: TableReadArgs): (column: string, cell: Cell) => Cell {
  // pandas' missing-value texts are missing (null), unless typing is off: then every field stays text.
  const keepDefault = args.keep_default_na ?? args.typing !== false;
  const naFor = (column: string): (cell: string) => boolean => {
    const na = args.na_values;
    const list = na === undefined
      ? []
      : typeof na === "string"
      ? [na]
      : Array.isArray(na)
      ? na
      : [na[column] ?? []].flat();
    return textMatcher([...list.map(String), ...(keepDefault ? PANDAS_NA_VALUES : [])]);
  };
  const dtypeOf = (column: string) => typeof args.dtype === "string" ? args.dtype : args.dtype?.[column];
  const cache = new Map<string, (cell: string) => boolean>();
  return (column, cell) => {
    const isNa = cache.get(column) ?? cache.set(column, naFor(column)).get(column)!;
    if (cell === null || (typeof cell === "string" && isNa(cell))) return null;
    const dtype = dtypeOf(column);
    return dtype === undefined ? cell : withDtype(cell, dtype, column, args);
  };
}

/**
 * Whether a cell is one of `texts`, by comparison for a short list: a Set or Map lookup hashes every
 * cell, and hashing millions of fresh strings while rows are being built grew super-linearly in V8
 * (a 1,000,000-row CSV took 21 s, 17 of them in this lookup).
 */
function textMatcher(texts: readonly string[]): (cell: string) => boolean {
  const unique = [...new Set(texts)];
  if (unique.length > 64) {
    const set = new Set(unique);
    return (cell) => set.has(cell);
  }
  const longest = unique.reduce((n, t) => Math.max(n, t.length), 0);
  return (cell) => cell.length <= longest && unique.includes(cell);
}

function typedText(value: string, args: TableReadArgs): Cell {
  const boolean = booleanTexts(args)(value);
  if (boolean !== undefined) return boolean;
  const number = numberText(value, args);
  return number === undefined ? value : number;
}

// An integer too long for a double stays exact as a BigInt (pandas reads it as int64).
function numberText(value: string, args: TableReadArgs): number | bigint | undefined {
  let text = value;
  if (args.thousands) text = text.split(args.thousands).join("");
  if (args.decimal && args.decimal !== ".") text = text.replace(args.decimal, ".");
  if (!NUMBER.test(text)) return SPECIAL_NUMBERS.get(text.trim().toLowerCase());
  const number = Number(text);
  if (Number.isSafeInteger(number) || !INTEGER.test(text)) return number;
  const exact = BigInt(text.trim());
  return BigInt(number) === exact ? number : exact;
}

function withDtype(cell: Exclude<Cell, null>, dtype: string, column: string, args: TableReadArgs): Cell {
  const is = (kind: keyof typeof LOAD_DTYPES) => (LOAD_DTYPES[kind] as readonly string[]).includes(dtype);
  if (is("text")) return cellStr(cell);
  if (is("bool")) {
    if (typeof cell === "boolean") return cell;
    if (cell === 1 || cell === 0) return cell === 1;
    const typed = typeof cell === "string" ? typedText(cell, args) : cell;
    if (typeof typed === "boolean") return typed;
    throw badValue(column, cell, dtype);
  }
  const number = typeof cell === "number" || typeof cell === "bigint"
    ? cell
    : typeof cell === "string"
    ? numberText(cell, args)
    : undefined;
  if (number === undefined || (is("int") && typeof number === "number" && !Number.isInteger(number))) {
    throw badValue(column, cell, dtype);
  }
  return is("float") ? Number(number) : number;
}

// Python's str() of a typed (Excel) cell, as pandas' dtype=str writes it: an integral number as openpyxl
// reads it (an int: 1, 1000000000000000000000), a date as "2024-01-02 03:04:05.120000", the rest as str()
// writes any value (True, 1e-07).
function cellStr(cell: Exclude<Cell, null>): string {
  if (typeof cell === "number" && Number.isInteger(cell)) return BigInt(cell).toString();
  if (cell instanceof Date) {
    const iso = cell.toISOString();
    const ms = cell.getUTCMilliseconds();
    return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${ms ? `.${String(ms).padStart(3, "0")}000` : ""}`;
  }
  return pyStr(cell);
}

function badValue(column: string, cell: Cell, dtype: string): DatasetError {
  return new DatasetError(
    "dataset/bad-dtype",
    `Column "${column}" is read as ${dtype} (load_args.dtype) but holds ${JSON.stringify(String(cell))}`,
    { hint: "read it as str and convert in the node, or add the value to na_values" },
  );
}
