/**
 * Why a value cannot be written as JSON or YAML, and where: text formats hold plain data, so a BigInt,
 * a cycle (an object containing itself), a function or a symbol inside it is named by its path
 * (`value.model.weights[3]`) instead of surfacing as the serializer's bare TypeError; so is a Map, a
 * Set, a typed array, an Error or a RegExp, which JSON.stringify would silently write as `{}`, an
 * invalid Date, and — in JSON, which has no such numbers — NaN and the infinities (written `null`).
 */
import { DatasetError } from "../../errors.ts";

/**
 * The built-in object kinds that JSON.stringify writes as `{}` (or a typed array as `{"0": …}`), losing
 * their content; undefined for plain objects, arrays, dates and anything with its own toJSON.
 *
 * @example
 * ```ts
 * lossyKind(new Map()); // "a Map"
 * ```
 */
export function lossyKind(value: object): string | undefined {
  if (value instanceof Map) return "a Map";
  if (value instanceof Set) return "a Set";
  if (value instanceof WeakMap || value instanceof WeakSet) return `a ${value.constructor.name}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (value instanceof ArrayBuffer) return "an ArrayBuffer";
  if (value instanceof Error) return "an Error";
  if (value instanceof RegExp) return "a RegExp";
  if (value instanceof Promise) return "a promise";
  return undefined;
}

/**
 * A `JSON.stringify` replacer that throws on a value JSON would not keep — one {@link lossyKind} names,
 * NaN, an infinity, an invalid Date — (cheaply: plain objects and arrays pass at once), so the caller can
 * report it with its path rather than write `{}` or `null`.
 *
 * @example
 * ```ts
 * JSON.stringify({ a: new Set([1]) }, refuseLossy); // throws
 * ```
 */
export function refuseLossy(this: unknown, key: string, value: unknown): unknown {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError("lossy value");
  } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null && lossyKind(value)) throw new TypeError("lossy value");
  } else if (value === null && isInvalidDate((this as Record<string, unknown>)[key])) {
    throw new TypeError("lossy value"); // toJSON has already made it null
  }
  return value;
}

function isInvalidDate(value: unknown): boolean {
  return value instanceof Date && Number.isNaN(value.getTime());
}

/**
 * The first value a text format cannot hold, with its path, or undefined (`json`: NaN and the
 * infinities too). Walks iteratively.
 *
 * @example
 * ```ts
 * findUnserializable({ a: [1, NaN] }, { json: true }); // { path: "value.a[1]", what: "NaN" }
 * ```
 */
export function findUnserializable(
  data: unknown,
  options: { json?: boolean } = {},
): { path: string; what: string } | undefined {
  const ancestors = new Set<object>();
  const stack: { value: unknown; path: string; leave?: object }[] = [{ value: data, path: "value" }];
  while (stack.length > 0) {
    const { value, path, leave } = stack.pop()!;
    if (leave) {
      ancestors.delete(leave);
      continue;
    }
    if (typeof value === "bigint") return { path, what: `a BigInt (${value}n)` };
    if (typeof value === "function") return { path, what: "a function" };
    if (typeof value === "symbol") return { path, what: "a symbol" };
    if (options.json && typeof value === "number" && !Number.isFinite(value)) {
      return { path, what: String(value) };
    }
    if (value === null || typeof value !== "object") continue;
    if (ancestors.has(value)) return { path, what: "a reference to an object containing it (a cycle)" };
    const lossy = lossyKind(value);
    if (lossy) return { path, what: lossy };
    if (isInvalidDate(value)) return { path, what: "an invalid Date" };
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function" || value instanceof Date) continue; // serializes itself
    ancestors.add(value);
    stack.push({ value: undefined, path, leave: value });
    const entries = Array.isArray(value) ? value.map((v, i) => [`[${i}]`, v] as const) : Object.entries(value)
      .map(([k, v]) => [/^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`, v] as const);
    for (const [suffix, child] of entries.reverse()) {
      stack.push({ value: child, path: `${path}${suffix}` });
    }
  }
  return undefined;
}

/**
 * A DatasetError naming what in `data` a text format (`format`) cannot hold, or undefined when the
 * failure has another cause.
 *
 * @example
 * ```ts
 * throw unserializableError({ n: 1n }, "JSON") ?? error;
 * ```
 */
export function unserializableError(data: unknown, format: string): DatasetError | undefined {
  const found = findUnserializable(data, { json: format === "JSON" });
  if (!found) return undefined;
  return new DatasetError(
    "dataset/not-serializable",
    `${format} cannot hold ${found.what} at ${found.path}`,
    {
      hint: /^(NaN|-?Infinity)$/.test(found.what)
        ? "JSON has no NaN or infinity (it would be written as null): use null for a missing value, or a " +
          "YAML, Parquet or pickle dataset, which keep them"
        : found.what === "an invalid Date"
        ? "the node made a Date from a value that is not a date: fix it, or use null for a missing one"
        : found.what.startsWith("a BigInt")
        ? "convert it first (Number(x) when it fits, else String(x)), or save to a pickle dataset"
        : found.what.includes("cycle")
        ? "save a copy without the back-reference, or use a pickle dataset (it keeps references)"
        : /^an? (Map|Set|\w+Array|ArrayBuffer)$/.test(found.what)
        ? "convert it first (Object.fromEntries(map), [...set], Array.from(typedArray)), or use a pickle dataset"
        : `return plain data (objects, arrays, numbers, strings, booleans), or use a pickle dataset`,
    },
  );
}
