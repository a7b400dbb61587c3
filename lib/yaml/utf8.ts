/**
 * Configuration files are UTF-8: bytes that are not (a file saved as Latin-1 or UTF-16) are an error
 * naming the file, line and column of the first bad byte, instead of text silently read as `�`.
 *
 * @module
 */
import { ConfigError } from "../errors.ts";

/**
 * The text of `bytes`, or a `yaml/not-utf8` ConfigError naming `file:line:column` of the first byte that
 * is not UTF-8. A UTF-8 byte-order mark is dropped.
 *
 * @example
 * ```ts
 * decodeUtf8(new TextEncoder().encode("a: 1\n"), "conf/base/parameters.yml"); // "a: 1\n"
 * ```
 */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidByte(bytes);
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at; i++) if (bytes[i] === 10) line++, lineStart = i + 1;
    const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
    throw new ConfigError(
      "yaml/not-utf8",
      `Cannot read ${file}: it is not UTF-8 text (byte 0x${bytes[at].toString(16).padStart(2, "0")} ` +
        `at line ${line})` + (utf16 ? "; it looks like UTF-16" : ""),
      {
        source: { file, line, column: at - lineStart + 1 },
        hint: "save the file as UTF-8 (most editors offer the encoding when saving)",
      },
    );
  }
}

/** Offset of the first byte that cannot start or continue a UTF-8 sequence (binary search on prefixes). */
function firstInvalidByte(bytes: Uint8Array): number {
  const decodes = (n: number) => {
    try {
      // `stream` accepts a sequence cut at the end of the prefix; only a real error throws.
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, n), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let good = 0;
  let bad = bytes.length;
  while (bad - good > 1) {
    const mid = (good + bad) >> 1;
    if (decodes(mid)) good = mid;
    else bad = mid;
  }
  // The prefix may end inside a sequence its next byte broke (é in Latin-1 starts one): point at its lead.
  for (let i = good - 1; i >= Math.max(0, good - 3); i--) {
    if (bytes[i] >= 0xc0) return i;
    if (bytes[i] < 0x80) break;
  }
  return good;
}
