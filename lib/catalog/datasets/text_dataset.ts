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
  /** Read as one text: a file too big for a JavaScript string is refused before it is read. */
  protected override readonly loadsText = true;

  /** The file as UTF-8 text (byte order mark kept); invalid UTF-8 is an error. */
  protected decode(bytes: Uint8Array, path: string): string {
    return decodeText(bytes, path, { keepBom: true });
  }

  /** The string to write; anything else is `dataset/not-text`. */
  protected encode(data: string): string {
    if (typeof data !== "string") {
      throw new DatasetError("dataset/not-text", `TextDataset can only save strings, got ${typeof data}`, {
        hint: "return a string from the node, or use a json/pickle dataset",
      });
    }
    return data;
  }
}
