/** Plain text files. */
import { DatasetError } from "../../errors.ts";
import { FileDataset } from "../file_dataset.ts";
import { decodeText } from "./_text_decoding.ts";

/**
 * A UTF-8 string, exactly as in the file: a byte order mark and CRLF line ends are kept; bytes that are
 * not UTF-8 are an error, not replacement characters.
 *
 * @example
 * ```ts
 * const ds = new TextDataset({ filepath: "/tmp/notes.txt" });
 * await ds.save("hello");
 * ```
 */
export class TextDataset extends FileDataset<string> {
  protected override readonly loadsText = true;
  protected decode(bytes: Uint8Array, path: string): string {
    return decodeText(bytes, path, { keepBom: true });
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
