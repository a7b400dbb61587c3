/**
 * What PyYAML's safe_load holds of a YAML document that js-yaml's plain values lose, recorded beside the
 * parsed value (see lib/source_keys.ts): the file's key order (js-yaml's objects list integer-like keys
 * first), the type of a key PyYAML reads as other than text (`1:` an int, `2024-01-02:` a date, `true:` a
 * bool) and floats without a fraction (`1.0`, which PyYAML writes back as `1.0`).
 */
import { load, type LoadOptions, type Schema } from "./_js_yaml.js";
import {
  isIndexKey,
  markSourceKeys,
  recordIntegralFloats,
  recordSourceKeys,
  sourceFloats,
  sourceKey,
  sourceKeyOrder,
} from "../source_keys.ts";
import type { YamlListener } from "./limits.ts";
import { plainIsString } from "./yaml11.ts";

// A dot followed by zeros only (`1.0`, `1_0.0_0`), an exponent (`2.5e+1`, OmegaConf's `1e3`) or a float
// tag (`!!float 3`): only then can a float be integral.
const MAY_HOLD_INTEGRAL_FLOAT = /[0-9_]\.[0_]*(?![0-9])|[0-9_.][eE][-+]?[0-9]|!!float|:float>/;
const FLOAT_TAG = "tag:yaml.org,2002:float";
const MERGE_TAG = "tag:yaml.org,2002:merge";

// A composed node's children in document order (for a mapping: key, value, key, value…), whether each is
// a float without a fraction, and whether each is a merge key (`<<`).
interface Frame {
  children: unknown[];
  floats: boolean[];
  merges: boolean[];
}
// A merge key, which puts the merged mapping's keys before the mapping's own (PyYAML's flatten_mapping).
const MAY_MERGE = /<<\s*:/;

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
  if (!yamlTextMayNeedSources(text) && !hasTypedOrIndexKey(value, new Set())) return value;
  const { listener } = yamlSourceListener();
  const recorded = load(text, { schema, listener } as LoadOptions & { listener: typeof listener });
  markSourceKeys(recorded);
  return recorded;
}

/**
 * Whether the text alone shows that a parse must record (a float that may be integral, a merge key): then
 * the first parse takes {@link yamlSourceListener}'s listener and no second parse is needed.
 *
 * @example
 * ```ts
 * yamlTextMayNeedSources("lr: 1.0\n"); // true
 * ```
 */
export function yamlTextMayNeedSources(text: string): boolean {
  return MAY_HOLD_INTEGRAL_FLOAT.test(text) || MAY_MERGE.test(text);
}

/**
 * A js-yaml node listener recording, as the parse composes each node, what PyYAML keeps (key order, key
 * types, integral floats); call `markSourceKeys` on the parsed value after it.
 *
 * @example
 * ```ts
 * const { listener } = yamlSourceListener();
 * const value = load(text, { schema, listener });
 * markSourceKeys(value);
 * ```
 */
export function yamlSourceListener(): { listener: YamlListener; topIsIntegralFloat(): boolean } {
  const root: Frame = { children: [], floats: [], merges: [] };
  const stack: Frame[] = [root];
  const listener: YamlListener = (event, state) => {
    if (event === "open") return void stack.push({ children: [], floats: [], merges: [] });
    const { children, floats, merges } = stack.pop()!;
    const result = state.result;
    const parent = stack[stack.length - 1];
    parent.children.push(result);
    // js-yaml reports a block sequence's item (and a flow mapping in a sequence) twice, the outer node with
    // the inner as its only child: the outer is what the inner is.
    const wrapper = children.length === 1 && Object.is(children[0], result);
    parent.floats.push((state.tag === FLOAT_TAG || (wrapper && floats[0])) && Number.isInteger(result));
    parent.merges.push(state.tag === MERGE_TAG);
    if (typeof result !== "object" || result === null) return;
    if (Array.isArray(result)) {
      if (children.length !== result.length) return;
      const found = new Map<string, number>();
      floats.forEach((float, i) => float && found.set(String(i), result[i]));
      return recordIntegralFloats(result, found);
    }
    if (children.length < 2) return; // a wrapper (above): the inner node recorded the mapping
    recordMapping(result as Record<string, unknown>, { children, floats, merges });
  };
  // The document's value is the last node closed at the top (its wrappers close after it).
  return { listener, topIsIntegralFloat: () => root.floats.at(-1) === true };
}

/**
 * `value`, js-yaml's parse of the single value `text` (a scalar or a flow collection, as `--params` gives
 * one), with what PyYAML keeps recorded inside it, and whether it is itself a float without a fraction
 * (`1.0`, `1e3`: its container records that, see lib/source_keys.ts). Parsed again only when the text may
 * hold such a float.
 *
 * @example
 * ```ts
 * yamlValueWithSources("1.0", OMEGACONF_SCHEMA, 1); // { value: 1, integralFloat: true }
 * ```
 */
export function yamlValueWithSources(
  text: string,
  schema: Schema,
  value: unknown,
): { value: unknown; integralFloat: boolean } {
  const may = typeof value === "object"
    ? value !== null
    : typeof value === "number" && Number.isInteger(value);
  if (!may || !MAY_HOLD_INTEGRAL_FLOAT.test(text)) return { value, integralFloat: false };
  const { listener, topIsIntegralFloat } = yamlSourceListener();
  const recorded = load(text, { schema, listener } as LoadOptions & { listener: typeof listener });
  markSourceKeys(recorded);
  return { value: recorded, integralFloat: topIsIntegralFloat() };
}

/**
 * The keys of a mapping in PyYAML's order, from its children (key, value, …): a merge (`<<: *base`,
 * `<<: [*a, *b]`) puts the merged mappings' keys first (b's, then a's, as flatten_mapping does), then the
 * mapping's own; a key listed twice keeps its first place. Its floats without a fraction too. A mapping
 * with a key that is itself a collection is left in JavaScript's order.
 */
function recordMapping(result: Record<string, unknown>, { children, floats, merges }: Frame): void {
  const mergedKeys: unknown[] = [];
  const keys: unknown[] = [];
  const found = new Map<string, number>();
  const merged = (key: string, source: unknown) => {
    if (typeof source !== "object" || source === null || Array.isArray(source)) return;
    mergedKeys.push(sourceKey(source, key));
    const float = sourceFloats(source)?.get(key);
    if (float !== undefined && result[key] === float) found.set(key, float);
  };
  for (let i = 0; i < children.length; i += 2) {
    const key = children[i];
    if (typeof key === "object" && key !== null && !(key instanceof Date)) return;
    const value = children[i + 1];
    // A plain `<<` is a merge; a quoted '<<' is the text.
    if (merges[i]) {
      const sources = Array.isArray(value) ? [...value].reverse() : [value];
      for (const source of sources) for (const k of sourceKeyOrder(source ?? {})) merged(k, source);
      continue;
    }
    keys.push(key);
    if (floats[i + 1] && result[String(key)] === value) found.set(String(key), value as number);
  }
  const seen = new Set<string>();
  const order = [...mergedKeys, ...keys].filter((key) => !seen.has(String(key)) && seen.add(String(key)));
  const own = Object.keys(result);
  if (order.length !== own.length || !order.every((key) => Object.hasOwn(result, String(key)))) return;
  recordSourceKeys(result, order);
  recordIntegralFloats(result, found);
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
