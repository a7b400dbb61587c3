/**
 * The YAML rules the Python originals read with: PyYAML's SafeLoader (YAML 1.1), and OmegaConf's variant
 * of it, which Kedro's config loader uses. js-yaml follows YAML 1.2, where `yes`/`no`/`on`/`off` are text,
 * `017` is seventeen and `2024-01-01` a date in every file; a Kedro project's `use_gpu: no` would then be the
 * truthy string "no". So kmlf reads configuration as OmegaConf does, the YAML dataset, MLmodel and the file
 * store's meta.yaml as PyYAML's `safe_load` does (writing is PyYAML's emitter's: ./pyyaml_dump.ts).
 *
 * @module
 */
import { FAILSAFE_SCHEMA, type Schema, Type, types } from "./_js_yaml.js";

const TRUE = new Set(["yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]);
const FALSE = new Set(["no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]);

/** PyYAML's bool pattern (YAML 1.1: yes/no/on/off/true/false in three casings). */
export const PYYAML_BOOL = {
  test: (text: string): boolean => TRUE.has(text) || FALSE.has(text),
};

const bool = new Type("tag:yaml.org,2002:bool", {
  kind: "scalar",
  resolve: (data: string | null) => data !== null && PYYAML_BOOL.test(data),
  construct: (data: string) => TRUE.has(data),
  predicate: (value: unknown) => typeof value === "boolean",
  represent: { lowercase: (value: unknown) => (value ? "true" : "false") },
  defaultStyle: "lowercase",
});

/** PyYAML's int: binary, octal with a leading 0, decimal, hex, and base 60 (`1:30` is 90); `_` ignored. */
export const PYYAML_INT =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;

/**
 * A scalar whose pattern PyYAML resolves but whose value it refuses (`0b_`, 2024-02-30), or that
 * JavaScript cannot hold exactly (an integer past 2^53 - 1). js-yaml passes it up from `load`.
 *
 * @example
 * ```ts
 * load("n: 12345678901234567890\n", { schema: PYYAML_SCHEMA }); // throws YamlValueError
 * ```
 */
export class YamlValueError extends Error {
  override name = "YamlValueError";
}

// Python's ints are unbounded; a JavaScript number is exact to 2^53 - 1. Past that kmlf refuses the value
// rather than reading a different number (quoting it keeps the digits as text).
function constructInt(data: string): number {
  let value = data.replace(/_/g, "");
  let negative = false;
  if (value[0] === "-" || value[0] === "+") {
    negative = value[0] === "-";
    value = value.slice(1);
  }
  let big: bigint;
  if (value.startsWith("0b") || value.startsWith("0x")) {
    // `0b_` and `0x_` match PyYAML's pattern and fail its int(): refused the same way.
    if (value.length === 2) throw new YamlValueError(`cannot read ${data} as an integer: it has no digits`);
    big = BigInt(value);
  } else if (value.includes(":")) {
    big = value.split(":").reduce((sum, digits) => sum * 60n + BigInt(digits), 0n);
  } else if (value[0] === "0" && value.length > 1) big = BigInt(`0o${value}`);
  else big = BigInt(value);
  if (negative) big = -big;
  const number = Number(big);
  if (!Number.isSafeInteger(number)) {
    throw new YamlValueError(
      `the integer ${data} is ${big}, beyond what kmlf holds exactly (±${Number.MAX_SAFE_INTEGER}); ` +
        `quote it to keep it as text, or write it as a float (${number.toExponential()})`,
    );
  }
  return number;
}

// Integers past 2^53 - 1 are written as floats: kmlf refuses to read them back as integers (above), and
// past 1e21 JavaScript prints them in exponent form, which PyYAML reads as text without a dot.
const isInt = (value: unknown) => Number.isSafeInteger(value) && !Object.is(value, -0);

const int = new Type("tag:yaml.org,2002:int", {
  kind: "scalar",
  resolve: (data: string | null) => data !== null && PYYAML_INT.test(data),
  construct: constructInt,
  predicate: isInt,
  represent: { decimal: (value: unknown) => String(value) },
  defaultStyle: "decimal",
});

// PyYAML's float needs a dot (`1e3` is text to it), and a digit right after a leading dot (`._5` is text);
// OmegaConf's resolver, tried after PyYAML's, adds the exponent-only form and `._5` (`._` it then refuses).
const PYYAML_FLOAT_PATTERN =
  String.raw`[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|` +
  String.raw`[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)`;
/** PyYAML's float pattern (a dot needed: `1e3` is text to it). */
export const PYYAML_FLOAT = new RegExp(`^(?:${PYYAML_FLOAT_PATTERN})$`);
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
  // Python's float() refuses a lone dot (`._` matches PyYAML's pattern).
  if (value === ".") throw new YamlValueError(`cannot read ${data} as a float: it has no digits`);
  if (!value.includes(":")) return sign * Number(value);
  // Summed from the last part up, in floats, as PyYAML does (the rounding then matches).
  let sum = 0;
  let base = 1;
  for (const part of value.split(":").reverse()) {
    sum += Number(part) * base;
    base *= 60;
  }
  return sign * sum;
}

function floatType(pattern: string): Type {
  const re = new RegExp(`^(?:${pattern})$`);
  // js-yaml writes `.inf`, `.nan`, `-0.0` and `1.5`, kmlf an integer past 2^53 as `9.007199254740994e+15`:
  // all of them read back by both patterns.
  const base = types.float as unknown as { represent: (value: unknown, style: string) => string };
  return new Type("tag:yaml.org,2002:float", {
    kind: "scalar",
    resolve: (data: string | null) => data !== null && re.test(data),
    construct: constructFloat,
    predicate: (value: unknown) => typeof value === "number" && !isInt(value),
    represent: {
      lowercase: (value: unknown) =>
        Number.isInteger(value) && !Object.is(value, -0)
          ? (value as number).toExponential().replace(/^(-?\d)e/, "$1.0e")
          : base.represent(value, "lowercase"),
    },
    defaultStyle: "lowercase",
  });
}

/**
 * PyYAML's timestamp pattern: a date (two-digit month and day), or a date (one or two digits) and a time
 * with an optional zone.
 */
export const PYYAML_TIMESTAMP = new RegExp(
  String.raw`^(?:([0-9]{4})-([0-9]{2})-([0-9]{2})|([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})` +
    String.raw`(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})` +
    String.raw`(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9]{1,2})(?::([0-9]{2}))?))?)$`,
);

/**
 * A timestamp as PyYAML constructs it: a date or datetime Python accepts (2024-02-30, hour 24 or a zone of
 * 24 hours are refused as Python refuses them; years before 100 are not shifted to 19xx as `Date.UTC`
 * would). As a mapping key it becomes Python's `str()` of the value (`2024-01-01`,
 * `2024-01-01 10:00:00+02:00`), not JavaScript's long date text.
 */
function constructTimestamp(data: string): Date {
  const found = PYYAML_TIMESTAMP.exec(data)!;
  // One group list whichever branch matched: year, month, day, hour, minute, second, fraction, zone...
  const m = found[1] !== undefined
    ? [found[0], ...found.slice(1, 4), ...found.slice(7)]
    : [found[0], ...found.slice(4)];
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  const refuse = (what: string) => new YamlValueError(`cannot read ${data} as a timestamp: ${what}`);
  if (year < 1 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw refuse("there is no such date");
  }
  const iso = `${m[1]}-${m[2].padStart(2, "0")}-${m[3].padStart(2, "0")}`;
  if (m[4] === undefined) return withPythonText(date, iso);
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6])];
  if (hour > 23 || minute > 59 || second > 59) throw refuse("there is no such time");
  const micro = (m[7] ?? "").slice(0, 6).padEnd(6, "0");
  let offset = 0; // minutes east of UTC
  let zone = "";
  if (m[9]) {
    offset = (m[9] === "-" ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11] ?? 0));
    if (Math.abs(offset) >= 24 * 60) throw refuse("a time zone is less than 24 hours from UTC");
    const abs = Math.abs(offset);
    zone = `${offset < 0 ? "-" : "+"}${String(Math.floor(abs / 60)).padStart(2, "0")}:${
      String(abs % 60).padStart(2, "0")
    }`;
  } else if (m[8]) zone = "+00:00";
  date.setUTCHours(hour, minute - offset, second, Number(micro.slice(0, 3)));
  const clock = `${m[4].padStart(2, "0")}:${m[5]}:${m[6]}${Number(micro) ? `.${micro}` : ""}`;
  return withPythonText(date, `${iso} ${clock}${zone}`);
}

