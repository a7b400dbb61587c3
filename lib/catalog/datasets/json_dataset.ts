/** JSON files: any JSON value. */
import { DatasetError } from "../../errors.ts";
import { FileDataset } from "../file_dataset.ts";
import { decodeText } from "./_text_decoding.ts";
import { unserializableError } from "./_plain_data.ts";
import { pyJsonDump } from "../../py_json.ts";
import { parseJsonSource, recordJsonSource } from "./_json_source_keys.ts";
import { parsePythonJson } from "../../py_json_parse.ts";

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
    const text = decodeText(bytes, path);
    try {
      return parseJsonSource(text) as T;
    } catch (error) {
      const python = parsePythonJson(text);
      if (python.ok) return withKeyOrder(text, python.value as T);
      throw new DatasetError(
        "dataset/bad-json",
        `File ${path} is not valid JSON: ${(error as Error).message}`,
        {
          hint: "fix the file or point filepath at a JSON file",
        },
      );
    }
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
    const args = this.saveArgs as {
      indent?: number | null;
      ensure_ascii?: boolean;
      sort_keys?: boolean;
      separators?: [string, string];
    };
    try {
      return pyJsonDump(data, {
        indent: args.indent === undefined ? 2 : args.indent,
        ensureAscii: args.ensure_ascii,
        sortKeys: args.sort_keys,
        separators: args.separators,
      });
    } catch (error) {
      throw unserializableError(data, "JSON") ?? error;
    }
  }
}

// What json.load keeps and JSON.parse loses, recorded for the save: keys in the file's order (`{"2": …,
// "1": …}` is saved back 2, 1) and floats without a fraction (`1.0` is saved back `1.0`).
function withKeyOrder<T>(text: string, value: T): T {
  recordJsonSource(text, value);
  return value;
}
