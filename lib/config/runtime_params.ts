/** `--params "a=1,b.c=x"` parsing, like Kedro's `_split_params` + OmegaConf dotlist. */
import { parseFlowValue } from "../yaml/dump.ts";
import { OMEGACONF_SCHEMA, YamlValueError } from "../yaml/yaml11.ts";
import { yamlValueWithSources } from "../yaml/source_keys_yaml.ts";
import { isSourceFloat, markSourceKeys, recordIntegralFloats } from "../source_keys.ts";
import { UsageError } from "../errors.ts";
import { isRecord, setOwn } from "./merge.ts";

/**
 * Parses runtime parameters: items split on commas, each on its first `=`, or on its first `:` when that
 * comes before any `=` (`a.b:8`, as `kedro run --help` documents); dotted keys nest;
 * values are YAML scalars (`1` → 1, `1e-2` → 0.01, `true` → true, empty → null, `1a` → "1a") or, as
 * OmegaConf reads them, flow lists and maps (`[a]`, `{k: 1}`; no commas inside: items split on every comma).
 * The last duplicate wins. A float without a fraction (`1.0`, `1e3`, `-0.0`) stays marked a float
 * (lib/source_keys.ts), so it is logged and written `1.0` as Python's `str(1.0)`, not `1`.
 *
 * @example
 * ```ts
 * parseRuntimeParams("a=1,b.c=x,d=true"); // { a: 1, b: { c: "x" }, d: true }
 * ```
 */
export function parseRuntimeParams(text: string, argName = "--params"): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const floats = new FloatSlots();
  for (const raw of text.split(",")) {
    const item = raw.trim();
    if (item === "") continue;
    const eq = separatorOf(item);
    if (eq < 0) {
      throw new UsageError("cli/bad-params", `Cannot parse ${argName} item "${item}": it has no "=" or ":"`, {
        hint:
          `write key=value (or key:value) pairs separated by commas, e.g. ${argName} "model.lr=0.1,seed:3"`,
      });
    }
    const key = item.slice(0, eq).trim();
    if (key === "" || key.split(".").some((k) => k === "")) {
      const what = key === "" ? "the key is empty" : `the key "${key}" has an empty part`;
      throw new UsageError("cli/bad-params", `Cannot parse ${argName} item "${item}": ${what}`, {
        hint: "give every value a key like name=value or section.name=value",
      });
    }
    const text = item.slice(eq + 1).trim();
    const { value, integralFloat } = text === ""
      ? { value: null, integralFloat: false }
      : readValue(text, item, argName);
    if (value === undefined) {
      throw new UsageError(
        "cli/bad-params",
        `Cannot parse ${argName} item "${item}": "${text}" is not a YAML value`,
        {
          hint: `items split on every comma, so a list or map in ${argName} holds one element at most ` +
            `(${key}=[a] or ${key}={k: v}); set longer ones in parameters.yml`,
        },
      );
    }
    floats.set(setPath(result, key.split("."), value), key.split(".").at(-1)!, value, integralFloat);
  }
  return floats.record(result);
}

/**
 * Runtime parameters given as a mapping (a run config file's `run.params`, kept as Kedro keeps it): values
 * keep their YAML types (`"a,b"` stays text, lists stay lists), and dotted keys nest as in `--params`.
 *
 * @example
 * ```ts
 * runtimeParamsFromMapping({ "split.seed": 3, label: "a,b" }); // { split: { seed: 3 }, label: "a,b" }
 * ```
 */
export function runtimeParamsFromMapping(mapping: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const floats = new FloatSlots();
  // `float`: the file held a float without a fraction there (`lr: 1.0`), which the value keeps.
  const walk = (value: unknown, keys: string[], float: boolean): void => {
    if (isRecord(value) && (keys.length === 0 || Object.keys(value).length > 0)) {
      for (const [key, child] of Object.entries(value)) {
        walk(child, [...keys, ...key.split(".")], isSourceFloat(value, key, child));
      }
    } else floats.set(setPath(result, keys, value), keys[keys.length - 1], value, float);
  };
  walk(mapping, [], false);
  return floats.record(result);
}

// The value of one item, and whether it is a float without a fraction (recorded by its container).
function readValue(text: string, item: string, argName: string): { value: unknown; integralFloat: boolean } {
  try {
    return yamlValueWithSources(text, OMEGACONF_SCHEMA, parseFlowValue(text));
  } catch (error) {
    if (!(error instanceof YamlValueError)) throw error;
    throw new UsageError("cli/bad-params", `Cannot read ${argName} item "${item}": ${error.message}`, {
      hint: `quote the value to keep it as text, e.g. ${argName} "${
        item.slice(0, item.length - text.length)
      }'${text}'"`,
    });
  }
}

// Kedro's rule: "=" splits when it comes before any ":" (so values may hold colons: `url=http://x`);
// otherwise the first ":" does (so values may hold "=": `filter:a=b`).
function separatorOf(item: string): number {
  const eq = item.indexOf("=");
  const colon = item.indexOf(":");
  if (colon < 0) return eq;
  return eq >= 0 && eq < colon ? eq : colon;
}

// Sets `value` at `keys`, making mappings on the way; returns the mapping it was set in.
function setPath(target: Record<string, unknown>, keys: string[], value: unknown): Record<string, unknown> {
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (!Object.hasOwn(node, key) || !isRecord(node[key])) setOwn(node, key, {});
    node = node[key] as Record<string, unknown>;
  }
  setOwn(node, keys[keys.length - 1], value);
  return node;
}

// The integral floats of the mappings runtime parameters are set in: a later item at the same key replaces
// an earlier one's (`lr=1.0,lr=1` is the int 1).
class FloatSlots {
  readonly #slots = new Map<object, Map<string, number>>();

  set(container: object, key: string, value: unknown, float: boolean): void {
    let slots = this.#slots.get(container);
    if (float && !slots) this.#slots.set(container, slots = new Map());
    if (float) slots!.set(key, value as number);
    else slots?.delete(key);
  }

  record<T>(result: T): T {
    if (this.#slots.size === 0) return result;
    for (const [container, slots] of this.#slots) recordIntegralFloats(container, slots);
    markSourceKeys(result); // so copies (clonePlain, MemoryDataset) find the marks below the top
    return result;
  }
}
