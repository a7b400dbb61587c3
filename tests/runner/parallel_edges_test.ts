/**
 * The parallel runner's boundaries: what it refuses before the run (with node, dataset and fix), values
 * that cannot cross at run time, nodes that exit or leak errors, and interruption.
 */
import assert from "node:assert/strict";
import { MemoryDataset } from "../../lib/catalog/mod.ts";
import type { KmlfAggregateError, KmlfError } from "../../lib/errors.ts";
import { HookManager } from "../../lib/hooks/mod.ts";
import { Pipeline } from "../../lib/pipeline/mod.ts";
import { inspectCrossing, type PipelineRunError } from "../../lib/runner/mod.ts";
import { node } from "../pipeline/helpers.ts";
import { runWith, withPipeline } from "./runner_helpers.ts";

const OPS = `
export class Model { constructor(public w: number) {} predict(x: number) { return x * this.w; } }
export const makeModel = (w: number) => new Model(w);
export const makeFn = (_w: number) => ({ score: (x: number) => x });
export const use = (m: unknown) => JSON.stringify(m);
export const exits = (_w: number) => Deno.exit(3);
export function leaks(w: number) { setTimeout(() => { throw new Error("late failure"); }, 0); return w; }
export function slowAfterLeak(w: number) { const end = Date.now() + 300; while (Date.now() < end); return w; }
export function spin(_w: number) { for (;;) {} }
export const same = (w: number) => w;
export const closes = (_w: number) => (globalThis as { close(): void }).close();
export function closesLater(w: number) { queueMicrotask(() => (globalThis as { close(): void }).close()); return w; }
export const processExits = async (_w: number) => (await import("node:process")).default.exit(4);
export const proxied = (w: number) => ({ fine: w, wrapped: new Proxy({ w }, {}) });
export function takesMessages(w: number) { (globalThis as { onmessage: unknown }).onmessage = null; return w; }
`;

const errorsOf = (e: unknown) => (e as KmlfAggregateError).errors ?? [e as KmlfError];

