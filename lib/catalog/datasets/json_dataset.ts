/** JSON files: any JSON value. */
import { DatasetError } from "../../errors.ts";
import { FileDataset } from "../file_dataset.ts";
// Loaded with the dataset, as the CSV codec is (csv_dataset.ts says why).
import { decodeJson, encodeJson, type JsonSaveArgs } from "./_json_codec.ts";

/**
 * Any JSON value, written byte for byte as Kedro's JSONDataset writes it (`json.dump(data, f, indent=2)`:
 * non-ASCII escaped, no trailing newline); `save_args` takes json.dump's `indent`, `ensure_ascii`,
 * `sort_keys` and `separators`. Files Python's `json.dump` wrote load with their `NaN`, `Infinity` and
 * `-Infinity`; kmlf refuses to write them, as other JSON readers reject them. What a file held is saved
 * back as Python holds it: keys in the file's order (`{"2": …, "1": …}` stays 2, 1) and a float without a
 * fraction as a float (`1.0`, while the value is unchanged). A value a node builds is JavaScript's: integer-
 * like keys first, an integral number written as an int (`1`, where Python might write `1.0`). JavaScript has one number
 * type: an integral float is written as an int (`1`, where Python writes `1.0`).
 *
 * @example
 * ```ts
 * const ds = new JsonDataset({ filepath: "/tmp/metrics.json" });
 * await ds.save({ accuracy: 0.9 });
 * ```
 */
export class JsonDataset<T = unknown> extends FileDataset<T> {
  /** Read as one text: a file too big for a JavaScript string is refused before it is read. */
  protected override readonly loadsText = true;

  /** Parses JSON, accepting Python's `NaN`/`Infinity` tokens; invalid JSON is `dataset/bad-json`. */
  protected decode(bytes: Uint8Array, path: string): T {
    return decodeJson(bytes, path) as T;
  }

  /**
   * Writes JSON as Python's `json.dump` with `save_args` does; functions, symbols and undefined are refused.
   */
  protected encode(data: T): string {
    if (data === undefined || typeof data === "function" || typeof data === "symbol") {
      throw new DatasetError("dataset/not-json", `JsonDataset cannot save a ${typeof data}`, {
        hint: "return plain data (objects, arrays, numbers, strings, booleans) or use a pickle dataset",
      });
    }
    return encodeJson(data, this.saveArgs as JsonSaveArgs);
  }
}
