/**
 * Differential test of lib/yaml/pyyaml_dump.ts against real PyYAML: for generated and hand-picked values
 * (long texts that fold at column 80, indicators, texts PyYAML reads as other types, unicode, breaks,
 * floats, nesting), kmlf's bytes are exactly what MLflow's three YAML writers write — `CSafeDumper` with
 * `allow_unicode` (meta.yaml), `safe_dump` (MLmodel) and `yaml.dump` (log_dict) — and what PyYAML's own emitter
 * writes with `allow_unicode` (a YAMLDataset's save argument, the Argo export).
 */
import assert from "node:assert/strict";
import { pyyamlDump } from "../../lib/yaml/pyyaml_dump.ts";
import { seededRandom } from "../seeded_random.ts";
import { generateScalars } from "./yaml_scalars.ts";
import { pyyaml } from "./pyyaml_oracle.ts";

const ALPHABET = [
  ..."abcdefghij      ",
  ..."-?:=#,[]{}&*!|>'\"%@`~.",
  "\n",
  "\t",
  "\r",
  "\\",
  "é",
  "ß",
  "中",
  "\u00a0",
  "\u0085",
  "\u2028",
  "\ufeff",
  "\u0001",
  "😀",
  "\ue000",
];

/** Texts of random length over characters that change PyYAML's choice of style or its folding. */
function randomTexts(count: number): string[] {
  const random = seededRandom(21);
  const texts: string[] = [];
  for (let i = 0; i < count; i++) {
    const length = Math.floor(random() * (random() < 0.5 ? 12 : 240));
    let text = "";
    for (let j = 0; j < length; j++) {
      // Mostly words and spaces, so folding points are common.
      text += random() < 0.8
        ? "abcdefghij      "[Math.floor(random() * 16)]
        : ALPHABET[Math.floor(random() * ALPHABET.length)];
    }
    texts.push(text);
  }
  return texts;
}

/** Values a user or MLflow puts in these files. Only what JSON carries to python3 unchanged. */
function values(): unknown[] {
  const words = (n: number, w = "word") => Array.from({ length: n }, (_, i) => `${w}${i}`).join(" ");
  const picked: unknown[] = [
    "",
    " ",
    "-",
    "- x",
    "-x",
    "?x",
    "? x",
    ":x",
    ": x",
    "=",
    "<<",
    "~",
    "---",
    "...x",
    "a: b",
    "a #b",
    "a#b",
    "#",
    "yes",
    "No",
    "on",
    "y",
    "null",
    "Null",
    "1",
    "1.0",
    "1e3",
    "1.0e+3",
    "0x1F",
    "017",
    "0o17",
    "1_000",
    "1:20",
    ".inf",
    ".NaN",
    "2024-01-01",
    "2024-1-1 1:02:03",
    "2024-01-01T00:00:00Z",
    "é",
    "naïve café ☕",
    "😀",
    "emoji 😀 text",
    "line1\nline2",
    "trailing\n",
    "\nleading",
    "a\n\nb",
    "a \nb",
    "a\n b",
    "tab\there",
    "cr\r\nlf",
    "bom\ufeff",
    "nel\u0085x",
    "ls\u2028x",
    "it's",
    'say "hi"',
    "back\\slash",
    words(40),
    `- ${words(30)}`,
    `${words(20)}: ${words(20)}`,
    `yes ${words(25)}`,
    `'${words(25)}'`,
    `${words(25)}\n${words(25)}`,
    `é${words(30, "mot")}`,
    `${words(15)}  ${words(15)}`,
    `${words(15)}   ${words(15)}`,
    "x".repeat(200),
    `${"x".repeat(90)} ${"y".repeat(90)}`,
    `\t${words(30)}`,
    `😀 ${words(30)}`,
    `${words(10)} 😀 ${words(30)}`,
    `${words(12)} \u0085 ${words(30)}`,
    0,
    1,
    -1,
    1700000000000,
    Number.MAX_SAFE_INTEGER,
    0.5,
    -0.25,
    1.5e-7,
    1e-5,
    1e15 + 0.5,
    1e21,
    1.7976931348623157e308,
    5e-324,
    0.1 + 0.2,
    true,
    false,
    null,
    [],
    {},
  ];
  const random = seededRandom(5);
  const floats = Array.from({ length: 200 }, () => (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20));
  return [
    ...picked,
    ...generateScalars(),
    ...randomTexts(1500),
    ...floats.filter((f) => !Number.isInteger(f)),
  ];
}

