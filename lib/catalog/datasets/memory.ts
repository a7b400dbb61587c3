/** In-memory data: the default for intermediate datasets. */
import { DatasetError } from "../../errors.ts";
import type { Dataset } from "../dataset.ts";

/** How data is copied on save and load, so a node mutating its input cannot affect other nodes. */
export type CopyMode = "deepcopy" | "copy" | "assign";

const EMPTY = Symbol("empty");

/**
 * Holds data between nodes. `copy_mode`: `deepcopy` (structuredClone), `copy` (shallow) or `assign`
 * (same reference). When not set: plain data is deep-copied; class instances and functions are assigned.
 *
 * @example
 * ```ts
 * const ds = new MemoryDataset({ copyMode: "assign" });
 * ds.save([1, 2]); ds.load(); // [1, 2]
 * ```
 */
export class MemoryDataset<T = unknown> implements Dataset<T> {
  readonly ephemeral = true;
  readonly copyMode?: CopyMode;
  readonly metadata?: Record<string, unknown>;
  #data: T | typeof EMPTY = EMPTY;

  constructor(options: { data?: T; copyMode?: CopyMode; metadata?: Record<string, unknown> } = {}) {
    if (options.copyMode !== undefined && !["deepcopy", "copy", "assign"].includes(options.copyMode)) {
      throw new DatasetError("dataset/bad-copy-mode", `Invalid copy mode: ${options.copyMode}`, {
        hint: "use one of: deepcopy, copy, assign",
      });
    }
    this.copyMode = options.copyMode;
    this.metadata = options.metadata;
    if ("data" in options && options.data !== undefined) this.#data = options.data;
  }

  load(): T {
    if (this.#data === EMPTY) {
      throw new DatasetError("dataset/memory-empty", "Data for MemoryDataset has not been saved yet", {
        hint: "the node producing it has not run; check the pipeline order or the filters",
      });
    }
    return copy(this.#data, this.copyMode);
  }

  save(data: T): void {
    this.#data = copy(data, this.copyMode);
  }

  exists(): boolean {
    return this.#data !== EMPTY;
  }

  release(): void {
    this.#data = EMPTY;
  }

  describe(): Record<string, unknown> {
    return {
      copy_mode: this.copyMode ?? "inferred",
      data: this.#data === EMPTY ? "<empty>" : describeData(this.#data),
    };
  }
}

function copy<T>(data: T, mode: CopyMode | undefined): T {
  const m = mode ?? inferMode(data);
  if (m === "assign") return data;
  if (m === "copy") return Array.isArray(data) ? [...data] as T : isObject(data) ? { ...data } : data;
  try {
    return structuredClone(data);
  } catch (error) {
    throw new DatasetError(
      "dataset/not-cloneable",
      `Cannot deep-copy this value: ${(error as Error).message}`,
      {
        hint: "set copy_mode: assign (or copy) on the dataset in the catalog",
      },
    );
  }
}

function inferMode(data: unknown): CopyMode {
  if (typeof data === "function") return "assign";
  if (!isObject(data)) return "deepcopy";
  const proto = Object.getPrototypeOf(data);
  const plain = proto === Object.prototype || proto === null || Array.isArray(data) ||
    ArrayBuffer.isView(data) ||
    data instanceof Map || data instanceof Set || data instanceof Date;
  return plain ? "deepcopy" : "assign";
}

function isObject(data: unknown): data is Record<string, unknown> {
  return typeof data === "object" && data !== null;
}

function describeData(data: unknown): string {
  return Array.isArray(data) ? `array(${data.length})` : data === null ? "null" : typeof data;
}
