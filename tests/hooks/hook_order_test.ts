import assert from "node:assert/strict";
import type { ConfigError, HookError } from "../../lib/errors.ts";
import { HookManager, importHooks } from "../../lib/hooks/mod.ts";
import type { Node } from "../../lib/pipeline/mod.ts";
import { withTree } from "../fs_helpers.ts";

const fakeNode = { name: "n" } as Node;

Deno.test("plugins run before project hooks, each group last-registered first (pluggy LIFO)", async () => {
  const order: string[] = [];
  const m = new HookManager();
  const hook = (name: string) => ({ beforeDatasetLoaded: () => void order.push(name) });
  m.register(hook("project1"), { name: "project1", kind: "project" });
  m.register(hook("plugin1"), { name: "plugin1", kind: "plugin" });
  m.register(hook("project2"), { name: "project2", kind: "project" });
  m.register(hook("plugin2"), { name: "plugin2", kind: "plugin" });
  await m.call("beforeDatasetLoaded", { datasetName: "x", node: fakeNode });
  assert.deepEqual(order, ["plugin2", "plugin1", "project2", "project1"]);
  m.disable("plugin1");
  assert.deepEqual(m.names(), ["plugin2", "project2", "project1"]);
});

Deno.test("hook results are returned; hooks without the method are skipped", async () => {
  const m = new HookManager();
  m.register({ beforeNodeRun: () => ({ a: 1 }) }, { name: "a", kind: "project" });
  m.register({ afterNodeRun: () => {} }, { name: "b", kind: "project" });
  assert.deepEqual(
    await m.call("beforeNodeRun", { node: fakeNode, catalog: {} as never, inputs: {}, runId: "r" }),
    [{ a: 1 }],
  );
  assert.equal(m.has("onNodeError"), false);
  assert.equal(m.has("afterNodeRun"), true);
});

Deno.test("a throwing hook is named with its module in the error", async () => {
  const m = new HookManager();
  m.register({
    afterDatasetSaved: () => {
      throw new Error("disk full");
    },
  }, { name: "audit", module: "/p/hooks.ts", kind: "project" });
  await assert.rejects(
    () => m.call("afterDatasetSaved", { datasetName: "x", data: 1, node: fakeNode }),
    (e: HookError) => {
      assert.equal(e.code, "hooks/failed");
      assert.match(e.message, /afterDatasetSaved of audit \(\/p\/hooks.ts\) failed: disk full/);
      return true;
    },
  );
});

Deno.test("importHooks loads objects and classes, rejecting unknown hook names and bad exports", async () => {
  await withTree({
    "hooks.ts": `export const timing = { afterNodeRun() {} };
export class Audit { beforePipelineRun() {} }
export const typo = { afterNodeRan() {} };
export const number = 3;`,
  }, async (dir) => {
    const sets = await importHooks([{ module: `${dir}/hooks.ts`, exportName: "timing" }, {
      module: `${dir}/hooks.ts`,
      exportName: "Audit",
    }]);
    assert.deepEqual(sets.map((s) => s.name), ["timing", "Audit"]);
    assert.equal(typeof sets[1].hooks.beforePipelineRun, "function");
    await assert.rejects(
      () => importHooks([{ module: `${dir}/hooks.ts`, exportName: "typo" }]),
      (e: ConfigError) => e.code === "hooks/unknown-hook" && /did you mean "afterNodeRun"/.test(e.hint!),
    );
    await assert.rejects(
      () => importHooks([{ module: `${dir}/hooks.ts`, exportName: "timng" }]),
      (e: ConfigError) => e.code === "hooks/unknown-export" && /timing/.test(e.hint!),
    );
    await assert.rejects(
      () => importHooks([{ module: `${dir}/hooks.ts`, exportName: "number" }]),
      (e: ConfigError) => e.code === "hooks/not-an-object",
    );
    await assert.rejects(
      () => importHooks([{ module: `${dir}/missing.ts`, exportName: "x" }]),
      (e: ConfigError) => e.code === "hooks/import-failed",
    );
  });
});
