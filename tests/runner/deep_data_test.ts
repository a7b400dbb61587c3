/**
 * A node returning data nested thousands of levels deep: every runner fails the node saying the data is
 * nested too deeply (V8's bare "Maximum call stack size exceeded" came with "check save_args", or "a Proxy,
 * or an object of a host class" under the parallel runner), and resuming from it is suggested.
 */
import assert from "node:assert/strict";
import type { PipelineRunError } from "../../lib/runner/mod.ts";
import { RUNNERS, runWith, withPipeline } from "./runner_helpers.ts";

const OPS = `
export const src = (n: number) => n;
export function deep(_x: number) { let o: unknown = 1; for (let i = 0; i < 200000; i++) o = { o }; return o; }
export const use = (d: unknown) => typeof d;
`;
const YAML = `nodes:
  - {name: a, func: ./ops.ts#src, inputs: params:n, outputs: a_out}
  - {name: c, func: ./ops.ts#deep, inputs: a_out, outputs: c_mem}
  - {name: d, func: ./ops.ts#use, inputs: c_mem, outputs: d_out}
`;

for (const spec of RUNNERS) {
  Deno.test(`${spec.kind} runner: data nested too deeply fails its node with that said, and resumes from it`, async () => {
    await withPipeline(YAML, OPS, async ({ pipeline, catalog, root }) => {
      const c = await catalog(`a_out: {type: json, filepath: ${root}/a.json}\n`);
      c.addParameters({ n: 1 });
      await assert.rejects(() => runWith(spec, pipeline, c), (e: PipelineRunError) => {
        assert.equal(e.failedNode, "c");
        assert.match(e.message, /nested too deeply/);
        assert.doesNotMatch(`${e.message} ${e.hint}`, /save_args|a Proxy/);
        assert.deepEqual(e.resumeFromNodes, ["c"]);
        return true;
      });
    });
  });
}

Deno.test("sibling: a JSON dataset saving data nested too deeply says so too", async () => {
  await withPipeline(YAML, OPS, async ({ pipeline, catalog, root }) => {
    const c = await catalog(`c_mem: {type: json, filepath: ${root}/c.json}\n`);
    c.addParameters({ n: 1 });
    await assert.rejects(() => runWith({ kind: "sequential" }, pipeline, c), (e: PipelineRunError) => {
      assert.match(e.message, /Cannot save dataset "c_mem" \(JSONDataset\).*nested too deeply/);
      assert.match(e.hint ?? "", /flatter data/);
      return true;
    });
  });
});
