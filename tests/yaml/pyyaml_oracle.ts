/**
 * Real PyYAML as a test oracle (tests/yaml/pyyaml_oracle.py, python3 with Debian's python3-yaml, a test
 * prerequisite): how PyYAML's safe_load and OmegaConf 2.3's loader read texts, what `safe_dump` writes, and
 * {@link sameValue}, which compares one of its readings with what kmlf read.
 */
import { fileURLToPath } from "node:url";
import { pythonOracle } from "../python_oracle.ts";

/** A value as PyYAML read it, tagged with its Python type; or the error PyYAML raised. */
export type PyValue =
  | { null: true }
  | { b: boolean }
  | { i: string }
  | { f: string }
  | { s: string }
  | { ts: number; str: string }
  | { d: string }
  | { bin: string }
  | { l: PyValue[] }
  | { m: [PyValue, PyValue][] }
  | { other: string }
  | { error: string };

/** One text as both Python readers read it. */
export interface PyReading {
  pyyaml: PyValue;
  omegaconf: PyValue;
}

const SCRIPT = fileURLToPath(new URL("./pyyaml_oracle.py", import.meta.url));

/**
 * Reads every text with PyYAML and OmegaConf's loader, and writes every value as MLflow writes a meta.yaml
 * (`dump`: CSafeDumper), an MLmodel (`safe_dump`), a `log_dict` YAML file (`yaml_dump`) and with
 * `allow_unicode=True` and PyYAML's own emitter (`unicode_dump`), and writes each
 * `redump` text's reading again as Kedro's CLI prints (`yaml.dump`), in one python3 process (`libyaml`:
 * whether PyYAML has its C emitter, as pip's wheels do).
 *
 * @example
 * ```ts
 * const { load } = await pyyaml({ load: ["a: yes\n"] }); // load[0].pyyaml: { m: [[{ s: "a" }, { b: true }]] }
 * ```
 */
export async function pyyaml(
  request: {
    load?: string[];
    dump?: unknown[];
    safe_dump?: unknown[];
    yaml_dump?: unknown[];
    unicode_dump?: unknown[];
    redump?: string[];
  },
): Promise<
  {
    load: PyReading[];
    dump: string[];
    safe_dump: string[];
    yaml_dump: string[];
    unicode_dump: string[];
    redump: string[];
    libyaml: boolean;
  }
> {
  return await pythonOracle(SCRIPT, request);
}

/**
 * Whether kmlf's value is what Python read, where JavaScript can hold it: numbers by value (a Python
 * float `1.0` and int `1` are both the number 1 in JavaScript), dates as the same instant (a naive Python
 * datetime taken as UTC, a date as UTC midnight), mappings by key, keys as their JavaScript text.
 *
 * @example
 * ```ts
 * sameValue({ i: "15" }, 15); // true
 * ```
 */
export function sameValue(py: PyValue, js: unknown): boolean {
  if ("error" in py) return false;
  if ("null" in py) return js === null;
  if ("b" in py) return js === py.b;
  if ("s" in py) return js === py.s;
  if ("i" in py) {
    return typeof js === "number" && Number.isInteger(js) && !Object.is(js, -0) &&
      BigInt(js) === BigInt(py.i);
  }
  if ("f" in py) return typeof js === "number" && Object.is(js, pyFloat(py.f));
  if ("ts" in py) return js instanceof Date && js.getTime() === py.ts;
  if ("d" in py) return js instanceof Date && js.toISOString() === `${py.d.padStart(10, "0")}T00:00:00.000Z`;
  if ("l" in py) {
    return Array.isArray(js) && js.length === py.l.length && py.l.every((v, i) => sameValue(v, js[i]));
  }
  if ("m" in py) {
    if (js === null || typeof js !== "object" || Array.isArray(js)) return false;
    // By key, not by order: JavaScript puts integer-like keys first whatever the file's order.
    const record = js as Record<string, unknown>;
    return Object.keys(record).length === py.m.length && py.m.every(([k, v]) => {
      const key = jsKey(k);
      return key !== undefined && Object.hasOwn(record, key) && sameValue(v, record[key]);
    });
  }
  return false;
}

/** The JavaScript text kmlf gives a mapping key Python read as `key` (see lib/yaml/yaml11.ts). */
export function jsKey(key: PyValue): string | undefined {
  if ("s" in key) return key.s;
  if ("null" in key) return "null";
  if ("b" in key) return String(key.b);
  if ("i" in key) return key.i;
  if ("f" in key) return String(pyFloat(key.f));
  if ("d" in key) return key.d;
  if ("ts" in key) return key.str;
  return undefined;
}

function pyFloat(repr: string): number {
  return repr === "inf" ? Infinity : repr === "-inf" ? -Infinity : repr === "nan" ? NaN : Number(repr);
}
