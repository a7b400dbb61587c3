import assert from "node:assert/strict";
import type { KmlfAggregateError, NodeError, PipelineDefinitionError } from "../../lib/errors.ts";
import { Node, Pipeline } from "../../lib/pipeline/mod.ts";
import { node } from "./helpers.ts";

const chain = () =>
  new Pipeline([
    node("evaluate", ["model", "test"], ["score"], undefined, ["eval"]),
    node("split", ["raw"], ["train", "test"], undefined, ["prep"]),
    node("train", ["train", "params:lr"], ["model"], undefined, ["train"]),
    node("report", ["score"], ["report"], undefined, ["eval"]),
  ]);

Deno.test("nodes are sorted by generation, alphabetically within a generation", () => {
  const p = new Pipeline([node("b", ["x"], ["y"]), node("a", ["x"], ["z"]), node("c", ["y", "z"], ["w"])]);
  assert.deepEqual(p.nodes.map((n) => n.name), ["a", "b", "c"]);
  assert.deepEqual(p.groupedNodes().map((g) => g.map((n) => n.name)), [["a", "b"], ["c"]]);
});

Deno.test("free inputs and outputs, datasets and dependencies", () => {
  const p = chain();
  assert.deepEqual([...p.inputs()].sort(), ["params:lr", "raw"]);
  assert.deepEqual([...p.outputs()], ["report"]);
  assert.ok(p.datasets().has("model"));
  const evaluate = p.nodes.find((n) => n.name === "evaluate")!;
  assert.deepEqual(p.dependencies(evaluate).map((n) => n.name).sort(), ["split", "train"]);
});

Deno.test("filters: tags, nodes, from/to nodes, from inputs, to outputs, and their intersection", () => {
  const p = chain();
  const names = (x: Pipeline) => x.nodes.map((n) => n.name);
  assert.deepEqual(names(p.onlyNodesWithTags("eval")), ["evaluate", "report"]);
  assert.deepEqual(names(p.fromNodes("train")), ["train", "evaluate", "report"]);
  assert.deepEqual(names(p.toNodes("evaluate")), ["split", "train", "evaluate"]);
  assert.deepEqual(names(p.fromInputs("model")), ["evaluate", "report"]);
  assert.deepEqual(names(p.toOutputs("model")), ["split", "train"]);
  assert.deepEqual(names(p.filter({ fromNodes: ["train"], tags: ["eval"] })), ["evaluate", "report"]);
});

Deno.test("an empty filter result is an error naming the filters", () => {
  assert.throws(
    () => chain().filter({ tags: ["prep"], nodeNames: ["report"] }),
    (e: PipelineDefinitionError) =>
      e.code === "pipeline/empty-after-filter" && /--tags prep and --nodes report/.test(e.message),
  );
});

Deno.test("unknown node names suggest namespaced matches; unknown datasets and namespaces are errors", () => {
  const p = new Pipeline([node("dp.clean", ["a"], ["b"], undefined, [], "dp")]);
  assert.throws(
    () => p.onlyNodes("clean"),
    (e: PipelineDefinitionError) => e.code === "pipeline/unknown-node" && /"dp.clean"/.test(e.hint!),
  );
  assert.throws(
    () => p.fromInputs("zz"),
    (e: PipelineDefinitionError) => e.code === "pipeline/unknown-dataset",
  );
  assert.throws(
    () => p.onlyNodesWithNamespaces("dq"),
    (e: PipelineDefinitionError) =>
      e.code === "pipeline/unknown-namespace" && /did you mean "dp"/.test(e.hint!),
  );
  assert.equal(p.onlyNodesWithNamespaces("dp").nodes.length, 1);
});

Deno.test("structural errors are all reported: duplicate names, duplicate outputs, cycle", () => {
  assert.throws(
    () =>
      new Pipeline([
        node("a", ["x"], ["y"]),
        node("a", ["q"], ["r"]),
        node("b", ["y"], ["z"]),
        node("c", ["z"], ["y2"]),
        node("d", ["k"], ["z"]),
      ]),
    (e: KmlfAggregateError) => {
      assert.deepEqual(e.errors.map((x) => x.code).sort(), [
        "pipeline/duplicate-node",
        "pipeline/duplicate-output",
      ]);
      return true;
    },
  );
  assert.throws(
    () => new Pipeline([node("a", ["z"], ["x"]), node("b", ["x"], ["y"]), node("c", ["y"], ["z"])]),
    (e: PipelineDefinitionError) => {
      assert.equal(e.code, "pipeline/cycle");
      assert.match(e.message, /a -> b -> c -> a|b -> c -> a -> b|c -> a -> b -> c/);
      return true;
    },
  );
});

