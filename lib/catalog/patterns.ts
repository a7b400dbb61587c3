/** Dataset factories: catalog keys with `{placeholders}` that match many dataset names (Kedro's rules). */

import { DatasetError } from "../errors.ts";
import { FormatSpecError, pyFormat } from "./py_format.ts";
import { copySourceKeys } from "../source_keys.ts";

/** A compiled factory pattern. */
export interface DatasetPattern {
  pattern: string;
  config: Record<string, unknown>;
  /** Characters outside `{…}`: more specific patterns are tried first. */
  specificity: number;
  /** Distinct placeholder names, in order: the regex's capture groups. */
  placeholders: string[];
  /** The format type of each placeholder (`d` in `{n:d}`; `""` for plain `{n}`), as `placeholders`. */
  formats: string[];
  /** `{…}` pairs in the key, repeats included: Kedro ranks by `pattern.count("{")`. */
  braces: number;
  regex: RegExp;
}

/** A format type of Python's `parse` (what Kedro matches names with): what it matches, its integer base. */
interface FormatType {
  /** The regex of the value (parse's, with no capturing group of its own). */
  regex: (width: string) => string;
  /** Integer types: `parse` hands Kedro a number, so `{n:d}` on "007" fills "7" (undefined base: 0x/0o/0b). */
  base?: number;
  integer?: true;
  what: string;
}

// parse 1.19's regexes (Parser._handle_field): `d` takes a width as its most digits; `\w`, `\D` are Python's
// Unicode classes. A digit is an ASCII digit: parse's int conversion drops any other, so Kedro would fail.
const FORMAT_TYPES: Readonly<Record<string, FormatType>> = {
  d: {
    regex: (w) => {
      const n = w ? `{1,${Number(w)}}` : "+";
      return `[0-9]${n}|[-+ ]?0[xX][0-9a-fA-F]${n}|[-+ ]?0[bB][01]${n}|[-+ ]?0[oO][0-7]${n}`;
    },
    integer: true,
    what: "digits",
  },
  b: { regex: () => "(?:0[bB])?[01]+", base: 2, integer: true, what: "binary digits" },
  o: { regex: () => "(?:0[oO])?[0-7]+", base: 8, integer: true, what: "octal digits" },
  x: { regex: () => "(?:0[xX])?[0-9a-fA-F]+", base: 16, integer: true, what: "hexadecimal digits" },
  w: { regex: () => "[\\p{L}\\p{N}_]+", what: "letters, digits and _" },
  W: { regex: () => "[^\\p{L}\\p{N}_]+", what: "anything but letters, digits and _" },
  l: { regex: () => "[A-Za-z]+", what: "ASCII letters" },
  s: { regex: () => "\\s+", what: "whitespace" },
  S: { regex: () => "\\S+", what: "anything but whitespace" },
  D: { regex: () => "\\P{Nd}+", what: "anything but digits" },
};

// `parse` types that read numbers with a point, percentages or dates: no dataset name is written that way.
const UNSUPPORTED_TYPES = new Set([
  "n",
  "%",
  "f",
  "F",
  "e",
  "g",
  "ti",
  "te",
  "ta",
  "tg",
  "th",
  "tc",
  "tt",
  "ts",
]);

const PARSE_FIELD = /(\{\{|\}\}|\{[\p{L}\p{N}_]*(?:\.[\p{L}\p{N}_]+|\[[^\]]+\])*(?::[^}]+)?\})/u;

const formatList = (name: string) =>
  Object.entries(FORMAT_TYPES).map(([t, f]) => `{${name}:${t}} ${f.what}`).join(", ");

/**
 * Compiles a pattern key like `"{layer}.{name}_csv"` or `"model_{n:d}"` (a placeholder matches any text, or
 * what its format type says: `d` digits, `w` letters/digits/_, … as Python's `parse`, which Kedro uses).
 * Throws `catalog/bad-pattern` for a format kmlf does not take; the caller adds the source.
 *
 * @example
 * ```ts
 * compilePattern("{name}_csv", { type: "csv" }).regex.test("cars_csv"); // true
 * compilePattern("model_{n:d}", { type: "pickle" }).regex.test("model_final"); // false
 * ```
 */
