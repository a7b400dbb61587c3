/**
 * Differential test of writing: what kmlf's listings print is byte for byte what Kedro's CLI prints
 * (`yaml.dump`); what the file store's meta.yaml writer and the MLmodel writer write loads back identically
 * in real PyYAML (safe_load); meta.yaml is byte for byte what MLflow's write_yaml writes
 * (`yaml.dump(data, default_flow_style=False, allow_unicode=True, sort_keys=True, Dumper=CSafeDumper)`), and
 * an MLmodel what MLflow's `Model.to_yaml` writes (`yaml.safe_dump(model, default_flow_style=False)`).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { load } from "js-yaml";
import { PYYAML_SCHEMA } from "../../lib/yaml/yaml11.ts";
import { pyyamlDump } from "../../lib/yaml/pyyaml_dump.ts";
import { writeMeta } from "../../lib/tracking/stores/file/file_format.ts";
import { mlmodelToYaml } from "../../lib/tracking/models/mlmodel.ts";
import { seededRandom } from "../seeded_random.ts";
import { generateScalars } from "./yaml_scalars.ts";
import { pyyaml, sameValue } from "./pyyaml_oracle.ts";

/** Every generated text as a string, every value kmlf reads from one, and awkward numbers. */
function values(): unknown[] {
  const out: unknown[] = [];
  for (const text of generateScalars()) {
    out.push(text, ` ${text}`, `${text} `, `${text}\n`);
    try {
      out.push((load(`v: ${text}\n`, { schema: PYYAML_SCHEMA }) as { v: unknown }).v);
    } catch {
      // refused on read: nothing to write
    }
  }
  const random = seededRandom(7);
  const bits = new DataView(new ArrayBuffer(8));
  for (let i = 0; i < 300; i++) {
    bits.setUint32(0, random() * 2 ** 32);
    bits.setUint32(4, random() * 2 ** 32);
    out.push(
      bits.getFloat64(0),
      Math.floor((random() - 0.5) * 2 ** (1 + random() * 62)),
      random() * 10 ** (random() * 40 - 20),
    );
  }
  out.push(
    -0,
    NaN,
    Infinity,
    -Infinity,
    2 ** 53,
    2 ** 53 + 2,
    1e21,
    -1e21,
    1e-7,
    5e-324,
    Number.MAX_VALUE,
    "",
    "\t",
    "a\tb",
    "é\u2028x",
  );
  return out;
}

// Kedro's CLI prints its listings with `yaml.dump` (kmlf catalog list|resolve|patterns, registry list|describe).
// Only what JSON carries to python3 unchanged: no dates, no -0 / NaN / ±Infinity, no integers past 2^53 (a
// Python int there, a float in kmlf).
Deno.test("values kmlf prints as Kedro's CLI does are yaml.dump's bytes", async () => {
  const all = values().filter((v) =>
    !(v instanceof Date) && !Object.is(v, -0) &&
    (typeof v !== "number" || (Number.isFinite(v) && (!Number.isInteger(v) || Number.isSafeInteger(v))))
  );
  const objects = all.map((v) => ({ v, [typeof v === "string" ? v : "k"]: [v, { v }] }));
  const { yaml_dump: expected } = await pyyaml({ yaml_dump: objects });
  const failures = objects.map((o) => pyyamlDump(o)).flatMap((text, i) =>
    text === expected[i]
      ? []
      : [`${JSON.stringify(all[i])}: ${JSON.stringify(text)} ≠ ${JSON.stringify(expected[i])}`]
  );
  assert.ok(all.length > 3000, `only ${all.length} values`);
  assert.deepEqual(failures.slice(0, 30), [], `${failures.length} of ${all.length} values`);
});

/** meta.yaml-shaped records whose text fields are the generated strings. */
function metas(): Record<string, unknown>[] {
  const random = seededRandom(11);
  return generateScalars().flatMap((text, i) => [
    {
      artifact_location: `file:///tmp/mlruns/${i}`,
      creation_time: 1700000000000 + i,
      experiment_id: String(i),
      last_update_time: 1700000000000 + i,
      lifecycle_stage: "active",
      name: text,
    },
    {
      artifact_uri: `file:///tmp/mlruns/1/${text}/artifacts`,
      end_time: i % 2 ? null : 1700000000000,
      entry_point_name: "",
      experiment_id: "1",
      lifecycle_stage: "deleted",
      run_id: "a".repeat(32),
      run_name: `${text} ${"word ".repeat(Math.floor(random() * 30))}${text}`,
      source_type: 4,
      status: i % 5,
      tags: [],
      user_id: text,
      deleted_time: 1700000000000 + Math.floor(random() * 1e9),
    },
  ]);
}

Deno.test("meta.yaml is byte for byte what MLflow's write_yaml writes, and reads back in PyYAML", async () => {
  const records = metas();
  const dir = await Deno.makeTempDir({ prefix: "kmlf-meta-diff-" });
  try {
    const ours: string[] = [];
    for (const [i, meta] of records.entries()) {
      const path = join(dir, `${i}.yaml`);
      await writeMeta(path, meta, { createFolders: true });
      ours.push(await Deno.readTextFile(path));
    }
    const { load: readings, dump: theirs } = await pyyaml({ load: ours, dump: records });
    const failures: string[] = [];
    records.forEach((meta, i) => {
      if (ours[i] !== theirs[i]) {
        failures.push(`bytes: kmlf ${JSON.stringify(ours[i])}\nPyYAML ${JSON.stringify(theirs[i])}`);
      }
      if (!sameValue(readings[i].pyyaml, sorted(meta))) failures.push(`reads back: ${ours[i]}`);
    });
    assert.deepEqual(failures.slice(0, 10), [], `${failures.length} of ${records.length} records`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("MLmodel files kmlf writes are byte for byte MLflow's and read back in PyYAML's safe_load", async () => {
  const texts = generateScalars();
  const models = texts.map((text, i) => ({
    artifactPath: "model",
    flavors: { kmlf: { pipeline: text, [text]: i } },
    metadata: { note: text, n: i, list: [text, true, null] },
    modelUuid: "ab12",
    runId: text,
    utcTimeCreated: "2024-10-29 07:39:02.032550",
  }));
  const written = models.map((m) => mlmodelToYaml(m));
  const dicts = models.map((m) => ({
    artifact_path: m.artifactPath,
    flavors: m.flavors,
    metadata: m.metadata,
    model_uuid: m.modelUuid,
    run_id: m.runId,
    utc_time_created: m.utcTimeCreated,
  }));
  const { load: readings, safe_dump: theirs } = await pyyaml({ load: written, safe_dump: dicts });
  const failures: string[] = [];
  models.forEach((_, i) => {
    if (!sameValue(readings[i].pyyaml, sorted(dicts[i]))) {
      failures.push(`${written[i]}\n${JSON.stringify(readings[i].pyyaml)}`);
    }
    if (written[i] !== theirs[i]) {
      failures.push(`bytes: kmlf ${JSON.stringify(written[i])}\nPyYAML ${JSON.stringify(theirs[i])}`);
    }
  });
  assert.deepEqual(failures.slice(0, 10), [], `${failures.length} of ${models.length} models`);
});

/** The value with its mappings' keys in PyYAML's sort_keys order (code points). */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== "object" || value instanceof Date) return value;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sorted(v)]));
}
