/**
 * Scalar texts for the differential YAML tests (seeded, the same on every run): booleans in every
 * spelling, integers in every base with `_` and signs, base 60, floats with and without dot, exponent and
 * sign, inf/nan spellings, dates and datetimes with zones (valid and not), null spellings, and strings with
 * `:`, `#`, quotes and non-ASCII text.
 */
import { seededRandom } from "../seeded_random.ts";

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];
const digits = (random: Random, alphabet: string, min: number, max: number) => {
  let out = "";
  const n = min + Math.floor(random() * (max - min + 1));
  for (let i = 0; i < n; i++) out += alphabet[Math.floor(random() * alphabet.length)];
  return out;
};
/** `_` sprinkled anywhere after the first character (PyYAML ignores them in numbers). */
const underscores = (random: Random, text: string) =>
  random() < 0.3
    ? text.replace(/(?<=.)(?=.)/g, () => (random() < 0.2 ? "_" : "")) + (random() < 0.1 ? "_" : "")
    : text;
const sign = (random: Random) => pick(random, ["", "", "+", "-"]);
const casing = (random: Random, word: string) =>
  pick(random, [
    word,
    word.toUpperCase(),
    word[0].toUpperCase() + word.slice(1),
    [...word].map((c) => random() < 0.5 ? c.toUpperCase() : c).join(""),
  ]);
const two = (random: Random, max: number) =>
  String(Math.floor(random() * max)).padStart(random() < 0.8 ? 2 : 1, "0");

export const GENERATORS: Record<string, (random: Random) => string> = {
  bool: (r) => casing(r, pick(r, ["yes", "no", "true", "false", "on", "off", "y", "n"])),
  null: (r) => pick(r, ["~", "null", "Null", "NULL", "nULL", "", "none", "None"]),
  int: (r) => {
    const body = pick(r, [
      () => "0b" + digits(r, "01", 1, 70),
      () => "0" + digits(r, "01234567", 1, 25),
      () => "0" + digits(r, "0123456789", 1, 4),
      () => pick(r, ["1", "2", "9"]) + digits(r, "0123456789", 0, 22),
      () => "0x" + digits(r, "0123456789abcdefABCDEF", 1, 18),
      () => pick(r, ["0", "00", "0_", "0b_", "0x_", "0o17", "0B1", "0X1f", "_1", "1_", "0__"]),
    ])();
    return sign(r) + underscores(r, body);
  },
  sexagesimal: (r) => {
    let text = pick(r, ["1", "19", "190", "0", "01"]) + digits(r, "0123456789", 0, 6);
    const parts = 1 + Math.floor(r() * 4);
    for (let i = 0; i < parts; i++) text += ":" + pick(r, [two(r, 60), two(r, 100), "0", "5"]);
    if (r() < 0.3) text += "." + digits(r, "0123456789", 0, 4);
    return sign(r) + underscores(r, text);
  },
  float: (r) => {
    const int = pick(r, ["0", "1", "12", "6", "00"]) + digits(r, "0123456789", 0, 20);
    const frac = digits(r, "0123456789", 0, 20);
    const exp = r() < 0.5
      ? pick(r, ["e", "E"]) + pick(r, ["", "+", "-"]) + digits(r, "0123456789", 1, 3)
      : "";
    const body = pick(r, [
      `${int}.${frac}${exp}`,
      `.${frac || "5"}${exp}`,
      `${int}${exp || "e5"}`,
      `${int}.`,
    ]);
    return pick(r, ["", "", "+", "-"]) + underscores(r, body);
  },
  special: (r) => sign(r) + pick(r, [".", ""]) + casing(r, pick(r, ["inf", "nan", "infinity"])),
  date: (r) => {
    const year = pick(r, ["2024", "1999", "0001", "0050", "0000", "9999", "1970"]);
    const date = `${year}-${two(r, 14)}-${two(r, 33)}`;
    if (r() < 0.35) return date;
    // Not a tab: PyYAML's scanner refuses a tab inside a plain scalar, js-yaml's does not (see README).
    const sep = pick(r, ["T", "t", " ", "  "]);
    const time = `${two(r, 26)}:${two(r, 62)}:${two(r, 62)}` +
      (r() < 0.5 ? "." + digits(r, "0123456789", 0, 9) : "");
    const tz = pick(r, [
      "",
      "Z",
      " Z",
      `${pick(r, ["+", "-"])}${two(r, 26)}`,
      `${pick(r, ["+", "-"])}${two(r, 26)}:${two(r, 61)}`,
      ` ${pick(r, ["+", "-"])}${two(r, 15)}`,
    ]);
    return date + sep + time + tz;
  },
  string: (r) =>
    pick(r, [
      "a:b",
      "http://x:5000/y",
      "key: value",
      "a #b",
      "a#b",
      "naïve",
      "日本語",
      "emoji 🎉",
      "1.2.3",
      "1-2-3",
      "0o17",
      "1e",
      "e5",
      "+",
      "-",
      "12:30pm",
      "v1.0",
      "'quoted'",
      '"double"',
      "it's",
      "1_000.5_0",
      "2024-1-1",
      "10:00",
      "=",
      "<<",
      "==",
      "=a",
    ]),
};

const SEED = 20261207;
const PER_KIND = 160;

/**
 * The generated scalars, every kind, the same on every run.
 *
 * @example
 * ```ts
 * generateScalars().includes("yes"); // true
 * ```
 */
export function generateScalars(): string[] {
  const random = seededRandom(SEED);
  const out = new Set<string>();
  for (const make of Object.values(GENERATORS)) for (let i = 0; i < PER_KIND; i++) out.add(make(random));
  return [...out];
}
