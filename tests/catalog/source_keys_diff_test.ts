/**
 * Differential test of what the json and yaml datasets save of what they loaded, against Kedro's
 * JSONDataset and YAMLDataset (python3's json, PyYAML; tests/catalog/kedro_text_oracle.py), for mappings a
 * plain JavaScript object cannot hold as Python's dict does: integer-like keys (JavaScript lists them
 * first, Python keeps the file's order) and YAML keys PyYAML reads as ints, floats, bools, null or dates.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import v8 from "node:v8";
import { JsonDataset, MemoryDataset, PickleDataset, YamlDataset } from "../../lib/catalog/mod.ts";
import { inTempDir } from "./dataset_contract.ts";
import { pythonOracle } from "../python_oracle.ts";

const SCRIPT = fileURLToPath(new URL("./kedro_text_oracle.py", import.meta.url));

const JSON_TEXTS = [
  '{"2": "a", "1": "b"}',
  '{"b": 1, "10": 2, "a": 3, "2": 4, "0": 5}',
  '{"x": {"10": 1, "9": 2}, "list": [{"3": 0, "1": 0}, {"b": 1, "a": 2, "7": 3}], "0": null}',
  '{"\\u0032": "escaped two", "1": "one"}',
  '{"01": 1, "1": 2, "-1": 3, "4294967295": 4, "4294967294": 5}',
  '{"2": 1, "1": 2, "2": 3}', // a repeated key: the first place, the last value
  '{"2": {"9": 1, "8": 2}, "1": 0, "2": {"5": 1, "4": 2}}',
  '[{"2": [{"5": 1, "4": 2}]}, {"1": 0, "0": 0}]',
  // Floats without a fraction: Python floats, written back as floats.
  '{"a": 1.0, "b": [1.0, 2, 1e3, 1E+2, 2.50e1, 0.5], "c": 1.5, "2": {"x": [[3.0]]}, "s": "1.0"}',
  "[1.00, 1e0, -3.0, 1e16, 12345678901234567.0, true, null]",
];

const YAML_TEXTS = [
  "2: a\n1: b\n10: d\n",
  '"2": a\n"1": b\n"10": d\n',
  "2: a\n1: b\n'3': c\n10: d\n",
  "2024-01-02: x\n2023-05-01: y\n",
  "2024-01-02: x\n2023-05-01: y\nd: 2024-01-02 10:00:00\n",
  "2024-01-02 10:00:00: x\n2024-01-02: y\n",
  "1.5: a\n1: b\n",
  "true: a\nnull: c\n",
  "x: 1\nnested:\n  20: [a, {9: b, 8: c}]\n  3: q\n",
  "seq:\n- {2: a, 1: b}\n- 0x10: hex\n  010: octal\n",
  "a: 1.0\nb: [1.0, 2, 1.0e+3, 1_0.0, 2.50e+1, 0.5]\nc: 1.5\nd: 1e3\ne: '1.0'\nf:\n- -3.0\n- {g: 4.0}\n",
  "a: !!float 3\nb: [!!float 1:30, !!float '1_0', !!int '4']\n",
  // Merges: the merged mappings' keys first (the last listed first), then the mapping's own.
  "base: &b {y: 1, x: 2.0}\nc:\n  z: 0\n  <<: *b\n  y: 5\n",
  "a: &a {k: 1, '2': 2}\nb: &b {m: 3, '1': 1.0}\nc:\n  q: 0\n  <<: [*a, *b]\n",
  "a: &a {k: 1}\nc:\n  z: 0\n  '<<': text\n  <<: *a\n",
]; // (PyYAML reads 1e3 as text: its float needs a dot)

Deno.test("json: what JSONDataset loads and saves back keeps the file's key order, as Kedro's does", async () => {
  const requests = JSON_TEXTS.flatMap((text) => [{ text, args: {} }, { text, args: { indent: null } }]);
  const { json_resave } = await pythonOracle<{ json_resave: string[] }>(SCRIPT, { json_resave: requests });
  await inTempDir(async (dir) => {
    for (const [i, { text, args }] of requests.entries()) {
      await Deno.writeTextFile(join(dir, "in.json"), text);
      const value = await new JsonDataset({ filepath: join(dir, "in.json") }).load();
      await new JsonDataset({ filepath: join(dir, "out.json"), saveArgs: args }).save(value);
      assert.equal(await Deno.readTextFile(join(dir, "out.json")), json_resave[i], text);
    }
  });
});

Deno.test("yaml: integer, date, float, bool and null keys are saved back as PyYAML writes what it read", async () => {
  const requests = YAML_TEXTS.flatMap((text) => [{ text, args: {} }, { text, args: { sort_keys: false } }]);
  const { yaml_resave } = await pythonOracle<{ yaml_resave: string[] }>(SCRIPT, { yaml_resave: requests });
  await inTempDir(async (dir) => {
    for (const [i, { text, args }] of requests.entries()) {
      await Deno.writeTextFile(join(dir, "in.yml"), text);
      const value = await new YamlDataset({ filepath: join(dir, "in.yml") }).load();
      await new YamlDataset({ filepath: join(dir, "out.yml"), saveArgs: args }).save(value);
      assert.equal(
        await Deno.readTextFile(join(dir, "out.yml")),
        yaml_resave[i],
        `${text} ${JSON.stringify(args)}`,
      );
    }
  });
});

Deno.test("the file's key order and floats survive MemoryDataset's copies, and loaded values stay plain objects", async () => {
  await inTempDir(async (dir) => {
    const source = join(dir, "in.json");
    await Deno.writeTextFile(source, '{"n": [{"2": "a", "1": 1.0}], "k": {"9": 0, "x": 1, "8": 2.0}}');
    const loaded = await new JsonDataset({ filepath: source }).load() as Record<string, unknown>;
    // Nothing to see for JavaScript: the same plain object JSON.parse makes, which structuredClone copies.
    assert.deepEqual(loaded, JSON.parse(await Deno.readTextFile(source)));
    assert.equal(Object.getPrototypeOf(loaded), Object.prototype);
    structuredClone(loaded);
    for (const copyMode of ["deepcopy", "copy", "assign"] as const) {
      const memory = new MemoryDataset({ copyMode });
      await memory.save(loaded);
      const out = new JsonDataset({ filepath: join(dir, `${copyMode}.json`), saveArgs: { indent: null } });
      await out.save(await memory.load());
      assert.equal(
        await Deno.readTextFile(join(dir, `${copyMode}.json`)),
        '{"n": [{"2": "a", "1": 1.0}], "k": {"9": 0, "x": 1, "8": 2.0}}',
        copyMode,
      );
    }
  });
});

Deno.test("keys a node adds after loading come after the file's, deleted keys are left out", async () => {
  await inTempDir(async (dir) => {
    const filepath = join(dir, "d.json");
    await Deno.writeTextFile(filepath, '{"3": 0, "b": 1, "1": 2}');
    const value = await new JsonDataset<Record<string, number>>({ filepath }).load();
    delete value.b;
    value["0"] = 3;
    value.a = 4;
    await new JsonDataset({ filepath, saveArgs: { indent: null } }).save(value);
    // Python: {"3": 0, "1": 2, "0": 3, "a": 4}.
    assert.equal(await Deno.readTextFile(filepath), '{"3": 0, "1": 2, "0": 3, "a": 4}');
  });
});

Deno.test("pickle keeps a loaded mapping's file key order, as a pickled Python dict does", async () => {
  await inTempDir(async (dir) => {
    const text = '{"b": [{"20": 1, "3": 2}], "2": "x", "1": "y"}';
    await Deno.writeTextFile(join(dir, "in.json"), text);
    const loaded = await new JsonDataset({ filepath: join(dir, "in.json") }).load();
    const pickle = new PickleDataset({ filepath: join(dir, "data.pkl") });
    await pickle.save(loaded);
    const unpickled = await new PickleDataset({ filepath: join(dir, "data.pkl") }).load();
    assert.deepEqual(unpickled, loaded);
    // node:v8 reads kmlf's file as the same value (V8's format holds keys in any order).
    assert.deepEqual(v8.deserialize(await Deno.readFile(join(dir, "data.pkl"))), loaded);
    const out = new JsonDataset({ filepath: join(dir, "out.json"), saveArgs: { indent: null } });
    await out.save(unpickled);
    assert.equal(await Deno.readTextFile(join(dir, "out.json")), text);
  });
});
