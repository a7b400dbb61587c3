/** JSON files: any JSON value. */
import { DatasetError } from "../../errors.ts";
import { FileDataset } from "../file_dataset.ts";
import { refuseLossy, unserializableError } from "./_plain_data.ts";

/**
 * Any JSON value. `save_args: {indent: 2}` controls formatting (default 2).
 *
 * @example
 * ```ts
 * const ds = new JsonDataset({ filepath: "/tmp/metrics.json" });
 * await ds.save({ accuracy: 0.9 });
 * ```
 */
export class JsonDataset<T = unknown> extends FileDataset<T> {
  protected decode(bytes: Uint8Array, path: string): T {
    try {
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch (error) {
      throw new DatasetError(
        "dataset/bad-json",
        `File ${path} is not valid JSON: ${(error as Error).message}`,
        {
          hint: "fix the file or point filepath at a JSON file",
        },
      );
    }
  }

  protected encode(data: T): string {
    let text: string | undefined;
    try {
      text = JSON.stringify(data, refuseLossy, (this.saveArgs.indent as number | undefined) ?? 2);
    } catch (error) {
      throw unserializableError(data, "JSON") ?? error;
    }
    if (text === undefined) {
      throw new DatasetError("dataset/not-json", `JsonDataset cannot save a ${typeof data}`, {
        hint: "return plain data (objects, arrays, numbers, strings, booleans) or use a pickle dataset",
      });
    }
    return text + "\n";
  }
}
