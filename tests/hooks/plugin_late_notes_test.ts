/**
 * A plugin's dataset type that keeps its factory's `ctx` and warns from a save (not while the catalog builds
 * its entry): `kmlf run` prints the note when it is given, located at the key it names.
 */
import assert from "node:assert/strict";
import { demoProject, kmlf } from "../cli_harness.ts";

const LOUD_PLUGIN = `import type { Dataset, DatasetFactoryContext, Plugin } from "../../mod.ts";

class LoudDataset implements Dataset<string> {
  constructor(readonly ctx: DatasetFactoryContext) {}
  async load() { return ""; }
  async save(_text: string) {
    this.ctx.warn?.(["mode"], {
      code: "catalog/loud-mode",
      message: \`"\${this.ctx.name}" saved in the old mode\`,
      hint: "set mode: new",
    });
  }
  async exists() { return false; }
  describe() { return {}; }
}

export const plugin: Plugin = {
  name: "loud",
  registerDatasets(registry) {
    registry.register(["loud_text"], (_args, ctx) => new LoudDataset(ctx));
  },
};
`;

Deno.test("kmlf run: a plugin dataset's note given on save is printed when given, at its key", async () => {
  const dir = await demoProject({
    "kmlf.yml": "name: iris\nplugins: [./plugins/loud.ts]\n",
    "plugins/loud.ts": LOUD_PLUGIN,
    "pipelines/loud.yml":
      "nodes:\n  - name: one\n    func: ./loud_nodes.ts#echo\n    inputs: params:greeting\n" +
      "    outputs: shouted\n  - name: two\n    func: ./loud_nodes.ts#echo\n    inputs: params:greeting\n" +
      "    outputs: shouted_too\n",
    "pipelines/loud_nodes.ts": "export const echo = (greeting: string) => greeting;\n",
    "conf/base/parameters.yml": "greeting: hello\n",
    "conf/base/catalog.yml": "shouted:\n  type: loud_text\n  mode: old\n" +
      '"{name}_too":\n  type: loud_text\n  mode: old\n',
  });
  try {
    const { code, stderr } = await kmlf(["run", "--pipeline", "loud"], { cwd: dir });
    assert.equal(code, 0, stderr);
    const notes = stderr.match(
      /warning\[catalog\/loud-mode\][^\n]*\n {2}at [^\n]*\n {2}hint: [^\n]*\n {2}note: [^\n]*/g,
    );
    assert.deepEqual(notes?.sort(), [
      'warning[catalog/loud-mode]: "shouted" saved in the old mode\n  at conf/base/catalog.yml:3:3 (shouted.mode)\n' +
      "  hint: set mode: new\n  note: given by its dataset after the entry was built",
      'warning[catalog/loud-mode]: "shouted_too" saved in the old mode\n  at conf/base/catalog.yml:6:3 ({name}_too.mode)\n' +
      "  hint: set mode: new\n  note: given by its dataset after the entry was built",
    ], stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
