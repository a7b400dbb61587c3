/**
 * Differential test of the json and yaml datasets against what Kedro's JSONDataset and YAMLDataset write
 * (python3's json, PyYAML; tests/catalog/kedro_text_oracle.py): for generated documents and every layout
 * keyword kmlf takes, the file kmlf writes is byte for byte Kedro's, and reads back as the same value.
 * Also MLflow's log_dict `.json` artifact (`json.dump(d, f, indent=2)`).
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { JsonDataset, YamlDataset } from "../../lib/catalog/mod.ts";
import { dictText } from "../../lib/tracking/client/_artifact_writes.ts";
import { seededRandom } from "../seeded_random.ts";
import { inTempDir } from "./dataset_contract.ts";
import { pythonOracle } from "../python_oracle.ts";

const SCRIPT = fileURLToPath(new URL("./kedro_text_oracle.py", import.meta.url));

type Request = { value: unknown; args: Record<string, unknown> };

async function kedro(
  request: { json?: Request[]; yaml?: Request[] },
): Promise<{ json: string[]; yaml: string[] }> {
  return await pythonOracle(SCRIPT, request);
}

const CHARS = [
  ..."abcdefghij      0123456789",
  ..."-?:=#,[]{}&*!|>'\"%@`~./\\",
  "\n",
  "\t",
  "\r",
  "\b",
  "\f",
  "\u0000",
  "\u001f",
  "\u007f",
  "é",
  "ß",
  "中",
  "\u00a0",
  "\u0085",
  "\u2028",
  "\ufeff",
  "😀",
  "\ue000",
];

/** Generated documents: texts over characters that change escaping and folding, numbers, nesting. */
function documents(seed: number, count: number): unknown[] {
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const text = () => {
    const length = Math.floor(random() * (random() < 0.7 ? 10 : 200));
    let s = "";
    for (let i = 0; i < length; i++) s += random() < 0.7 ? pick([..."abcdefghij    "]) : pick(CHARS);
    return s;
  };
  const number = () => {
    const r = random();
    if (r < 0.3) return Math.floor((random() - 0.5) * 10 ** Math.floor(random() * 15));
    // JSON carries an integral float to Python as an int only below 1e21 (see pyJsonDump).
    const f = (random() - 0.5) * 10 ** Math.floor(random() * 44 - 22);
    return Number.isInteger(f) && Math.abs(f) >= 1e21 ? 0.5 : f;
  };
  const value = (depth: number): unknown => {
    const r = random();
    if (depth > 3 || r < 0.35) return text();
    if (r < 0.55) return number();
    if (r < 0.6) return pick([true, false, null, "", "yes", "1.0", "null", 0, -1, 0.1, 1e-5, 1e16 + 2]);
    if (r < 0.8) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
    return Object.fromEntries(
      Array.from({ length: Math.floor(random() * 4) }, () => [text(), value(depth + 1)]),
    );
  };
  // A dataset refuses to save null (as Kedro does); anything else may be the whole document.
  return Array.from({ length: count }, () => value(0) ?? { value: null });
}

async function writtenBy<T>(
  make: (file: string) => { save(v: T): Promise<void>; load(): Promise<T> },
  value: T,
) {
  return await inTempDir(async (dir) => {
    const ds = make(join(dir, "f"));
    await ds.save(value);
    return { bytes: await Deno.readTextFile(join(dir, "f")), back: await ds.load() };
  });
}

const JSON_ARGS: Record<string, unknown>[] = [
  {},
  { indent: 4 },
  { indent: 0 },
  { indent: null },
  { ensure_ascii: false },
  { sort_keys: true, indent: 1 },
  { separators: [",", ":"], indent: null },
  { separators: [" ,", " : "], sort_keys: true },
];

Deno.test("the json dataset writes byte for byte what Kedro's JSONDataset writes, for every save_args it takes", async () => {
  const docs = documents(25, 300);
  const requests = docs.flatMap((
    value,
    i,
  ) => [{ value, args: JSON_ARGS[i % JSON_ARGS.length] }, { value, args: {} }]);
  const { json } = await kedro({ json: requests });
  const failures: string[] = [];
  for (const [i, { value, args }] of requests.entries()) {
    const { bytes, back } = await writtenBy((f) => new JsonDataset({ filepath: f, saveArgs: args }), value);
    if (bytes !== json[i]) {
      failures.push(`${JSON.stringify(args)} ${JSON.stringify(value)}\nkmlf   ${bytes}\nPython ${json[i]}`);
    }
    assert.deepEqual(back, value);
  }
  assert.deepEqual(failures.slice(0, 5), [], `${failures.length} of ${requests.length} files differ`);
});

const YAML_ARGS: Record<string, unknown>[] = [
  {},
  { allow_unicode: true },
  { sort_keys: false },
  { indent: 4 },
  { width: 40 },
  { width: 4096, allow_unicode: true, default_flow_style: false },
  { indent: 3, width: 60, sort_keys: false },
];

