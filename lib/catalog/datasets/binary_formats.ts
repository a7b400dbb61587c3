/** Binary file datasets: raw bytes, and any JS value through V8 serialization ("pickle"). */
import { deserialize, serialize } from "node:v8";
import { DatasetError } from "../../errors.ts";
import { FileDataset } from "../file_dataset.ts";

/**
 * Raw bytes (`Uint8Array`).
 *
 * @example
 * ```ts
 * await new BinaryDataset({ filepath: "/tmp/blob.bin" }).save(new Uint8Array([1, 2]));
 * ```
 */
export class BinaryDataset extends FileDataset<Uint8Array> {
  protected decode(bytes: Uint8Array): Uint8Array {
    return bytes;
  }
  protected encode(data: Uint8Array): Uint8Array {
    if (!(data instanceof Uint8Array)) {
      throw new DatasetError(
        "dataset/not-bytes",
        `BinaryDataset can only save Uint8Array, got ${
          (data as unknown as object)?.constructor?.name ?? typeof data
        }`,
        {
          hint: "return bytes from the node, or use the pickle dataset for arbitrary values",
        },
      );
    }
    return data;
  }
}

/**
 * Kedro's pickle for JS: any structured-cloneable value (objects, arrays, typed arrays, Map, Set,
 * Date, RegExp, BigInt…) through V8's serializer. Class instances come back as plain objects.
 *
 * @example
 * ```ts
 * await new PickleDataset({ filepath: "/tmp/model.pkl" }).save({ weights: new Float64Array([1, 2]) });
 * ```
 */
export class PickleDataset<T = unknown> extends FileDataset<T> {
  protected decode(bytes: Uint8Array): T {
    return deserialize(bytes) as T;
  }
  protected encode(data: T): Uint8Array {
    try {
      return serialize(data);
    } catch (error) {
      throw new DatasetError(
        "dataset/not-serializable",
        `Cannot pickle this value: ${(error as Error).message}`,
        {
          hint: "functions and class instances with private state cannot be serialized; save plain data",
        },
      );
    }
  }
}
