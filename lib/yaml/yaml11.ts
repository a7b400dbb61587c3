/**
 * The YAML rules the Python originals read with: PyYAML's SafeLoader (YAML 1.1), and OmegaConf's variant
 * of it, which Kedro's config loader uses. js-yaml follows YAML 1.2, where `yes`/`no`/`on`/`off` are text,
 * `017` is seventeen and `2024-01-01` a date in every file; a Kedro project's `use_gpu: no` would then be the
 * truthy string "no". So kmlf reads configuration as OmegaConf does, the YAML dataset, MLmodel and the file
 * store's meta.yaml as PyYAML's `safe_load` does, and writes YAML those readers read back unchanged (a
 * string that YAML 1.1 would resolve, such as "yes" or "1:30", is quoted).
 *
 * @module
 */
import { FAILSAFE_SCHEMA, type Schema, Type, types } from "js-yaml";

const TRUE = new Set(["yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]);
const FALSE = new Set(["no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]);

const bool = new Type("tag:yaml.org,2002:bool", {
  kind: "scalar",
  resolve: (data: string | null) => data !== null && (TRUE.has(data) || FALSE.has(data)),
  construct: (data: string) => TRUE.has(data),
  predicate: (value: unknown) => typeof value === "boolean",
  represent: { lowercase: (value: unknown) => (value ? "true" : "false") },
  defaultStyle: "lowercase",
});

// PyYAML's int: binary, octal with a leading 0, decimal, hex, and base 60 (`1:30` is 90); `_` ignored.
const INT =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;

function constructInt(data: string): number {
  let value = data.replace(/_/g, "");
  let sign = 1;
  if (value[0] === "-" || value[0] === "+") {
    if (value[0] === "-") sign = -1;
    value = value.slice(1);
  }
  if (value === "0") return 0;
  if (value.startsWith("0b")) return sign * parseInt(value.slice(2), 2);
  if (value.startsWith("0x")) return sign * parseInt(value.slice(2), 16);
  if (value[0] === "0") return sign * parseInt(value, 8);
  if (value.includes(":")) return sign * sexagesimal(value);
  return sign * Number(value);
}

function sexagesimal(value: string): number {
  return value.split(":").reduce((sum, digits) => sum * 60 + Number(digits), 0);
}

// Integers past 1e21 print in exponent form, which PyYAML reads as text without a dot: written as floats.
const isInt = (value: unknown) =>
  typeof value === "number" && Number.isInteger(value) && Math.abs(value) < 1e21 && !Object.is(value, -0);

const int = new Type("tag:yaml.org,2002:int", {
  kind: "scalar",
  resolve: (data: string | null) => data !== null && INT.test(data),
  construct: constructInt,
  predicate: isInt,
  represent: { decimal: (value: unknown) => String(value) },
  defaultStyle: "decimal",
});

// PyYAML's float needs a dot (`1e3` is text to it); OmegaConf adds the exponent-only form.
const PYYAML_FLOAT =
  String.raw`[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|` +
  String.raw`[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)`;
const OMEGACONF_FLOAT = String.raw`[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|` +
  String.raw`[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)|\.[0-9_]+(?:[eE][-+][0-9]+)?|` +
  String.raw`[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)`;

function constructFloat(data: string): number {
  let value = data.replace(/_/g, "").toLowerCase();
  let sign = 1;
  if (value[0] === "-" || value[0] === "+") {
    if (value[0] === "-") sign = -1;
    value = value.slice(1);
  }
  if (value === ".inf") return sign * Infinity;
  if (value === ".nan") return NaN;
  if (value.includes(":")) return sign * sexagesimal(value);
  return sign * Number(value);
}

function floatType(pattern: string): Type {
  const re = new RegExp(`^(?:${pattern})$`);
  // js-yaml writes `.inf`, `.nan`, `-0.0`, `1.5` and `1.e+21`: all of them read back by both patterns.
  const base = types.float as unknown as { represent: (value: unknown, style: string) => string };
  return new Type("tag:yaml.org,2002:float", {
    kind: "scalar",
    resolve: (data: string | null) => data !== null && re.test(data),
    construct: constructFloat,
    predicate: (value: unknown) => typeof value === "number" && !isInt(value),
    represent: { lowercase: (value: unknown) => base.represent(value, "lowercase") },
    defaultStyle: "lowercase",
  });
}

const implicit = [types.null, bool, int];

/**
 * PyYAML's `safe_load`/`safe_dump` rules (YAML 1.1): what MLflow and Kedro's YAML dataset read and write.
 *
 * @example
 * ```ts
 * load("a: yes\nb: 017\n", { schema: PYYAML_SCHEMA }); // { a: true, b: 15 }
 * ```
 */
export const PYYAML_SCHEMA: Schema = FAILSAFE_SCHEMA.extend({
  implicit: [...implicit, floatType(PYYAML_FLOAT), types.merge, types.timestamp],
  explicit: [types.binary, types.omap, types.pairs, types.set],
});

/**
 * OmegaConf's rules, as Kedro's config loader reads conf files and `--params` values: PyYAML's, without
 * timestamps (`2024-01-01` stays text) and with `1e3` read as a number.
 *
 * @example
 * ```ts
 * load("flag: off\nday: 2024-01-01\n", { schema: OMEGACONF_SCHEMA }); // { flag: false, day: "2024-01-01" }
 * ```
 */
export const OMEGACONF_SCHEMA: Schema = FAILSAFE_SCHEMA.extend({
  implicit: [...implicit, floatType(OMEGACONF_FLOAT), types.merge],
  explicit: [types.binary, types.omap, types.pairs, types.set],
});

/**
 * The rules kmlf writes YAML with: a string that PyYAML or OmegaConf would read as anything else (`yes`,
 * `017`, `1:30`, `1e3`, `2024-01-01`) is quoted, so every reader gets back what was written.
 *
 * @example
 * ```ts
 * dump({ answer: "yes" }, { schema: WRITE_SCHEMA }); // "answer: 'yes'\n"
 * ```
 */
export const WRITE_SCHEMA: Schema = FAILSAFE_SCHEMA.extend({
  implicit: [...implicit, floatType(OMEGACONF_FLOAT), types.merge, types.timestamp],
  explicit: [types.binary, types.omap, types.pairs, types.set],
});
