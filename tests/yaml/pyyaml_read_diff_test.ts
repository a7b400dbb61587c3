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
import { parseRuntimeParams } from "../../lib/config/runtime_params.ts";
import { UsageError } from "../../lib/errors.ts";
import { generateScalars as generate } from "./yaml_scalars.ts";
import { type PyValue, pyyaml, sameValue } from "./pyyaml_oracle.ts";

/**
 * Texts PyYAML refuses and kmlf reads, deliberately (README, "YAML as Python reads it"): a plain `=` or
 * `<<` as a value. PyYAML reads both as mapping keys; js-yaml builds keys and values alike, so refusing the
 * value would refuse the key too. kmlf reads the text, and writes both quoted.
 */
const LENIENT = new Set(["v: =\n", "- =\n", "v: <<\n", "- <<\n"]);

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
  "i" in py
    ? !Number.isSafeInteger(Number(py.i))
    : "l" in py
    ? py.l.some(unholdable)
    : "m" in py
    ? py.m.some(([k, v]) => unholdable(k) || unholdable(v))
    : false;

function compare(text: string, py: PyValue, schema: Schema, reader: string, failures: string[]): void {
  const ours = kmlfRead(text, schema);
  if (unholdable(py)) {
    if (!("error" in ours) || !/beyond what kmlf holds exactly/.test(ours.error)) {
      failures.push(
        `${reader} ${JSON.stringify(text)}: an integer past 2^53 must be refused, kmlf: ${show(ours)}`,
      );
    }
    return;
  }
  if ("error" in py) {
    if (LENIENT.has(text)) return;
    if (!("error" in ours)) {
      failures.push(
        `${reader} ${JSON.stringify(text)}: Python refuses (${py.error}), kmlf reads ${show(ours.value)}`,
      );
    }
    return;
  }
  if ("error" in ours) {
    failures.push(
      `${reader} ${JSON.stringify(text)}: Python reads ${JSON.stringify(py)}, kmlf refuses (${ours.error})`,
    );
  } else if (!sameValue(py, ours.value)) {
    failures.push(
      `${reader} ${JSON.stringify(text)}: Python ${JSON.stringify(py)}, kmlf ${show(ours.value)}`,
    );
  }
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
  assert.deepEqual(
    failures.slice(0, 40),
    [],
    `${failures.length} differences of ${texts.length * 2} readings`,
  );
});

Deno.test("explicit !!float and !!null tags read as PyYAML and OmegaConf's loader read them", async () => {
  const texts = [
    ...["3", '"1_0"', '" 2.5e3 "', "inf", "-.inf", "'nan'", "1:30", "+7.", "abc", "1e400", "''", "0x10", "1e"]
      .map((s) => `v: !!float ${s}\n`),
    ...["''", "x", "0", "null"].map((s) => `v: !!null ${s}\n`),
    "- !!float 3\n- !<tag:yaml.org,2002:float> 4\n",
  ];
  const { load: readings } = await pyyaml({ load: texts });
  const failures: string[] = [];
  texts.forEach((text, i) => {
    compare(text, readings[i].pyyaml, PYYAML_SCHEMA, "safe_load", failures);
    compare(text, readings[i].omegaconf, OMEGACONF_SCHEMA, "omegaconf", failures);
  });
  assert.deepEqual(failures, []);
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
    if (!sameValue(py, ours)) {
      failures.push(`--params ${JSON.stringify(s)}: Python ${JSON.stringify(py)}, kmlf ${show(ours)}`);
    }
  });
  assert.deepEqual(failures.slice(0, 40), [], `${failures.length} differences`);
});

Deno.test("mapping keys YAML 1.1 reads as booleans, numbers, null or dates become kmlf's text for them", async () => {
  const text = "yes: 1\n2: a\nnull: x\n0x10: h\n1.5: f\n2024-01-02: d\n2024-01-02 03:04:05+01:00: t\n";
  const { load: [reading] } = await pyyaml({ load: [text] });
  // (Not `1:` beside `yes:`: Python merges them, True == 1.) Python keeps True, 2, None, 16, 1.5 and date/datetime keys; kmlf's keys are strings: JavaScript's
  // text for a boolean, number or null, Python's str() for a date (JavaScript's would be a long local text).
  const expected = {
    "true": 1,
    "2": "a",
    "null": "x",
    "16": "h",
    "1.5": "f",
    "2024-01-02": "d",
    "2024-01-02 03:04:05+01:00": "t",
  };
  assert.deepEqual(load(text, { schema: PYYAML_SCHEMA }), expected);
  assert.ok(sameValue(reading.pyyaml, expected), JSON.stringify(reading.pyyaml));
  // OmegaConf has no timestamps: the date keys stay the text as written.
  assert.deepEqual(load(text, { schema: OMEGACONF_SCHEMA }), expected);
  assert.ok(sameValue(reading.omegaconf, expected), JSON.stringify(reading.omegaconf));
});

Deno.test("--params refuses an integer kmlf cannot hold, naming the item and how to keep it", () => {
  assert.throws(
    () => parseRuntimeParams("seed=12345678901234567890"),
    (error: unknown) =>
      error instanceof UsageError && error.code === "cli/bad-params" &&
      /seed=12345678901234567890.*beyond what kmlf holds exactly/.test(error.message) &&
      /--params "seed='12345678901234567890'"/.test(error.hint ?? ""),
  );
});