// js-yaml turns a mapping key into text with String(key): the key gets Python's str() of the value. The
// writer uses the same text (PyYAML writes a date or datetime as its str()), while the Date still holds the
// time it was read as.
function withPythonText(date: Date, text: string): Date {
  Object.defineProperty(date, "toString", { value: () => text, enumerable: false });
  PYTHON_TEXTS.set(date, { time: date.getTime(), text });
  return date;
}

const PYTHON_TEXTS = new WeakMap<Date, { time: number; text: string }>();

/**
 * How PyYAML writes back a timestamp kmlf read with {@link PYYAML_SCHEMA}: Python's `str()` of the date or
 * datetime PyYAML would have read (`2024-01-02` for a date, no zone for a naive datetime, the zone and the
 * microseconds as written); undefined for any other Date, or one changed since it was read.
 *
 * @example
 * ```ts
 * const date = parseYaml("d: 2024-01-02", "f.yml", { schema: PYYAML_SCHEMA }).value.d;
 * pythonTimestampText(date); // "2024-01-02"
 * ```
 */
export function pythonTimestampText(date: Date): string | undefined {
  const known = PYTHON_TEXTS.get(date);
  return known && known.time === date.getTime() ? known.text : undefined;
}

const timestamp = new Type("tag:yaml.org,2002:timestamp", {
  kind: "scalar",
  resolve: (data: string | null) => data !== null && PYYAML_TIMESTAMP.test(data),
  construct: constructTimestamp,
  instanceOf: Date,
  represent: (value: object) => (value as Date).toISOString(),
});

