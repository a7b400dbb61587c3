/**
 * Tar header checks for conf archives: each header's checksum verified as `tar -x` does (nanotar reads
 * headers without checking it, so a flipped byte in a name or size read as another file or cut the archive
 * short). A header's checksum covers its name, size and type; the data has no checksum in a plain .tar
 * (a .tar.gz's gzip CRC-32 covers it).
 */

/** A damaged tar header, naming the member whose header it is. */
export class TarHeaderError extends Error {
  constructor(message: string, readonly member: string) {
    super(message);
  }
}

/**
 * Walks `tar`'s headers as nanotar's `parseTar` does (each header, then its data in 512-byte blocks, up to
 * an empty name) and throws {@link TarHeaderError} for one whose checksum or size field is not valid.
 *
 * @example
 * ```ts
 * import { createTar } from "nanotar";
 * checkTarHeaders(createTar([{ name: "a.yml", data: "a: 1\n" }])); // fine
 * ```
 */
export function checkTarHeaders(tar: Uint8Array): void {
  const ascii = (from: number, to: number) => String.fromCharCode(...tar.subarray(from, to));
  for (let at = 0; at + 512 <= tar.length && tar[at] !== 0;) {
    const nameEnd = tar.subarray(at, at + 100).indexOf(0);
    const name = new TextDecoder().decode(tar.subarray(at, at + (nameEnd < 0 ? 100 : nameEnd)));
    const stored = octal(ascii(at + 148, at + 156));
    // The sum of the header's bytes with the checksum field read as spaces; old tars summed signed bytes.
    let unsigned = 8 * 0x20;
    let signed = 8 * 0x20;
    for (let i = 0; i < 512; i++) {
      if (i >= 148 && i < 156) continue;
      unsigned += tar[at + i];
      signed += tar[at + i] << 24 >> 24;
    }
    if (stored !== unsigned && stored !== signed) {
      throw new TarHeaderError(
        `its tar header check failed for member ${name} (the header says checksum ${
          Number.isNaN(stored) ? "(unreadable)" : stored.toString(8)
        }, its bytes sum to ${unsigned.toString(8)})`,
        name,
      );
    }
    const size = octal(ascii(at + 124, at + 136));
    if (Number.isNaN(size)) {
      throw new TarHeaderError(`its tar header for member ${name} has no readable size`, name);
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
}

// An octal field: digits, ended by NUL or spaces (leading spaces allowed, as tar writes them).
function octal(field: string): number {
  const digits = field.replace(/\0.*$/s, "").trim();
  return /^[0-7]+$/.test(digits) ? Number.parseInt(digits, 8) : Number.NaN;
}
