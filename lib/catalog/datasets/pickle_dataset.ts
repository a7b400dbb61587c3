/** Any JS value through V8's serializer: kmlf's counterpart of Kedro's pickle. */
import { DatasetError } from "../../errors.ts";
import { FileDataset } from "../file_dataset.ts";
import { v8Deserialize, v8Serialize } from "../../v8_serializer.ts";

/**
 * Any structured-cloneable value: objects, arrays, typed arrays, Map, Set, Date, RegExp, BigInt,
 * errors. Class instances come back as plain objects; functions cannot be saved.
 *
 * @example
 * ```ts
 * const ds = new PickleDataset({ filepath: "/tmp/model.pkl" });
 * await ds.save({ weights: new Float64Array([1, 2]), classes: new Set(["a", "b"]) });
 * ```
 */
export class PickleDataset<T = unknown> extends FileDataset<T> {
  /** Deserializes V8-serialized data; a Python pickle is refused with what to do instead. */
  protected async decode(bytes: Uint8Array, path: string): Promise<T> {
    try {
      return await v8Deserialize(bytes) as T;
    } catch (error) {
      throw new DatasetError(
        "dataset/bad-pickle",
        `Cannot deserialize ${path}: ${(error as Error).message}`,
        {
          hint: pythonPickleProtocol(bytes) === undefined
            ? "the file was not written by a kmlf pickle dataset (or by an incompatible runtime)"
            : `it is a Python pickle (protocol ${
              pythonPickleProtocol(bytes)
            }), which kmlf cannot read: its ` +
              "pickle is V8's serialization; export the data from Python as Parquet, CSV or JSON and load that",
        },
      );
    }
  }

  /** Serializes `data` with V8's serializer; values that cannot be cloned are `dataset/not-serializable`. */
  protected async encode(data: T): Promise<Uint8Array> {
    try {
      return await v8Serialize(data);
    } catch (error) {
      throw new DatasetError(
        "dataset/not-serializable",
        `Cannot pickle this value: ${(error as Error).message}`,
        {
          hint: "functions and objects holding native resources cannot be serialized; save plain data",
        },
      );
    }
  }
}

// Python's pickle protocols 2–5 start with PROTO (0x80) and the protocol number (joblib's files too).
function pythonPickleProtocol(bytes: Uint8Array): number | undefined {
  return bytes[0] === 0x80 && bytes[1] >= 2 && bytes[1] <= 5 ? bytes[1] : undefined;
}
