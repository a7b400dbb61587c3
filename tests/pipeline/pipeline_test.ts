import assert from "node:assert/strict";
import type { KmlfAggregateError, PipelineDefinitionError } from "../../lib/errors.ts";
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

Deno.test("transcoding: a name with two @, or nothing on one side of @, is refused (parameters are not)", () => {
  const messages = (nodes: ReturnType<typeof node>[]) => {
    try {
      new Pipeline(nodes);
    } catch (e) {
      const all = (e as KmlfAggregateError).errors ?? [e];
      return all.filter((x) => x.code === "pipeline/bad-transcoding").map((x) => `${x.message} | ${x.hint}`);
    }
    return [];
  };
  assert.deepEqual(messages([node("a", ["x@a@b"], ["y@"]), node("b", ["@csv"], ["z"])]), [
    'Dataset name "x@a@b" has 2 "@" separators | use at most one transcoding separator, with text on both sides: "name@format"',
    'Dataset name "y@" has nothing after "@" | use at most one transcoding separator, with text on both sides: "name@format"',
    'Dataset name "@csv" has nothing before "@" | use at most one transcoding separator, with text on both sides: "name@format"',
  ]);
  assert.deepEqual(messages([node("p", ["params:mail.ann@x.org.bob@y.org"], ["out@json"])]), []);
});

Deno.test("union, difference and intersection", () => {
  const p = chain();
  const q = new Pipeline([node("extra", ["report"], ["final"])]);
  assert.equal(p.union(q).nodes.length, 5);
  assert.deepEqual(p.difference(p.onlyNodesWithTags("eval")).nodes.map((n) => n.name), ["split", "train"]);
  assert.deepEqual(p.intersection(p.onlyNodesWithTags("prep")).nodes.map((n) => n.name), ["split"]);
});

Deno.test("toJSON lists nodes with dependencies for DAG views", () => {
  const json = chain().toJSON();
  assert.deepEqual(json.nodes.find((n) => n.name === "evaluate")?.dependencies, ["split", "train"]);
  assert.deepEqual(json.outputs, ["report"]);
  assert.match(chain().describe(), /#### Pipeline execution order ####/);
});

Deno.test("the order does not depend on the order nodes are given in", () => {
  const nodes = [
    node("load", ["raw"], ["a"]),
    node("zeta", ["a"], ["z"]),
    node("alpha", ["a"], ["b"]),
    node("mid", ["b", "z"], ["m"]),
    node("solo", ["other"], ["s"]),
    node("end", ["m", "s"], ["out"]),
  ];
  const expected = ["load", "solo", "alpha", "zeta", "mid", "end"];
  for (let seed = 1; seed <= 5; seed++) {
    const shuffled = [...nodes].sort((a, b) =>
      ((a.name.charCodeAt(0) * seed) % 7) - ((b.name.charCodeAt(0) * seed) % 7)
    );
    const p = new Pipeline(shuffled);
    assert.deepEqual(p.nodes.map((n) => n.name), expected);
    assert.deepEqual(p.groupedNodes().map((g) => g.map((n) => n.name)), [
      ["load", "solo"],
      ["alpha", "zeta"],
      ["mid"],
      [
        "end",
      ],
    ]);
  }
});

Deno.test("a cycle is named in data-flow order, with its first node repeated", () => {
  assert.throws(
    () => new Pipeline([node("a", ["z", "in"], ["x"]), node("b", ["x"], ["y"]), node("c", ["y"], ["z"])]),
    (e: PipelineDefinitionError) =>
      e.code === "pipeline/cycle" && e.message === "Circular dependency: a -> b -> c -> a",
  );
});

Deno.test("namespace and tag filters intersect; a filter-free call returns the pipeline", () => {
  const p = new Pipeline([
    node("dp.clean", ["raw"], ["dp.c"], undefined, ["prep"], "dp"),
    node("dp.deep.more", ["dp.c"], ["dp.d"], undefined, ["other"], "dp.deep"),
    node("dpx.x", ["raw"], ["x"], undefined, ["prep"], "dpx"),
  ]);
  const names = (x: Pipeline) => x.nodes.map((n) => n.name);
  assert.deepEqual(names(p.onlyNodesWithNamespaces("dp")), ["dp.clean", "dp.deep.more"]);
  assert.deepEqual(names(p.filter({ namespaces: ["dp"], tags: ["prep"] })), ["dp.clean"]);
  assert.deepEqual(names(p.filter({ nodeNames: ["dpx.x", "dp.clean"] })), ["dp.clean", "dpx.x"]);
  assert.equal(p.filter({}), p);
  assert.throws(
    () => p.filter({ namespaces: ["dpx"], tags: ["other"] }),
    (e: PipelineDefinitionError) =>
      e.code === "pipeline/empty-after-filter" && /--tags other and --namespaces dpx/.test(e.message),
  );
});

Deno.test("from-inputs and to-outputs match every transcoded variant of a base name, or one exactly", () => {
  const p = new Pipeline([
    node("w", ["raw"], ["m@json"]),
    node("r1", ["m@pickle"], ["o1"]),
    node("r2", ["m@json"], ["o2"]),
    node("after", ["o1"], ["o3"]),
  ]);
  const names = (x: Pipeline) => x.nodes.map((n) => n.name).sort();
  assert.deepEqual(names(p.fromInputs("m")), ["after", "r1", "r2"]);
  assert.deepEqual(names(p.fromInputs("m@json")), ["r2"]);
  assert.deepEqual(names(p.toOutputs("o3")), ["after", "r1", "w"]);
  assert.deepEqual(names(p.toOutputs("m")), ["w"]);
  assert.throws(
    () => p.toOutputs("m@csv"),
    (e: PipelineDefinitionError) => e.code === "pipeline/unknown-dataset" && /"m@csv"/.test(e.message),
  );
});

Deno.test("a dataset name a namespace prefixed suggests every namespaced variant", () => {
  const p = new Pipeline([
    node("a.clean", ["raw", "params:a.opts"], ["a.cleaned@json"], undefined, [], "a"),
    node("b.clean", ["raw", "params:b.x.opts"], ["b.x.cleaned@json"], undefined, [], "b.x"),
    node("b.use", ["b.x.cleaned@pickle"], ["out"], undefined, [], "b"),
  ]);
  const hint = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      assert.equal((e as PipelineDefinitionError).code, "pipeline/unknown-dataset");
      return (e as PipelineDefinitionError).hint;
    }
    assert.fail("expected an unknown-dataset error");
  };
  assert.equal(hint(() => p.fromInputs("cleaned")), 'did you mean "a.cleaned", "b.x.cleaned"?');
  assert.equal(hint(() => p.toOutputs("cleaned@json")), 'did you mean "a.cleaned@json", "b.x.cleaned@json"?');
  assert.equal(hint(() => p.fromInputs("params:opts")), 'did you mean "params:a.opts", "params:b.x.opts"?');
  // A dataset whose name merely ends like the query, without a namespace dot, is no namespaced variant.
  assert.equal(hint(() => p.fromInputs("aw")), 'did you mean "raw"?');
});

