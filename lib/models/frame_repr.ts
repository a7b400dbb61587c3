/**
 * pandas' `str(DataFrame)` with its default options, as MLflow quotes a request's data in its errors: cells
 * right-aligned under their column, the index first, floats with a common number of decimals. A script or a
 * server is a "terminal" to pandas (`display.max_columns` 0), so the frame is fitted to 80 characters by
 * dropping middle columns for a `...` column; more than 60 rows show the first and last 5 with a `..` row;
 * either cut adds the `[n rows x m columns]` footer.
 *
 * @module
 */
import type { ColSpec } from "../tracking/mod.ts";
import { pyRepr } from "../py_repr.ts";
import { pyLength } from "../code_points.ts";

/** One row of a frame (a record of column values). */
type Row = Record<string, unknown>;

/** pandas' display.width and display.max_rows / min_rows. */
const WIDTH = 80;
const MAX_ROWS = 60;
const MIN_ROWS = 10;

/**
 * pandas' text form of a data frame ("Empty DataFrame" without rows), as MLflow quotes the data in its
 * errors.
 *
 * @example
 * ```ts
 * frameRepr([{ a: 5.1 }, { a: 6 }], [{ name: "a", type: "double", required: true }]);
 * // "     a\n0  5.1\n1  6.0"
 * ```
 */
export function frameRepr(
  rows: Row[],
  schema: readonly ColSpec[] = [],
  frameColumns: readonly string[] = [],
): string {
  const columns = [...new Set([...frameColumns, ...rows.flatMap((r) => Object.keys(r))])];
  if (rows.length === 0) return `Empty DataFrame\nColumns: [${columns.join(", ")}]\nIndex: []`;
  // Rows without a column (`[{}]`): pandas lists the index instead of drawing a table.
  if (columns.length === 0) {
    const more = rows.length > MAX_ROWS ? `\n\n[${rows.length} rows x 0 columns]` : "";
    return `Empty DataFrame\nColumns: []\nIndex: [${rows.map((_, i) => i).join(", ")}]${more}`;
  }
  const tall = rows.length > MAX_ROWS;
  const shown = tall
    ? [...rows.slice(0, MIN_ROWS / 2).entries(), ...[...rows.entries()].slice(-MIN_ROWS / 2)]
    : [...rows.entries()];
  const index = shown.map(([i]) => String(i));
  const indexCol = padColumn(["", ...index], "left");
  const data = columns.map((c) =>
    columnStrings(c, shown.map(([, r]) => (Object.hasOwn(r, c) ? r[c] : undefined)), schema)
  );
  const all = [indexCol, ...data];
  // pandas' _fit_strcols_to_terminal_width: the first drawing's widest line, then middle columns dropped
  // (the index counts as one, Python's round() halves to even) until it fits.
  const drawn = join(withDots(all, tall, -1));
  const widest = Math.max(...drawn.split("\n").map(pyLength));
  let over = widest - WIDTH + 1;
  const lengths = all.map((col, i) => ({ i, width: pyLength(col[0]) }));
  while (over > 0 && lengths.length > 1) {
    const [dropped] = lengths.splice(roundHalfEven(lengths.length / 2), 1);
    over -= dropped.width + 1;
  }
  const fitted = Math.max(lengths.length - 1, 2);
  const wide = columns.length > fitted;
  let text: string;
  if (wide) {
    const half = Math.floor(fitted / 2);
    const kept = [...data.slice(0, half), ...data.slice(-half)];
    text = join(withDots([indexCol, ...kept], tall, half + 1));
  } else {
    text = drawn;
  }
  return tall || wide ? `${text}\n\n[${rows.length} rows x ${columns.length} columns]` : text;
}

// Python's round(): halves go to the even neighbour.
function roundHalfEven(x: number): number {
  const down = Math.floor(x);
  if (x - down !== 0.5) return Math.round(x);
  return down % 2 === 0 ? down : down + 1;
}

