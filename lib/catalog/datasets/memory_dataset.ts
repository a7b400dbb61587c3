/** In-memory data: the default for intermediate datasets and parameters. */
import { DatasetError } from "../../errors.ts";
import type { Dataset } from "../dataset.ts";
import { assertSavable } from "../save_checks.ts";
import { isOrderedRecord, orderedRecord } from "../ordered_record.ts";
import { copySourceKeys } from "../../source_keys.ts";

/** How data is copied on save and load, so a node mutating its input cannot affect other nodes. */
export type CopyMode = "deepcopy" | "copy" | "assign";

/** Options of {@link MemoryDataset}. */
export interface MemoryDatasetOptions<T> {
  /** Initial data (as if saved). */
  data?: T;
  /** Default: `deepcopy` for plain data, `assign` for functions and class instances. */
  copyMode?: CopyMode;
  metadata?: Record<string, unknown>;
}

const EMPTY = Symbol("empty");
const MODES: readonly CopyMode[] = ["deepcopy", "copy", "assign"];

/**
 * Holds data between nodes. `copy_mode` is applied on save and on load: `deepcopy`
 * (structuredClone), `copy` (shallow) or `assign` (same reference).
 *
 * @example
 * ```ts
 * const ds = new MemoryDataset<number[]>();
 * ds.save([1, 2]);
 * ds.load(); // [1, 2] (a deep copy)
 * ```
 */
export class MemoryDataset<T = unknown> implements Dataset<T> {
  readonly ephemeral = true;
  /**
   * How data is copied on save and load; undefined: `deepcopy` for plain data, `assign` for anything else
   * (class instances, functions).
   */
  readonly copyMode?: CopyMode;
  /** The entry's free-form `metadata`. */
  readonly metadata?: Record<string, unknown>;
  #data: T | typeof EMPTY = EMPTY;
  // How load copies the stored data, decided once on save: the stored copy is this dataset's own, so its
  // shape cannot change, and a large parameter read by many nodes is not inspected again on every read.
  #plan: Plan = "assign";

  /** `data` (optional) is stored at once, as a save would store it; an unknown `copyMode` is refused. */
  constructor(options: MemoryDatasetOptions<T> = {}) {
    if (options.copyMode !== undefined && !MODES.includes(options.copyMode)) {
      throw new DatasetError("dataset/bad-copy-mode", `Invalid copy mode: ${options.copyMode}`, {
        hint: `use one of: ${MODES.join(", ")}`,
      });
    }
    this.copyMode = options.copyMode;
    this.metadata = options.metadata;
    // Given data is kept even when null, as Kedro's MemoryDataset(data=None) keeps it: a parameter set to
    // null (`max_depth: null`) is a value a node reads, not a dataset nobody saved.
    if (options.data !== undefined) this.#keep(options.data);
  }

  /** A copy of the saved data (per `copyMode`); nothing saved yet is `dataset/memory-empty`. */
  load(): T {
    if (this.#data === EMPTY) {
      throw new DatasetError("dataset/memory-empty", "Data for MemoryDataset has not been saved yet", {
        hint: "the node producing it has not run; check the pipeline order or the filters",
      });
    }
    return copyBy(this.#data, this.#plan);
  }

  /** Keeps a copy of `data` (per `copyMode`). */
  save(data: T): void {
    assertSavable(data, "MemoryDataset");
    this.#keep(data);
  }

  #keep(data: T): void {
    this.#plan = planOf(data, this.copyMode);
    this.#data = copyBy(data, this.#plan);
  }

  /** Whether data was saved (and not released). */
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

// assign, copy (shallow), tree (plain mappings, lists and primitives, no object twice: copied by hand, about
// twice as fast as structuredClone) or clone (structuredClone: shared references, Maps, Dates, …).
type Plan = "assign" | "copy" | "tree" | "clone";

function planOf(data: unknown, mode: CopyMode | undefined): Plan {
  if (mode === "assign" || typeof data !== "object" || data === null) return "assign";
  if (mode === "copy") return "copy";
  const shape = { tree: true };
  // Kedro infers the mode from the type (DataFrames are copied, Spark frames assigned); here plain data
  // is deep-copied, while functions and class instances (which structuredClone would break) are assigned.
  if (!isPlainData(data, new Set(), shape)) return mode === "deepcopy" ? "clone" : "assign";
  return shape.tree ? "tree" : "clone";
}

function copyBy<T>(data: T, plan: Plan): T {
  if (plan === "assign" || typeof data !== "object" || data === null) return data;
  if (plan === "tree") return withSourceKeys(data, cloneTree(data) as T);
  return copy(data, plan === "copy" ? "copy" : "deepcopy");
}

function cloneTree(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(cloneTree);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = cloneTree((value as Record<string, unknown>)[key]);
    if (key === "__proto__") {
      Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    } else out[key] = v;
  }
  return out;
}

function copy<T>(data: T, m: "copy" | "deepcopy"): T {
  if (typeof data !== "object" || data === null) return data;
  // A dataset's record in key order (partitions, sheets) is a Proxy, which structuredClone refuses.
  if (isOrderedRecord(data)) {
    return orderedRecord(Object.entries(data).map(([k, v]) => [k, m === "copy" ? v : copy(v, m)])) as T;
  }
  // Keys in the order of the file they were read from (lib/source_keys.ts) stay so in the copy.
  if (m === "copy") return withSourceKeys(data, shallowCopy(data));
  try {
    return withSourceKeys(data, structuredClone(data));
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

function withSourceKeys<T>(original: T, copy: T): T {
  copySourceKeys(original, copy);
  return copy;
}

function shallowCopy<T extends object>(data: T): T {
  if (Array.isArray(data)) return [...data] as T;
  if (data instanceof Map) return new Map(data) as T;
  if (data instanceof Set) return new Set(data) as T;
  if (data instanceof Date) return new Date(data) as T;
  if (ArrayBuffer.isView(data) && "slice" in data) return (data as unknown as Uint8Array).slice() as T;
  return Object.assign(Object.create(Object.getPrototypeOf(data)), data);
}

// Whether structuredClone copies `value` faithfully; `shape.tree` stays true while it is also a tree that
// cloneTree copies the same way (an object met twice, or anything but a mapping or list, is not).
function isPlainData(value: unknown, seen: Set<object>, shape: { tree: boolean }): boolean {
  if (typeof value === "function" || typeof value === "symbol") return false;
  if (typeof value !== "object" || value === null) return true;
  if (seen.has(value)) {
    shape.tree = false;
    return true;
  }
  seen.add(value);
  if (
    ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof Date ||
    value instanceof RegExp
  ) {
    shape.tree = false;
    return true;
  }
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) shape.tree = false;
    for (const v of value) {
      if (typeof v === "object" || typeof v === "function") {
        if (!isPlainData(v, seen, shape)) return false;
      }
    }
    return true;
  }
  if (value instanceof Map || value instanceof Set) {
    shape.tree = false;
    const items = value instanceof Map ? [...value].flat() : [...value];
    return items.every((v) => isPlainData(v, seen, shape));
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  if (proto === null || isOrderedRecord(value)) shape.tree = false;
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if ((typeof v === "object" || typeof v === "function") && !isPlainData(v, seen, shape)) return false;
  }
  return true;
}

function describeData(data: unknown): string {
  if (Array.isArray(data)) return `array(${data.length})`;
  if (typeof data === "object" && data !== null) return data.constructor?.name ?? "object";
  return typeof data;
}
