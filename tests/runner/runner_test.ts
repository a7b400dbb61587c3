import assert from "node:assert/strict";
import { join } from "node:path";
import { Catalog, type Dataset, MemoryDataset } from "../../lib/catalog/mod.ts";
import { DatasetError, type KmlfAggregateError } from "../../lib/errors.ts";
import { HookManager } from "../../lib/hooks/mod.ts";
import { Pipeline } from "../../lib/pipeline/mod.ts";
import { type PipelineRunError, SequentialRunner } from "../../lib/runner/mod.ts";
import { parseYaml } from "../../lib/yaml/parse_yaml.ts";
import { withTree } from "../fs_helpers.ts";
import { node } from "../pipeline/helpers.ts";

async function catalogFor(root: string, yaml = "{}\n"): Promise<Catalog> {
  const src = parseYaml(yaml, join(root, "conf/base/catalog.yml"));
  return await Catalog.fromConfig({
    data: src.value as Record<string, unknown>,
    locate: (p) => src.locate(p),
  }, { projectRoot: root });
}

const run = (p: Pipeline, c: Catalog, hooks = new HookManager(), onlyMissingOutputs = false) =>
  new SequentialRunner().run(p, c, { runId: "r1", hooks, onlyMissingOutputs });

Deno.test("the runner runs nodes in order, saves outputs and returns free outputs", async () => {
  await withTree({}, async (root) => {
    const c = await catalogFor(root, "out: {type: json, filepath: out.json}\n");
    c.addParameters({ k: 10 });
    const p = new Pipeline([
      node("a", ["params:k"], ["x"], (k: number) => k + 1),
      node("b", ["x"], ["out"], (x: number) => x * 2),
    ]);
    const result = await run(p, c);
    assert.deepEqual(Object.keys(result.outputs), ["out"]);
    assert.equal(await result.outputs.out.load(), 22);
    assert.equal(JSON.parse(await Deno.readTextFile(join(root, "out.json"))), 22);
    assert.deepEqual(result.timings.map((t) => [t.node, t.status]), [["a", "completed"], ["b", "completed"]]);
  });
});

Deno.test("missing free inputs are all reported before any node runs", async () => {
  await withTree({}, async (root) => {
    const c = await catalogFor(root);
    let ran = false;
    const p = new Pipeline([
      node("a", ["raw", "params:nope"], ["x"], () => (ran = true)),
      node("b", ["other"], ["y"]),
    ]);
    await assert.rejects(() => run(p, c), (e: KmlfAggregateError) => {
      assert.deepEqual(
        e.errors.map((x) => x.code).sort(),
        ["runner/missing-input", "runner/missing-input", "runner/unknown-parameter"].slice(0, e.errors.length)
          .sort(),
      );
      return true;
    });
    assert.equal(ran, false);
  });
});

Deno.test("hooks fire in Kedro's order and beforeNodeRun can replace inputs", async () => {
  await withTree({}, async (root) => {
    const c = await catalogFor(root);
    c.add("a", new MemoryDataset({ data: 1 }));
    const events: string[] = [];
    const hooks = new HookManager();
    hooks.register({
      beforeDatasetLoaded: ({ datasetName }) => void events.push(`load:${datasetName}`),
      beforeNodeRun: (
        { node },
      ) => (events.push(`before:${node.name}`), node.name === "n" ? { a: 100 } : undefined),
      afterNodeRun: ({ node, outputs }) => void events.push(`after:${node.name}:${JSON.stringify(outputs)}`),
      afterDatasetSaved: ({ datasetName }) => void events.push(`saved:${datasetName}`),
    }, { name: "t", kind: "project" });
    await run(new Pipeline([node("n", ["a"], ["b"], (a: number) => a + 1)]), c, hooks);
    assert.deepEqual(events, ["load:a", "before:n", 'after:n:{"b":101}', "saved:b"]);
  });
});

Deno.test("a failing node fires onNodeError and reports where to resume from", async () => {
  await withTree({}, async (root) => {
    const c = await catalogFor(root, "persisted: {type: json, filepath: p.json}\n");
    c.add("raw", new MemoryDataset({ data: 1 }));
    const errors: string[] = [];
    const hooks = new HookManager();
    hooks.register({ onNodeError: ({ node }) => void errors.push(node.name) }, {
      name: "t",
      kind: "project",
    });
    const p = new Pipeline([
      node("first", ["raw"], ["persisted"]),
      node("second", ["persisted"], ["tmp"]),
      node("third", ["tmp"], ["out"], () => {
        throw new Error("boom");
      }),
    ]);
    await assert.rejects(() => run(p, c, hooks), (e: PipelineRunError) => {
      assert.equal(e.failedNode, "third");
      assert.deepEqual(e.completedNodes, ["first", "second"]);
      assert.deepEqual(
        e.resumeFromNodes,
        ["second"],
        "tmp is in memory, so resume from the node reading persisted data",
      );
      assert.match(e.message, /boom/);
      return true;
    });
    assert.deepEqual(errors, ["third"]);
  });
});

Deno.test("in-memory data is released after its last reader; free outputs are kept", async () => {
  await withTree({}, async (root) => {
    const c = await catalogFor(root);
    c.add("raw", new MemoryDataset({ data: 1 }));
    const p = new Pipeline([
      node("a", ["raw"], ["mid"]),
      node("b", ["mid"], ["x"]),
      node("c", ["mid"], ["y"]),
    ]);
    const result = await run(p, c);
    assert.equal(await c.exists("mid"), false);
    assert.equal(await (result.outputs.x as Dataset).exists(), true);
    assert.equal(await c.exists("raw"), true, "free inputs are never released");
  });
});

Deno.test("--only-missing-outputs skips nodes whose persisted outputs exist", async () => {
  await withTree({ "a.json": "1" }, async (root) => {
    const c = await catalogFor(
      root,
      "a_out: {type: json, filepath: a.json}\nb_out: {type: json, filepath: b.json}\n",
    );
    c.add("raw", new MemoryDataset({ data: 5 }));
    const ran: string[] = [];
    const p = new Pipeline([
      node("a", ["raw"], ["a_out"], (x: number) => (ran.push("a"), x)),
      node("b", ["a_out"], ["b_out"], (x: number) => (ran.push("b"), x)),
    ]);
    const result = await run(p, c, new HookManager(), true);
    assert.deepEqual(ran, ["b"]);
    assert.deepEqual(result.pipeline.nodes.map((n) => n.name), ["b"]);
  });
});

Deno.test("dataset load failures become run failures naming the dataset", async () => {
  await withTree({}, async (root) => {
    const c = await catalogFor(root, "raw: {type: json, filepath: missing.json}\n");
    await assert.rejects(() => run(new Pipeline([node("a", ["raw"], ["x"])]), c), (e: PipelineRunError) => {
      assert.equal(e.code, "dataset/file-not-found");
      assert.match(e.message, /Cannot load dataset "raw" \(JSONDataset\)/);
      assert.ok(!(e instanceof DatasetError));
      return true;
    });
  });
});
