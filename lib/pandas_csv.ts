/**
 * How pandas names and reads the cells of a CSV (and Excel) table, shared by the catalog's table datasets
 * and the scoring server's CSV bodies (MLflow reads them with `pandas.read_csv`): repeated column names made
 * unique, and the texts read as a missing value.
 *
 * @module
 */

/**
 * pandas' mangle_dupe_cols: the second "a" is "a.1", the third "a.2" (skipping names already taken).
 *
 * @example
 * ```ts
 * uniqueNames(["a", "a", "a.1"]); // ["a", "a.2", "a.1"]
 * ```
 */
export function uniqueNames(names: string[]): string[] {
  const taken = new Set(names);
  const seen = new Set<string>();
  return names.map((name) => {
    if (!seen.has(name)) {
      seen.add(name);
      return name;
    }
    let k = 1;
    while (taken.has(`${name}.${k}`)) k++;
    const unique = `${name}.${k}`;
    taken.add(unique);
    seen.add(unique);
    return unique;
  });
}

/**
 * The texts pandas' `read_csv` and `read_excel` read as missing unless `keep_default_na=False` (pandas 2's
 * `STR_NA_VALUES`): an empty field, quoted or not, and the spellings other tools write for a missing value.
 */
export const PANDAS_NA_VALUES: readonly string[] = [
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
];
