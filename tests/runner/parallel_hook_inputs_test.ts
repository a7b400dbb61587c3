/** Under the parallel runner, a beforeNodeRun hook's replacement input that cannot cross names the hook. */
import assert from "node:assert/strict";
import { HookManager } from "../../lib/hooks/mod.ts";
import type { PipelineRunError } from "../../lib/runner/mod.ts";
import { runWith, withPipeline } from "./runner_helpers.ts";

Deno.test("parallel runner: an input a hook replaced with a function is refused naming the hook, not the dataset", async () => {
  const yaml = `nodes:\n  - {name: use, func: ./ops.ts#same, inputs: params:w, outputs: out}\n`;
  await withPipeline(yaml, "export const same = (w: number) => w;\n", async ({ pipeline, catalog }) => {
    const c = await catalog();
    c.addParameters({ w: 2 });
    const hooks = new HookManager();
    hooks.register({ beforeNodeRun: () => ({ "params:w": () => 2 }) }, { name: "h", kind: "project" });
    await assert.rejects(
      () => runWith({ kind: "parallel" }, pipeline, c, { hooks }),
      (e: PipelineRunError) => {
        assert.equal(e.code, "runner/cannot-cross");
        assert.match(
          e.message,
          /Input "params:w" of node "use", as a beforeNodeRun hook replaced it, cannot be sent/,
        );
        assert.match(e.hint ?? "", /^return plain data from the hook/);
        return true;
      },
    );
  });
});
