/**
 * Reading single values and flow texts with js-yaml's loader. kmlf writes YAML with one emitter, PyYAML's
 * (./pyyaml_dump.ts): js-yaml's dumper stays out of the bundle.
 */
import { CORE_SCHEMA, load, type Schema } from "./_js_yaml.js";
import { OMEGACONF_SCHEMA, YamlValueError } from "./yaml11.ts";

/**
 * Parses text as a scalar the way OmegaConf's grammar reads an interpolation's argument (`1` → 1, `true` →
 * true, `null` → null; never a date); anything that is not a scalar, or not valid YAML, stays the string.
 * A scalar the schema resolves but cannot hold (an integer past 2^53 - 1) throws {@link YamlValueError}.
 *
 * @example
 * ```ts
 * parseScalar("1e-2"); // 0.01
 * ```
 */
export function parseScalar(text: string, schema: Schema = CORE_SCHEMA): unknown {
  try {
    const value = load(text, { schema });
    return value !== null && typeof value === "object" ? text : value ?? null;
  } catch (error) {
    if (error instanceof YamlValueError) throw error;
    return text;
  }
}

/**
 * Parses text as a YAML value the way OmegaConf reads a `--params` value (its YAML 1.1 loader: `no` is
 * false, `017` is 15): scalars, and flow collections (`[a, b]`, `{k: v}`) as lists and maps. Any other text
 * stays the string (`x: y` included, which YAML would read as a mapping); `undefined` when text opens a
 * flow collection that does not parse; throws {@link YamlValueError} for a value kmlf cannot hold.
 *
 * @example
 * ```ts
 * parseFlowValue("[a, 1]"); // ["a", 1]
 * parseFlowValue("[a"); // undefined
 * ```
 */
export function parseFlowValue(text: string): unknown {
  if (!/^[[{]/.test(text)) return parseScalar(text, OMEGACONF_SCHEMA);
  try {
    return load(text, { schema: OMEGACONF_SCHEMA });
  } catch (error) {
    if (error instanceof YamlValueError) throw error;
    return undefined;
  }
}

/**
 * Parses text as one YAML value of any kind, as OmegaConf reads YAML (`oc.create`'s text; throws on invalid
 * YAML).
 *
 * @example
 * ```ts
 * parseYaml("{a: [1, 2], b: yes}"); // { a: [1, 2], b: true }
 * ```
 */
export function parseYaml(text: string): unknown {
  return load(text, { schema: OMEGACONF_SCHEMA });
}
