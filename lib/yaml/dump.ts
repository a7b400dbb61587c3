/** Writing YAML and reading single values, with one library (js-yaml) and one set of options. */
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

/**
 * Parses text as a YAML value the way OmegaConf reads a `--params` value: scalars as {@link parseScalar}
 * does, and flow collections (`[a, b]`, `{k: v}`) as lists and maps. Any other text stays the string
 * (`x: y` included, which YAML would read as a mapping); `undefined` when text opens a flow collection
 * that does not parse.
 *
 * @example
 * ```ts
 * parseFlowValue("[a, 1]"); // ["a", 1]
 * parseFlowValue("[a"); // undefined
 * ```
 */
export function parseFlowValue(text: string): unknown {
  if (!/^[[{]/.test(text)) return parseScalar(text);
  try {
    return parseYaml(text);
  } catch {
    return undefined;
  }
}

/**
 * Parses text as one YAML value of any kind (throws on invalid YAML).
 *
 * @example
 * ```ts
 * parseYaml("{a: [1, 2]}"); // { a: [1, 2] }
 * ```
 */
export function parseYaml(text: string): unknown {
  return load(text);
}