// The header and cells of one column, all of one width: cells carry pandas' leading blank, and a numeric
// column's header one too.
function columnStrings(name: string, values: unknown[], schema: readonly ColSpec[]): string[] {
  const type = schema.find((s) => s.name === name)?.type;
  const present = values.filter((v) => v !== null && v !== undefined);
  const float = type === "double" || type === "float" ||
    (type === undefined && present.some((v) => typeof v === "number" && !Number.isInteger(v))) ||
    (type === undefined && present.length < values.length && present.length > 0 &&
      present.every((v) => typeof v === "number"));
  const numeric = float || type === "long" || type === "integer" || type === "boolean" ||
    (type === undefined && present.length > 0 &&
      (present.every((v) => typeof v === "number") || present.every((v) => typeof v === "boolean")));
  const cells = float ? floatCells(values) : values.map((v) =>
    // A record without the key is pandas' NaN; a JSON null stays None in an object column.
    v === undefined ? " NaN" : v === null ? " None" : typeof v === "number"
      ? (v < 0 ? String(v) : ` ${v}`) // pandas' "{: d}": a blank where the sign would be
      : typeof v === "boolean"
      ? (v ? " True" : " False")
      : ` ${cellText(v)}`
  );
  return padColumn([(numeric ? " " : "") + name, ...cells], "right");
}

// pandas' FloatArrayFormatter: "{: .6f}" (a blank for the sign), trailing zeros cut equally from all (one
// kept), and "{: .6e}" when a value is below 1e-6 or one above 1e6 makes the column wider than 12.
function floatCells(values: unknown[]): string[] {
  const numbers = values.map((v) => (typeof v === "number" ? v : typeof v === "boolean" ? +v : NaN));
  const signed = (text: string, x: number) => (x < 0 || Object.is(x, -0) ? text : ` ${text}`);
  let cells = numbers.map((
    x,
  ) => (Number.isNaN(x) ? "NaN" : signed(Number.isFinite(x) ? x.toFixed(6) : pyInf(x), x)));
  const decimal = /^\s*[+-]?[0-9]+\.[0-9]*$/;
  while (
    cells.some((c) => decimal.test(c)) && cells.filter((c) => decimal.test(c)).every((c) => c.endsWith("0"))
  ) {
    cells = cells.map((c) => (decimal.test(c) ? c.slice(0, -1) : c));
  }
  cells = cells.map((c) => (decimal.test(c) && c.endsWith(".") ? `${c}0` : c));
  const sizes = numbers.filter(Number.isFinite).map(Math.abs);
  const tooLong = Math.max(0, ...cells.map(pyLength)) > 12;
  if (sizes.some((a) => a > 0 && a < 1e-6) || (tooLong && sizes.some((a) => a > 1e6))) {
    cells = numbers.map((x) =>
      Number.isNaN(x) ? "NaN" : signed(
        Number.isFinite(x) ? x.toExponential(6).replace(/e([+-])(\d)$/, "e$10$2") : pyInf(x),
        x,
      )
    );
  }
  return cells;
}

function pyInf(x: number): string {
  return x > 0 ? "inf" : "-inf";
}

function pad(text: string, width: number, side: "left" | "right"): string {
  const blanks = " ".repeat(Math.max(0, width - pyLength(text)));
  return side === "left" ? text + blanks : blanks + text;
}

function padColumn(strings: string[], side: "left" | "right"): string[] {
  const width = Math.max(...strings.map(pyLength));
  return strings.map((s) => pad(s, width, side));
}

// The `...` column after `dotsAt - 1` columns (when the frame is cut across) and the `..` row after the
// first five rows (when it is cut down), as pandas draws them.
function withDots(strcols: string[][], tall: boolean, dotsAt: number): string[][] {
  const cols = strcols.map((c) => [...c]);
  if (dotsAt > 0) cols.splice(dotsAt, 0, cols[0].map(() => " ..."));
  if (tall) {
    cols.forEach((col, i) => {
      const width = pyLength(col[1]);
      const dots = width > 3 || i === dotsAt ? "..." : "..";
      col.splice(1 + MIN_ROWS / 2, 0, i === 0 ? dots.padEnd(width) : dots.padStart(width));
    });
  }
  return cols;
}

// pandas' adjoin(1, …): the columns side by side, one blank between them.
function join(cols: string[][]): string {
  return cols[0].map((_, k) => cols.map((c) => c[k]).join(" ")).join("\n");
}

// pandas' text of an object cell: Python's repr of a list or dict (not JS's "1,2" or "[object Object]"),
// cut as its max_colwidth of 50 cuts it (46 characters and "...").
function cellText(value: unknown): string {
  const text = typeof value === "object" && !(value instanceof Date) ? pyRepr(value) : String(value);
  const chars = [...text];
  return chars.length > 49 ? `${chars.slice(0, 46).join("")}...` : text;
}
