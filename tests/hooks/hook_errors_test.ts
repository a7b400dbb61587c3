/**
 * Error hooks get what was raised, as Kedro's do: onNodeError and onPipelineError see the node's (or a
 * hook's) own thrown value, so `error instanceof MyError` works, under every in-process runner; kmlf's own
 * errors (a failed load) are passed as they are; `failure` is the located error `kmlf run` prints.
 */
import assert from "node:assert/strict";
import { KmlfSession, PipelineRunError } from "../../mod.ts";
import { DatasetError, HookError, UsageError } from "../../lib/errors.ts";
import { renderError } from "../../lib/error_render.ts";
import { HookManager } from "../../lib/hooks/mod.ts";
import { raisedError } from "../../lib/runner/mod.ts";
import { writeProject } from "../models/model_helpers.ts";

const HOOKS = `import type { Hooks } from "kmlf";
import { MyError } from "./pipelines/nodes.ts";
export const seen: Record<string, unknown>[] = [];
export const hooks: Hooks = {
  onNodeError({ error, node }) {
    seen.push({ hook: "onNodeError", node: node.name, mine: error instanceof MyError, error });
  },
  onPipelineError({ error, failure }) {
    seen.push({
      hook: "onPipelineError",
      mine: error instanceof MyError,
      error,
      code: failure.code,
      failedNode: (failure as { failedNode?: string }).failedNode,
    });
  },
  afterNodeRun({ node }) {
    if (node.name === "checked") throw new MyError("the hook refused");
  },
};
`;

const NODES = `export class MyError extends Error {
  override name = "MyError";
  readonly detail = 42;
}
export const boom = (x: number) => {
  throw new MyError("bad " + x);
};
export const id = (x: unknown) => x;
`;

function project(pipeline: string, catalog = "{}\n") {
  return writeProject({
    "kmlf.yml": "name: errs\nhooks: [./hooks.ts#hooks]\n",
    "deno.json": JSON.stringify({ imports: { kmlf: new URL("../../mod.ts", import.meta.url).href } }),
    "hooks.ts": HOOKS,
    "conf/base/catalog.yml": catalog,
    "conf/base/parameters.yml": "x: 1\n",
    "conf/local/.keep": "",
    "pipelines/p.yml": pipeline,
    "pipelines/nodes.ts": NODES,
  });
}

async function failingRun(root: string, runner?: "sequential" | "thread" | "parallel") {
  const session = await KmlfSession.create({ projectRoot: root });
  const error = await session.run({
    pipelineNames: "p",
    ...(runner ? { runner: { kind: runner } } : {}),
  }).then(() => undefined, (e) => e);
  const { seen } = await import(new URL(`file://${root}/hooks.ts`).href);
  const { MyError } = await import(new URL(`file://${root}/pipelines/nodes.ts`).href);
  return { error, seen: (seen as Record<string, unknown>[]).splice(0), MyError };
}

