/**
 * A YAML document's mapping keys as PyYAML's safe_load holds them, recorded beside the parsed value (see
 * lib/source_keys.ts): the file's order (js-yaml's objects list integer-like keys first) and the type of a
 * key PyYAML reads as other than text (`1:` an int, `2024-01-02:` a date, `true:` a bool).
 */
import { load, type LoadOptions, type Schema } from "js-yaml";
import { isIndexKey, markSourceKeys, recordSourceKeys } from "../source_keys.ts";
import { plainIsString } from "./pyyaml_dump.ts";

/**
 * `value` (js-yaml's parse of `text` with `schema`) with its mappings' keys recorded, when some key is
 * integer-like or would not read back as text: then parsed again, with js-yaml's node listener, whose
 * result is returned. Any other value is returned as it is, at the cost of one walk over its keys.
 *
 * @example
 * ```ts
 * const value = withYamlSourceKeys("2: a\n1: b\n", PYYAML_SCHEMA, load(text, { schema: PYYAML_SCHEMA }));
 * pyyamlDump(value, { sortKeys: false }); // "2: a\n1: b\n"
 * ```
 */
export function withYamlSourceKeys(text: string, schema: Schema, value: unknown): unknown {
  if (!hasTypedOrIndexKey(value, new Set())) return value;
  // Each composed node's children in document order; for a mapping: key, value, key, value…
  const stack: { children: unknown[] }[] = [{ children: [] }];
  const listener = (event: "open" | "close", state: { result: unknown }) => {
    if (event === "open") return void stack.push({ children: [] });
    const { children } = stack.pop()!;
    const result = state.result;
    stack[stack.length - 1].children.push(result);
    // js-yaml reports a flow mapping in a sequence twice, the outer node with the inner as its only child.
    if (typeof result !== "object" || result === null || Array.isArray(result) || children.length < 2) return;
    const keys = children.filter((_, i) => i % 2 === 0);
    // A merged mapping (`<<: *base`) or a key that is itself a collection is left in JavaScript's order.
    const own = Object.keys(result);
    const scalar = keys.every((key) => typeof key !== "object" || key === null || key instanceof Date);
    if (!scalar || keys.length !== own.length || !keys.every((key) => Object.hasOwn(result, String(key)))) {
      return;
    }
    if (keys.some((key) => typeof key !== "string" || isIndexKey(key))) recordSourceKeys(result, keys);
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
