/**
 * Column names of tables, as pandas gives and checks them: duplicate names made unique, `usecols` (names,
 * indexes or Excel letters), the columns a save writes, and hints naming the columns a load argument missed.
 */
import { DatasetError, didYouMeanHint } from "../../errors.ts";
import { sourceKeyOrder } from "../../source_keys.ts";

/** Refuses `names`/`usecols` naming one column twice (`load_args.<key>`). */
export function assertUniqueNames(names: readonly string[], key: string): void {
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice === undefined) return;
  throw new DatasetError("dataset/duplicate-names", `load_args.${key} names column "${twice}" twice`, {
    hint: "each column needs its own name, or one would overwrite the other in every row",
  });
}

/**
 * The indexes of the columns `usecols` keeps (names, indexes or Excel letters), in file order, as pandas
 * keeps them; a column that does not exist is `dataset/bad-usecols`.
 *
 * @example
 * ```ts
 * selectColumns(["id", "price", "qty"], ["qty", "id"]); // [0, 2]
 * ```
 */
export function selectColumns(
  names: readonly string[],
  usecols: readonly (string | number)[] | string | undefined,
): number[] {
  const all = names.map((_, i) => i);
  if (usecols === undefined) return all;
  // Excel letters past the last column are no columns to pandas, not an error ("A:Z" on 3 columns).
  const wanted = typeof usecols === "string"
    ? excelColumns(usecols).filter((i) => i < names.length)
    : usecols;
  const missing = wanted.filter((c) => typeof c === "string" ? !names.includes(c) : c >= names.length);
  if (missing.length > 0) {
    throw new DatasetError(
      "dataset/bad-usecols",
      `usecols names columns that do not exist: ${missing.join(", ")}`,
      {
        hint: columnsHint(missing, names),
      },
    );
  }
  // pandas keeps file order, whatever the order of usecols.
  return all.filter((i) => wanted.includes(i) || wanted.includes(names[i]));
}

// "A:C,E" → [0, 1, 2, 4] (Excel column letters, as read_excel takes them).
function excelColumns(spec: string): number[] {
  const index = (letters: string) =>
    [...letters.toUpperCase()].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0) - 1;
  return spec.split(",").flatMap((part) => {
    const [from, to = from] = part.trim().split(":");
    if (!/^[A-Za-z]+$/.test(from) || !/^[A-Za-z]+$/.test(to)) {
      throw new DatasetError(
        "dataset/bad-usecols",
        `usecols "${spec}" is not a list of columns or Excel letters`,
        {
          hint: 'write a list of names ([id, price]) or Excel column letters ("A:C,E")',
        },
      );
    }
    return Array.from({ length: index(to) - index(from) + 1 }, (_, k) => index(from) + k);
  });
}

/**
 * `did you mean "price"? the columns are: id, price` for column names a load argument got wrong.
 *
 * @example
 * ```ts
 * columnsHint(["prise"], ["id", "price"]); // 'did you mean "price"? the columns are: id, price'
 * ```
 */
export function columnsHint(missing: readonly (string | number)[], names: readonly string[]): string {
  const typo = missing.find((c): c is string => typeof c === "string");
  const guess = typo === undefined ? "" : didYouMeanHint(typo, names);
  return `${guess ? `${guess} ` : ""}the columns are: ${names.join(", ")}`;
}

/**
 * The columns to save (refusing rows that are all `{}`, which a table file cannot hold):
 * `save_args.columns` as given — each must be a column of the rows, as pandas' `to_csv`
 * and `to_excel` require, or a typo would write an empty column and leave the data out — else every key of
 * the rows, in first-seen order.
 *
 * @example
 * ```ts
 * savedColumns([{ id: 1, price: 2 }], ["price"]); // ["price"]
 * ```
 */
export function savedColumns(
  rows: readonly Record<string, unknown>[],
  columns?: readonly string[],
): string[] {
  // Each row's keys in the order of the file it was read from, if it was (source_keys.ts).
  const keys = [...new Set(rows.flatMap((r) => sourceKeyOrder(r)))];
  if (keys.length === 0 && rows.length > 0) {
    // A file of no columns reads back as no rows: the rows would be lost.
    throw new DatasetError(
      "dataset/no-columns",
      `Cannot save ${rows.length} row${rows.length === 1 ? "" : "s"} without columns: every row is {}`,
      { hint: "return rows with at least one key, or an empty array for no rows" },
    );
  }
  if (columns === undefined) return keys;
  const missing = rows.length === 0 ? [] : columns.filter((c) => !keys.includes(c));
  if (missing.length > 0) {
    throw new DatasetError(
      "dataset/bad-columns",
      `save_args.columns names columns the rows do not have: ${missing.join(", ")}`,
      { hint: columnsHint(missing, keys) },
    );
  }
  return [...columns];
}
