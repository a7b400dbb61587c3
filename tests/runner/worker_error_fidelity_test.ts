/**
 * What a failing node throws reaches `kmlf run`'s message and the onNodeError / onPipelineError hooks the
 * same under the sequential, thread and parallel runners: the parallel runner's worker sends its class
 * (custom classes a node module exports, built-ins, Deno.errors, kmlf's), own fields, cause chain, an
 * AggregateError's members and a kmlf error's code, hint and location.
 */
import assert from "node:assert/strict";
import { KmlfSession } from "../../mod.ts";
import { renderError } from "../../lib/error_render.ts";
import { kmlf } from "../cli_harness.ts";
import { writeProject } from "../models/model_helpers.ts";

const HOOKS = `import type { Hooks } from "kmlf";
import { MyError } from "./pipelines/nodes.ts";
export const seen: unknown[] = [];
// Everything a hook can observe about an error, as data to compare across runners.
function describe(e: unknown, depth = 0): unknown {
  if (depth > 5) return "…";
  if (!(e instanceof Error)) return { thrown: Deno.inspect(e), type: typeof e, code: (e as { code?: unknown })?.code };
  const chain: string[] = [];
  for (let p = Object.getPrototypeOf(e); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    chain.push(p.constructor.name);
  }
  const own = Object.fromEntries(Object.keys(e).map((k) => {
    const v = (e as unknown as Record<string, unknown>)[k];
    return [k, v instanceof Error ? describe(v, depth + 1) : v];
  }));
  return {
    chain,
    name: e.name,
    message: e.message,
    mine: e instanceof MyError,
    own,
    cause: Object.hasOwn(e, "cause") ? describe(e.cause, depth + 1) : "(none)",
    errors: e instanceof AggregateError ? e.errors.map((m) => describe(m, depth + 1)) : undefined,
    frame: e.stack?.split("\\n").find((l) => l.includes("nodes.ts:"))?.trim(),
  };
}
export const hooks: Hooks = {
  onNodeError({ error, node }) {
    seen.push({ hook: "onNodeError", node: node.name, error: describe(error) });
  },
  onPipelineError({ error, failure }) {
    seen.push({ hook: "onPipelineError", error: describe(error), code: failure.code });
  },
};
`;

const NODES = `import { DatasetError, KmlfAggregateError, KmlfError, UsageError } from "kmlf";
export class MyError extends Error {
  override name = "MyError";
  readonly detail = { level: 42, tags: ["a"] };
}
export class MyKmlfError extends KmlfError {}
class Hidden extends RangeError {
  override name = "Hidden";
  readonly extra = 7;
  readonly fn = () => 1;
}
export function boom(kind: string) {
  switch (kind) {
    case "custom": throw new MyError("bad", { cause: new TypeError("inner", { cause: "root" }) });
    case "aggregate": throw new AggregateError([new RangeError("r1"), new MyError("m2")], "many");
    case "dataset": throw new DatasetError("dataset/mine", "mine failed", {
      hint: "do x", source: { file: "conf/base/catalog.yml", line: 3, column: 1, keyPath: "foo" },
    });
    case "kmlf": throw new KmlfError("my/code", "base kmlf", { hint: "do y" });
    case "kmlf-subclass": throw new MyKmlfError("my/sub", "sub kmlf", { cause: new MyError("under") });
    case "kmlf-aggregate": throw new KmlfAggregateError([new UsageError("u/a", "ua"), new KmlfError("k/b", "kb")]);
    case "hidden": throw new Hidden("hidden class");
    case "object": throw { code: 42, why: "obj" };
    case "string": throw "text";
    case "symbol": throw Symbol("weird");
    case "deno": return Deno.readTextFileSync("/nonexistent/kmlf-fidelity");
    case "undefined-cause": throw new Error("no cause", { cause: undefined });
    case "huge": throw new MyError("huge:" + "x".repeat(3000) + "\\nend of huge");
  }
  return undefined; // "bad-outputs": its output y needs a value
}
export async function readAll(parts: Record<string, () => Promise<unknown>>) {
  const out: unknown[] = [];
  for (const load of Object.values(parts)) out.push(await load());
  return out;
}
`;

