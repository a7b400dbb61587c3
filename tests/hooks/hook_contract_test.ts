/**
 * Hook sets that would silently do nothing, or do something else than asked, are refused with the hook,
 * its origin and the fix: Kedro's snake_case names, a hook name holding a non-function, a beforeNodeRun
 * returning something other than new inputs, and an onNodeError hook that fails on top of the node.
 */
import assert from "node:assert/strict";
import { Catalog, MemoryDataset } from "../../lib/catalog/mod.ts";
import { ConfigError, HookError } from "../../lib/errors.ts";
import { renderError } from "../../lib/error_render.ts";
import { HookManager, type Hooks, importHooks } from "../../lib/hooks/mod.ts";
import { Pipeline } from "../../lib/pipeline/mod.ts";
import { type PipelineRunError, SequentialRunner, ThreadRunner } from "../../lib/runner/mod.ts";
import { withTree } from "../fs_helpers.ts";
import { node } from "../pipeline/helpers.ts";

const project = { name: "mine", kind: "project" } as const;

Deno.test("a plugin's hooks with a Kedro snake_case name are refused, naming the camelCase hook", () => {
  const m = new HookManager();
  assert.throws(
    () => m.register({ before_node_run() {} } as unknown as Hooks, { name: "timing", kind: "plugin" }),
    (e: ConfigError) => {
      assert.ok(e instanceof ConfigError);
      assert.equal(e.code, "hooks/unknown-hook");
      assert.match(e.message, /plugin "timing".*"before_node_run"/);
      assert.match(e.hint!, /"beforeNodeRun"/);
      assert.match(e.hint!, /disable_hooks_for_plugins: \[timing\]/);
      return true;
    },
  );
  assert.deepEqual(m.names(), []);
});

Deno.test("a hook name holding a non-function is refused, in kmlf.yml hooks and in plugins", async () => {
  await withTree({ "hooks.ts": "export const h = { afterNodeRun: 42, label: 'x' };\n" }, async (dir) => {
    const source = { file: `${dir}/kmlf.yml`, line: 6, column: 9 };
    await assert.rejects(
      () => importHooks([{ module: `${dir}/hooks.ts`, exportName: "h", source }]),
      (e: ConfigError) => {
        assert.equal(e.code, "hooks/not-a-function");
        assert.match(e.message, /afterNodeRun is a number, not a function/);
        assert.deepEqual(e.source, source);
        return true;
      },
    );
  });
  assert.throws(
    () => new HookManager().register({ onNodeError: {} } as unknown as Hooks, { name: "p", kind: "plugin" }),
    /onNodeError is an object, not a function/,
  );
});

async function runWith(hooks: Hooks, fail = false) {
  const catalog = await Catalog.fromConfig({ data: {}, locate: () => undefined }, { projectRoot: "/tmp" });
  catalog.add("a", new MemoryDataset({ data: 1 }));
  const manager = new HookManager();
  manager.register(hooks, project);
  const p = new Pipeline([
    node("n", ["a"], ["b"], (a: number) => {
      if (fail) throw new Error("node broke");
      return a + 1;
    }),
  ]);
  return await new SequentialRunner().run(p, catalog, { runId: "r", hooks: manager });
}

for (
  const [label, returned, pattern] of [
    ["a string", "oops", /returned a string for node "n"/],
    ["an array", [5], /returned an array for node "n"/],
    ["a number", 3, /returned a number for node "n"/],
    ["a key that is no input", { x: 1 }, /returned "x" for node "n", which is not one of its inputs/],
  ] as const
) {
  Deno.test(`beforeNodeRun returning ${label} fails the node with the hook named (Kedro: TypeError)`, async () => {
    let ran = false;
    await assert.rejects(
      () => runWith({ beforeNodeRun: () => returned as never, afterNodeRun: () => void (ran = true) }),
      (e: PipelineRunError) => {
        assert.equal(e.code, "hooks/bad-return");
        assert.match(e.message, /Hook beforeNodeRun of mine/);
        assert.match(e.message, pattern);
        assert.match(e.hint!, /inputs \("a"\)/);
        return true;
      },
    );
    assert.equal(ran, false);
  });
}

Deno.test("beforeNodeRun returning nothing, null or known inputs is accepted", async () => {
  for (const returned of [undefined, null, { a: 41 }]) {
    const result = await runWith({ beforeNodeRun: () => returned as never });
    assert.equal(await result.outputs.b.load(), returned ? 42 : 2);
  }
});

Deno.test("an onNodeError hook that throws keeps the node's own error, naming the hook's too", async () => {
  await assert.rejects(
    () =>
      runWith({
        onNodeError() {
          throw new Error("hook broke");
        },
      }, true),
    (e: PipelineRunError) => {
      assert.equal(e.code, "node/failed");
      assert.match(
        e.message,
        /Node "n" .*failed: node broke; then Hook onNodeError of mine failed: hook broke/,
      );
      assert.equal((e.cause as Error).message, "node broke");
      assert.ok(!(e.cause instanceof HookError));
      return true;
    },
  );
});