export function compilePattern(pattern: string, config: Record<string, unknown>): DatasetPattern {
  const placeholders: string[] = [];
  const formats: string[] = [];
  let src = "";
  // What parse takes for a field (its PARSE_RE): a name of word characters (with .attr or [key]) and a
  // non-empty format; `{{` and `}}` are braces, and any other `{...}` (like `{n:}`) is text to match.
  for (const [i, part] of pattern.split(PARSE_FIELD).entries()) {
    if (part === "{{" || part === "}}") {
      src += `\\${part[0]}`;
      continue;
    }
    const m = i % 2 === 1 ? part.match(/^\{([^:]*)(?::(.*))?\}$/su) : null;
    if (m) {
      const format = m[2] ?? "";
      if (format.includes(":")) {
        throw new DatasetError(
          "catalog/bad-pattern",
          `Pattern "${pattern}" has ${part}: a field has one colon`,
          {
            hint: "parse splits a field at its colon: write {name:format} with no second colon",
          },
        );
      }
      // A repeated placeholder must match the same text again (like Python's `parse`), with the same format.
      const seen = placeholders.indexOf(m[1]);
      if (seen >= 0) {
        if (formats[seen] !== format) {
          throw new DatasetError(
            "catalog/bad-pattern",
            `Pattern "${pattern}" repeats {${m[1]}} with another format ({${m[1]}${
              formats[seen] ? ":" + formats[seen] : ""
            }}, then ${part})`,
            { hint: `give every {${m[1]}} of the key the same format, or use two names` },
          );
        }
        src += `\\${seen + 1}`;
      } else {
        placeholders.push(m[1]);
        formats.push(format);
        src += fieldRegex(pattern, m[1], format);
      }
    } else {
      src += part.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    }
  }
  // Kedro's ranking counts what is outside `{...}` and the `{` of the key, whatever parse makes of them.
  const specificity = pattern.replace(/\{.*?\}/g, "").length;
  const braces = pattern.split("{").length - 1;
  return {
    pattern,
    config,
    specificity,
    placeholders,
    formats,
    braces,
    // parse: re.IGNORECASE | re.DOTALL, the whole name.
    regex: new RegExp(`^${src}$`, "ius"),
  };
}

/** A format spec as parse 1.19's extract_format splits it: `[[fill]align][0][width][.precision][type]`. */
interface FieldFormat {
  fill?: string;
  align?: string;
  width: string;
  precision?: string;
  type: string;
}

function splitFormat(format: string): FieldFormat {
  let rest = format;
  let fill: string | undefined;
  let align: string | undefined;
  if ("<>=^".includes(rest[0])) [align, rest] = [rest[0], rest.slice(1)];
  else if (rest.length > 1 && "<>=^".includes(rest[1])) {
    [fill, align, rest] = [rest[0], rest[1], rest.slice(2)];
  }
  if (rest.startsWith("0")) rest = rest.slice(1); // zero: no effect on what matches
  const width = rest.match(/^[0-9]*/)![0];
  rest = rest.slice(width.length);
  let precision: string | undefined;
  if (rest.startsWith(".")) {
    precision = rest.slice(1).match(/^[0-9]*/)![0];
    rest = rest.slice(1 + precision.length);
  }
  return { fill, align, width, precision, type: rest };
}

/**
 * The capturing group of one placeholder with what parse 1.19 puts around it (Parser._handle_field): a width
 * or alignment lets fill characters (default: spaces) pad the value outside the group, an integer type
 * takes a sign, `=` alignment fill (default: zeros) between sign and digits.
 */
