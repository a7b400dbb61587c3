/**
 * A mapping read from a JSON or YAML file keeps the file's key order (integer-like keys included), its
 * floats without a fraction (`2.0`) and PyYAML's key types through ParallelRunner's workers, as through the
 * sequential runner: structured clone drops them, so they cross beside the values (lib/source_keys.ts).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { RUNNERS, runWith, withPipeline } from "./runner_helpers.ts";

const OPS = `
export const same = (value: unknown) => value;
export const wrap = (value: unknown) => ({ inner: value, "1": "new" });
`;

const PIPELINE = `nodes:
  - {name: pass, func: ./ops.ts#same, inputs: source, outputs: middle}
  - {name: wrap, func: ./ops.ts#wrap, inputs: middle, outputs: wrapped}
  - {name: again, func: ./ops.ts#same, inputs: middle, outputs: copied}
`;

const CATALOG = `
source: {type: json.JSONDataset, filepath: data/in.json}
wrapped: {type: json.JSONDataset, filepath: data/wrapped.json, save_args: {indent: null}}
copied: {type: yaml.YAMLDataset, filepath: data/copied.yml, save_args: {sort_keys: false}}
`;

for (const spec of RUNNERS) {
  Deno.test(`${spec.kind} runner: a loaded mapping's key order reaches the saved files`, async () => {
    await withPipeline(PIPELINE, OPS, async ({ root, pipeline, catalog }) => {
      await Deno.mkdir(join(root, "data"));
      await Deno.writeTextFile(join(root, "data/in.json"), '{"b": {"20": 1, "3": 2.0}, "2": "x", "1": "y"}');
      await runWith(spec, pipeline, await catalog(CATALOG));
      // The loaded mapping inside keeps the file's order; the object the node built lists its
      // integer-like key first, JavaScript's order (Python would write "inner" first: a known difference).
      assert.equal(
        await Deno.readTextFile(join(root, "data/wrapped.json")),
        '{"1": "new", "inner": {"b": {"20": 1, "3": 2.0}, "2": "x", "1": "y"}}',
      );
      assert.equal(
        await Deno.readTextFile(join(root, "data/copied.yml")),
        "b:\n  '20': 1\n  '3': 2.0\n'2': x\n'1': y\n",
      );
    });
  });
}
