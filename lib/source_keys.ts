/**
 * The keys of a mapping read from a JSON or YAML file as Python holds them, for the writers that write it
 * back. A Python dict keeps its keys in insertion order; a JavaScript object lists integer-like keys (`"2"`,
 * `"10"`) first, in numeric order, so `{"2": a, "1": b}` loaded and saved would come out `1, 2` where Kedro
 * writes `2, 1`. And a YAML key PyYAML reads as an int, bool, float, null or date (`1: a`, `2024-01-02: x`)
 * is a string key in JavaScript, which PyYAML would write quoted (`'1': a`). A float without a fraction
 * (`1.0`, `1e3` in JSON) is a plain number, which the writers would write as an int (`1`).
 *
 * The loaded objects stay plain objects (structuredClone, postMessage and the public types see nothing):
 * the file's order, key values and integral floats are kept beside them, in weak maps, and only for
 * containers a plain object or array cannot hold as the file did. Python's json and PyYAML writers (py_json.ts, pyyaml_dump.ts)
 * and MemoryDataset's copies consult them; an object a node builds afresh is in JavaScript's order.
 *
 * @module
 */

const ORDER = new WeakMap<object, readonly string[]>();
const KEY_VALUES = new WeakMap<object, ReadonlyMap<string, unknown>>();
// Per container, the slots (keys, or array indexes as text) that held a float without a fraction, and it.
const FLOATS = new WeakMap<object, ReadonlyMap<string, number>>();
// Every container of a loaded value that has recorded keys somewhere below it: what a copy must walk (a
// container with facts of its own only is found by them).
const CARRIERS = new WeakSet<object>();
// Until a file has keys worth recording, a walk to mark or copy them is skipped (most programs never do).
let anyRecorded = false;

/**
 * Whether a plain object would move `key` out of its place: a canonical array index (`"0"`, `"17"`, below
 * 2^32 - 1), which JavaScript lists before every other key.
 *
 * @example
 * ```ts
 * isIndexKey("10"); // true
 * isIndexKey("010"); // false
 * ```
 */
export function isIndexKey(key: string): boolean {
  const first = key.charCodeAt(0); // most keys start with a letter: no regular expression for them
  return first >= 48 && first <= 57 && /^(?:0|[1-9][0-9]{0,9})$/.test(key) && Number(key) < 4294967295;
}

/**
 * Records the keys of `object` as the file holds them, in the file's order: each a string, or the value
 * PyYAML would construct for it (a number, boolean, null or Date; its string is the object's key). Nothing
 * is kept when the object already lists them so and all are strings. An array of strings is kept as it is:
 * the caller hands it over and does not change it.
 *
 * @example
 * ```ts
 * const value = { "1": "b", "2": "a" };
 * recordSourceKeys(value, ["2", "1"]);
 * sourceKeyOrder(value); // ["2", "1"]
 * ```
 */
export function recordSourceKeys(object: object, keys: readonly unknown[]): void {
  // All text (every JSON key): the names are the keys, and no key values to keep (no map, no copy).
  const text = keys.every((key) => typeof key === "string");
  const names = text ? keys as readonly string[] : keys.map((key) => String(key));
  const own = Object.keys(object);
  if (names.length !== own.length || names.some((name, i) => name !== own[i])) {
    ORDER.set(object, names);
    anyRecorded = true;
  }
  if (text) return;
  const values = new Map<string, unknown>();
  keys.forEach((key, i) => typeof key !== "string" && values.set(names[i], key));
  if (values.size > 0) {
    KEY_VALUES.set(object, values);
    anyRecorded = true;
  }
}

/**
 * Records the column order of table rows read from a file (every row the same keys): the rows of a CSV or
 * Excel file with headers `2, 1` list `1` first in JavaScript, where pandas keeps the file's order. Shares
 * one array among the rows; nothing is kept when JavaScript lists the columns in that order anyway.
 *
 * @example
 * ```ts
 * recordTableColumns(rows, ["2", "1"]); // savedColumns(rows) is ["2", "1"]
 * ```
 */
