/**
 * The text formats of MLflow 2.17.2's `mlflow runs|experiments|artifacts` commands, which scripts parse:
 * `_create_table` (runs list, experiments search), `conv_longdate_to_str` (the Date column) and pandas'
 * `DataFrame.to_csv` (experiments csv). `json.dumps(…, indent=N)` (runs describe, artifacts list) is
 * lib/py_json.ts's `pyJsonDump`.
 */
import { compareCodePoints, pyLength } from "../code_points.ts";
import { PyFloat } from "../py_json.ts";
import { pyFloatRepr } from "../tracking/mod.ts";

/**
 * MLflow's `_create_table`: left-aligned columns two spaces apart, each at least 4 wide and 2 wider than
 * its header, a dashed rule under the headers. (MLflow prints two empty lines when there is no row, as
 * its widths come from the rows; kmlf prints the headers.)
 *
 * @example
 * ```ts
 * createTable([["0", "Default"]], ["Experiment Id", "Name"]);
 * // "Experiment Id    Name     \n---------------  ---------\n0                Default  "
 * ```
 */
export function createTable(rows: readonly (readonly string[])[], headers: readonly string[]): string {
  const widths = headers.map((h, i) => Math.max(pyLength(h) + 2, 4, ...rows.map((r) => pyLength(r[i]))));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => c + " ".repeat(widths[i] - pyLength(c))).join("  ");
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/**
 * Python's ordering of lists of strings (code point by code point), as `sorted(table)` sorts rows.
 *
 * @example
 * ```ts
 * [["b"], ["a"]].sort(compareRows); // [["a"], ["b"]]
 * ```
 */
export function compareRows(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = compareCodePoints(a[i], b[i]);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/**
 * MLflow's `conv_longdate_to_str`: local time `YYYY-MM-DD HH:MM:SS` and the local time zone's name.
 *
 * @example
 * ```ts
 * longDateToString(0); // "1970-01-01 00:00:00 UTC" with TZ=UTC
 * ```
 */
export function longDateToString(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  const text = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  // Python names the zone in force now (`datetime.now().astimezone().tzinfo`), not at the run's date.
  const zone = new Intl.DateTimeFormat("en-US", { timeZoneName: "short" }).formatToParts(new Date())
    .find((part) => part.type === "timeZoneName")?.value;
  return zone ? `${text} ${zone}` : text;
}

/** One cell of {@link toCsv}: text, a float (empty when NaN, like pandas' missing values), or missing. */
export type CsvCell = string | PyFloat | null;

/**
 * pandas' `DataFrame.to_csv(index=False)`: `,`-separated, `\n`-terminated, a field quoted (`"` doubled)
 * when it holds `,` `"` or a line break, floats as Python's `repr`, missing values empty.
 *
 * @example
 * ```ts
 * toCsv(["a", "b"], [["x,y", new PyFloat(1)]]); // 'a,b\n"x,y",1.0\n'
 * ```
 */
export function toCsv(headers: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const field = (cell: CsvCell): string => {
    if (cell === null) return "";
    if (cell instanceof PyFloat) return Number.isNaN(cell.value) ? "" : pyFloatRepr(cell.value);
    return /[,"\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
  };
  return [headers, ...rows].map((row) => row.map(field).join(",") + "\n").join("");
}

/**
 * How pandas writes a UTC timestamp of `pd.to_datetime(ms, unit="ms", utc=True)` in a CSV:
 * `2024-11-05 10:11:12.345000+00:00` (no fraction when the milliseconds are 0).
 *
 * @example
 * ```ts
 * pandasUtcTimestamp(1500); // "1970-01-01 00:00:01.500000+00:00"
 * ```
 */
export function pandasUtcTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2024-11-05T10:11:12.345Z
  const fraction = ms % 1000 === 0 ? "" : `.${iso.slice(20, 23)}000`;
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction}+00:00`;
}
