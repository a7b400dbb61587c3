/**
 * The one test for "a mapping" (a YAML or JSON object): an object that is neither null nor an array. A leaf
 * module every layer may import.
 *
 * @module
 */

/**
 * Whether `value` is a mapping: an object, not null, not an array.
 *
 * @example
 * ```ts
 * isRecord({ a: 1 }); // true
 * isRecord([1]); // false
 * ```
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
