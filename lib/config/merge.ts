/** Deep merge of plain config objects (arrays and scalars are replaced, mappings merged). */
import type { KeyPath } from "../yaml/parse_yaml.ts";
export { clonePlain } from "../plain_copy.ts";
import { recordMergedKeys } from "../source_keys.ts";

import { isRecord } from "../is_record.ts";

export { isRecord };

/**
 * Sets an own property, so a config key named `__proto__` stays data instead of changing the prototype.
 *
 * @example
 * ```ts
 * const o: Record<string, unknown> = {};
 * setOwn(o, "__proto__", 1); // Object.keys(o) → ["__proto__"]
 * ```
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else target[key] = value;
}

/**
 * Returns a new object: `b` merged into `a`, recursively for nested mappings.
 *
 * @example
 * ```ts
 * deepMerge({ a: { x: 1, y: 2 } }, { a: { y: 3 } }); // { a: { x: 1, y: 3 } }
 * ```
 */
export function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(a)) setOwn(out, key, value);
  for (const [key, value] of Object.entries(b)) {
    const current = Object.hasOwn(out, key) ? out[key] : undefined;
    setOwn(out, key, isRecord(current) && isRecord(value) ? deepMerge(current, value) : value);
  }
  recordMergedKeys(out, [a, b]); // a file's key order, as OmegaConf's merge keeps it (`2:` before `1:`)
  return out;
}

/**
 * Every leaf path of a mapping (like Kedro's duplicate check: non-empty mappings are descended,
 * everything else is a leaf).
 *
 * @example
 * ```ts
 * leafPaths({ a: { b: 1, c: [2] }, d: {} }); // [["a", "b"], ["a", "c"], ["d"]]
 * ```
 */
export function leafPaths(value: Record<string, unknown>, prefix: string[] = []): string[][] {
  const paths: string[][] = [];
  for (const [key, child] of Object.entries(value)) {
    const path = [...prefix, key];
    if (isRecord(child) && Object.keys(child).length > 0) paths.push(...leafPaths(child, path));
    else paths.push(path);
  }
  return paths;
}

/**
 * How many leading segments of `path` exist in `value` (arrays indexed by number or numeric string).
 *
 * @example
 * ```ts
 * matchedDepth({ a: { b: [1] } }, ["a", "b", 0, "x"]); // 3
 * ```
 */
export function matchedDepth(value: unknown, path: KeyPath): number {
  let node = value;
  let depth = 0;
  for (const seg of path) {
    const next = childOf(node, seg);
    if (next === MISSING) break;
    node = next;
    depth++;
  }
  return depth;
}

/** Marks an absent child in {@link childOf}. */
export const MISSING: unique symbol = Symbol("missing");

/**
 * The child of a mapping (own keys only) or sequence, or {@link MISSING}.
 *
 * @example
 * ```ts
 * childOf({ a: 1 }, "toString"); // MISSING
 * ```
 */
export function childOf(node: unknown, seg: string | number): unknown {
  if (Array.isArray(node)) {
    const i = typeof seg === "number" ? seg : /^\d+$/.test(seg) ? Number(seg) : -1;
    return i >= 0 && i < node.length ? node[i] : MISSING;
  }
  if (isRecord(node) && Object.hasOwn(node, String(seg))) return node[String(seg)];
  return MISSING;
}
