/** The thread and parallel runners (and --async) against the sequential one: same results, real overlap. */
import assert from "node:assert/strict";
import { type Dataset, MemoryDataset } from "../../lib/catalog/mod.ts";
import { HookManager } from "../../lib/hooks/mod.ts";
import type { PipelineRunError } from "../../lib/runner/mod.ts";
import { overlap, RUNNERS, runWith, withPipeline } from "./runner_helpers.ts";

export const OPS = `
export function burn(ms: number, tag: string): string {
  const end = Date.now() + ms;
  let x = 0;
  while (Date.now() < end) x++;
  return tag + ":" + ms;
}
export async function sleep(ms: number, tag: string): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return tag + ":" + ms;
}
export const gather = (...xs: unknown[]) => xs;
export const vector = (n: number) => Float64Array.from({ length: n }, (_, i) => i);
export const total = (v: Float64Array) => ({ sum: v.reduce((a, b) => a + b, 0), typed: v instanceof Float64Array });
export const fail = (_x: unknown) => { throw new RangeError("bad value"); };
export const firstTwo = (a: unknown, b: unknown, _c: unknown) => [a, b];
`;

const FAN = (fn: string, ms: number) =>
  `nodes:
  - {name: a, func: ./ops.ts#${fn}, inputs: [params:ms, params:a], outputs: ra}
  - {name: b, func: ./ops.ts#${fn}, inputs: [params:ms, params:b], outputs: rb}
  - {name: c, func: ./ops.ts#${fn}, inputs: [params:ms, params:c], outputs: rc}
  - {name: join, func: ./ops.ts#gather, inputs: [ra, rb, rc], outputs: joined}
`.replaceAll("params:ms", `params:ms_${ms}`);

const PARAMS = (ms: number) => ({ [`ms_${ms}`]: ms, a: "A", b: "B", c: "C" });

for (const spec of RUNNERS) {
  Deno.test(`${spec.kind} runner: a fan-out/fan-in pipeline gives the sequential result`, async () => {
    await withPipeline(FAN("sleep", 20), OPS, async ({ pipeline, catalog }) => {
      const c = await catalog();
      c.addParameters(PARAMS(20));
      const result = await runWith(spec, pipeline, c);
      assert.deepEqual(await result.outputs.joined.load(), ["A:20", "B:20", "C:20"]);
      assert.deepEqual(result.timings.map((t) => t.node).at(-1), "join");
      assert.equal(await c.exists("ra"), false, "released after its last reader");
    });
  });
}

Deno.test("thread runner: independent async nodes run at the same time", async () => {
  await withPipeline(FAN("sleep", 150), OPS, async ({ pipeline, catalog }) => {
    const c = await catalog();
    c.addParameters(PARAMS(150));
    const { timings } = await runWith({ kind: "thread" }, pipeline, c);
    const [a, b, cc] = ["a", "b", "c"].map((n) => timings.find((t) => t.node === n)!);
    assert.ok(overlap(a, b) && overlap(b, cc), JSON.stringify(timings));
    const join = timings.find((t) => t.node === "join")!;
    assert.ok(join.start >= Math.max(a.end, b.end, cc.end), "join waits for its inputs");
  });
});

Deno.test("thread runner: --max-workers caps how many nodes are in flight", async () => {
  await withPipeline(FAN("sleep", 60), OPS, async ({ pipeline, catalog }) => {
    const c = await catalog();
    c.addParameters(PARAMS(60));
    let running = 0;
    let most = 0;
    const hooks = new HookManager();
    hooks.register({
      beforeNodeRun: () => void (most = Math.max(most, ++running)),
      afterNodeRun: () => void running--,
    }, { name: "count", kind: "project" });
    await runWith({ kind: "thread", maxWorkers: 2 }, pipeline, c, { hooks });
    assert.equal(most, 2);
  });
});

