/**
 * A scoring CSV's column names as `pandas.read_csv` makes them (MLflow's server reads CSV bodies with it):
 * an empty name is `Unnamed: <position>` (the index column `DataFrame.to_csv()` writes), and a repeated name
 * gets `.1`, `.2`, … so the first column of a name is the one the model reads, not the last.
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
