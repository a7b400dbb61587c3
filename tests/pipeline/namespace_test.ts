import assert from "node:assert/strict";
import { join } from "node:path";
import { loadPipelines } from "../../lib/pipeline/mod.ts";
import { withTree } from "../fs_helpers.ts";
import { OPS, problemsOf, where } from "./helpers.ts";

// A reusable piece: reads raw (transcoded), a parameter and the whole parameters dict.
const REUSABLE = [
  "nodes:",
  "  - name: scale",
  "    func: ../lib/ops.ts#addAsync",
  "    inputs: [raw@csv, params:cfg.step]",
  "    outputs: mid@json",
  "  - name: twice",
  "    func: ../lib/ops.ts#addAsync",
  "    inputs: [mid@pickle, parameters]",
  "    outputs: clean",
  "",
].join("\n");

Deno.test("namespaces prefix unmapped datasets and params:, keep `parameters` and transcoding suffixes", async () => {
  await withTree({
    "pipelines/lib/ops.ts": OPS,
    "pipelines/parts/clean.yml": REUSABLE,
    "pipelines/main.yml": [
      "nodes:",
      "  - pipeline: ./parts/clean.yml",
      "    namespace: dp",
      "    inputs: {raw: iris}",
      "    outputs: {clean: iris_clean}",
      "    parameters: {cfg: dp_cfg}",
      "    tags: [dp]",
      "  - pipeline: ./parts/clean.yml",
      "    namespace: other",
      "",
    ].join("\n"),
  }, async (dir) => {
    const { main } = await loadPipelines(join(dir, "pipelines"), { only: ["main"] });
    const byName = new Map(main.nodes.map((n) => [n.name, n]));
    assert.deepEqual([...byName.keys()].sort(), ["dp.scale", "dp.twice", "other.scale", "other.twice"]);
    assert.deepEqual(byName.get("dp.scale")!.inputs, ["iris@csv", "params:dp_cfg.step"]);
    assert.deepEqual(byName.get("dp.scale")!.outputs, ["dp.mid@json"]);
    assert.deepEqual(byName.get("dp.twice")!.inputs, ["dp.mid@pickle", "parameters"]);
    assert.deepEqual(byName.get("dp.twice")!.outputs, ["iris_clean"]);
    assert.deepEqual(byName.get("other.scale")!.inputs, ["other.raw@csv", "params:other.cfg.step"]);
    assert.equal(byName.get("dp.scale")!.namespace, "dp");
    assert.ok(byName.get("dp.twice")!.tags.has("dp"));
    assert.ok(!byName.get("other.twice")!.tags.has("dp"));
    assert.deepEqual(main.dependencies(byName.get("dp.twice")!).map((n) => n.name), ["dp.scale"]);
  });
});

Deno.test("namespaces nest through includes and node-level namespaces name the node ns.name", async () => {
  await withTree({
    "pipelines/lib/ops.ts": OPS,
    "pipelines/parts/inner.yml": [
      "nodes:",
      "  - name: step",
      "    func: ../lib/ops.ts#double",
      "    namespace: core",
      "    inputs: a",
      "    outputs: b",
      "",
    ].join("\n"),
    "pipelines/parts/middle.yml": "nodes:\n  - pipeline: ./inner.yml\n    namespace: mid\n",
    "pipelines/outer.yml":
      "nodes:\n  - pipeline: ./parts/middle.yml\n    namespace: top\n    inputs: {mid.a: source}\n",
  }, async (dir) => {
    const { outer } = await loadPipelines(join(dir, "pipelines"));
    const [node] = outer.nodes;
    assert.equal(node.name, "top.mid.core.step");
    assert.equal(node.namespace, "top.mid.core");
    assert.deepEqual(node.inputs, ["source"]);
    assert.deepEqual(node.outputs, ["top.mid.b"]);
    assert.equal(outer.onlyNodesWithNamespaces("top.mid").nodes.length, 1);
    assert.equal(outer.onlyNodesWithNamespaces("top").nodes.length, 1);
    assert.throws(() => outer.onlyNodesWithNamespaces("to"), /no nodes in namespace "to"/);
  });
});

Deno.test("a mapped input points at the include's mapping key; others at the reusable file", async () => {
  await withTree({
    "pipelines/lib/ops.ts": OPS,
    "pipelines/parts/clean.yml": REUSABLE,
    "pipelines/main.yml": [
      "nodes:",
      "  - pipeline: ./parts/clean.yml",
      "    namespace: dp",
      "    inputs:",
      "      raw: iris",
      "    parameters:",
      "      cfg: dp_cfg",
      "",
    ].join("\n"),
  }, async (dir) => {
    const { main } = await loadPipelines(join(dir, "pipelines"));
    const scale = main.nodes.find((n) => n.name === "dp.scale")!;
    const loc = (d: string) => {
      const s = scale.inputSource(d)!;
      return `${s.file!.split("/").pop()}:${s.line}:${s.column}`;
    };
    assert.equal(loc("iris@csv"), "main.yml:5:7");
    assert.equal(loc("params:dp_cfg.step"), "main.yml:7:7");
    assert.equal(loc("dp.mid@json"), "clean.yml:5:14");
    assert.equal(scale.source?.file, join(dir, "pipelines/parts/clean.yml"));
  });
});