Deno.test("parallel runner: CPU-bound nodes run in two workers at once; hooks stay on the main thread", async () => {
  await withPipeline(FAN("burn", 200), OPS, async ({ pipeline, catalog }) => {
    const c = await catalog();
    c.addParameters(PARAMS(200));
    const events: string[] = [];
    const hooks = new HookManager();
    hooks.register({
      beforeNodeRun: ({ node }) => void events.push(`before:${node.name}`),
      afterNodeRun: ({ node, outputs }) => void events.push(`after:${node.name}:${JSON.stringify(outputs)}`),
    }, { name: "t", kind: "project" });
    const { timings, outputs } = await runWith({ kind: "parallel", maxWorkers: 2 }, pipeline, c, { hooks });
    assert.deepEqual(await outputs.joined.load(), ["A:200", "B:200", "C:200"]);
    const [a, b] = ["a", "b"].map((n) => timings.find((t) => t.node === n)!);
    assert.ok(overlap(a, b), JSON.stringify(timings));
    assert.deepEqual(new Set(timings.map((t) => t.worker).filter(Boolean)), new Set([1, 2]));
    assert.ok(events.includes('after:a:{"ra":"A:200"}'));
    assert.equal(events.filter((e) => e.startsWith("before:")).length, 4);
  });
});

Deno.test("parallel runner: typed arrays cross intact (transferred), memory is released after the last reader", async () => {
  const yaml = `nodes:
  - {name: make, func: ./ops.ts#vector, inputs: params:n, outputs: v}
  - {name: sum1, func: ./ops.ts#total, inputs: v, outputs: s1}
  - {name: sum2, func: ./ops.ts#total, inputs: v, outputs: s2}
`;
  await withPipeline(yaml, OPS, async ({ pipeline, catalog }) => {
    const c = await catalog();
    c.addParameters({ n: 1000 });
    const result = await runWith({ kind: "parallel" }, pipeline, c);
    for (const out of ["s1", "s2"]) {
      assert.deepEqual(await result.outputs[out].load(), { sum: 499500, typed: true });
    }
    assert.equal(await c.exists("v"), false);
  });
});

Deno.test("parallel runner: input buffers move into the worker unless a hook looks at the inputs afterwards", async () => {
  const yaml = `nodes:
  - {name: make, func: ./ops.ts#vector, inputs: params:n, outputs: v}
  - {name: sum, func: ./ops.ts#total, inputs: v, outputs: s}
`;
  for (const observe of [false, true]) {
    await withPipeline(yaml, OPS, async ({ pipeline, catalog }) => {
      const c = await catalog();
      c.addParameters({ n: 1000 });
      const seen: Float64Array[] = [];
      const hooks = new HookManager();
      hooks.register({
        beforeNodeRun: ({ node, inputs }) =>
          void (node.name === "sum" && seen.push(inputs.v as Float64Array)),
        ...(observe ? { afterNodeRun: () => {} } : {}),
      }, { name: "t", kind: "project" });
      await runWith({ kind: "parallel" }, pipeline, c, { hooks });
      assert.equal((seen[0].buffer as ArrayBuffer).detached, !observe, observe ? "copied" : "transferred");
      assert.equal(seen[0].length, observe ? 1000 : 0);
    });
  }
});