for (const runner of ["sequential", "thread"] as const) {
  Deno.test(`${runner}: onNodeError and onPipelineError get the node's own error, not kmlf's wrapper`, async () => {
    const root = await project(
      "nodes:\n  - name: explode\n    func: ./nodes.ts#boom\n    inputs: params:x\n    outputs: y\n",
    );
    try {
      const { error, seen, MyError } = await failingRun(root, runner);
      // What kmlf run prints is unchanged: the located error naming the node and the message.
      assert.ok(error instanceof PipelineRunError);
      assert.equal(error.code, "node/failed");
      assert.match(error.message, /Node "explode" \(.*#boom\) failed: bad 1/);
      assert.deepEqual(seen.map((s) => [s.hook, s.mine]), [["onNodeError", true], ["onPipelineError", true]]);
      // The very object thrown, its own fields kept.
      assert.equal(seen[0].error, seen[1].error);
      assert.equal((seen[0].error as InstanceType<typeof MyError>).detail, 42);
      assert.equal(error.cause, seen[0].error);
      assert.equal(seen[1].code, "node/failed");
      assert.equal(seen[1].failedNode, "explode");
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  });
}

Deno.test("parallel: the node's error crosses back from its worker with its class, fields, message and stack", async () => {
  const root = await project(
    "nodes:\n  - name: explode\n    func: ./nodes.ts#boom\n    inputs: params:x\n    outputs: y\n",
  );
  try {
    const { error, seen } = await failingRun(root, "parallel");
    assert.equal(error.code, "node/failed");
    assert.deepEqual(seen.map((s) => [s.hook, s.mine]), [["onNodeError", true], ["onPipelineError", true]]);
    for (const { error } of seen) {
      assert.ok(error instanceof Error);
      assert.equal(error.name, "MyError");
      assert.equal((error as Error & { detail?: number }).detail, 42);
      assert.equal(error.message, "bad 1");
      assert.match(error.stack!, /nodes\.ts/);
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a hook's own thrown error reaches onPipelineError as it was thrown", async () => {
  const root = await project(
    "nodes:\n  - name: checked\n    func: ./nodes.ts#id\n    inputs: params:x\n    outputs: y\n",
  );
  try {
    const { error, seen } = await failingRun(root);
    assert.equal(error.code, "hooks/failed");
    assert.match(error.message, /Hook afterNodeRun of hooks \(.*hooks\.ts\) failed: the hook refused/);
    assert.deepEqual(seen.map((s) => [s.hook, s.mine]), [["onPipelineError", true]]);
    assert.equal((seen[0].error as Error).message, "the hook refused");
    assert.equal(seen[0].code, "hooks/failed");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a failed load reaches onPipelineError as kmlf's DatasetError (Kedro passes its DatasetError)", async () => {
  const root = await project(
    "nodes:\n  - name: reader\n    func: ./nodes.ts#id\n    inputs: missing\n    outputs: y\n",
    "missing:\n  type: json.JSONDataset\n  filepath: data/missing.json\n",
  );
  try {
    const { error, seen } = await failingRun(root);
    assert.ok(error instanceof PipelineRunError);
    // No onNodeError: the node never ran (Kedro fires it only when node.run raises).
    assert.deepEqual(seen.map((s) => s.hook), ["onPipelineError"]);
    assert.ok(seen[0].error instanceof DatasetError, String(seen[0].error));
    assert.equal((seen[0].error as DatasetError).code, error.code);
    assert.equal(seen[0].failedNode, "reader");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("raisedError: a hook's kmlf error is what it raised; kmlf's refusals of a hook are kmlf's own", async () => {
  const m = new HookManager();
  const inner = new UsageError("mlflow/bad-config", "mlflow.yml is invalid");
  m.register({
    beforePipelineRun() {
      throw inner;
    },
    beforeNodeRun: () => 42 as never,
  }, "h");
  const wrapped = await m.call("beforePipelineRun", {} as never).catch((e) => e);
  assert.ok(wrapped instanceof HookError && wrapped.code === "mlflow/bad-config");
  assert.equal(raisedError(wrapped), inner);
  const node = { name: "n", inputs: [] } as never;
  const refused = await m.call("beforeNodeRun", { node } as never).catch((e) => e);
  assert.equal(refused.code, "hooks/bad-return");
  assert.equal(raisedError(refused), refused);
});

Deno.test("a hook's huge error message is printed once, with and without --debug", async () => {
  const huge = `response body: ${"<p>".repeat(1000)}\nend`;
  const m = new HookManager();
  m.register({
    beforePipelineRun() {
      throw new TypeError(huge);
    },
  }, "h");
  const wrapped = await m.call("beforePipelineRun", {} as never).catch((e) => e);
  for (const debug of [false, true]) {
    const text = renderError(wrapped, { debug });
    assert.equal(text.split(huge).length - 1, 1, text.slice(0, 300));
    assert.match(text, /\n {4}TypeError \(its message is printed above\)\n {8}at /);
  }
  // kmlf's internal errors (not a KmlfError) under --debug too.
  const internal = renderError(new RangeError(huge), { debug: true });
  assert.equal(internal.split(huge).length - 1, 1);
  assert.match(
    internal,
    /^error\[internal\]: response body: [^]*\nRangeError \(its message is printed above\)\n {4}at /,
  );
});