Deno.test("a union of two different nodes with one name is an error; equal nodes merge", () => {
  const shared = node("n", ["x"], ["y"]);
  const p = new Pipeline([shared]);
  assert.equal(p.union(new Pipeline([shared])).nodes.length, 1);
  const sameShape = new Node({ ...shared.toSpec(), tags: ["extra"] });
  assert.equal(p.union(new Pipeline([sameShape])).nodes.length, 1);
  assert.throws(
    () => p.union(new Pipeline([node("n", ["x"], ["other"])])),
    (e: PipelineDefinitionError) => e.code === "pipeline/duplicate-node",
  );
});

Deno.test("describe lists inputs, the execution order and outputs", () => {
  assert.equal(
    chain().describe(),
    [
      "#### Pipeline execution order ####",
      "Inputs: params:lr, raw",
      "",
      "split",
      "train",
      "evaluate",
      "report",
      "",
      "Outputs: report",
      "##################################",
    ].join("\n"),
  );
});

Deno.test("a generated 10,000-node pipeline of chains with fan-in and fan-out builds, sorts and filters", () => {
  const nodes: Node[] = [];
  const ends: string[] = [];
  // 1 source fanning out to 990 chains of 10 nodes; 98 joins each reading 11 chain ends (neighbouring
  // joins share one); 1 final join of the joins and the 10 ends no join reads.
  nodes.push(node("source", ["raw"], ["src"]));
  for (let c = 0; c < 990; c++) {
    for (let k = 0; k < 10; k++) {
      nodes.push(
        node(`n${c}_${k}`, [k === 0 ? "src" : `d${c}_${k - 1}`], [`d${c}_${k}`], undefined, [`t${c % 3}`]),
      );
    }
    ends.push(`d${c}_9`);
  }
  for (let j = 0; j < 98; j++) nodes.push(node(`join${j}`, ends.slice(j * 10, j * 10 + 11), [`out${j}`]));
  nodes.push(
    node("final", [...Array.from({ length: 98 }, (_, j) => `out${j}`), ...ends.slice(981)], ["result"]),
  );
  const p = new Pipeline(nodes.reverse());
  assert.equal(p.nodes.length, 10_000);
  assert.equal(p.nodes[0].name, "source");
  assert.equal(p.nodes.at(-1)!.name, "final");
  const position = new Map(p.nodes.map((n, i) => [n, i]));
  for (const n of p.nodes) {
    for (const d of p.dependencies(n)) {
      assert.ok(position.get(d)! < position.get(n)!, `${d.name} before ${n.name}`);
    }
  }
  assert.equal(p.groupedNodes().length, 13);
  assert.deepEqual(p.groupedNodes()[1].slice(0, 3).map((n) => n.name), ["n0_0", "n100_0", "n101_0"]);
  assert.deepEqual([...p.inputs()], ["raw"]);
  assert.deepEqual([...p.outputs()], ["result"]);
  // n0_5 → n0_6..n0_9 → join0 → final
  assert.equal(p.fromNodes("n0_5").nodes.length, 4 + 1 + 1 + 1);
  assert.equal(p.toNodes("join0").nodes.length, 1 + 11 * 10 + 1);
  assert.equal(p.filter({ tags: ["t0"], fromInputs: ["src"] }).nodes.length, 3300);
});