Deno.test("the yaml dataset writes byte for byte what Kedro's YAMLDataset writes, for every save_args it takes", async () => {
  // Keys in insertion order: JavaScript puts integer-like keys first, which Python would not. An integral
  // number past 2^53 is written as a float (1.2e+17), which kmlf reads back; Python's int would not be.
  const docs = documents(26, 300).map((doc) =>
    JSON.parse(JSON.stringify(doc, (_k, v) => {
      if (typeof v === "number") return Number.isInteger(v) && !Number.isSafeInteger(v) ? 0.5 : v;
      if (!v || typeof v !== "object" || Array.isArray(v)) return v;
      return Object.fromEntries(Object.entries(v).filter(([k]) => !/^\d+$/.test(k)));
    }))
  );
  const requests = docs.flatMap((
    value,
    i,
  ) => [{ value, args: YAML_ARGS[i % YAML_ARGS.length] }, { value, args: {} }]);
  const { yaml } = await kedro({ yaml: requests });
  const failures: string[] = [];
  for (const [i, { value, args }] of requests.entries()) {
    const { bytes, back } = await writtenBy((f) => new YamlDataset({ filepath: f, saveArgs: args }), value);
    if (bytes !== yaml[i]) {
      failures.push(`${JSON.stringify(args)} ${JSON.stringify(value)}\nkmlf   ${bytes}\nPyYAML ${yaml[i]}`);
    }
    // PyYAML with allow_unicode writes a NEL or line separator raw inside quotes, where it reads as a line
    // break (folded to a space): kmlf writes and reads those bytes as PyYAML does.
    if (!(args.allow_unicode && /[\u0085\u2028]/.test(JSON.stringify(value)))) {
      assert.deepEqual(back, value, JSON.stringify(value));
    }
  }
  assert.deepEqual(failures.slice(0, 5), [], `${failures.length} of ${requests.length} files differ`);
});

Deno.test("logDict writes a .json artifact byte for byte as MLflow's json.dump(d, f, indent=2)", async () => {
  const docs = documents(27, 100).map((value) => ({ config: value, "naïve": "é 😀" }));
  const { json } = await kedro({ json: docs.map((value) => ({ value, args: {} })) });
  for (const [i, doc] of docs.entries()) assert.equal(await dictText(doc, "config.json"), json[i]);
});

Deno.test("an integral number is written as an int, as JavaScript cannot tell 1.0 from 1", async () => {
  const { bytes } = await writtenBy((f) => new JsonDataset({ filepath: f }), { a: 1.0, big: 1e21, neg: -0 });
  // -0 is the one integral number only a float holds: written as Python writes the float -0.0.
  assert.equal(bytes, '{\n  "a": 1,\n  "big": 1000000000000000000000,\n  "neg": -0.0\n}');
});

// Timestamps PyYAML reads (yaml11.ts' pattern), in every form: a date, naive and aware datetimes, zones
// Z/±h/±hh:mm/-00:00, 0 to 9 fraction digits, one-digit month/day/hour, T or spaces between date and time.
function timestampTexts(seed: number, count: number): string[] {
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const pad = (n: number, width: number) => String(n).padStart(width, "0");
  return Array.from({ length: count }, () => {
    const [y, mo, d] = [
      pick([1, 99, 1970, 2024, 9999]),
      1 + Math.floor(rand() * 12),
      1 + Math.floor(rand() * 28),
    ];
    if (rand() < 0.3) return `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}`;
    const short = rand() < 0.3;
    const date = `${pad(y, 4)}-${short ? mo : pad(mo, 2)}-${short ? d : pad(d, 2)}`;
    const h = Math.floor(rand() * 24);
    const time = `${short ? h : pad(h, 2)}:${pad(Math.floor(rand() * 60), 2)}:${
      pad(Math.floor(rand() * 60), 2)
    }`;
    const fraction = pick(["", ".", ".5", ".123", ".000001", ".123456", ".1234567", ".000000001"]);
    const zone = pick(["", "", "Z", " Z", "+02:00", "-05:30", "+1", "-00:00", " +00:00", "+13:45"]);
    return `${date}${pick(["T", "t", " ", "  "])}${time}${fraction}${zone}`;
  });
}

Deno.test("dates and datetimes a yaml dataset loaded are saved back as Kedro's YAMLDataset saves them", async () => {
  const texts = timestampTexts(29, 200);
  const docs = texts.map((t, i) =>
    i % 3 === 0 ? `when: ${t}\n` : i % 3 === 1 ? `- ${t}\n- x\n` : `a:\n  b: ${t}\n  c: [${t}, 1]\n`
  );
  const requests = docs.map((text, i) => ({ text, args: i % 2 ? {} : { sort_keys: false } }));
  const { yaml_resave } = await pythonOracle<{ yaml_resave: string[] }>(SCRIPT, { yaml_resave: requests });
  const failures: string[] = [];
  await inTempDir(async (dir) => {
    for (const [i, { text, args }] of requests.entries()) {
      const source = join(dir, "in.yml");
      await Deno.writeTextFile(source, text);
      const value = await new YamlDataset({ filepath: source }).load();
      const out = new YamlDataset({ filepath: join(dir, "out.yml"), saveArgs: args });
      await out.save(value);
      const bytes = await Deno.readTextFile(join(dir, "out.yml"));
      if (bytes !== yaml_resave[i]) failures.push(`${text}kmlf   ${bytes}PyYAML ${yaml_resave[i]}`);
      // And what it wrote reads back as the same instants.
      assert.deepEqual(await out.load(), value);
    }
  });
  assert.deepEqual(failures.slice(0, 5), [], `${failures.length} of ${requests.length} files differ`);
});

Deno.test("a Date changed after it was loaded, or made by a node, is saved as the UTC datetime it holds", async () => {
  await inTempDir(async (dir) => {
    const filepath = join(dir, "d.yml");
    await Deno.writeTextFile(filepath, "a: 2024-01-02\nb: 2024-01-02 03:04:05+02:00\n");
    const value = await new YamlDataset<{ a: Date; b: Date; c?: Date }>({ filepath }).load();
    value.a.setUTCHours(5);
    value.c = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 120));
    await new YamlDataset({ filepath }).save(value);
    assert.equal(
      await Deno.readTextFile(filepath),
      "a: 2024-01-02 05:00:00+00:00\nb: 2024-01-02 03:04:05+02:00\nc: 2024-01-02 03:04:05.120000+00:00\n",
    );
  });
});
