/** Raw bytes. */
import { DatasetError } from "../../errors.ts";
import { FileDataset } from "../file_dataset.ts";

/**
 * Raw bytes: loads a `Uint8Array`; saves a `Uint8Array` (or an `ArrayBuffer`).
 *
 * @example
 * ```ts
 * await new BinaryDataset({ filepath: "/tmp/blob.bin" }).save(new Uint8Array([1, 2]));
 * ```
 */
export class BinaryDataset extends FileDataset<Uint8Array> {
  /** The file's bytes, as they are. */
  protected decode(bytes: Uint8Array): Uint8Array {
    return bytes;
  }

  /** The bytes to write; anything but a Uint8Array or ArrayBuffer is a `dataset/not-bytes` error. */
  protected encode(data: Uint8Array | ArrayBuffer): Uint8Array {
    if (data instanceof Uint8Array) return data;
    if (data instanceof ArrayBuffer) return new Uint8Array(data);
    throw new DatasetError(
      "dataset/not-bytes",
      `BinaryDataset can only save a Uint8Array, got ${(data as object)?.constructor?.name ?? typeof data}`,
      { hint: "return bytes from the node, or use the pickle dataset for arbitrary values" },
    );
  }
}
