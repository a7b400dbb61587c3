/**
 * Differential test of reading: generated scalars (seeded) as values and as mapping keys, read by kmlf's
 * two schemas and by real PyYAML — safe_load for PYYAML_SCHEMA (the YAML dataset, MLmodel, meta.yaml), a
 * SafeLoader with OmegaConf 2.3's changes for OMEGACONF_SCHEMA (Kedro config, `--params`). Where Python
 * refuses a text, kmlf must refuse it too; where JavaScript cannot hold Python's value (an integer past
 * 2^53), kmlf refuses it with an error rather than reading another number.
 */
import assert from "node:assert/strict";
import { load, type Schema } from "js-yaml";
import { OMEGACONF_SCHEMA, PYYAML_SCHEMA, YamlValueError } from "../../lib/yaml/yaml11.ts";
import { parseFlowValue } from "../../lib/yaml/dump.ts";
import { seededRandom } from "../seeded_random.ts";
import { type PyValue, pyyaml, sameValue } from "./pyyaml_oracle.ts";

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
  random() < 0.3 ? text.replace(/(?<=.)(?=.)/g, () => (random() < 0.2 ? "_" : "")) + (random() < 0.1 ? "_" : "") : text;
const sign = (random: Random) => pick(random, ["", "", "+", "-"]);
const casing = (random: Random, word: string) =>
  pick(random, [word, word.toUpperCase(), word[0].toUpperCase() + word.slice(1), [...word].map((c) =>
    random() < 0.5 ? c.toUpperCase() : c
  ).join("")]);
const two = (random: Random, max: number) => String(Math.floor(random() * max)).padStart(random() < 0.8 ? 2 : 1, "0");

const GENERATORS: Record<string, (random: Random) => string> = {
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
    const exp = r() < 0.5 ? pick(r, ["e", "E"]) + pick(r, ["", "+", "-"]) + digits(r, "0123456789", 1, 3) : "";
    const body = pick(r, [`${int}.${frac}${exp}`, `.${frac || "5"}${exp}`, `${int}${exp || "e5"}`, `${int}.`]);
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

/**
 * Texts PyYAML refuses and kmlf reads, deliberately (README, "YAML as Python reads it"): a plain `=` or
 * `<<` as a value. PyYAML reads both as mapping keys; js-yaml builds keys and values alike, so refusing the
 * value would refuse the key too. kmlf reads the text, and writes both quoted.
 */
const LENIENT = new Set(["v: =\n", "- =\n", "v: <<\n", "- <<\n"]);

const SEED = 20261207;
const PER_KIND = 160;

function kmlfRead(text: string, schema: Schema): { value: unknown } | { error: string } {
  try {
    return { value: load(text, { schema }) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const show = (v: unknown) =>
  v instanceof Date ? `Date(${v.toISOString()})` : typeof v === "number" ? String(v) : JSON.stringify(v);

/** Whether Python's value holds an integer JavaScript cannot hold exactly (kmlf refuses those). */
const unholdable = (py: PyValue): boolean =>
  "i" in py ? !Number.isSafeInteger(Number(py.i)) : "l" in py ? py.l.some(unholdable) : "m" in py
    ? py.m.some(([k, v]) => unholdable(k) || unholdable(v))
    : false;

function compare(text: string, py: PyValue, schema: Schema, reader: string, failures: string[]): void {
  const ours = kmlfRead(text, schema);
  if (unholdable(py)) {
    if (!("error" in ours) || !/beyond what kmlf holds exactly/.test(ours.error)) {
      failures.push(`${reader} ${JSON.stringify(text)}: an integer past 2^53 must be refused, kmlf: ${show(ours)}`);
    }
    return;
  }
  if ("error" in py) {
    if (LENIENT.has(text)) return;
    if (!("error" in ours)) failures.push(`${reader} ${JSON.stringify(text)}: Python refuses (${py.error}), kmlf reads ${show(ours.value)}`);
    return;
  }
  if ("error" in ours) failures.push(`${reader} ${JSON.stringify(text)}: Python reads ${JSON.stringify(py)}, kmlf refuses (${ours.error})`);
  else if (!sameValue(py, ours.value)) failures.push(`${reader} ${JSON.stringify(text)}: Python ${JSON.stringify(py)}, kmlf ${show(ours.value)}`);
}

/** The generated scalars, every kind, the same on every run. */
function generate(): string[] {
  const random = seededRandom(SEED);
  const out = new Set<string>();
  for (const make of Object.values(GENERATORS)) for (let i = 0; i < PER_KIND; i++) out.add(make(random));
  return [...out];
}

Deno.test("generated scalars read as PyYAML's safe_load and OmegaConf's loader read them, as values and as keys", async () => {
  const scalars = generate();
  const texts = scalars.flatMap((s) => [`v: ${s}\n`, `${s}: v\n`, `- ${s}\n`]);
  const { load: readings } = await pyyaml({ load: texts });
  const failures: string[] = [];
  texts.forEach((text, i) => {
    compare(text, readings[i].pyyaml, PYYAML_SCHEMA, "safe_load", failures);
    compare(text, readings[i].omegaconf, OMEGACONF_SCHEMA, "omegaconf", failures);
  });
  assert.ok(texts.length > 2000, `only ${texts.length} texts generated`);
  assert.deepEqual(failures.slice(0, 40), [], `${failures.length} differences of ${texts.length * 2} readings`);
});

Deno.test("--params values read as OmegaConf's loader reads the same scalar", async () => {
  const scalars = generate().filter((s) => s !== "" && !/^[\s[{]|[#:]\s|\s$/.test(s));
  const { load: readings } = await pyyaml({ load: scalars.map((s) => `${s}\n`) });
  const failures: string[] = [];
  scalars.forEach((s, i) => {
    const py = readings[i].omegaconf;
    // A value OmegaConf refuses stays kmlf's text (parseScalar); one YAML reads as a collection without
    // brackets (`- a`, `a: b`) too: `--params` takes flow collections only.
    if ("error" in py || "l" in py || "m" in py) return;
    if (unholdable(py)) {
      assert.throws(() => parseFlowValue(s), YamlValueError, s);
      return;
    }
    const ours = parseFlowValue(s);
    if (!sameValue(py, ours)) failures.push(`--params ${JSON.stringify(s)}: Python ${JSON.stringify(py)}, kmlf ${show(ours)}`);
  });
  assert.deepEqual(failures.slice(0, 40), [], `${failures.length} differences`);
});