export function recordTableColumns(rows: readonly object[], columns: readonly string[]): void {
  if (rows.length === 0 || !columns.some(isIndexKey)) return;
  const own = Object.keys(rows[0]);
  if (own.length === columns.length && own.every((key, i) => key === columns[i])) return;
  for (const row of rows) {
    ORDER.set(row, columns);
    CARRIERS.add(row);
  }
  CARRIERS.add(rows);
  anyRecorded = true;
}

/**
 * Records that the slots of `container` in `floats` (keys, or array indexes as text) were floats in the
 * file that JavaScript holds as integers (`1.0`): the writers write them as floats while they hold that
 * value.
 *
 * @example
 * ```ts
 * const value = { lr: 1 }; // read from `lr: 1.0`
 * recordIntegralFloats(value, new Map([["lr", 1]]));
 * isSourceFloat(value, "lr", 1); // true
 * ```
 */
export function recordIntegralFloats(container: object, floats: ReadonlyMap<string, number>): void {
  if (floats.size === 0) return;
  FLOATS.set(container, floats);
  anyRecorded = true;
}

/**
 * Whether `value`, held at `key` of `container`, is the float without a fraction the file had there (so
 * Python's writers would write `1.0`).
 *
 * @example
 * ```ts
 * isSourceFloat(loaded, "lr", loaded.lr); // true for `{"lr": 1.0}`
 * ```
 */
export function isSourceFloat(container: object, key: string, value: unknown): boolean {
  return FLOATS.get(container)?.get(key) === value;
}

/**
 * The slots of `container` that held floats without a fraction in the file, and their values (undefined
 * when none): {@link isSourceFloat} for a writer going through many slots.
 *
 * @example
 * ```ts
 * sourceFloats(loaded)?.get("lr") === loaded.lr; // true for `{"lr": 1.0}`
 * ```
 */
export function sourceFloats(container: object): ReadonlyMap<string, number> | undefined {
  return FLOATS.get(container);
}

// Per table of rows read from a file, the numeric columns pandas would read as float64 (a cell written
// `91.0` or left empty, a Parquet DOUBLE column): one set per table, not a fact per cell.
const FLOAT_COLUMNS = new WeakMap<object, ReadonlySet<string>>();

/**
 * Records that `columns` of the table `rows` were floats in the file (pandas' float64) though their values
 * may all be whole numbers in JavaScript: a signature inferred from the rows types them `double`.
 *
 * @example
 * ```ts
 * recordFloatColumns(rows, ["review_scores_rating"]); // the CSV wrote 91.0, 96.0
 * ```
 */
export function recordFloatColumns(rows: readonly object[], columns: Iterable<string>): void {
  const set = new Set(columns);
  if (set.size > 0) FLOAT_COLUMNS.set(rows, set);
}

/**
 * The columns of the table `rows` that were floats in the file it was read from: those its reader recorded
 * ({@link recordFloatColumns}: CSV, Excel, Parquet), and those where some row held a float without a
 * fraction (`1.0` in JSON or YAML rows). Undefined when none are known.
 *
 * @example
 * ```ts
 * floatColumns(rows)?.has("price"); // true for a CSV column of `2.0`, `3.0`
 * ```
 */
export function floatColumns(rows: unknown): ReadonlySet<string> | undefined {
  if (!Array.isArray(rows)) return undefined;
  const recorded = FLOAT_COLUMNS.get(rows);
  if (!anyRecorded) return recorded;
  const found = new Set(recorded);
  for (const row of rows) {
    if (typeof row === "object" && row !== null) {
      for (const key of FLOATS.get(row)?.keys() ?? []) found.add(key);
    }
  }
  return found.size > 0 ? found : undefined;
}

const hasFacts = (value: object) => ORDER.has(value) || KEY_VALUES.has(value) || FLOATS.has(value);