// YAML 1.1's "value key": PyYAML resolves a plain `=` to it, reads it as the text "=" as a mapping key and
// refuses it as a value (no constructor). kmlf reads the text in both places (js-yaml builds keys and values
// alike: refusing the value would refuse the key PyYAML reads); writing, the type makes js-yaml quote "=".
const valueKey = new Type("tag:yaml.org,2002:value", {
  kind: "scalar",
  resolve: (data: string | null) => data === "=",
  construct: () => "=",
});

const implicit = [types.null, bool, int, valueKey];

// Python's float() of a text, after PyYAML's construct_yaml_float has dropped `_` and lowered it.
const PYTHON_FLOAT = /^\s*[-+]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[-+]?[0-9]+)?|inf|infinity|nan)\s*$/;

// `!!float 3` is 3.0 to PyYAML: an explicit tag takes any text Python's float() reads (and `.inf`, `.nan`,
// base 60), not only the texts the implicit resolver types (js-yaml's explicit types replace the implicit
// ones of the same tag for a tagged node only). The value is marked a float (source_keys.ts) as `3.0` is.
const explicitFloat = new Type("tag:yaml.org,2002:float", {
  kind: "scalar",
  resolve: (data: string | null) => {
    if (data === null) return false;
    const value = data.replace(/_/g, "").toLowerCase();
    return PYTHON_FLOAT.test(value) || /^[-+]?\.(?:inf|nan)$/.test(value) ||
      /^[-+]?[0-9]+(?::[0-9]+)+(?:\.[0-9]*)?$/.test(value);
  },
  construct: (data: string) => {
    const value = data.replace(/_/g, "").toLowerCase().trim();
    const bare = value.replace(/^[-+]/, "");
    if (bare === "inf" || bare === "infinity") return value[0] === "-" ? -Infinity : Infinity;
    if (bare === "nan") return NaN;
    return constructFloat(value);
  },
});

// `!!null anything` is None to PyYAML (construct_yaml_null reads no text).
const explicitNull = new Type("tag:yaml.org,2002:null", {
  kind: "scalar",
  resolve: () => true,
  construct: () => null,
});

const explicit = [types.binary, types.omap, types.pairs, types.set, explicitFloat, explicitNull];

/**
 * PyYAML's `safe_load`/`safe_dump` rules (YAML 1.1): what MLflow and Kedro's YAML dataset read and write.
 *
 * @example
 * ```ts
 * load("a: yes\nb: 017\n", { schema: PYYAML_SCHEMA }); // { a: true, b: 15 }
 * ```
 */
export const PYYAML_SCHEMA: Schema = FAILSAFE_SCHEMA.extend({
  implicit: [...implicit, floatType(PYYAML_FLOAT_PATTERN), types.merge, timestamp],
  explicit,
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
  explicit,
});

// PyYAML's implicit resolvers (resolver.py, the patterns above), keyed as it keys them:
// by the text's first character.
const RESOLVERS: [string, { test(text: string): boolean }][] = [
  ["yYnNtTfFoO", PYYAML_BOOL],
  ["-+0123456789.", PYYAML_FLOAT],
  ["-+0123456789", PYYAML_INT],
  ["<", /^(?:<<)$/],
  ["~nN", /^(?:~|null|Null|NULL)$/],
  ["0123456789", PYYAML_TIMESTAMP],
  ["=", /^(?:=)$/],
];

/** Whether PyYAML reads `text`, written plain, as a string (its resolver finds no other type). */
export function plainIsString(text: string): boolean {
  if (text === "") return false; // an empty plain scalar is null
  // Python's `$` also matches before a final newline.
  const body = text.endsWith("\n") ? text.slice(0, -1) : text;
  return !RESOLVERS.some(([first, re]) => first.includes(text[0]) && (re.test(text) || re.test(body)));
}
