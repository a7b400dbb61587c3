/**
 * Unzip for conf archives: memory bounded, and each member's CRC-32 and size checked against the central
 * directory as `unzip` does (fflate's `unzipSync` checks neither, so a flipped byte in a stored member, or a
 * deflated one that still inflates, would load as garbage configuration).
 */
import { unzipSync } from "fflate";
import { crc32 } from "./gunzip_checked.ts";

/** An unzip failure: `bounded` when the declared sizes pass the limit, `corrupt` when a member is damaged. */
export class UnzipError extends Error {
  constructor(readonly kind: "bounded" | "corrupt", message: string, readonly member?: string) {
    super(message);
  }
}

/**
 * Unzips `bytes` into its members by name (the last copy of a name packed twice, as `unzip` leaves it),
 * refusing declared sizes past `maxBytes` before anything is unpacked, and naming the member whose data
 * does not inflate or whose CRC-32 or size disagrees with the archive's central directory.
 *
 * @example
 * ```ts
 * import { zipSync } from "fflate";
 * unzipChecked(zipSync({ "a.yml": new Uint8Array([1]) }), 1024); // { "a.yml": Uint8Array [1] }
 * ```
 */
export function unzipChecked(bytes: Uint8Array, maxBytes: number): Record<string, Uint8Array> {
  // fflate calls the filter once per central directory entry, in order, just before unpacking it: so the
  // i-th call is the i-th entry of centralCrcs, and a failure while unpacking is the last member named.
  const crcs = centralCrcs(bytes);
  const members: { name: string; size: number }[] = [];
  let declared = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: ({ name, originalSize }) => {
        declared += originalSize;
        // fflate unpacks each entry into a buffer of its declared size (never more), so summing the declared
        // sizes before anything is unpacked bounds memory, whatever the entries really hold.
        if (declared > maxBytes) throw new UnzipError("bounded", "it unpacks to more");
        members.push({ name, size: originalSize });
        return true;
      },
    });
  } catch (cause) {
    if (cause instanceof UnzipError) throw cause;
    const member = members.at(-1)?.name;
    const why = (cause as Error)?.message ?? String(cause);
    throw new UnzipError("corrupt", member ? `member ${member} does not unpack (${why})` : why, member);
  }
  if (crcs.length !== members.length) {
    throw new UnzipError(
      "corrupt",
      `its central directory lists ${crcs.length} entries, but holds ${members.length}`,
    );
  }
  // The copy fflate kept of each name is its last entry.
  const last = new Map(members.map((m, i) => [m.name, i]));
  for (const [name, i] of last) {
    const data = files[name];
    const { size } = members[i];
    if (data.length !== size || crc32(data) !== crcs[i]) {
      throw new UnzipError(
        "corrupt",
        `its zip check failed for member ${name} (the archive says ${size} bytes with CRC-32 ${
          hex(crcs[i])
        }, ` +
          `the data unpacks to ${data.length} bytes with CRC-32 ${hex(crc32(data))})`,
        name,
      );
    }
  }
  return files;
}

// The CRC-32 of each central directory entry, in order, found as fflate finds the directory (the end record
// within the last 64 KiB, zip64's record when present). fflate has validated this layout before it is used.
function centralCrcs(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => at + 2 <= bytes.length ? view.getUint16(at, true) : 0;
  const u32 = (at: number) => at >= 0 && at + 4 <= bytes.length ? view.getUint32(at, true) : 0;
  let end = bytes.length - 22;
  while (end > 0 && u32(end) !== 0x06054b50 && bytes.length - end <= 65558) end--;
  if (u32(end) !== 0x06054b50) return [];
  let count = u16(end + 8);
  let at = u32(end + 16);
  if (u32(end - 20) === 0x07064b50) {
    const zip64 = u32(end - 12);
    if (u32(zip64) === 0x06064b50) [count, at] = [u32(zip64 + 32), u32(zip64 + 48)];
  }
  const out: number[] = [];
  for (let i = 0; i < count && at + 46 <= bytes.length; i++) {
    out.push(u32(at + 16));
    at += 46 + u16(at + 28) + u16(at + 30) + u16(at + 32);
  }
  return out;
}

const hex = (n: number) => n.toString(16).padStart(8, "0");