/**
 * Records on `target`, a mapping built from the keys of `sources` (a later source's value replacing an
 * earlier one's, as OmegaConf's merge and a copy do), the keys the sources recorded: each key where it
 * first appears, as PyYAML read it. Nothing to do when no source recorded any.
 *
 * @example
 * ```ts
 * const merged = { ...base, ...overlay };
 * recordMergedKeys(merged, [base, overlay]);
 * ```
 */
export function recordMergedKeys(target: object, sources: readonly object[]): void {
  if (!anyRecorded || !sources.some(hasFacts)) return;
  const floats = new Map<string, number>();
  sources.forEach((source, i) => {
    for (const [key, value] of FLOATS.get(source) ?? []) {
      // A later source's value replaced it (`lr: 1.0` under `--params lr=1`, the int): not a float now.
      const replaced = sources.slice(i + 1).some((later) => Object.hasOwn(later, key));
      if (!replaced && (target as Record<string, unknown>)[key] === value) floats.set(key, value);
    }
  });
  recordIntegralFloats(target, floats);
  const keys = new Map<string, unknown>();
  for (const source of sources) {
    for (const key of sourceKeyOrder(source)) {
      if (!keys.has(key) && Object.hasOwn(target, key)) keys.set(key, sourceKey(source, key));
    }
  }
  for (const key of Object.keys(target)) if (!keys.has(key)) keys.set(key, key);
  recordSourceKeys(target, [...keys.values()]);
}

/**
 * Marks `container` as holding recorded facts below it when `childrenCarry`, for a reader that walks its
 * value anyway (one walk instead of {@link markSourceKeys}'s second one); returns whether it or what it
 * holds has facts. A container whose only facts are its own is not marked: copies ask it directly (one
 * weak-set entry less per row of a table). `ownFacts`, when the reader knows, saves the look-ups.
 *
 * @example
 * ```ts
 * if (childCarries || markCarrier(node)) ...
 * ```
 */
export function markCarrier(container: object, childrenCarry: boolean, ownFacts?: boolean): boolean {
  if (childrenCarry) CARRIERS.add(container);
  return childrenCarry || (ownFacts ?? hasFacts(container));
}

/**
 * Marks every container of `root` that holds, at any depth, an object with recorded keys, so copies
 * ({@link copySourceKeys}) know where to look. Returns whether anything was recorded.
 *
 * @example
 * ```ts
 * markSourceKeys(value); // true when some mapping of value keeps a file order
 * ```
 */
export function markSourceKeys(root: unknown): boolean {
  if (!anyRecorded) return false;
  const walk = (value: unknown, seen: Set<object>): boolean => {
    if (!isContainer(value) || seen.has(value)) return false;
    seen.add(value);
    let carries = hasFacts(value);
    for (const child of Object.values(value)) carries = walk(child, seen) || carries;
    if (carries) CARRIERS.add(value);
    return carries;
  };
  return walk(root, new Set());
}

/**
 * The keys of `object` in the order Python holds them: the file's order for a mapping read from one (keys
 * added since come after, keys deleted since are left out), else `Object.keys`.
 *
 * @example
 * ```ts
 * sourceKeyOrder({ b: 1, a: 2 }); // ["b", "a"]
 * ```
 */
export function sourceKeyOrder(object: object): string[] {
  const order = ORDER.get(object);
  const own = Object.keys(object);
  if (!order) return own;
  const listed = new Set<string>();
  const keys: string[] = [];
  for (const key of order) {
    if (Object.hasOwn(object, key) && !listed.has(key)) listed.add(key), keys.push(key);
  }
  for (const key of own) if (!listed.has(key)) keys.push(key);
  return keys;
}

/**
 * The key `key` of `object` as PyYAML read it from the file (the number 1 for `1:`, a Date for
 * `2024-01-02:`, null for `null:`), else `key` itself.
 *
 * @example
 * ```ts
 * sourceKey(parsed, "1"); // 1
 * sourceKey({ a: 1 }, "a"); // "a"
 * ```
 */
export function sourceKey(object: object, key: string): unknown {
  const values = KEY_VALUES.get(object);
  return values?.has(key) ? values.get(key) : key;
}

