import assert from "node:assert/strict";
import { ConfigError, HookError, KmlfAggregateError, UsageError } from "../../lib/errors.ts";
import { HookManager, type Hooks, importHooks } from "../../lib/hooks/mod.ts";
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
  assert.deepEqual(m.names(), ["plugin2", "plugin1", "project2", "project1"]);
});

Deno.test("a disabled plugin's hooks are no longer called", async () => {
  const calls: string[] = [];
  const m = new HookManager();
  m.register({ afterNodeRun: () => void calls.push("mlflow") }, { name: "mlflow", kind: "plugin" });
  m.register({ afterNodeRun: () => void calls.push("project") }, { name: "timing", kind: "project" });
  m.disable("mlflow");
  await m.call("afterNodeRun", {
    node: fakeNode,
    catalog: {} as never,
    inputs: {},
    outputs: {},
    isAsync: false,
    runId: "r",
  });
  assert.deepEqual(calls, ["project"]);
  assert.deepEqual(m.names(), ["timing"]);
});

Deno.test("hook results are returned in call order; sets without the hook are skipped", async () => {
  const m = new HookManager();
  m.register({ beforeNodeRun: () => ({ a: 1 }) }, { name: "first", kind: "project" });
  m.register({ afterNodeRun: () => {} }, { name: "other", kind: "project" });
  m.register({ beforeNodeRun: async () => await Promise.resolve({ a: 2 }) }, {
    name: "last",
    kind: "project",
  });
  const results = await m.call("beforeNodeRun", {
    node: { name: "n", inputs: ["a"] } as unknown as Node, // the returned keys must be inputs of the node
    catalog: {} as never,
    inputs: {},
    isAsync: false,
    runId: "r",
  });
  assert.deepEqual(results, [{ a: 2 }, { a: 1 }]);
  assert.equal(m.has("onNodeError"), false);
  assert.equal(m.has("afterNodeRun"), true);
  assert.deepEqual(await m.call("onNodeError", {} as never), []);
});

Deno.test("class instances keep `this` when their hooks are called", async () => {
  class Counter implements Hooks {
    count = 0;
    afterDatasetSaved() {
      this.count++;
    }
  }
  const counter = new Counter();
  const m = new HookManager();
  m.register(counter, { name: "counter", kind: "project" });
  for (let i = 0; i < 3; i++) {
    await m.call("afterDatasetSaved", { datasetName: "x", data: i, node: fakeNode });
  }
  assert.equal(counter.count, 3);
});

Deno.test("a throwing hook is named with its module in the error, with the original as cause", async () => {
  const m = new HookManager();
  const original = new Error("disk full");
  m.register({
    afterDatasetSaved: () => {
      throw original;
    },
  }, { name: "audit", module: "/p/hooks.ts", kind: "project" });
  await assert.rejects(
    () => m.call("afterDatasetSaved", { datasetName: "x", data: 1, node: fakeNode }),
    (e: HookError) => {
      assert.ok(e instanceof HookError);
      assert.equal(e.code, "hooks/failed");
      assert.match(e.message, /afterDatasetSaved of audit \(\/p\/hooks.ts\) failed: disk full/);
      assert.equal(e.cause, original);
      assert.match(e.hint!, /kmlf\.yml hooks:/);
      return true;
    },
  );
});

Deno.test("a hook throwing a value that is not an Error is named with the value, as a node's is, not [object Object]", async () => {
  for (const [thrown, text] of [[{ code: 42 }, "{ code: 42 }"], ["busy", '"busy"'], [7, "7"]] as const) {
    const m = new HookManager();
    m.register({
      afterDatasetSaved: () => {
        throw thrown;
      },
    }, { name: "audit", module: "/p/hooks.ts", kind: "project" });
    const e = await m.call("afterDatasetSaved", { datasetName: "x", data: 1, node: fakeNode }).catch((e) =>
      e
    );
    assert.ok(e instanceof HookError);
    assert.equal(e.message, `Hook afterDatasetSaved of audit (/p/hooks.ts) failed: it threw ${text}`);
    assert.equal(e.cause, thrown);
  }
});

