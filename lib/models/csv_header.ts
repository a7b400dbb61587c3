/**
 * A scoring CSV's column names and missing values as `pandas.read_csv` makes them (MLflow's server reads CSV
 * bodies with it): an empty name is `Unnamed: <position>` (the index column `DataFrame.to_csv()` writes), a
 * repeated name gets `.1`, `.2`, … so the first column of a name is the one the model reads, not the last,
 * and a cell holding one of pandas' missing-value words is missing, in any column.
 *
 * @module
 */

/**
 * pandas' names for a CSV header line (its C parser's `_get_header` with duplicate names mangled).
 *
 * @example
 * ```ts
 * pandasCsvHeader(["", "a", "b", "a"]); // ["Unnamed: 0", "a", "b", "a.1"]
 * ```
 */
export function pandasCsvHeader(names: readonly string[]): string[] {
  const header = names.map((name, i) => (name === "" ? `Unnamed: ${i}` : name));
  const counts = new Map<string, number>();
  for (let i = 0; i < header.length; i++) {
    const original = header[i];
    let name = original;
    let count = counts.get(name) ?? 0;
    while (count > 0) {
      counts.set(original, count + 1);
      name = `${original}.${count}`;
      // A mangled name the header already holds ("a.1" written by the user) is skipped.
      count = header.includes(name) ? count + 1 : counts.get(name) ?? 0;
    }
    header[i] = name;
    counts.set(name, count + 1);
  }
  return header;
}

/**
 * pandas' default `na_values` (pandas 2.x, which MLflow 2.17 installs: `None` included): a cell holding
 * exactly one of them, quoted or not, is missing. An empty cell is one too.
 *
 * @example
 * ```ts
 * PANDAS_NA_VALUES.has("NA"); // true — what R's write.csv writes for a missing value
 * ```
 */
export const PANDAS_NA_VALUES: ReadonlySet<string> = new Set([
  "",
  "#N/A",
  "#N/A N/A",
  "#NA",
  "-1.#IND",
  "-1.#QNAN",
  "-NaN",
  "-nan",
  "1.#IND",
  "1.#QNAN",
  "<NA>",
  "N/A",
  "NA",
  "NULL",
  "NaN",
  "None",
  "n/a",
  "nan",
  "null",
]);
