/**
 * A value brought in by a YAML merge key (`<<: *defaults`) or an alias (`*args`) is located where it is
 * written — under the anchor — with the key path the user wrote, so errors about it (a bad dataset type, an
 * unknown argument, a bad node field, a parameter) point at the line to fix, not at the `<<` line.
 */
import assert from "node:assert/strict";
import { parseYaml } from "../../lib/yaml/parse_yaml.ts";
import { kmlf } from "../cli_harness.ts";
import { withTree } from "../fs_helpers.ts";

const at = (text: string, path: (string | number)[], key = false) => {
  const src = parseYaml(text, "f.yml");
  const { line, column, keyPath } = key ? src.locateKey(path) : src.locate(path);
  return `${line}:${column} ${keyPath}`;
};

Deno.test("a merged key is located under its anchor; the mapping's own keys and the first merge win, as in the value", () => {
  const text = [
    "_a: &a", //                     1
    "  type: A", //                  2
    "  lr: 0.1", //                  3
    "_b: &b", //                     4
    "  type: B", //                  5
    "  seed: 7", //                  6
    "  nested: {deep: 1}", //        7
    "one:", //                       8
    "  <<: *a", //                   9
    "  lr: 0.5", //                  10
    "both:", //                      11
    "  <<: [*b, *a]", //             12
    "inline:", //                    13
    "  <<: {k: 1}", //               14
    "chain:", //                     15
    "  <<: *one", //                 16 (one's own keys, then what one merged)
    "",
  ].join("\n").replace("one:", "one: &one");
  const value = parseYaml(text, "f.yml").value as Record<string, Record<string, unknown>>;
  assert.deepEqual(value.both, { type: "B", seed: 7, nested: { deep: 1 }, lr: 0.1 });
  assert.equal(at(text, ["one", "type"]), "2:9 one.type");
  assert.equal(at(text, ["one", "type"], true), "2:3 one.type");
  assert.equal(at(text, ["one", "lr"]), "10:7 one.lr"); // the mapping's own key overrides the merge
  assert.equal(at(text, ["both", "type"]), "5:9 both.type"); // the first merged mapping wins
  assert.equal(at(text, ["both", "lr"]), "3:7 both.lr");
  assert.equal(at(text, ["both", "nested", "deep"]), "7:18 both.nested.deep");
  assert.equal(at(text, ["inline", "k"]), "14:11 inline.k");
  assert.equal(at(text, ["chain", "lr"]), "10:7 chain.lr");
  assert.equal(at(text, ["chain", "type"]), "2:9 chain.type");
  // A key no merge brings falls back to the mapping (its anchor, here), as before.
  assert.equal(at(text, ["one", "nope"]), "8:6 one.nope");
});

Deno.test("a path through an alias is located under the anchor", () => {
  const text = "_args: &args\n  sep: ','\n  cols: [a, b]\nds:\n  load_args: *args\n";
  assert.equal(at(text, ["ds", "load_args", "sep"]), "2:8 ds.load_args.sep");
  assert.equal(at(text, ["ds", "load_args", "cols", 1]), "3:13 ds.load_args.cols[1]");
  assert.equal(at(text, ["ds", "load_args"]), "5:14 ds.load_args"); // the alias itself: where it is used
  // A quoted "<<" is an ordinary key, not a merge.
  assert.equal(at("m:\n  '<<': {x: 1}\n", ["m", "x"]), "2:3 m.x");
});

const NODES = "export const id = (x: unknown) => x;\n";

async function runError(files: Record<string, string>, args: string[] = []): Promise<string> {
  return await withTree(
    {
      "kmlf.yml": "name: merges\n",
      "conf/base/parameters.yml": "x: 1\n",
      "conf/base/catalog.yml": "{}\n",
      "conf/local/.keep": "",
      "pipelines/p.yml": "nodes:\n  - {name: n, func: ./nodes.ts#id, inputs: params:x, outputs: out}\n",
      "pipelines/nodes.ts": NODES,
      ...files,
    },
    async (dir) => {
      const r = await kmlf(["run", "--pipeline", "p", ...args], { cwd: dir });
      assert.notEqual(r.code, 0, r.stderr);
      return r.stderr.slice(r.stderr.indexOf("error["));
    },
  );
}

Deno.test("kmlf run: errors in merged catalog entries, pipeline nodes and parameters name the anchor's line and the user's key path", async () => {
  const catalog =
    "_csv: &csv\n  type: pandas.CSVDatasett\n  filepath: data/c.csv\n\ncompanies:\n  <<: *csv\n";
  const pipeline = "nodes:\n  - {name: n, func: ./nodes.ts#id, inputs: companies, outputs: out}\n";
  assert.match(
    await runError({ "conf/base/catalog.yml": catalog, "pipelines/p.yml": pipeline }),
    /^error\[catalog\/unknown-type\].*\n {2}at conf\/base\/catalog\.yml:2:9 \(companies\.type\)/,
  );
  const unknownKey = "_csv: &csv\n  type: pandas.CSVDataset\n  filepath: data/c.csv\n  bogus: 1\n" +
    "companies:\n  <<: *csv\n";
  assert.match(
    await runError({ "conf/base/catalog.yml": unknownKey, "pipelines/p.yml": pipeline }),
    /^error\[catalog\/bad-argument\].*\n {2}at conf\/base\/catalog\.yml:4:3 \(companies\.bogus\)/,
  );
  // Node b takes node a's outputs through the merge: the clash is where "y" is written.
  const nodes = "nodes:\n  - &a {name: a, func: ./nodes.ts#id, inputs: params:x, outputs: y}\n" +
    "  - <<: *a\n    name: b\n";
  assert.match(
    await runError({ "pipelines/p.yml": nodes }),
    /^error\[pipeline\/duplicate-output\].*\n {2}at pipelines\/p\.yml:2:66 \(nodes\[1\]\.outputs\)/,
  );
  const params = "base: &base\n  lr: 0.1\n  layers: [1, 2]\nmodel:\n  <<: *base\n  seed: 1\n";
  assert.match(
    await runError({ "conf/base/parameters.yml": params }, ["--params", "model.layers.x=3"]),
    /^error\[config\/params-into-list\].*\n {2}at conf\/base\/parameters\.yml:3:11 \(model\.layers\)/,
  );
});