Deno.test("mapping errors are located at each mapping key and suggest names", async () => {
  const problems = await problemsOf({
    "pipelines/lib/ops.ts": OPS,
    "pipelines/parts/clean.yml": REUSABLE,
    "pipelines/main.yml": [
      "nodes:",
      "  - pipeline: ./parts/clean.yml",
      "    namespace: x",
      "    inputs:",
      "      rwa: r",
      "      mid: m",
      "      params:cfg: p",
      "    outputs:",
      "      claen: o",
      "      raw: q",
      "    parameters:",
      "      cgf: c",
      "",
    ].join("\n"),
  });
  const found = problems.map((p) => `${where(p)} ${p.message} | ${p.hint}`);
  assert.ok(problems.every((p) => p.code === "pipeline/bad-mapping"));
  assert.deepEqual(found, [
    'main.yml:5:7 Input mapping "rwa" does not exist in the included pipeline | did you mean "raw"?',
    'main.yml:6:7 Input mapping "mid" is produced inside the included pipeline | inputs: may only map free inputs of the included pipeline (map it under outputs: instead)',
    'main.yml:7:7 Parameter "params:cfg" is mapped under inputs: | map parameters under parameters: instead',
    'main.yml:9:7 Output mapping "claen" is not produced by the included pipeline | did you mean "clean"?',
    'main.yml:10:7 Output mapping "raw" is an input of the included pipeline, not an output | outputs: mid, clean',
    'main.yml:12:7 Parameter mapping "cgf" is not used by the included pipeline | did you mean "cfg"?',
  ]);
});

Deno.test("pipelines including one reusable part without a namespace merge into __default__", async () => {
  await withTree({
    "pipelines/lib/ops.ts": OPS,
    "pipelines/parts/prep.yml":
      "nodes:\n  - name: prep\n    func: ../lib/ops.ts#double\n    inputs: raw\n    outputs: x\n",
    "pipelines/a.yml":
      "nodes:\n  - pipeline: ./parts/prep.yml\n  - name: a\n    func: ./lib/ops.ts#double\n    inputs: x\n    outputs: ya\n",
    "pipelines/b.yml":
      "nodes:\n  - pipeline: ./parts/prep.yml\n  - name: b\n    func: ./lib/ops.ts#double\n    inputs: x\n    outputs: yb\n",
  }, async (dir) => {
    const { a, b, __default__ } = await loadPipelines(join(dir, "pipelines"));
    assert.deepEqual(__default__.nodes.map((n) => n.name), ["prep", "a", "b"]);
    assert.equal(a.union(b).nodes.length, 3);
  });
});

Deno.test("two pipelines defining one node name differently cannot form __default__", async () => {
  const problems = await problemsOf({
    "pipelines/lib/ops.ts": OPS,
    "pipelines/a.yml": "nodes:\n  - name: n\n    func: ./lib/ops.ts#double\n    inputs: x\n    outputs: y\n",
    "pipelines/b.yml": "nodes:\n  - name: n\n    func: ./lib/ops.ts#double\n    inputs: x\n    outputs: z\n",
  });
  assert.deepEqual(problems.map((p) => `${p.code} ${where(p)}`), ["pipeline/duplicate-node b.yml:2:5"]);
  assert.match(problems[0].hint!, /a\.yml:2:5/);
});

Deno.test("prefix_datasets_with_namespace: false names and groups the nodes only (Kedro 1.x)", async () => {
  await withTree({
    "pipelines/lib/ops.ts": OPS,
    "pipelines/parts/clean.yml": REUSABLE,
    "pipelines/main.yml": [
      "nodes:",
      "  - pipeline: ./parts/clean.yml",
      "    namespace: grp",
      "    prefix_datasets_with_namespace: false",
      "    outputs: {clean: iris_clean}",
      "  - pipeline: ./parts/clean.yml",
      "    namespace: other",
      "    prefix_datasets_with_namespace: true",
      "",
    ].join("\n"),
  }, async (dir) => {
    const { main } = await loadPipelines(join(dir, "pipelines"), { only: ["main"] });
    const byName = new Map(main.nodes.map((n) => [n.name, n]));
    assert.deepEqual(byName.get("grp.scale")!.inputs, ["raw@csv", "params:cfg.step"]);
    assert.deepEqual(byName.get("grp.scale")!.outputs, ["mid@json"]);
    assert.deepEqual(byName.get("grp.twice")!.outputs, ["iris_clean"]);
    assert.equal(byName.get("grp.twice")!.namespace, "grp");
    assert.deepEqual(byName.get("other.scale")!.inputs, ["other.raw@csv", "params:other.cfg.step"]);
    assert.deepEqual(main.onlyNodesWithNamespaces("grp").nodes.map((n) => n.name), [
      "grp.scale",
      "grp.twice",
    ]);
    // A free input it left unprefixed is no namespace's doing.
    assert.equal(byName.get("grp.scale")!.namespacedFrom("raw@csv"), undefined);
    assert.deepEqual(byName.get("other.scale")!.namespacedFrom("other.raw@csv")?.key, "raw@csv");
  });
});
