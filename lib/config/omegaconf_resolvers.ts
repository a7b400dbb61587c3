/**
 * OmegaConf's own resolvers that Kedro keeps and that read the config itself: `oc.select`, `oc.dict.keys`,
 * `oc.dict.values`, `oc.decode`, `oc.create` (`oc.env` reads the environment: ./interpolate.ts, beside
 * kmlf's `env`). What the file held and a plain JavaScript value loses is kept, as OmegaConf keeps it: a
 * float without a fraction (`1.0`) stays a float (a {@link HeldFloat}, or marked on its container), and a
 * mapping's keys keep the file's order and types (`oc.dict.keys` of `{a: 1, 2: x}` is `['a', 2]`).
 *
 * @module
 */
import { parseYaml } from "../yaml/dump.ts";
import { OMEGACONF_SCHEMA } from "../yaml/yaml11.ts";
import { withYamlSourceKeys, yamlValueWithSources } from "../yaml/source_keys_yaml.ts";
import { pyStr } from "../py_repr.ts";
import { sourceKey, sourceKeyOrder } from "../source_keys.ts";
import { heldAt, HeldFloat, plainOf, settleFloats } from "./_held_float.ts";
import { isRecord, MISSING } from "./merge.ts";

/** OmegaConf's resolvers Kedro keeps available (`oc.env` only in credentials). */
export const OMEGACONF_RESOLVERS: readonly string[] = [
  "oc.env",
  "oc.select",
  "oc.dict.keys",
  "oc.dict.values",
  "oc.decode",
  "oc.create",
];

/** What an OmegaConf resolver can reach of the interpolation calling it, at the node being resolved. */
export interface ResolverScope {
  /** The value at a key path (relative ones too); with `ifMissing`, MISSING for a key that is not there. */
  lookup(ref: string, ifMissing?: boolean): unknown;
  /** Text read with OmegaConf's argument grammar, interpolations resolved. */
  element(text: string): unknown;
  /** Throws the interpolation error for this node. */
  fail(message: string, hint: string): never;
}

/**
 * The value of `${name:…}` for one of OmegaConf's config-reading resolvers (not `oc.env`), from its
 * arguments' text (`args`) and values (`elements`, a float without a fraction a {@link HeldFloat}); undefined
 * for any other name.
 *
 * @example
 * ```ts
 * omegaConfResolver("oc.select", ["model.lr", "0.5"], ["model.lr", 0.5], scope); // model.lr, else 0.5
 * ```
 */
export function omegaConfResolver(
  name: string,
  args: readonly string[],
  elements: readonly unknown[],
  scope: ResolverScope,
): unknown {
  switch (name) {
    case "oc.select": {
      // OmegaConf's: the value at a key path (relative paths too), else the default (else null).
      if (args.length < 1 || args.length > 2) {
        scope.fail(
          `\${oc.select:…} takes a key and an optional default, got ${args.length} argument(s)`,
          "write ${oc.select:a.b} or ${oc.select:a.b, default}",
        );
      }
      const found = scope.lookup(args[0].trim(), true);
      return found !== MISSING ? found : args.length > 1 ? elements[1] : null;
    }
    case "oc.dict.keys":
    case "oc.dict.values": {
      const node = args.length === 1 ? plainOf(scope.lookup(args[0].trim())) : undefined;
      if (!isRecord(node)) {
        return scope.fail(
          `\${${name}:…} needs the key path of a mapping${
            args.length === 1 ? `, and "${args[0].trim()}" is not one` : ""
          }`,
          `write \${${name}:some.mapping}`,
        );
      }
      // The file's order and key types (`2:` is the int 2), its floats written 1.0.
      const keys = sourceKeyOrder(node);
      if (name === "oc.dict.keys") return keys.map((key) => sourceKey(node, key));
      const items = keys.map((key, i) => [String(i), heldAt(node, key, node[key])] as const);
      const values = items.map(([, value]) => plainOf(value));
      settleFloats(values, items);
      return values;
    }
    case "oc.decode":
    case "oc.create": {
      if (args.length !== 1) {
        scope.fail(
          `\${${name}:…} takes one argument, got ${args.length}`,
          `write \${${name}:'[1, 2]'} (quote text with commas)`,
        );
      }
      const value = plainOf(elements[0]);
      // OmegaConf's oc.decode reads text with the resolver-argument grammar; oc.create reads it as YAML.
      if (name === "oc.decode") {
        if (value === null) return null;
        if (typeof value !== "string") {
          scope.fail(
            `\${oc.decode:…} takes text, got ${pyStr(value)}`,
            "quote the argument: ${oc.decode:'[1, 2]'}",
          );
        }
        if (value === "") scope.fail("${oc.decode:…} got empty text", "give it a value: ${oc.decode:'1'}");
        return scope.element(value as string);
      }
      if (typeof value !== "string") return elements[0];
      const decoded = decodeYaml(value);
      if (decoded === MISSING) {
        return scope.fail(
          `\${oc.create:…} cannot read ${JSON.stringify(value)} as YAML`,
          "give a YAML value: a number, true/false, null, [a, b] or {k: v}",
        );
      }
      return decoded;
    }
    default:
      return undefined;
  }
}

// A YAML value of any kind (`oc.create`, read as OmegaConf reads YAML, its 1.0 floats and keys as the text
// has them), or MISSING when the text is not YAML.
function decodeYaml(text: string): unknown {
  try {
    const parsed = parseYaml(text) ?? null;
    if (typeof parsed !== "number") return withYamlSourceKeys(text, OMEGACONF_SCHEMA, parsed) ?? null;
    const { value, integralFloat } = yamlValueWithSources(text, OMEGACONF_SCHEMA, parsed);
    return integralFloat ? new HeldFloat(value as number) : value;
  } catch {
    return MISSING;
  }
}