Deno.test("parallel runner: a node that throws fails the run like the sequential runner, siblings finish", async () => {
  const yaml = `nodes:
  - {name: slow, func: ./ops.ts#burn, inputs: [params:ms, params:a], outputs: kept}
  - {name: broken, func: ./ops.ts#fail, inputs: params:a, outputs: never}
  - {name: after, func: ./ops.ts#gather, inputs: never, outputs: last}
`;
  await withPipeline(yaml, OPS, async ({ pipeline, catalog }) => {
    const c = await catalog("kept: {type: json, filepath: kept.json}\n");
    c.addParameters({ ms: 150, a: "A" });
    const failed: string[] = [];
    const hooks = new HookManager();
    hooks.register({ onNodeError: ({ node }) => void failed.push(node.name) }, {
      name: "t",
      kind: "project",
    });
    await assert.rejects(
      () => runWith({ kind: "parallel", maxWorkers: 2 }, pipeline, c, { hooks }),
      (e: PipelineRunError) => {
        assert.equal(e.code, "node/failed");
        assert.equal(e.failedNode, "broken");
        assert.match(e.message, /Node "broken" \(\.\/ops\.ts#fail\) failed: bad value/);
        assert.ok(e.source?.file?.endsWith("p.yml"), "located at the node in the YAML");
        const cause = e.cause as Error;
        assert.equal(cause.name, "RangeError");
        assert.match(cause.stack ?? "", /\[as func\] \(file:\/\/.*ops\.ts:\d+:\d+\)/);
        assert.deepEqual(e.completedNodes, ["slow"], "the running sibling finished and was saved");
        return true;
      },
    );
    assert.deepEqual(failed, ["broken"]);
    assert.equal(await c.exists("kept"), true);
  });
});

Deno.test("--async loads a node's inputs concurrently and saves its outputs concurrently (any runner)", async () => {
  const yaml = `nodes:
  - {name: g, func: ./ops.ts#firstTwo, inputs: [x1, x2, x3], outputs: [y1, y2]}
`;
  for (const spec of RUNNERS) {
    await withPipeline(yaml, OPS, async ({ pipeline, catalog }) => {
      const c = await catalog();
      for (const name of ["x1", "x2", "x3"]) c.add(name, new SlowMemory(name));
      for (const name of ["y1", "y2"]) c.add(name, new SlowMemory());
      const events: string[] = [];
      const hooks = new HookManager();
      hooks.register({
        beforeDatasetLoaded: ({ datasetName }) => void events.push(`load:${datasetName}`),
        afterDatasetLoaded: ({ datasetName }) => void events.push(`loaded:${datasetName}`),
        beforeDatasetSaved: ({ datasetName }) => void events.push(`save:${datasetName}`),
        afterDatasetSaved: ({ datasetName }) => void events.push(`saved:${datasetName}`),
      }, { name: "t", kind: "project" });
      await runWith({ ...spec, isAsync: true }, pipeline, c, { hooks });
      assert.deepEqual(events.slice(0, 3), ["load:x1", "load:x2", "load:x3"], `${spec.kind}: ${events}`);
      assert.deepEqual(events.slice(6, 8), ["save:y1", "save:y2"], `${spec.kind}: ${events}`);
      assert.deepEqual(await c.load("y2"), "x2");
    });
  }
});

// A memory dataset whose load and save take a while, like a remote store.
class SlowMemory implements Dataset {
  readonly #inner: MemoryDataset;
  constructor(data?: unknown) {
    this.#inner = new MemoryDataset({ data });
  }
  async load() {
    await new Promise((r) => setTimeout(r, 20));
    return this.#inner.load();
  }
  async save(data: unknown) {
    await new Promise((r) => setTimeout(r, 20));
    this.#inner.save(data);
  }
  exists() {
    return this.#inner.exists();
  }
  describe() {
    return {};
  }
}

for (const spec of RUNNERS) {
  Deno.test(`${spec.kind} runner: a failing node gives the sequential runner's error, completed nodes and resume point`, async () => {
    const yaml = `nodes:
  - {name: first, func: ./ops.ts#sleep, inputs: [params:ms, params:a], outputs: kept}
  - {name: broken, func: ./ops.ts#fail, inputs: kept, outputs: never}
  - {name: after, func: ./ops.ts#gather, inputs: never, outputs: last}
`;
    await withPipeline(yaml, OPS, async ({ pipeline, catalog }) => {
      const c = await catalog("kept: {type: json, filepath: kept.json}\n");
      c.addParameters({ ms: 5, a: "A" });
      await assert.rejects(() => runWith(spec, pipeline, c), (e: PipelineRunError) => {
        assert.equal(e.code, "node/failed");
        assert.equal(e.failedNode, "broken");
        assert.deepEqual(e.completedNodes, ["first"]);
        assert.deepEqual(e.resumeFromNodes, ["broken"]);
        assert.match(e.message, /bad value/);
        return true;
      });
    });
  });
}
