/** Dataset factories: catalog keys with `{placeholders}` that match many dataset names (Kedro's rules). */

import { DatasetError } from "../errors.ts";

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
  regex: string;
  /** Integer types: `parse` hands Kedro a number, so `{n:d}` on "007" fills "7" ("auto": 0x/0o/0b prefixes). */
  base?: 2 | 8 | 16 | "auto";
  what: string;
}

const SIGN = "[-+ ]?";
const FORMAT_TYPES: Readonly<Record<string, FormatType>> = {
  d: { regex: `${SIGN}(?:[0-9]+|0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+)`, base: "auto", what: "digits" },
  b: { regex: `${SIGN}(?:0[bB])?[01]+`, base: 2, what: "binary digits" },
  o: { regex: `${SIGN}(?:0[oO])?[0-7]+`, base: 8, what: "octal digits" },
  x: { regex: `${SIGN}(?:0[xX])?[0-9a-fA-F]+`, base: 16, what: "hexadecimal digits" },
  w: { regex: "[\\p{L}\\p{N}_]+", what: "letters, digits and _" },
  W: { regex: "[^\\p{L}\\p{N}_]+", what: "anything but letters, digits and _" },
  l: { regex: "[A-Za-z]+", what: "ASCII letters" },
  s: { regex: "\\s+", what: "whitespace" },
  S: { regex: "\\S+", what: "anything but whitespace" },
  D: { regex: "\\P{Nd}+", what: "anything but digits" },
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
  let specificity = 0;
  let braces = 0;
  for (const part of pattern.split(/(\{[^{}]*\})/)) {
    const m = part.match(/^\{([^{}:]*)(?::([^{}]*))?\}$/);
    if (m) {
      braces++;
      const format = m[2] ?? "";
      const type = formatType(pattern, m[1], format);
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
        src += type ? `(${type.regex})` : "(.+?)";
      }
    } else {
      specificity += part.length;
      src += part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }
  }
  return {
    pattern,
    config,
    specificity,
    placeholders,
    formats,
    braces,
    regex: new RegExp(`^${src}$`, "iu"),
  };
}

function formatType(pattern: string, name: string, format: string): FormatType | undefined {
  if (format === "") return undefined;
  const type = FORMAT_TYPES[format];
  if (type) return type;
  const known = UNSUPPORTED_TYPES.has(format);
  throw new DatasetError(
    "catalog/bad-pattern",
    `Pattern "${pattern}" has {${name}:${format}}: ${
      known
        ? `kmlf does not match parse's "${format}" type (numbers with a point, percentages, dates) in dataset names`
        : `"${format}" is not a format type kmlf matches (only a bare type letter may follow the colon)`
    }`,
    {
      hint: !known && FORMAT_TYPES[format.at(-1) ?? ""]
        ? `write {${name}:${format.at(-1)}}: kmlf matches the type, without width, alignment or sign`
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
  const values = new Map(p.placeholders.map((ph, i) => [ph, parsedValue(m[i + 1], p.formats[i])]));
  const fill = (v: unknown): unknown => {
    if (typeof v === "string") {
      return v.replace(/\{([^{}:]+)(?::([^{}]*))?\}/g, (all, k: string, spec?: string) => {
        const value = values.get(k);
        return value === undefined ? all : formatValue(value, spec);
      });
    }
    if (Array.isArray(v)) return v.map(fill);
    if (v && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    }
    return v;
  };
  return fill(p.config) as Record<string, unknown>;
}

// What `parse` hands Kedro for one placeholder: integer types give a number (sign kept, base prefix read).
function parsedValue(text: string, format: string): string | bigint {
  const base = FORMAT_TYPES[format]?.base;
  if (base === undefined) return text;
  const negative = text.trimStart().startsWith("-");
  let digits = text.replace(/^[-+ ]/, "");
  let radix = base === "auto" ? 10 : base;
  const prefix = digits.slice(0, 2).toLowerCase();
  if (prefix === "0x" || prefix === "0o" || prefix === "0b") {
    if (base === "auto") radix = prefix === "0x" ? 16 : prefix === "0o" ? 8 : 2;
    digits = digits.slice(2);
  }
  const prefixes: Record<number, string> = { 2: "0b", 8: "0o", 10: "", 16: "0x" };
  const value = BigInt(prefixes[radix] + (radix === 10 ? digits.replace(/^0+(?=.)/, "") : digits));
  return negative ? -value : value;
}

// Python's str.format of the value: an integer takes `d` with a width (`{n:03d}` → "007"); other specs
// of the entry's strings are not applied (the value is inserted as matched).
function formatValue(value: string | bigint, spec: string | undefined): string {
  if (typeof value === "bigint") {
    const m = spec?.match(/^(0)?(\d+)?d?$/);
    const text = String(value < 0n ? -value : value);
    const width = Number(m?.[2] ?? 0) - (value < 0n ? 1 : 0);
    const padded = m?.[1] ? text.padStart(width, "0") : text;
    const signed = (value < 0n ? "-" : "") + padded;
    return m?.[2] && !m[1] ? signed.padStart(Number(m[2]), " ") : signed;
  }
  return value;
}
