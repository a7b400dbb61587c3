/** Writing YAML and reading single scalars, with one library (js-yaml) and one set of options. */
import { dump, load } from "js-yaml";

/**
 * Serializes a value as block-style YAML (no anchors, no line folding).
 *
 * @example
 * ```ts
 * toYaml({ a: [1, 2] }); // "a:\n  - 1\n  - 2\n"
 * ```
 */
export function toYaml(value: unknown): string {
  return dump(value, { noRefs: true, lineWidth: -1, skipInvalid: false });
}

/**
 * Parses text as a YAML scalar (`1` → 1, `true` → true, `null` → null); anything that is not a
 * scalar, or not valid YAML, stays the original string.
 *
 * @example
 * ```ts
 * parseScalar("1e-2"); // 0.01
 * ```
 */
export function parseScalar(text: string): unknown {
  try {
    const value = load(text);
    return value !== null && typeof value === "object" ? text : value ?? null;
  } catch {
    return text;
  }
}