/** Each value in the places a file puts it: a key, a value, a list item, nested one and two levels down. */
function documents(): Record<string, unknown>[] {
  return values().map((v, i) => ({
    value: v,
    list: [v, [v], { k: v }],
    nested: { deeper: { value: v, list: [v] } },
    ...(typeof v === "string" ? { [v]: i, [[...`${v}${v}`].slice(0, 140).join("")]: [v] } : {}),
  }));
}

Deno.test("pyyamlDump writes byte for byte what PyYAML's dumpers write for MLflow, Kedro and Argo", async () => {
  const docs = documents();
  const { dump, safe_dump, yaml_dump, unicode_dump, libyaml } = await pyyaml({
    dump: docs,
    safe_dump: docs,
    yaml_dump: docs,
    unicode_dump: docs,
  });
  assert.ok(libyaml, "PyYAML without libyaml cannot show what MLflow's CSafeDumper writes");
  const failures: string[] = [];
  docs.forEach((doc, i) => {
    const check = (name: string, ours: string, theirs: string) => {
      if (ours !== theirs) {
        failures.push(
          `${name} ${JSON.stringify(doc.value)}\nkmlf   ${JSON.stringify(ours)}\nPyYAML ${
            JSON.stringify(theirs)
          }`,
        );
      }
    };
    check("write_yaml", pyyamlDump(doc, { emitter: "libyaml", allowUnicode: true }), dump[i]);
    const python = pyyamlDump(doc);
    check("safe_dump", python, safe_dump[i]);
    check("yaml.dump", python, yaml_dump[i]);
    check("allow_unicode", pyyamlDump(doc, { allowUnicode: true }), unicode_dump[i]);
  });
  assert.ok(docs.length > 2000, `only ${docs.length} documents`);
  assert.deepEqual(failures.slice(0, 8), [], `${failures.length} of ${docs.length * 4} texts differ`);
});

Deno.test("pyyamlDump writes a root scalar, keys of every length and empty keys as PyYAML does", async () => {
  const docs: unknown[] = ["abc", "", "yes", 1.5, null, [], { "": 1 }, ["a", ["b", { c: [] }]]];
  for (const n of [120, 122, 123, 124, 126, 127, 128, 129, 130]) {
    docs.push({ ["k".repeat(n)]: 1 }, { ["é".repeat(n / 2)]: 1 });
  }
  const { dump, safe_dump } = await pyyaml({ dump: docs, safe_dump: docs });
  docs.forEach((doc, i) => {
    assert.equal(pyyamlDump(doc, { emitter: "libyaml", allowUnicode: true }), dump[i], JSON.stringify(doc));
    assert.equal(pyyamlDump(doc), safe_dump[i], JSON.stringify(doc));
  });
});

Deno.test("pyyamlDump spells what JSON cannot carry as PyYAML's SafeRepresenter does", () => {
  assert.equal(
    pyyamlDump({ a: -0, b: NaN, c: Infinity, d: -Infinity }),
    "a: -0.0\nb: .nan\nc: .inf\nd: -.inf\n",
  );
  // An integer past 2^53 can only have come from a float: written as one, read back the same number.
  assert.equal(pyyamlDump(2 ** 53), "9007199254740992.0\n...\n");
  assert.equal(pyyamlDump(12n), "12\n...\n");
  assert.equal(
    pyyamlDump(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6))),
    "2024-01-02 03:04:05.006000+00:00\n...\n",
  );
  assert.equal(pyyamlDump({ a: undefined, b: [undefined] }), "b:\n- null\n");
  // Python sorts keys by code point; JavaScript's `<` would put U+FFFD after an emoji's surrogates.
  assert.equal(pyyamlDump({ "\ufffd": 1, "😀": 2 }, { allowUnicode: true }), "\ufffd: 1\n😀: 2\n");
});

Deno.test("pyyamlDump refuses what YAML cannot hold, naming it", () => {
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  assert.throws(() => pyyamlDump(cycle), /contains itself/);
  assert.throws(() => pyyamlDump({ f: () => 1 }), /Cannot write a function/);
  assert.throws(() => pyyamlDump({ s: Symbol("x") }), /Cannot write a symbol/);
});