Deno.test("transcoding: x@a feeds x@b; mixing x and x@a, or reading and writing x, is an error", () => {
  const p = new Pipeline([node("w", ["raw"], ["m@json"]), node("r", ["m@pickle"], ["out"])]);
  assert.deepEqual(p.nodes.map((n) => n.name), ["w", "r"]);
  assert.deepEqual([...p.inputs()], ["raw"]);
  assert.equal(p.fromInputs("m").nodes.length, 1);
  assert.throws(
    () => new Pipeline([node("w", ["raw"], ["m@json"]), node("r", ["m"], ["out"])]),
    (e: PipelineDefinitionError) => e.code === "pipeline/transcoding-mix",
  );
  assert.throws(
    () => new Pipeline([node("w", ["m@a"], ["m@b"])]),
    (e: PipelineDefinitionError) => e.code === "pipeline/input-is-output",
  );
});

Deno.test("union, difference and intersection", () => {
  const p = chain();
  const q = new Pipeline([node("extra", ["report"], ["final"])]);
  assert.equal(p.union(q).nodes.length, 5);
  assert.deepEqual(p.difference(p.onlyNodesWithTags("eval")).nodes.map((n) => n.name), ["split", "train"]);
  assert.deepEqual(p.intersection(p.onlyNodesWithTags("prep")).nodes.map((n) => n.name), ["split"]);
});

Deno.test("node.run binds list, map and none inputs and validates outputs", async () => {
  const n = new Node({
    name: "f",
    func: ({ a, b }: { a: number; b: number }) => ({ sum: a + b, diff: a - b }),
    funcRef: "./f.ts#f",
    inputs: ["x", "y"],
    outputs: ["s", "d"],
    inputBinding: { kind: "object", keys: ["a", "b"] },
    outputBinding: { kind: "object", keys: ["sum", "diff"] },
  });
  assert.deepEqual(await n.run({ x: 3, y: 1 }), { s: 4, d: 2 });
  const bad = new Node({ ...n.toSpec(), func: () => ({ sum: 1 }) });
  await assert.rejects(
    () => bad.run({ x: 1, y: 1 }),
    (e: NodeError) => e.code === "node/bad-outputs" && /missing diff/.test(e.message),
  );
  const list = node("l", ["x"], ["a", "b"], async (x: number) => await Promise.resolve([x, x + 1]));
  assert.deepEqual(await list.run({ x: 1 }), { a: 1, b: 2 });
  const short = node("s", ["x"], ["a", "b"], (x: number) => [x]);
  await assert.rejects(() => short.run({ x: 1 }), /2 values \(a, b\)/);
  const thrower = node("t", ["x"], ["y"], () => {
    throw new TypeError("boom");
  });
  await assert.rejects(
    () => thrower.run({ x: 1 }),
    (e: NodeError) => e.code === "node/failed" && e.cause instanceof TypeError,
  );
  assert.equal(list.toString(), "l: l([x]) -> [a;b]");
});

Deno.test("toJSON lists nodes with dependencies for DAG views", () => {
  const json = chain().toJSON();
  assert.deepEqual(json.nodes.find((n) => n.name === "evaluate")?.dependencies, ["split", "train"]);
  assert.deepEqual(json.outputs, ["report"]);
  assert.match(chain().describe(), /#### Pipeline execution order ####/);
});

Deno.test("a generated 10,000-node pipeline of chains with fan-in builds, sorts and filters", () => {
  const nodes: Node[] = [];
  const ends: string[] = [];
  for (let c = 0; c < 1000; c++) {
    for (let k = 0; k < 9; k++) {
      nodes.push(node(`n${c}_${k}`, [k === 0 ? "src" : `d${c}_${k - 1}`], [`d${c}_${k}`]));
    }
    ends.push(`d${c}_8`);
  }
  for (let j = 0; j < 1000; j++) nodes.push(node(`join${j}`, [ends[j], ends[(j + 1) % 1000]], [`out${j}`]));
  const p = new Pipeline(nodes);
  assert.equal(p.nodes.length, 10_000);
  const position = new Map(p.nodes.map((n, i) => [n.name, i]));
  for (const n of p.nodes) {
    for (const d of p.dependencies(n)) assert.ok(position.get(d.name)! < position.get(n.name)!);
  }
  assert.equal(p.fromNodes("n0_5").nodes.length, 4 + 2);
});
