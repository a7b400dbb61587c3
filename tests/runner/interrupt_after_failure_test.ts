/**
 * A node fails while another keeps running: the run says whom it waits for, and an interruption then keeps
 * the failure (message, location, cause) instead of reporting only "interrupted".
 */
import assert from "node:assert/strict";
import { Catalog, MemoryDataset } from "../../lib/catalog/mod.ts";
import { HookManager } from "../../lib/hooks/mod.ts";
import { Pipeline } from "../../lib/pipeline/mod.ts";
import { type NodeFailedEvent, type PipelineRunError, ThreadRunner } from "../../lib/runner/mod.ts";
import { node } from "../pipeline/helpers.ts";

Deno.test("interrupted while waiting for a running node after a failure: the failure is kept", async () => {
  const catalog = await Catalog.fromConfig({ data: {}, locate: () => undefined }, { projectRoot: "/tmp" });
  catalog.add("a", new MemoryDataset({ data: 1 }));
  const abort = new AbortController();
  const failed: NodeFailedEvent[] = [];
  const p = new Pipeline([
    node("hangs", ["a"], ["h"], () => new Promise(() => {})),
    node("fails", ["a"], ["f"], () => {
      throw new Error("broken on purpose");
    }),
  ]);
  const run = new ThreadRunner().run(p, catalog, {
    runId: "r",
    hooks: new HookManager(),
    signal: abort.signal,
    reporter: {
      nodeFailed: (event) => {
        failed.push(event);
        setTimeout(() => abort.abort("SIGINT"), 20);
      },
    },
  });
  await assert.rejects(run, (e: PipelineRunError) => {
    assert.equal(e.code, "run/interrupted");
    assert.match(e.message, /stopped "hangs" \(the run was waiting for it after a failure\): Node "fails"/);
    assert.match(e.message, /broken on purpose/);
    assert.equal((e.cause as Error).message, "broken on purpose");
    assert.equal(e.failedNode, "fails");
    return true;
  });
  assert.deepEqual(failed.map((f) => [f.node.name, f.stillRunning]), [["fails", ["hangs"]]]);
});