function fieldRegex(pattern: string, name: string, spec: string): string {
  if (spec === "") return "(.+?)";
  const format = splitFormat(spec);
  const type = formatType(pattern, name, spec, format.type);
  let s = type
    ? type.regex(format.width)
    : format.precision
    ? format.width
      ? `.{${format.width},${precisionAtLeast(pattern, name, spec, format)}}?`
      : `.{1,${format.precision}}?`
    : format.width
    ? `.{${format.width},}?`
    : ".+?";
  let { fill, align } = format;
  if (type?.integer) {
    if (align === "=") s = `${escapeRegex(fill ?? "0")}*${s}`;
    s = `[-+ ]?${s}`;
  }
  const pad = escapeRegex(align === "=" || fill === undefined ? " " : fill);
  if (format.width && !align) align = ">";
  s = `(${s})`;
  return align === "<"
    ? `${s}${pad}+`
    : align === ">"
    ? `${pad}*${s}`
    : align === "^"
    ? `${pad}*${s}${pad}+`
    : s;
}

// `{n:5.2}` asks for 5 to 2 characters: parse's regex fails to compile (Kedro stops with re.error).
function precisionAtLeast(pattern: string, name: string, spec: string, format: FieldFormat): string {
  if (Number(format.precision) >= Number(format.width)) return format.precision!;
  throw new DatasetError(
    "catalog/bad-pattern",
    `Pattern "${pattern}" has {${name}:${spec}}: a width of ${format.width} and a precision (most characters) of ${format.precision}`,
    { hint: `make the precision at least the width, e.g. {${name}:${format.width}.${format.width}}` },
  );
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

function formatType(pattern: string, name: string, spec: string, format: string): FormatType | undefined {
  if (format === "") return undefined;
  const type = FORMAT_TYPES[format];
  if (type) return type;
  const known = UNSUPPORTED_TYPES.has(format);
  throw new DatasetError(
    "catalog/bad-pattern",
    `Pattern "${pattern}" has {${name}:${spec}}: ${
      known
        ? `kmlf does not match parse's "${format}" type (numbers with a point, percentages, dates) in dataset names`
        : `"${format}" is not a format type of Python's parse ([[fill]align][0][width][.precision][type])`
    }`,
    {
      hint: /^[-+ ]/.test(format) && FORMAT_TYPES[format.slice(1)]
        ? `parse takes no sign in a pattern, and {${name}:${format.slice(1)}} matches a signed number anyway`
        : `use {${name}} for any text, or a type: ${formatList(name)}`,
    },
  );
}

/** Ranks patterns: specificity desc, placeholder count (repeats included) desc, then alphabetical. */
export function rankPatterns(patterns: DatasetPattern[]): DatasetPattern[] {
  return [...patterns].sort((a, b) =>
    b.specificity - a.specificity || b.braces - a.braces ||
    (a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : 0)
  );
}

/** Placeholders used in a pattern's config that its name does not define. */
export function undefinedPlaceholders(p: DatasetPattern): string[] {
  const used = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v === "string") { for (const m of v.matchAll(/\{([^{}:]+)(?::[^{}]*)?\}/g)) used.add(m[1]); }
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(p.config);
  return [...used].filter((u) => !p.placeholders.includes(u));
}

/**
 * Matches `name` against a pattern and returns the config with placeholders filled in.
 *
 * @example
 * ```ts
 * resolvePattern(compilePattern("{n}_csv", { filepath: "data/{n}.csv" }), "cars_csv"); // { filepath: "data/cars.csv" }
 * ```
 */
export function resolvePattern(p: DatasetPattern, name: string): Record<string, unknown> | undefined {
  const m = name.match(p.regex);
  if (!m) return undefined;
  return filledConfig(p, new Map(p.placeholders.map((ph, i) => [ph, parsedValue(m[i + 1], p.formats[i])])));
}

/**
 * The pattern's config filled with a stand-in for each placeholder, as some matched name would fill it: an
 * integer for an integer format type (`{n:d}`), else text (the placeholder's name). What then fails, except
 * where a value with a placeholder is judged (whose contents only a real name gives), fails for every name.
 *
 * @example
 * ```ts
 * sampleConfig(compilePattern("{n}_csv", { filepath: "data/{n}.csv" })); // { filepath: "data/n.csv" }
 * ```
 */
export function sampleConfig(p: DatasetPattern): Record<string, unknown> {
  return filledConfig(
    p,
    new Map(p.placeholders.map((ph, i): [string, string | bigint] => {
      const type = p.formats[i] ? splitFormat(p.formats[i]).type : "";
      if (FORMAT_TYPES[type]?.integer) return [ph, 1n];
      return [ph, type === "s" ? " " : type === "W" ? "-" : /^\w+$/.test(ph) ? ph : "x"];
    })),
    true,
  );
}

/**
 * The key paths (from the entry's top) of the config's texts with a placeholder of the pattern.
 *
 * @example
 * ```ts
 * templatedPaths(compilePattern("{n}_csv", { type: "csv", filepath: "data/{n}.csv" })); // [["filepath"]]
 * ```
 */
export function templatedPaths(p: DatasetPattern): (string | number)[][] {
  const found: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    if (typeof v === "string") {
      if ([...v.matchAll(PLACEHOLDER)].some((m) => p.placeholders.includes(m[1]))) found.push(path);
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (v && typeof v === "object") { for (const [k, x] of Object.entries(v)) walk(x, [...path, k]); }
  };
  walk(p.config, []);
  return found;
}

const PLACEHOLDER = /\{([^{}:]+)(?::([^{}]*))?\}/g;

// `standIns`: the values are sampleConfig's, so a failure is told as true of every name.
function filledConfig(
  p: DatasetPattern,
  values: Map<string, string | bigint>,
  standIns = false,
): Record<string, unknown> {
  const fill = (v: unknown): unknown => {
    if (typeof v === "string") {
      return v.replace(PLACEHOLDER, (all, k: string, spec?: string) => {
        const value = values.get(k);
        return value === undefined ? all : formatValue(value, spec, v, p.pattern, standIns && k);
      });
    }
    if (Array.isArray(v)) return v.map(fill);
    if (v && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    }
    return v;
  };
  const filled = fill(p.config) as Record<string, unknown>;
  // Same keys, texts filled: the copy keeps what the file said (integer-like keys' order, `1.0` floats).
  copySourceKeys(p.config, filled);
  return filled;
}

// What `parse` hands Kedro for one placeholder: integer types give a number (parse's int_convert: sign,
// base from a 0x/0o/0b prefix for `d`, then every character that is not a digit of the base dropped).
function parsedValue(text: string, format: string): string | bigint {
  const type = FORMAT_TYPES[splitFormat(format || " ").type];
  if (!format || !type?.integer) return text;
  const start = text[0] === "-" || text[0] === "+" ? 1 : 0;
  let base = type.base ?? 10;
  if (type.base === undefined && text[start] === "0" && text.length - start > 2) {
    const letter = text[start + 1].toLowerCase();
    base = letter === "b" ? 2 : letter === "o" ? 8 : letter === "x" ? 16 : 10;
  }
  const digits = "0123456789abcdef".slice(0, base);
  const kept = [...text.toLowerCase()].filter((c) => digits.includes(c)).join("");
  let value = 0n;
  for (const c of kept) value = value * BigInt(base) + BigInt(digits.indexOf(c));
  return text[0] === "-" ? -value : value;
}

// Python's str.format of the value: `{n}` is str(value), `{n:spec}` format(value, spec) (`{n:03d}` → "007").
function formatValue(
  value: string | bigint,
  spec: string | undefined,
  template: string,
  pattern: string,
  standIn: string | false = false,
): string {
  if (spec === undefined) return String(value);
  try {
    return pyFormat(value, spec);
  } catch (error) {
    if (!(error instanceof FormatSpecError)) throw error;
    throw new DatasetError(
      "catalog/bad-pattern",
      `Cannot fill "${template}" from the pattern "${pattern}": ${error.message} (${
        standIn !== false
          ? `whatever name matches, {${standIn}} is ${typeof value === "bigint" ? "an integer" : "text"}`
          : `the value is ${
            typeof value === "bigint" ? `the integer ${value}` : `the text ${JSON.stringify(value)}`
          }`
      })`,
      { hint: "write a format Python's str.format takes for that value, or {name} alone" },
    );
  }
}
