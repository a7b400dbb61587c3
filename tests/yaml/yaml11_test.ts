/**
 * YAML as the Python originals read it: Kedro's config (OmegaConf's loader), `--params`, the YAML dataset
 * and MLmodel/meta.yaml (PyYAML's safe_load) — and what kmlf writes reads back the same in all of them.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { load } from "js-yaml";
import { OMEGACONF_SCHEMA, PYYAML_SCHEMA } from "../../lib/yaml/yaml11.ts";
import { parseFlowValue, parseScalar } from "../../lib/yaml/dump.ts";
import { pyyamlDump } from "../../lib/yaml/pyyaml_dump.ts";
import { YamlDataset } from "../../lib/catalog/datasets/yaml_dataset.ts";
import { withTree } from "../fs_helpers.ts";
import { load as loadConfig } from "../config/_helpers.ts";
import { demoProject, kmlf } from "../cli_harness.ts";

// Each scalar as PyYAML 6.0's safe_load and a SafeLoader with OmegaConf 2.3's changes read it (checked
// against PyYAML 6.0.3 with python3; Kedro's config goes through the latter).
const SCALARS: [string, unknown, unknown][] = [
  // text            PyYAML safe_load          OmegaConf
  ["yes", true, true],
  ["No", false, false],
  ["ON", true, true],
  ["off", false, false],
  ["y", "y", "y"],
  ["True", true, true],
  ["017", 15, 15],
  ["089", "089", "089"],
  ["0o17", "0o17", "0o17"],
  ["0x1F", 31, 31],
  ["0b101", 5, 5],
  ["1_000", 1000, 1000],
  ["1:30", 90, 90],
  ["-1:30", -90, -90],
  ["1e3", "1e3", 1000],
  ["1.5e3", "1.5e3", 1500],
  ["1.5e+3", 1500, 1500],
  ["6.8523015e+5", 685230.15, 685230.15],
  [".5", 0.5, 0.5],
  ["-.inf", -Infinity, -Infinity],
  ["~", null, null],
  ["Null", null, null],
  ["2024-01-31", new Date("2024-01-31T00:00:00Z"), "2024-01-31"],
  ["hello", "hello", "hello"],
];

Deno.test("scalars read as PyYAML's safe_load and as OmegaConf read them", () => {
  for (const [text, pyyaml, omegaconf] of SCALARS) {
    assert.deepEqual(load(`v: ${text}`, { schema: PYYAML_SCHEMA }), { v: pyyaml }, `PyYAML: ${text}`);
    assert.deepEqual(
      load(`v: ${text}`, { schema: OMEGACONF_SCHEMA }),
      { v: omegaconf },
      `OmegaConf: ${text}`,
    );
    assert.deepEqual(load(`v: '${text}'`, { schema: OMEGACONF_SCHEMA }), { v: text }, `quoted: ${text}`);
  }
  assert.ok(Number.isNaN((load("v: .NaN", { schema: OMEGACONF_SCHEMA }) as { v: number }).v));
});

// kmlf writes as PyYAML does (pyyamlDump), so PyYAML's rules read it back; OmegaConf's may not, as for
// PyYAML's own files (`1e3`, text to PyYAML, is written plain and OmegaConf reads a number).
Deno.test("what kmlf writes reads back unchanged by PyYAML's rules", () => {
  const strings = SCALARS.map(([text]) => text).concat([
    "",
    " a",
    "a: b",
    "- x",
    "#x",
    "null",
    "1.0",
    "1e-3",
  ]);
  const numbers = [0, -0, 1, -17, 1.5, 1e21, -1e-7, 2 ** 53 + 2, Infinity, -Infinity];
  const value = {
    strings,
    numbers,
    flags: [true, false],
    nothing: null,
    when: new Date("2024-01-31T10:00:00Z"),
  };
  const text = pyyamlDump(value);
  const back = load(text, { schema: PYYAML_SCHEMA }) as typeof value;
  assert.deepEqual(back.strings, strings);
  assert.deepEqual(back.numbers, numbers);
  assert.deepEqual(back.flags, [true, false]);
  assert.equal(back.nothing, null);
  assert.deepEqual(back.when, value.when);
});

Deno.test("Kedro config files: no is false, on is true, dates stay text, 017 is octal, 1e-3 a number", async () => {
  await withTree({
    "conf/base/parameters.yml": "use_gpu: no\nverbose: on\nstart: 2024-01-31\nmode: 017\nrate: 1e-3\n",
    "conf/local/.gitkeep": "",
  }, async (dir) => {
    const p = await loadConfig(dir, "parameters");
    assert.deepEqual(p.data, { use_gpu: false, verbose: true, start: "2024-01-31", mode: 15, rate: 0.001 });
    assert.equal(join(dir, "conf/base/parameters.yml"), p.files[0]);
  });
});

Deno.test("--params values read as OmegaConf's dotlist reads them; interpolation arguments by its grammar", () => {
  assert.equal(parseFlowValue("no"), false);
  assert.equal(parseFlowValue("017"), 15);
  assert.equal(parseFlowValue("2024-01-31"), "2024-01-31");
  assert.deepEqual(parseFlowValue("[yes, 0x10, '017']"), [true, 16, "017"]);
  // OmegaConf's grammar knows true/false/null and numbers only: `no` is the word, and no value is a date.
  assert.equal(parseScalar("no"), "no");
  assert.equal(parseScalar("2024-01-31"), "2024-01-31");
  assert.equal(parseScalar("1e-2"), 0.01);
});

Deno.test("the YAML dataset reads as Kedro's YAMLDataset (PyYAML safe_load) and writes what it reads back", async () => {
  await withTree(
    { "data/in.yml": "enabled: yes\nday: 2024-01-31\ncode: '017'\nlevel: 017\n" },
    async (dir) => {
      const ds = new YamlDataset({ filepath: join(dir, "data/in.yml") });
      const value = await ds.load() as Record<string, unknown>;
      assert.deepEqual(value, {
        enabled: true,
        day: new Date("2024-01-31T00:00:00Z"),
        code: "017",
        level: 15,
      });
      const out = new YamlDataset({ filepath: join(dir, "data/out.yml") });
      const saved = { answer: "yes", time: "1:30", code: "017", n: 1e21 };
      await out.save(saved);
      assert.deepEqual(await out.load(), saved);
      assert.match(
        await Deno.readTextFile(join(dir, "data/out.yml")),
        /^answer: 'yes'\ncode: '017'\nn: 1\.0e\+21\ntime: '1:30'\n$/,
      );
    },
  );
});

Deno.test("a run passes parameters.yml's no to the node as false, and --params flag=on as true", async () => {
  const dir = await demoProject({
    "conf/base/parameters.yml": "flag: no\n",
    "pipelines/ops.ts": "export const show = (f: unknown) => ({ type: typeof f, value: f });\n",
    "pipelines/flags.yml":
      "nodes:\n  - {name: show, func: ./ops.ts#show, inputs: [params:flag], outputs: shown}\n",
    "conf/base/catalog.yml": "shown: {type: json, filepath: data/shown.json}\n",
  }, { tracked: false });
  try {
    let r = await kmlf(["run", "flags", "-q"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(await Deno.readTextFile(join(dir, "data/shown.json"))), {
      type: "boolean",
      value: false,
    });
    r = await kmlf(["run", "flags", "-q", "--params", "flag=on"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(await Deno.readTextFile(join(dir, "data/shown.json"))), {
      type: "boolean",
      value: true,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