Deno.test("parallel runner refuses, before any node runs, nodes whose function is not a module export", async () => {
  await withPipeline("nodes: []\n", OPS, async ({ catalog }) => {
    const p = new Pipeline([node("inline", ["x"], ["y"], (x: number) => x)]);
    const c = await catalog();
    c.add("x", new MemoryDataset({ data: 1 }));
    await assert.rejects(() => runWith({ kind: "parallel" }, p, c), (e: KmlfError) => {
      assert.equal(e.code, "runner/not-importable");
      assert.match(e.message, /Node "inline" cannot run in a worker/);
      assert.match(e.hint ?? "", /func: \.\/module\.ts#export|--runner thread/);
      return true;
    });
  });
});

Deno.test("parallel runner refuses a copy_mode: assign memory dataset shared by nodes, naming both and the catalog entry", async () => {
  const yaml = `nodes:
  - {name: train, func: ./ops.ts#makeModel, inputs: params:w, outputs: model}
  - {name: serve, func: ./ops.ts#use, inputs: model, outputs: report}
  - {name: audit, func: ./ops.ts#use, inputs: model, outputs: audit_report}
`;
  await withPipeline(yaml, OPS, async ({ pipeline, catalog }) => {
    const c = await catalog("model:\n  type: memory\n  copy_mode: assign\n");
    c.addParameters({ w: 2 });
    let ran = false;
    await assert.rejects(
      () =>
        runWith({ kind: "parallel" }, pipeline, c, { reporter: { nodeStarted: () => void (ran = true) } }),
      (e: KmlfError) => {
        const [problem] = errorsOf(e);
        assert.equal(problem.code, "runner/shared-assign");
        assert.match(problem.message, /"model".*shared by nodes "train", "audit" and "serve"/);
        assert.match(problem.source?.file ?? "", /catalog\.yml$/, "points at the catalog entry");
        assert.match(problem.hint ?? "", /remove copy_mode: assign|--runner thread/);
        return true;
      },
    );
    assert.equal(ran, false);
    await runWith({ kind: "thread" }, pipeline, c); // shared objects are fine on one thread
  });
});

Deno.test("parallel runner refuses a copy_mode: copy memory dataset read by several nodes, whose shallow copies share nested objects only on one thread", async () => {
  const ops = `export const make = () => ({ list: [1] });
export function grow(x: { list: number[] }) { x.list.push(2); return x.list.length; }
export const count = (x: { list: number[] }) => x.list.length;
`;
  const yaml = `nodes:
  - {name: make, func: ./ops.ts#make, inputs: [], outputs: nested}
  - {name: add, func: ./ops.ts#grow, inputs: nested, outputs: grown}
  - {name: count, func: ./ops.ts#count, inputs: nested, outputs: counted}
`;
  await withPipeline(yaml, ops, async ({ pipeline, catalog }) => {
    const entry = "nested:\n  type: memory\n  copy_mode: copy\n";
    // On one thread the second reader sees the first one's change to the shared nested list.
    const thread = await runWith({ kind: "thread" }, pipeline, await catalog(entry));
    assert.equal(await thread.outputs.counted.load(), 2);
    let ran = false;
    await assert.rejects(
      async () =>
        await runWith({ kind: "parallel" }, pipeline, await catalog(entry), {
          reporter: { nodeStarted: () => void (ran = true) },
        }),
      (e: KmlfError) => {
        const [problem] = errorsOf(e);
        assert.equal(problem.code, "runner/shared-assign");
        assert.match(
          problem.message,
          /"nested" \(memory, copy_mode: copy\) is read by nodes "add" and "count"/,
        );
        assert.match(problem.source?.file ?? "", /catalog\.yml$/, "points at the catalog entry");
        assert.match(problem.hint ?? "", /remove copy_mode: copy/);
        return true;
      },
    );
    assert.equal(ran, false);
  });
  // One reader shares nothing with another: it runs.
  await withPipeline(yaml.split("\n").slice(0, 3).join("\n") + "\n", ops, async ({ pipeline, catalog }) => {
    const result = await runWith(
      { kind: "parallel" },
      pipeline,
      await catalog("nested:\n  type: memory\n  copy_mode: copy\n"),
    );
    assert.equal(await result.outputs.grown.load(), 2);
  });
});

Deno.test("parallel runner: built-ins structured clone keeps with their class cross (a boxed BigInt, a DOMException)", async () => {
  const ops =
    `export const make = (_w: number) => ({ big: Object(2n), stop: new DOMException("stopped", "AbortError") });
export const kinds = (v: Record<string, unknown>) =>
  [v.big instanceof BigInt && v.big.valueOf() === 2n, v.stop instanceof DOMException && (v.stop as DOMException).name];
`;
  const yaml = `nodes:
  - {name: make, func: ./ops.ts#make, inputs: params:w, outputs: made}
  - {name: kinds, func: ./ops.ts#kinds, inputs: made, outputs: seen}
`;
  await withPipeline(yaml, ops, async ({ pipeline, catalog }) => {
    const c = await catalog();
    c.addParameters({ w: 1 });
    const result = await runWith({ kind: "parallel" }, pipeline, c);
    assert.deepEqual(await result.outputs.seen.load(), [true, "AbortError"]);
  });
});

Deno.test("parallel runner: an Error with fields of its own is refused with its path, not sent without them", async () => {
  const ops = `export function collect(_w: number) {
  const failure = new Error("row 3 is bad");
  Object.assign(failure, { code: "E42", row: 3 });
  return { failures: [failure], fine: new RangeError("plain") };
}
export const codes = (v: { failures: { code?: string }[] }) => v.failures.map((f) => f.code);
`;
  const yaml = `nodes:
  - {name: collect, func: ./ops.ts#collect, inputs: params:w, outputs: checked}
  - {name: codes, func: ./ops.ts#codes, inputs: checked, outputs: found}
`;
  await withPipeline(yaml, ops, async ({ pipeline, catalog }) => {
    const c = await catalog();
    c.addParameters({ w: 1 });
    const thread = await runWith({ kind: "thread" }, pipeline, c);
    assert.deepEqual(await thread.outputs.found.load(), ["E42"]);
    await assert.rejects(
      () => runWith({ kind: "parallel" }, pipeline, c),
      (e: KmlfError) => {
        assert.equal(e.code, "runner/cannot-cross");
        assert.match(
          e.message,
          /Output "checked" of node "collect" cannot leave its worker: checked\.failures\[0\] is an Error with fields of its own \(code, row\), which would arrive without them/,
        );
        return true;
      },
    );
  });
  assert.equal(inspectCrossing(new TypeError("no fields"), { transfer: false }).problem, undefined);
});

Deno.test("parallel runner: an output that is a class instance or holds a function fails with its path", async () => {
  for (
    const [fn, what] of [
      [
        "makeModel",
        /Output "model" of node "train" cannot leave its worker: it is an instance of class Model, which would arrive as a plain object without its class and methods/,
      ],
      ["makeFn", /model\.score is a function \(score\), which cannot be copied/],
    ] as const
  ) {
    const yaml = `nodes:\n  - {name: train, func: ./ops.ts#${fn}, inputs: params:w, outputs: model}\n`;
    await withPipeline(yaml, OPS, async ({ pipeline, catalog }) => {
      const c = await catalog();
      c.addParameters({ w: 2 });
      await assert.rejects(() => runWith({ kind: "parallel" }, pipeline, c), (e: PipelineRunError) => {
        assert.equal(e.code, "runner/cannot-cross");
        assert.match(e.message, what);
        assert.match(e.source?.keyPath ?? "", /nodes\[0\]\.outputs/);
        assert.match(e.hint ?? "", /structured clone/);
        return true;
      });
    });
  }
});

Deno.test("parallel runner: a class instance going into a worker is refused before the run (known values) or before the node (loaded ones)", async () => {
  const yaml = `nodes:\n  - {name: serve, func: ./ops.ts#use, inputs: model, outputs: report}\n`;
  await withPipeline(yaml, OPS, async ({ pipeline, catalog }) => {
    class Fitted {
      predict() {}
    }
    const c = await catalog();
    c.add("model", new MemoryDataset({ data: { inner: new Fitted() } }));
    await assert.rejects(() => runWith({ kind: "parallel" }, pipeline, c), (e: KmlfError) => {
      const [problem] = errorsOf(e);
      assert.equal(problem.code, "runner/cannot-cross");
      assert.match(
        problem.message,
        /Input "model" of node "serve" cannot be sent to a worker: model\.inner is an instance of class Fitted/,
      );
      return true;
    });
    const loaded = await catalog("model: {type: ./pipelines/ops_ds.ts#ModelDataset}\n");
    await assert.rejects(() => runWith({ kind: "parallel" }, pipeline, loaded), (e: PipelineRunError) => {
      assert.equal(e.code, "runner/cannot-cross");
      assert.equal(e.failedNode, "serve");
      assert.match(e.message, /it is an instance of class Model/);
      return true;
    });
  }, {
    "pipelines/ops_ds.ts": `import { Model } from "./ops.ts";
export class ModelDataset { load() { return new Model(3); } save() {} exists() { return true; } describe() { return {}; } }
`,
  });
});

Deno.test("parallel runner: Deno.exit in a node and errors escaping a node fail the run instead of hanging or crashing", async () => {
  for (
    const [fn, code, pattern] of [
      ["exits", "node/exited", /Node "n" called Deno\.exit\(3\) \(or process\.exit\) in a worker/],
      ["processExits", "node/exited", /Node "n" called Deno\.exit\(4\) \(or process\.exit\) in a worker/],
      ["closes", "node/exited", /Node "n" called close\(\) in a worker/],
      ["closesLater", "node/exited", /Node "[nm]" called close\(\) in a worker/],
      [
        "leaks",
        "node/failed",
        /failed: late failure \(thrown outside the promise a node returned(; it may come from "n", which ran before)?\)/,
      ],
    ] as const
  ) {
    const yaml = `nodes:
  - {name: n, func: ./ops.ts#${fn}, inputs: params:w, outputs: a}
  - {name: m, func: ./ops.ts#slowAfterLeak, inputs: a, outputs: b}
`;
    await withPipeline(yaml, OPS, async ({ pipeline, catalog }) => {
      const c = await catalog();
      c.addParameters({ w: 2 });
      // A worker ending unnoticed would leave the run waiting forever: stop it after a while instead.
      const watchdog = new AbortController();
      const timer = setTimeout(() => watchdog.abort("SIGTERM"), 30_000);
      await assert.rejects(
        () => runWith({ kind: "parallel", maxWorkers: 1 }, pipeline, c, { signal: watchdog.signal }),
        (e: PipelineRunError) => {
          clearTimeout(timer);
          assert.equal(e.code, code);
          assert.match(e.message, pattern);
          assert.ok(["n", "m"].includes(e.failedNode), "the node running when it escaped, or the one before");
          return true;
        },
      );
    });
  }
});

Deno.test("parallel runner: a node assigning self.onmessage does not take its worker's next jobs away", async () => {
  const yaml = `nodes:
  - {name: n, func: ./ops.ts#takesMessages, inputs: params:w, outputs: a}
  - {name: m, func: ./ops.ts#same, inputs: a, outputs: b}
`;
  await withPipeline(yaml, OPS, async ({ pipeline, catalog }) => {
    const c = await catalog();
    c.addParameters({ w: 2 });
    // Before the fix the run waited forever: stop it after a while, so a regression fails instead of hanging.
    const watchdog = new AbortController();
    const timer = setTimeout(() => watchdog.abort("SIGTERM"), 30_000);
    try {
      await runWith({ kind: "parallel", maxWorkers: 1 }, pipeline, c, { signal: watchdog.signal });
      assert.equal(await c.load("b"), 2);
    } finally {
      clearTimeout(timer);
    }
  });
});

Deno.test("parallel runner: an output the walk cannot see through (a Proxy) names its dataset and why it cannot cross", async () => {
  const yaml = `nodes:
  - {name: n, func: ./ops.ts#proxied, inputs: params:w, outputs: {fine: a, wrapped: b}}
`;
  await withPipeline(yaml, OPS, async ({ pipeline, catalog }) => {
    const c = await catalog();
    c.addParameters({ w: 2 });
    await assert.rejects(() => runWith({ kind: "parallel", maxWorkers: 1 }, pipeline, c), (e: KmlfError) => {
      assert.equal(e.code, "runner/cannot-cross");
      assert.equal(
        e.message,
        'Output "b" of node "n" cannot leave its worker: it is a value structured clone refuses ' +
          "(#<Object> could not be cloned; a Proxy, or an object of a host class), which cannot be copied to " +
          "another thread",
      );
      return true;
    });
  });
});

Deno.test("parallel runner: aborting stops a node stuck in a loop and rejects with run/interrupted", async () => {
  const yaml = `nodes:
  - {name: stuck, func: ./ops.ts#spin, inputs: params:w, outputs: a}
  - {name: quick, func: ./ops.ts#same, inputs: params:w, outputs: b}
`;
  await withPipeline(yaml, OPS, async ({ pipeline, catalog }) => {
    const c = await catalog("b: {type: json, filepath: b.json}\n");
    c.addParameters({ w: 2 });
    const controller = new AbortController();
    const started = performance.now();
    await assert.rejects(
      () =>
        runWith({ kind: "parallel", maxWorkers: 2 }, pipeline, c, {
          signal: controller.signal,
          reporter: { nodeCompleted: () => setTimeout(() => controller.abort("SIGINT"), 50) },
        }),
      (e: PipelineRunError) => {
        assert.equal(e.code, "run/interrupted");
        assert.match(e.message, /Run interrupted by SIGINT; stopped "stuck"/);
        assert.deepEqual(e.completedNodes, ["quick"]);
        return true;
      },
    );
    assert.ok(performance.now() - started < 5000);
  });
});

Deno.test("inspectCrossing finds functions, symbols and class instances anywhere, and collects buffers once", () => {
  class Point {
    x = 1;
  }
  const shared = new Float64Array(4);
  const cases: [unknown, string | undefined][] = [
    [{ a: [1, { b: () => 0 }] }, ".a[1].b"],
    [new Map([["k", new Point()]]), '.get("k")'],
    [new Set([Symbol("s")]), " (a Set element)"],
    [{ "odd key": new Point() }, '["odd key"]'],
    [{ d: new Date(), r: /x/, e: new TypeError("t"), n: null, big: 1n, nested: { ok: [1, "2"] } }, undefined],
  ];
  for (const [value, path] of cases) {
    assert.equal(inspectCrossing(value, { transfer: false }).problem?.path, path);
  }
  const cyclic: Record<string, unknown> = { v: shared, w: new Float64Array(shared.buffer, 8) };
  cyclic.self = cyclic;
  assert.deepEqual(inspectCrossing(cyclic, { transfer: true }), { transfer: [shared.buffer] });
});

Deno.test("parallel runner: a partitioned input stays lazy: each partition loads on the main thread when the node asks", async () => {
  const ops = `
export async function countRows(parts: Record<string, () => Promise<number[]>>) {
  const sizes: Record<string, number> = {};
  for (const [id, load] of Object.entries(parts)) sizes[id] = (await load()).length;
  return sizes;
}
export async function firstOnly(parts: Record<string, () => Promise<unknown>>) {
  return await parts[Object.keys(parts)[0]]();
}
`;
  const yaml = `nodes:
  - {name: count, func: ./ops.ts#countRows, inputs: parts, outputs: sizes}
  - {name: first, func: ./ops.ts#firstOnly, inputs: parts, outputs: head}
`;
  const files = {
    "data/parts/a.json": "[1, 2, 3]",
    "data/parts/b.json": "[4]",
    "data/parts/c.json": "{broken",
  };
  await withPipeline(yaml, ops, async ({ root, pipeline, catalog }) => {
    const c = await catalog(
      "parts: {type: partitioned, path: data/parts, dataset: json, filename_suffix: .json}\n",
    );
    const loaded: string[] = [];
    await assert.rejects(() => runWith({ kind: "parallel" }, pipeline, c), (e: PipelineRunError) => {
      assert.equal(e.failedNode, "count", "the broken partition fails the node that loads it");
      assert.match(e.message, /c\.json|parts\/c/);
      return true;
    });
    await Deno.remove(`${root}/data/parts/c.json`);
    const hooks = new HookManager();
    hooks.register({ afterDatasetLoaded: ({ datasetName }) => void loaded.push(datasetName) }, {
      name: "t",
      kind: "project",
    });
    const result = await runWith({ kind: "parallel" }, pipeline, c, { hooks });
    assert.deepEqual(await result.outputs.sizes.load(), { a: 3, b: 1 });
    assert.deepEqual(await result.outputs.head.load(), [1, 2, 3]);
    assert.deepEqual(loaded, ["parts", "parts"]);
  }, files);
});
