/**
 * Bytes → text for the text-based datasets. Bytes that are not valid in the encoding are an error naming
 * the file, never U+FFFD: a replacement character loaded and saved again would change the file for good.
 */
import { DatasetError } from "../../errors.ts";

/**
 * A decoder for a Python codec name or a WHATWG label (`latin-1`, `utf-8-sig`, `cp1252`, `utf_16_le`);
 * throws a RangeError for an unknown encoding.
 *
 * @example
 * ```ts
 * textDecoder("latin-1").encoding; // "windows-1252"
 * ```
 */
export function textDecoder(encoding: string, options: TextDecoderOptions = {}): TextDecoder {
  const label = encoding.toLowerCase().replace(/_/g, "-");
  const python: Record<string, string> = { "latin-1": "latin1", "utf-8-sig": "utf-8", "utf8-sig": "utf-8" };
  return new TextDecoder(python[label] ?? label.replace(/^utf-16-(le|be)$/, "utf-16$1"), options);
}

/**
 * The text of a file's bytes in `encoding` (default utf-8); `keepBom` keeps a leading byte order mark as
 * U+FEFF (what the file holds) instead of dropping it.
 *
 * @example
 * ```ts
 * decodeText(bytes, "/data/notes.txt", { keepBom: true });
 * ```
 */
export function decodeText(
  bytes: Uint8Array,
  path: string,
  options: { encoding?: string; keepBom?: boolean; hint?: string } = {},
): string {
  const encoding = options.encoding ?? "utf-8";
  try {
    return textDecoder(encoding, { fatal: true, ignoreBOM: options.keepBom === true }).decode(bytes);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    throw new DatasetError("dataset/bad-encoding", `File ${path} is not valid ${encoding} text`, {
      hint: options.hint ?? "convert the file to UTF-8, or load it with a binary dataset",
    });
  }
}
