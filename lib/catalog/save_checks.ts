/** Checks shared by every dataset's save. */
import { DatasetError } from "../errors.ts";

/**
 * Throws when `data` is `undefined` or `null`: saving "nothing" is almost always a node that forgot to
 * return its output, and persisting it would hide that bug until a later load.
 *
 * @example
 * ```ts
 * assertSavable(rows, "CSVDataset"); // ok
 * assertSavable(undefined, "CSVDataset"); // throws DatasetError dataset/save-none
 * ```
 */
export function assertSavable(data: unknown, typeName: string): void {
  if (data !== undefined && data !== null) return;
  throw new DatasetError("dataset/save-none", `Cannot save ${data} to a ${typeName}`, {
    hint: "the node producing this output must return a value for it",
  });
}