/**
 * Gives `copy` (structuredClone's or a shallow copy of `original`) the recorded keys of `original`, at
 * every depth the two share a shape. Nothing to do, and no walk, for a value read without them.
 *
 * @example
 * ```ts
 * const clone = structuredClone(loaded);
 * copySourceKeys(loaded, clone);
 * ```
 */
export function copySourceKeys(original: unknown, copy: unknown): void {
  // A copied table keeps its float columns (a WeakMap ignores a primitive).
  const columns = FLOAT_COLUMNS.get(original as object);
  if (columns && Array.isArray(copy)) FLOAT_COLUMNS.set(copy, columns);
  if (!anyRecorded) return;
  const seen = new Set<object>();
  const walk = (from: unknown, to: unknown): void => {
    if (!isContainer(from) || !isContainer(to) || seen.has(from)) return;
    const carrier = CARRIERS.has(from);
    if (!carrier && !hasFacts(from)) return;
    seen.add(from);
    if (carrier) CARRIERS.add(to);
    const order = ORDER.get(from);
    if (order) ORDER.set(to, order);
    const values = KEY_VALUES.get(from);
    if (values) KEY_VALUES.set(to, values);
    const floats = FLOATS.get(from);
    if (floats) FLOATS.set(to, floats);
    if (from === to) return;
    for (const [key, child] of Object.entries(from)) walk(child, (to as Record<string, unknown>)[key]);
  };
  walk(original, copy);
}

/** The recorded keys of a value, as data that crosses to a worker (postMessage) with it. */
export type SourceKeysSnapshot = [container: number, keys: unknown[] | null, floats?: [string, number][]][];

/**
 * The recorded keys of `value` and of what it holds, by each container's place in a walk both sides of a
 * postMessage make alike (structured clone keeps properties in order); undefined when there are none, which
 * costs nothing until some file had keys to record.
 *
 * @example
 * ```ts
 * worker.postMessage({ value, keys: sourceKeysSnapshot(value) }); // the worker: applySourceKeys(value, keys)
 * ```
 */
export function sourceKeysSnapshot(value: unknown): SourceKeysSnapshot | undefined {
  if (!anyRecorded) return undefined;
  const snapshot: SourceKeysSnapshot = [];
  containersInOrder(value, (container, at) => {
    if (!hasFacts(container)) return;
    const keys = ORDER.has(container) || KEY_VALUES.has(container)
      ? sourceKeyOrder(container).map((key) => sourceKey(container, key))
      : null;
    const floats = FLOATS.get(container);
    snapshot.push(floats ? [at, keys, [...floats]] : [at, keys]);
  });
  return snapshot.length > 0 ? snapshot : undefined;
}

/**
 * Records on `value`, the structured clone of the value a {@link sourceKeysSnapshot} was taken of, the keys
 * the snapshot holds.
 *
 * @example
 * ```ts
 * applySourceKeys(message.value, message.keys);
 * ```
 */
export function applySourceKeys(value: unknown, snapshot: SourceKeysSnapshot | undefined): void {
  if (!snapshot) return;
  const byPlace = new Map(snapshot.map(([at, keys, floats]) => [at, { keys, floats }]));
  containersInOrder(value, (container, at) => {
    const { keys, floats } = byPlace.get(at) ?? {};
    if (keys) recordSourceKeys(container, keys.filter((key) => Object.hasOwn(container, String(key))));
    if (floats) recordIntegralFloats(container, new Map(floats));
  });
  markSourceKeys(value);
}

// Each array and plain object of `value` once, parents first, children in key order.
function containersInOrder(value: unknown, visit: (container: object, at: number) => void): void {
  const seen = new Set<object>();
  const walk = (node: unknown): void => {
    if (!isContainer(node) || seen.has(node)) return;
    visit(node, seen.size);
    seen.add(node);
    for (const child of Object.values(node)) walk(child);
  };
  walk(value);
}

// Only arrays and plain objects hold keys a file gave: a typed array, Map or class instance is not walked.
function isContainer(value: unknown): value is object {
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
