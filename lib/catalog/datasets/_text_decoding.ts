/**
 * Bytes → text for the text-based datasets. Bytes that are not valid in the encoding are an error naming
 * the file, never U+FFFD: a replacement character loaded and saved again would change the file for good.
 */
import { DatasetError } from "../../errors.ts";
import { statOrUndefined } from "../../fs_utils.ts";

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
    // V8 refuses to build a string past 2^29 - 24 characters with the same TypeError as bad bytes.
    if (bytes.length > MAX_STRING_LENGTH) throw tooLargeForText(path, bytes.length);
    throw new DatasetError("dataset/bad-encoding", `File ${path} is not valid ${encoding} text`, {
      hint: options.hint ?? "convert the file to UTF-8, or load it with a binary dataset",
    });
  }
}

/** The longest string V8 builds (2^29 - 24 UTF-16 units): a bigger text file cannot be loaded whole. */
export const MAX_STRING_LENGTH = 0x1fffffe8;

/**
 * The error for a text file too big to be one string, with what to do instead.
 *
 * @example
 * ```ts
 * throw tooLargeForText("data/01_raw/huge.csv", 600_000_000);
 * ```
 */
export function tooLargeForText(path: string, byteLength: number): DatasetError {
  const mib = (n: number) => `${Math.round(n / 2 ** 20)} MiB`;
  return new DatasetError(
    "dataset/too-large",
    `File ${path} (${mib(byteLength)}) is too large to load as text: ` +
      `JavaScript strings hold at most ${mib(MAX_STRING_LENGTH)} of text`,
    {
      hint: "split it into smaller files read through a PartitionedDataset (or IncrementalDataset), " +
        "or store the data in a binary format (a parquet dataset)",
    },
  );
}

/**
 * Refuses, before reading it, a file whose text cannot fit one string in any encoding a TextDecoder
 * reads (at most 4 bytes per UTF-16 unit): reading gigabytes only to fail would take that much memory.
 *
 * @example
 * ```ts
 * assertFitsText("data/01_raw/huge.csv"); // throws dataset/too-large past 2 GiB
 * ```
 */
export function assertFitsText(path: string): void {
  const size = statOrUndefined(path)?.size;
  if (size !== undefined && size > 4 * MAX_STRING_LENGTH) throw tooLargeForText(path, size);
}
