/**
 * What PyYAML's safe_load holds of a YAML document that js-yaml's plain values lose, recorded beside the
 * parsed value (see lib/source_keys.ts): the file's key order (js-yaml's objects list integer-like keys
 * first), the type of a key PyYAML reads as other than text (`1:` an int, `2024-01-02:` a date, `true:` a
 * bool) and floats without a fraction (`1.0`, which PyYAML writes back as `1.0`).
 */
import { load, type LoadOptions, type Schema } from "js-yaml";
import { isIndexKey, markSourceKeys, recordIntegralFloats, recordSourceKeys } from "../source_keys.ts";
import { plainIsString } from "./pyyaml_dump.ts";

// A dot followed by zeros only (`1.0`, `1_0.0_0`), an exponent (`2.5e+1`, OmegaConf's `1e3`) or a float
// tag (`!!float 3`): only then can a float be integral.
const MAY_HOLD_INTEGRAL_FLOAT = /[0-9_]\.[0_]*(?![0-9])|[0-9_.][eE][-+]?[0-9]|!!float|:float>/;
const FLOAT_TAG = "tag:yaml.org,2002:float";

/**
 * `value` (js-yaml's parse of `text` with `schema`) with what PyYAML keeps recorded, when some key is
 * integer-like or would not read back as text, or the text may hold a float without a fraction: then
 * parsed again, with js-yaml's node listener, whose result is returned. Any other value is returned as it
 * is, at the cost of one walk over its keys.
 *
 * @example
 * ```ts
 * const value = withYamlSourceKeys("2: a\n1: b\n", PYYAML_SCHEMA, load(text, { schema: PYYAML_SCHEMA }));
 * pyyamlDump(value, { sortKeys: false }); // "2: a\n1: b\n"
 * ```
 */
export function withYamlSourceKeys(text: string, schema: Schema, value: unknown): unknown {
  if (!MAY_HOLD_INTEGRAL_FLOAT.test(text) && !hasTypedOrIndexKey(value, new Set())) return value;
  // Each composed node's children in document order (for a mapping: key, value, key, value…), and
  // whether each is a float without a fraction.
  const stack: { children: unknown[]; floats: boolean[] }[] = [{ children: [], floats: [] }];
  const listener = (event: "open" | "close", state: { result: unknown; tag?: string | null }) => {
    if (event === "open") return void stack.push({ children: [], floats: [] });
    const { children, floats } = stack.pop()!;
    const result = state.result;
    const parent = stack[stack.length - 1];
    parent.children.push(result);
    // js-yaml reports a block sequence's item (and a flow mapping in a sequence) twice, the outer node with
    // the inner as its only child: the outer is what the inner is.
    const wrapper = children.length === 1 && Object.is(children[0], result);
    parent.floats.push((state.tag === FLOAT_TAG || (wrapper && floats[0])) && Number.isInteger(result));
    if (typeof result !== "object" || result === null) return;
    if (Array.isArray(result)) {
      if (children.length !== result.length) return;
      const found = new Map<string, number>();
      floats.forEach((float, i) => float && found.set(String(i), result[i]));
      return recordIntegralFloats(result, found);
    }
    if (children.length < 2) return; // a wrapper (above): the inner node recorded the mapping
    const keys = children.filter((_, i) => i % 2 === 0);
    // A merged mapping (`<<: *base`) or a key that is itself a collection is left in JavaScript's order.
    const own = Object.keys(result);
    const scalar = keys.every((key) => typeof key !== "object" || key === null || key instanceof Date);
    if (!scalar || keys.length !== own.length || !keys.every((key) => Object.hasOwn(result, String(key)))) {
      return;
    }
    if (keys.some((key) => typeof key !== "string" || isIndexKey(key))) recordSourceKeys(result, keys);
    const found = new Map<string, number>();
    keys.forEach((key, i) => {
      const value = (result as Record<string, unknown>)[String(key)];
      if (floats[2 * i + 1] && value === children[2 * i + 1]) found.set(String(key), value as number);
    });
    recordIntegralFloats(result, found);
  };
  const recorded = load(text, { schema, listener } as LoadOptions & { listener: typeof listener });
  markSourceKeys(recorded);
  return recorded;
}

function hasTypedOrIndexKey(value: unknown, seen: Set<object>): boolean {
  if (typeof value !== "object" || value === null || seen.has(value) || value instanceof Date) return false;
  seen.add(value);
  if (!Array.isArray(value)) {
    for (const key of Object.keys(value)) if (isIndexKey(key) || !plainIsString(key)) return true;
  }
  for (const child of Object.values(value)) if (hasTypedOrIndexKey(child, seen)) return true;
  return false;
}