const KINDS = [
  "custom",
  "aggregate",
  "dataset",
  "kmlf",
  "kmlf-subclass",
  "kmlf-aggregate",
  "object",
  "string",
  "symbol",
  "deno",
  "undefined-cause",
  "bad-outputs",
];

function project(): Promise<string> {
  return writeProject({
    "kmlf.yml": "name: fidelity\nhooks: [./hooks.ts#hooks]\n",
    "deno.json": JSON.stringify({ imports: { kmlf: new URL("../../mod.ts", import.meta.url).href } }),
    "hooks.ts": HOOKS,
    "conf/base/catalog.yml": "parts:\n  type: partitions.PartitionedDataset\n  path: data/parts\n" +
      "  dataset: json.JSONDataset\n  filename_suffix: .json\n",
    "conf/base/parameters.yml": "kind: custom\n",
    "conf/local/.keep": "",
    "data/parts/a.json": '{"a": 1}\n',
    "data/parts/b.json": "{bad\n",
    "pipelines/p.yml": "nodes:\n  - name: explode\n    func: ./nodes.ts#boom\n    inputs: params:kind\n" +
      "    outputs: y\n",
    "pipelines/parts.yml": "nodes:\n  - name: reader\n    func: ./nodes.ts#readAll\n    inputs: parts\n" +
      "    outputs: all\n",
    "pipelines/nodes.ts": NODES,
  });
}

const RUNNERS = ["sequential", "thread", "parallel"] as const;

// What the hooks saw and what kmlf run would print, for one failing run.
async function failure(
  root: string,
  runner: typeof RUNNERS[number],
  pipeline: string,
  kind: string,
  debug = false,
) {
  const session = await KmlfSession.create({ projectRoot: root, runtimeParams: { kind } });
  const error = await session.run({ pipelineNames: pipeline, runner: { kind: runner } }).then(
    () => assert.fail(`${pipeline} ${kind} did not fail under ${runner}`),
    (e) => e,
  );
  const { seen } = await import(new URL(`file://${root}/hooks.ts`).href);
  return { printed: renderError(error, { relativeTo: root, debug }), seen: (seen as unknown[]).splice(0) };
}

