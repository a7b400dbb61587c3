/**
 * Gunzip for conf archives: memory bounded, and each gzip member's CRC-32 and length checked against
 * its trailer as `gzip -d` does (fflate inflates without checking them, so a corrupted archive could
 * load garbage).
 */
import { Gunzip } from "fflate";

/** A gunzip failure: `bounded` when the output passed the limit, `corrupt` when a trailer disagrees. */
export class GunzipError extends Error {
  constructor(readonly kind: "bounded" | "corrupt", message: string) {
    super(message);
  }
}

let table: Uint32Array | undefined;

/**
 * CRC-32 (IEEE: gzip's and zip's) of `bytes`.
 *
 * @example
 * ```ts
 * crc32(new TextEncoder().encode("123456789")); // 0xcbf43926
 * ```
 */
export function crc32(bytes: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = table[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Gunzips `bytes` (one or more members), refusing output past `maxBytes` as it comes and a member whose
 * CRC-32 or size disagrees with its trailer.
 *
 * @example
 * ```ts
 * import { gzipSync } from "fflate";
 * gunzipChecked(gzipSync(new Uint8Array([1, 2])), 1024); // Uint8Array [1, 2]
 * ```
 */
export function gunzipChecked(bytes: Uint8Array, maxBytes: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const stream = new Gunzip((chunk) => {
    total += chunk.length;
    if (total > maxBytes) throw new GunzipError("bounded", "it unpacks to more");
    chunks.push(chunk);
  });
  // Where each member starts in the input and in the output (fflate reports the later members' starts).
  const members = [{ input: 0, output: 0 }];
  stream.onmember = (offset) => members.push({ input: offset, output: total });
  // Small pieces: one push's output is one buffer, and deflate expands at most ~1032 times.
  const PIECE = 64 * 1024;
  for (let at = 0, last = false; !last; at += PIECE) {
    last = at + PIECE >= bytes.length;
    stream.push(bytes.subarray(at, at + PIECE), last);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  members.forEach((member, i) => {
    const end = members[i + 1] ?? { input: bytes.length, output: total };
    const data = out.subarray(member.output, end.output);
    const [crc, size] = [view.getUint32(end.input - 8, true), view.getUint32(end.input - 4, true)];
    if (size !== data.length % 2 ** 32 || crc !== crc32(data)) {
      throw new GunzipError(
        "corrupt",
        `its gzip check failed (member ${i + 1}: the trailer says ${size} bytes with CRC-32 ${hex(crc)}, ` +
          `the data unpacks to ${data.length} bytes with CRC-32 ${hex(crc32(data))})`,
      );
    }
  });
  return out;
}

const hex = (n: number) => n.toString(16).padStart(8, "0");
