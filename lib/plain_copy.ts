/** Copies of plain data (config, dataset arguments) handed to callers, so changing a copy changes no owner. */
import { copySourceKeys } from "./source_keys.ts";

/**
 * A copy of nested plain mappings and arrays (other objects, e.g. resolver results, are shared); a key
 * named `__proto__` stays data.
 *
 * @example
 * ```ts
 * const copy = clonePlain({ a: [1, { b: 2 }] });
 * ```
 */
export function clonePlain<T>(value: T): T {
  const copy = copyPlain(value);
  // The copy keeps what the source file said that a plain object loses (key order, 1.0 floats).
  copySourceKeys(value, copy);
  return copy;
}

function copyPlain<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyPlain) as T;
  if (typeof value !== "object" || value === null || Object.getPrototypeOf(value) !== Object.prototype) {
    return value;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === "__proto__") {
      Object.defineProperty(out, k, {
        value: copyPlain(v),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else out[k] = copyPlain(v);
  }
  return out as T;
}

/**
 * Freezes `value` and the plain mappings and arrays inside it (functions and other objects are left as they
 * are): state every caller reads and none may change, such as a session's project settings.
 *
 * @example
 * ```ts
 * const settings = deepFreezePlain({ hooks: [{ module: "/p/hooks.ts" }] });
 * settings.hooks.push({ module: "x" }); // TypeError
 * ```
 */
export function deepFreezePlain<T>(value: T): T {
  const plain = Array.isArray(value) ||
    (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype);
  if (!plain || Object.isFrozen(value)) return value;
  for (const v of Object.values(value as object)) deepFreezePlain(v);
  return Object.freeze(value);
}
