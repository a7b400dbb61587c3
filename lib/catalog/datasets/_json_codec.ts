/**
 * What the JSON dataset reads and writes with, loaded with its first load or save (lib/catalog/datasets/
 * json_dataset.ts): Python's json.load (NaN and Infinity, the file's key order, `1.0` kept a float) and
 * json.dump with `save_args`.
 *
 * @module
 */
import { DatasetError } from "../../errors.ts";
import { decodeText } from "./_text_decoding.ts";
import { unserializableError } from "./_plain_data.ts";
import { pyJsonDump } from "../../py_json.ts";
import { parseJsonSource, recordJsonSource } from "./_json_source_keys.ts";
import { parsePythonJson } from "../../py_json_parse.ts";

/** json.dump's keywords the dataset's `save_args` take. */
export interface JsonSaveArgs {
  indent?: number | null;
  ensure_ascii?: boolean;
  sort_keys?: boolean;
  separators?: [string, string];
}

/**
 * Parses a JSON file's bytes, accepting Python's `NaN`/`Infinity` tokens; invalid JSON is `dataset/bad-json`.
 *
 * @example
 * ```ts
 * decodeJson(new TextEncoder().encode('{"a": NaN}'), "/p/data/a.json"); // { a: NaN }
 * ```
 */
export function decodeJson(bytes: Uint8Array, path: string): unknown {
  const text = decodeText(bytes, path);
  try {
    return parseJsonSource(text);
  } catch (error) {
    const python = parsePythonJson(text);
    if (python.ok) return withKeyOrder(text, python.value);
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
 * Writes `data` as Python's `json.dump` with `save_args` does (indent 2 unless set); a value JSON cannot hold
 * is refused as the JSON dataset refuses it.
 *
 * @example
 * ```ts
 * encodeJson({ accuracy: 0.9 }, {}); // '{\n  "accuracy": 0.9\n}'
 * ```
 */
export function encodeJson(data: unknown, args: JsonSaveArgs): string {
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

// What json.load keeps and JSON.parse loses, recorded for the save: keys in the file's order (`{"2": …,
// "1": …}` is saved back 2, 1) and floats without a fraction (`1.0` is saved back `1.0`).
function withKeyOrder<T>(text: string, value: T): T {
  recordJsonSource(text, value);
  return value;
}
