/**
 * A scoring CSV's column names and missing values as `pandas.read_csv` makes them (MLflow's server reads CSV
 * bodies with it), as the catalog's CSV datasets read them (lib/pandas_csv.ts): an empty name is
 * `Unnamed: <position>` (the index column `DataFrame.to_csv()` writes), a repeated name gets `.1`, `.2`, …
 * so the first column of a name is the one the model reads, not the last, and a cell holding one of
 * pandas' missing-value words is missing, in any column.
 *
 * @module
 */
import { PANDAS_NA_VALUES, uniqueNames } from "../pandas_csv.ts";

/**
 * pandas' names for a CSV header line.
 *
 * @example
 * ```ts
 * pandasCsvHeader(["", "a", "b", "a"]); // ["Unnamed: 0", "a", "b", "a.1"]
 * ```
 */
export function pandasCsvHeader(names: readonly string[]): string[] {
  return uniqueNames(names.map((name, i) => (name === "" ? `Unnamed: ${i}` : name)));
}

/**
 * Whether pandas reads a cell as missing (its default `na_values`; an empty cell is one too).
 *
 * @example
 * ```ts
 * isPandasNa("NA"); // true — what R's write.csv writes for a missing value
 * ```
 */
export function isPandasNa(cell: string): boolean {
  return NA.has(cell);
}

const NA = new Set(PANDAS_NA_VALUES);