Deno.test("every runner reports a node's error the same: message, hook arguments (class, fields, cause, members)", async () => {
  const root = await project();
  try {
    const byKind = new Map<string, Awaited<ReturnType<typeof failure>>>();
    for (const kind of KINDS) {
      const results = [];
      for (const runner of RUNNERS) results.push(await failure(root, runner, "p", kind));
      for (const [i, result] of results.entries()) {
        assert.deepEqual(result, results[0], `${kind}: ${RUNNERS[i]} differs from sequential`);
      }
      byKind.set(kind, results[0]);
    }
    // The descriptions compared hold what matters (a sample, so the comparison above cannot be vacuous).
    const error = (kind: string) => (byKind.get(kind)!.seen[0] as { error: Record<string, unknown> }).error;
    assert.equal(error("custom").mine, true);
    assert.deepEqual((error("custom").own as { detail: unknown }).detail, { level: 42, tags: ["a"] });
    assert.equal((error("aggregate").errors as unknown[]).length, 2);
    assert.equal((error("deno").own as { code: string }).code, "ENOENT");
    assert.match(byKind.get("dataset")!.printed, /at conf\/base\/catalog\.yml:3:1 \(foo\)/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("what cannot cross: a class no node module exports arrives as its nearest known class, a function field is left out", async () => {
  const root = await project();
  try {
    const sequential = await failure(root, "sequential", "p", "hidden");
    const parallel = await failure(root, "parallel", "p", "hidden");
    assert.equal(parallel.printed, sequential.printed);
    const error = (r: typeof sequential) => (r.seen[0] as { error: Record<string, unknown> }).error;
    assert.deepEqual(error(sequential).chain, ["Hidden", "RangeError", "Error"]);
    assert.deepEqual(error(parallel).chain, ["RangeError", "Error"]);
    assert.equal(error(parallel).name, "Hidden");
    assert.equal(typeof (error(sequential).own as { fn: unknown }).fn, "function");
    assert.deepEqual(error(parallel).own, { name: "Hidden", extra: 7 });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a partition that fails to load in a worker's node reports the dataset's error as the sequential runner does", async () => {
  const root = await project();
  try {
    const sequential = await failure(root, "sequential", "parts", "");
    const parallel = await failure(root, "parallel", "parts", "");
    assert.match(sequential.printed, /^error\[dataset\/bad-json\]/);
    // The load error's stack is the main thread's under the parallel runner (the load runs there).
    const frameless = (r: typeof sequential) =>
      JSON.parse(JSON.stringify(r).replace(/,?"frame":"[^"]*"/g, ""));
    assert.deepEqual(frameless(parallel), frameless(sequential));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("kmlf run prints a node's kmlf error at its own location under every runner", async () => {
  const root = await project();
  try {
    const printed = [];
    for (const runner of ["SequentialRunner", "ThreadRunner", "ParallelRunner"]) {
      const r = await kmlf(["run", "--pipeline", "p", "--runner", runner, "--params", "kind=dataset"], {
        cwd: root,
      });
      assert.equal(r.code, 1, r.stderr);
      printed.push(r.stderr.slice(r.stderr.indexOf("error[")));
    }
    assert.match(
      printed[0],
      /^error\[dataset\/mine\]: mine failed\n {2}at conf\/base\/catalog\.yml:3:1 \(foo\)/,
    );
    assert.deepEqual(printed, [printed[0], printed[0], printed[0]]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("kmlf run shows what a node's error wraps under every runner: its cause chain and an AggregateError's members", async () => {
  const root = await project();
  try {
    for (const runner of RUNNERS) {
      const custom = (await failure(root, runner, "p", "custom")).printed;
      // Each inner error with its own frame in the node module, then a thrown value as it is.
      assert.match(
        custom,
        /\n {4}MyError: bad\n {8}at .*nodes\.ts:\d+:\d+\)\n {4}Caused by: TypeError: inner\n {8}at .*nodes\.ts:\d+:\d+\)\n {4}Caused by: "root"$/,
        `${runner}:\n${custom}`,
      );
      const aggregate = (await failure(root, runner, "p", "aggregate")).printed;
      assert.match(
        aggregate,
        /\n {4}AggregateError: many\n {8}at .*\n {8}RangeError: r1\n {12}at .*nodes\.ts.*\n {8}MyError: m2\n {12}at .*nodes\.ts/,
        `${runner}:\n${aggregate}`,
      );
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a node's huge error message is printed once under every runner, with and without --debug", async () => {
  const root = await project();
  const huge = "huge:" + "x".repeat(3000) + "\nend of huge";
  try {
    for (const runner of RUNNERS) {
      for (const debug of [false, true]) {
        const text = (await failure(root, runner, "p", "huge", debug)).printed;
        assert.equal(text.split(huge).length - 1, 1, `${runner}:\n${text.slice(0, 300)}`);
        // The error's class and the node's own frame are still shown under it.
        assert.match(text, /\n {4}MyError \(its message is printed above\)\n {8}at .*nodes\.ts:\d+:\d+\)/);
      }
    }
    // A short message reads as Deno prints an uncaught error, under the message that quotes it.
    const { printed } = await failure(root, "sequential", "p", "custom");
    assert.match(printed, /failed: bad\n[^]*\n {4}MyError: bad\n/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
