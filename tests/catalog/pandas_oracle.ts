/**
 * The pandas oracle of the table differential tests (tests/catalog/pandas_oracle.py, run by the python3 that
 * has Debian's python3-pandas and python3-openpyxl): frames as JSON, and kmlf's rows in the same shape.
 */
import { fileURLToPath } from "node:url";
import { pythonOracle } from "../python_oracle.ts";

const SCRIPT = fileURLToPath(new URL("./pandas_oracle.py", import.meta.url));

/** A cell as the oracle writes it: JSON, `{$date: iso}` for a timestamp, `{$float: "inf"}`, null for NaN. */
export type FrameCell = string | number | boolean | null | { $date: string } | { $float: string };

/** A data frame: column names and rows of cells. */
export interface Frame {
  columns: FrameCell[];
  rows: FrameCell[][];
}

/** One operation of the oracle (see pandas_oracle.py). */
export type PandasOp =
  | { op: "read"; format: "csv" | "excel"; path: string; kwargs?: Record<string, unknown> }
  | { op: "write"; format: "csv" | "excel"; path: string; frame: Frame; kwargs?: Record<string, unknown> }
  | {
    op: "write";
    format: "excel";
    path: string;
    sheets: Record<string, Frame>;
    kwargs?: Record<string, unknown>;
  };

/** What pandas answered: a frame, `{sheets, order}` for several sheets, null for a write, or its error. */
export type PandasAnswer = Frame | { sheets: Record<string, Frame>; order: string[] } | null | {
  error: string;
};

/**
 * Runs `ops` with real pandas, in order, and returns one answer each.
 *
 * @example
 * ```ts
 * const [frame] = await pandas([{ op: "read", format: "csv", path: "/tmp/t.csv" }]);
 * ```
 */
export async function pandas(ops: PandasOp[]): Promise<PandasAnswer[]> {
  return await pythonOracle<PandasAnswer[]>(SCRIPT, ops);
}

/**
 * kmlf's rows as a frame: the keys of the first row are the columns, a Date `{$date}`, NaN null, an
 * infinity `{$float}`, a BigInt its number.
 *
 * @example
 * ```ts
 * asFrame([{ a: 1 }]); // { columns: ["a"], rows: [[1]] }
 * ```
 */
export function asFrame(rows: Record<string, unknown>[], columns?: string[]): Frame {
  const names = columns ?? Object.keys(rows[0] ?? {});
  return { columns: names, rows: rows.map((r) => names.map((c) => cell(r[c]))) };
}

/** A frame's rows as kmlf's row objects (a `{$date}` cell a Date). */
export function asRows(frame: Frame): Record<string, unknown>[] {
  return frame.rows.map((row) =>
    Object.fromEntries(frame.columns.map((c, i) => {
      const v = row[i];
      const value = v !== null && typeof v === "object"
        ? "$date" in v ? new Date(v.$date) : v.$float === "inf" ? Infinity : -Infinity
        : v;
      return [String(c), value];
    }))
  );
}

function cell(v: unknown): FrameCell {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return { $date: v.toISOString() };
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "number") {
    if (Number.isNaN(v)) return null;
    if (!Number.isFinite(v)) return { $float: v > 0 ? "inf" : "-inf" };
  }
  return v as FrameCell;
}
