/**
 * Parameters keep the key order (and the floats without a fraction, `1.0`) of their files, as Kedro's
 * (OmegaConf's) do: a mapping with integer-like
 * keys (`2:`, `1:`), which a JavaScript object would list in numeric order, reaches a node and a saved file
 * in the files' order, through merges of files and environments, interpolation and `params:` datasets.
 */
import assert from "node:assert/strict";
import { Catalog } from "../../lib/catalog/mod.ts";
import { pyJsonDump } from "../../lib/py_json.ts";
import { pyyamlDump } from "../../lib/yaml/pyyaml_dump.ts";
import { withTree } from "../fs_helpers.ts";
import { load } from "./_helpers.ts";

// What Kedro gives, json.dumps of OmegaConf.to_container(OmegaConf.merge(base, local), resolve=True)
// (checked with python3-omegaconf; the base files merged in name order).
const EXPECTED_JSON =
  '{"g": {"2": "a", "1": "q", "x": "b", "0": "z"}, "top": {"10": 1.0, "9": 2}, "label": "b"}';

for (const mergeStrategy of ["soft", "destructive"] as const) {
  Deno.test(`parameters with integer keys keep the files' order (${mergeStrategy} merge)`, async () => {
    await withTree({
      "conf/base/parameters.yml": "g:\n  2: a\n  1: b\n  x: ${label}\n",
      "conf/base/parameters_top.yml": "top:\n  '10': 1.0\n  9: 2\nlabel: b\n",
      "conf/local/parameters.yml": mergeStrategy === "soft" ? "g:\n  0: z\n  1: q\n" : "other: 1\n",
    }, async (dir) => {
      const params = (await load(dir, "parameters", { mergeStrategy: { parameters: mergeStrategy } })).data;
      if (mergeStrategy === "destructive") {
        assert.equal(pyJsonDump(params.g), '{"2": "a", "1": "b", "x": "b"}');
        return;
      }
      assert.equal(pyJsonDump(params), EXPECTED_JSON);
      // PyYAML writes the int keys as ints, in the files' order (sort_keys=False) or sorted as Python sorts.
      assert.equal(pyyamlDump(params.g, { sortKeys: false }), "2: a\n1: q\nx: b\n0: z\n");
      const catalog = await Catalog.fromConfig({ data: {}, locate: () => undefined }, { projectRoot: dir });
      catalog.addParameters(params);
      assert.equal(pyJsonDump(await catalog.load("params:g")), '{"2": "a", "1": "q", "x": "b", "0": "z"}');
      assert.equal(pyJsonDump(await catalog.load("parameters")), EXPECTED_JSON);
    });
  });
}