// The thread runner keeps isAsync (Kedro's ThreadRunner turns it off): its "threads" are promises.
Deno.test("node hooks get Kedro's is_async as isAsync, as the runner runs", async () => {
  for (
    const [Runner, isAsync] of [SequentialRunner, ThreadRunner].flatMap((r) =>
      [[r, false], [r, true]] as const
    )
  ) {
    const seen: unknown[] = [];
    const catalog = await Catalog.fromConfig({ data: {}, locate: () => undefined }, { projectRoot: "/tmp" });
    catalog.add("a", new MemoryDataset({ data: 1 }));
    const hooks = new HookManager();
    hooks.register({
      beforeNodeRun: (args) => void seen.push(args.isAsync),
      afterNodeRun: (args) => void seen.push(args.isAsync),
      onNodeError: (args) => void seen.push(args.isAsync),
    }, project);
    const p = new Pipeline([
      node("ok", ["a"], ["b"]),
      node("bad", ["b"], ["c"], () => {
        throw new Error("x");
      }),
    ]);
    await assert.rejects(() => new Runner({ isAsync }).run(p, catalog, { runId: "r", hooks }));
    assert.deepEqual(seen, [isAsync, isAsync, isAsync, isAsync]);
  }
});

Deno.test("a pipeline-level hook that throws shows the hook's own file:line:col, not only its module", async () => {
  await withTree({
    "hooks.ts": "export const h = {\n  afterPipelineRun() {\n    throw new Error('boom');\n  },\n};\n",
  }, async (dir) => {
    const [set] = await importHooks([{ module: `${dir}/hooks.ts`, exportName: "h" }]);
    const m = new HookManager();
    m.register(set.hooks, { name: set.name, module: set.module, kind: "project" });
    const error = await m.call("afterPipelineRun", {} as never).then(() => undefined, (e) => e);
    assert.ok(error instanceof HookError);
    const text = renderError(error, { relativeTo: dir });
    assert.match(text, /Hook afterPipelineRun of h \(hooks\.ts\) failed: boom/);
    assert.match(text, /at Object\.afterPipelineRun \(hooks\.ts:3:11\)/);
  });
});

Deno.test("the same hooks listed twice in kmlf.yml are refused (pluggy refuses a second registration)", async () => {
  await withTree({ "hooks.ts": "export const h = { afterNodeRun() {} };\n" }, async (dir) => {
    const source = { file: `${dir}/kmlf.yml`, line: 6, column: 20 };
    await assert.rejects(
      () =>
        importHooks([
          { module: `${dir}/hooks.ts`, exportName: "h" },
          { module: `${dir}/hooks.ts`, exportName: "h", source },
        ]),
      (e: ConfigError) => {
        assert.equal(e.code, "hooks/duplicate");
        assert.deepEqual(e.source, source);
        return true;
      },
    );
  });
});

Deno.test("hook order in a project: plugins: last to first, then the built-in plugin, then hooks: last to first", () => {
  // As the session registers them: built-in plugin, kmlf.yml plugins in order, kmlf.yml hooks in order.
  const m = new HookManager();
  m.register({ afterNodeRun() {} }, { name: "kmlf-mlflow", kind: "plugin" });
  m.register({ afterNodeRun() {} }, { name: "pa", kind: "plugin" });
  m.register({ afterNodeRun() {} }, { name: "pb", kind: "plugin" });
  m.register({ afterNodeRun() {} }, { name: "h1", kind: "project" });
  m.register({ afterNodeRun() {} }, { name: "h2", kind: "project" });
  assert.deepEqual(m.names(), ["pb", "pa", "kmlf-mlflow", "h2", "h1"]);
});

Deno.test("afterNodeRun may change output values but not add or remove outputs (Kedro: no such dataset)", async () => {
  const changed = await runWith({
    afterNodeRun: ({ outputs }) => void (outputs.b = 100),
  });
  assert.equal(await changed.outputs.b.load(), 100);
  for (
    const [hook, pattern] of [
      [({ outputs }: { outputs: Record<string, unknown> }) => void (outputs.extra = 1), /added "extra"/],
      [({ outputs }: { outputs: Record<string, unknown> }) => void delete outputs.b, /removed "b"/],
    ] as const
  ) {
    await assert.rejects(() => runWith({ afterNodeRun: hook }), (e: PipelineRunError) => {
      assert.equal(e.code, "hooks/bad-outputs");
      assert.match(e.message, /An afterNodeRun hook changed which outputs node "n" has/);
      assert.match(e.message, pattern);
      return true;
    });
  }
});
