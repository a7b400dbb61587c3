/**
 * Records keyed by user strings that keep their keys in a given order, as a Python dict does. A plain
 * JavaScript object lists integer-like keys (`"2"`, `"10"`) first, in numeric order, whatever order they were
 * added in: partitions `a`, `10`, `2` would come out `2`, `10`, `a` where Kedro gives `10`, `2`, `a`.
 *
 * @module
 */

const ORDERED = new WeakSet<object>();

/**
 * An object with `entries`' keys in their order for `Object.keys/entries`, `for...in`, spreading and
 * `JSON.stringify` (a Proxy whose `ownKeys` keeps the order; keys added later come after, in the order they
 * were added). Reading and writing values works as on a plain object.
 *
 * @example
 * ```ts
 * Object.keys(orderedRecord([["b", 1], ["10", 2], ["2", 3]])); // ["b", "10", "2"]
 * ```
 */
export function orderedRecord<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  // Insertion order, kept by a Set (delete and re-add in constant time: thousands of partitions).
  const order = new Set<string>();
  const target: Record<string, T> = {};
  for (const [key, value] of entries) {
    order.add(key);
    target[key] = value;
  }
  const record = new Proxy(target, {
    ownKeys(t) {
      const keys: (string | symbol)[] = [];
      for (const k of order) if (Object.hasOwn(t, k)) keys.push(k);
      for (const k of Reflect.ownKeys(t)) if (typeof k === "symbol" || !order.has(k)) keys.push(k);
      return keys;
    },
    defineProperty(t, key, descriptor) {
      if (typeof key === "string") order.add(key);
      return Reflect.defineProperty(t, key, descriptor);
    },
    deleteProperty(t, key) {
      if (typeof key === "string") order.delete(key);
      return Reflect.deleteProperty(t, key);
    },
  });
  ORDERED.add(record);
  return record;
}

/**
 * Whether `value` was made by {@link orderedRecord} (structuredClone cannot copy it: copy its entries).
 *
 * @example
 * ```ts
 * isOrderedRecord(orderedRecord([["a", 1]])); // true
 * isOrderedRecord({ a: 1 }); // false
 * ```
 */
export function isOrderedRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && ORDERED.has(value);
}
