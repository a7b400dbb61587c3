/**
 * A node returning data nested thousands of levels deep: every runner fails the node saying the data is
 * nested too deeply (V8's bare "Maximum call stack size exceeded" came with "check save_args", or "a Proxy,
 * or an object of a host class" under the parallel runner), and resuming from it is suggested. A node
 * throwing such data fails as under the sequential runner (in a worker, the copy of what it threw overflowed
 * and was reported as an error "thrown outside the promise a node returned").
 */
import assert from "node:assert/strict";
import type { PipelineRunError } from "../../lib/runner/mod.ts";
import { RUNNERS, runWith, withPipeline } from "./runner_helpers.ts";

const OPS = `
export const src = (n: number) => n;
export function deep(_x: number) { let o: unknown = 1; for (let i = 0; i < 200000; i++) o = { o }; return o; }
export const use = (d: unknown) => typeof d;
const nest = () => { let o: unknown = 1; for (let i = 0; i < 100000; i++) o = { o }; return o; };
export function throwsDeep(_x: number) { throw nest(); }
export function throwsWithDeepField(_x: number) { throw Object.assign(new Error("bad rows"), { rows: nest() }); }
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

for (const spec of RUNNERS) {
  Deno.test(`${spec.kind} runner: a node throwing data nested too deeply fails with its own error`, async () => {
    for (
      const [fn, message] of [["throwsDeep", /failed: it threw \{/], [
        "throwsWithDeepField",
        /failed: bad rows/,
      ]] as const
    ) {
      const yaml = `nodes:\n  - {name: c, func: ./ops.ts#${fn}, inputs: params:n, outputs: c_mem}\n`;
      await withPipeline(yaml, OPS, async ({ pipeline, catalog }) => {
        const c = await catalog();
        c.addParameters({ n: 1 });
        await assert.rejects(() => runWith(spec, pipeline, c), (e: PipelineRunError) => {
          assert.equal(e.code, "node/failed", `${fn}: ${e.message}`);
          assert.match(e.message, message);
          assert.doesNotMatch(e.message, /outside the promise|call stack/, fn);
          return true;
        });
      });
    }
  });
}