Deno.test("a plugin hook raising a kmlf error is reported as that plugin's hook failure, with the error's code", async () => {
  const m = new HookManager();
  const inner = new UsageError("mlflow/bad-config", "mlflow.yml is invalid");
  m.register({
    beforePipelineRun: async () => {
      await Promise.resolve();
      throw inner;
    },
  }, { name: "kmlf-mlflow", kind: "plugin" });
  await assert.rejects(
    () => m.call("beforePipelineRun", {} as never),
    (e: HookError) => {
      assert.ok(e instanceof HookError);
      assert.equal(e.code, "mlflow/bad-config", "a kmlf error keeps its code");
      assert.match(e.message, /beforePipelineRun of kmlf-mlflow failed: mlflow\.yml is invalid/);
      assert.equal(e.cause, inner);
      assert.match(e.hint!, /disable_hooks_for_plugins: \[kmlf-mlflow\]/);
      return true;
    },
  );
});

const HOOKS_MODULE = `export const timing = { afterNodeRun() {} };
export class Audit { beforePipelineRun() {} }
export const typo = { afterNodeRan() {}, beforeNodeRun() {} };
export const number = 3;
export function plain() {}
export const withData = { label: "x", afterNodeRun() {} };`;

Deno.test("importHooks loads objects and classes; non-function members are allowed", async () => {
  await withTree({ "hooks.ts": HOOKS_MODULE }, async (dir) => {
    const sets = await importHooks([
      { module: `${dir}/hooks.ts`, exportName: "timing" },
      { module: `${dir}/hooks.ts`, exportName: "Audit" },
      { module: `${dir}/hooks.ts`, exportName: "withData" },
    ]);
    assert.deepEqual(sets.map((s) => s.name), ["timing", "Audit", "withData"]);
    assert.equal(sets[0].module, `${dir}/hooks.ts`);
    assert.equal(typeof sets[1].hooks.beforePipelineRun, "function");
  });
});

Deno.test("importHooks rejects unknown hook names with did-you-mean, at the kmlf.yml location", async () => {
  await withTree({ "hooks.ts": HOOKS_MODULE }, async (dir) => {
    const source = { file: `${dir}/kmlf.yml`, line: 4, column: 5 };
    await assert.rejects(
      () => importHooks([{ module: `${dir}/hooks.ts`, exportName: "typo", source }]),
      (e: ConfigError) => {
        assert.ok(e instanceof ConfigError);
        assert.equal(e.code, "hooks/unknown-hook");
        assert.match(e.message, /unknown hook "afterNodeRan"/);
        assert.match(e.hint!, /did you mean "afterNodeRun"/);
        assert.deepEqual(e.source, source);
        return true;
      },
    );
  });
});

Deno.test("importHooks reports every bad reference together", async () => {
  await withTree({ "hooks.ts": HOOKS_MODULE, "broken.ts": "export const x = ;\n" }, async (dir) => {
    const error = await importHooks([
      { module: `${dir}/hooks.ts`, exportName: "timng" },
      { module: `${dir}/hooks.ts`, exportName: "number" },
      { module: `${dir}/hooks.ts`, exportName: "plain" },
      { module: `${dir}/missing.ts`, exportName: "x" },
      { module: `${dir}/broken.ts`, exportName: "x" },
      { module: `${dir}/hooks.ts`, exportName: "timing" },
    ]).catch((e) => e);
    assert.ok(error instanceof KmlfAggregateError);
    assert.deepEqual(error.errors.map((e) => e.code), [
      "hooks/unknown-export",
      "hooks/not-an-object",
      "hooks/not-an-object",
      "hooks/module-not-found",
      "hooks/import-failed",
    ]);
    assert.match(error.errors[0].hint!, /did you mean "timing"/);
    assert.ok(error.errors[4].cause instanceof Error);
  });
});

Deno.test("register without an origin, or with just a name, as pluggy's register(plugin, name=None)", () => {
  class TimingHooks {
    beforePipelineRun() {}
  }
  const hooks = new HookManager();
  hooks.register(new TimingHooks() as Hooks);
  hooks.register({ afterNodeRun() {} });
  hooks.register({ afterPipelineRun() {} }, "mine");
  assert.deepEqual(hooks.names(), ["mine", "hooks", "TimingHooks"]);
  // An origin-less set is a project's: a snake_case hook name is refused as for kmlf.yml hooks.
  assert.throws(() => hooks.register({ before_node_run() {} } as unknown as Hooks), /before_node_run/);
});
