/** Plain text files. */
import { DatasetError } from "../../errors.ts";
import { FileDataset } from "../file_dataset.ts";

/**
 * A UTF-8 string.
 *
 * @example
 * ```ts
 * const ds = new TextDataset({ filepath: "/tmp/notes.txt" });
 * await ds.save("hello");
 * ```
 */
export class TextDataset extends FileDataset<string> {
  protected decode(bytes: Uint8Array): string {
    return new TextDecoder().decode(bytes);
  }

  protected encode(data: string): string {
    if (typeof data !== "string") {
      throw new DatasetError("dataset/not-text", `TextDataset can only save strings, got ${typeof data}`, {
        hint: "return a string from the node, or use a json/pickle dataset",
      });
    }
    return data;
  }
}
