import assert from "node:assert/strict";
import { join } from "node:path";
import type { PipelineDefinitionError } from "../../lib/errors.ts";
import { loadPipelines, pipelineNames } from "../../lib/pipeline/mod.ts";
import { withTree } from "../fs_helpers.ts";
import { errorsOf, OPS, problemsOf, where } from "./helpers.ts";

Deno.test("YAML nodes bind string, list and map inputs/outputs to TypeScript functions (async too)", async () => {
  await withTree({
    "pipelines/lib/ops.ts": OPS,
    "pipelines/main.yml": `
tags: [all]
nodes:
  - {name: dbl, func: ./lib/ops.ts#double, inputs: a, outputs: b}
  - {name: add, func: ./lib/ops.ts#addAsync, inputs: [b, params:inc], outputs: c, tags: [math]}
  - func: ./lib/ops.ts#stats
    inputs: {values: xs, scale: params:scale}
    outputs: {total: t, count: n}
  - {name: halves, func: ./lib/ops.ts#split, inputs: [xs], outputs: [head, tail]}
`,
  }, async (dir) => {
    const { main, __default__ } = await loadPipelines(join(dir, "pipelines"));
    assert.deepEqual(main.nodes.map((n) => n.name).sort(), ["add", "dbl", "halves", "stats"]);
    assert.equal(__default__.nodes.length, 4);
    const byName = Object.fromEntries(main.nodes.map((n) => [n.name, n]));
    assert.deepEqual(await byName.dbl.run({ a: 2 }), { b: 4 });
    assert.deepEqual(await byName.add.run({ b: 4, "params:inc": 3 }), { c: 7 });
    assert.deepEqual(await byName.stats.run({ xs: [1, 2], "params:scale": 10 }), { t: 30, n: 2 });
    assert.deepEqual(await byName.halves.run({ xs: [1, 2, 3] }), { head: [1], tail: [2, 3] });
    assert.ok(byName.add.tags.has("math") && byName.add.tags.has("all"));
    assert.equal(byName.add.inputSource("params:inc")?.line, 5);
  });
});

Deno.test("modular pipelines: namespace prefixes datasets, params and node names; mappings rename", async () => {
  await withTree({
    "pipelines/lib/ops.ts": OPS,
    "pipelines/parts/clean.yml":
      "nodes:\n  - {name: scale, func: ../lib/ops.ts#addAsync, inputs: [raw, params:cfg.step], outputs: mid}\n  - {name: twice, func: ../lib/ops.ts#double, inputs: mid, outputs: clean}\n",
    "pipelines/main.yml": `
nodes:
  - pipeline: ./parts/clean.yml
    namespace: dp
    inputs: {raw: iris}
    outputs: {clean: iris_clean}
    parameters: {cfg: dp_cfg}
    tags: [dp]
  - pipeline: ./parts/clean.yml
    namespace: other
`,
  }, async (dir) => {
    const { main } = await loadPipelines(join(dir, "pipelines"), { only: ["main"] });
    const scale = main.nodes.find((n) => n.name === "dp.scale")!;
    assert.deepEqual(scale.inputs, ["iris", "params:dp_cfg.step"]);
    assert.deepEqual(scale.outputs, ["dp.mid"]);
    assert.equal(scale.namespace, "dp");
    assert.ok(scale.tags.has("dp"));
    assert.deepEqual(main.nodes.find((n) => n.name === "dp.twice")!.outputs, ["iris_clean"]);
    const other = main.nodes.find((n) => n.name === "other.scale")!;
    assert.deepEqual(other.inputs, ["other.raw", "params:other.cfg.step"]);
    assert.deepEqual(main.onlyNodesWithNamespaces("dp").nodes.length, 2);
  });
});

Deno.test("mapping errors: unknown input, input produced inside, output not produced, unused parameter", async () => {
  await withTree({
    "pipelines/lib/ops.ts": OPS,
    "pipelines/parts/p.yml":
      "nodes:\n  - {name: a, func: ../lib/ops.ts#double, inputs: raw, outputs: mid}\n  - {name: b, func: ../lib/ops.ts#double, inputs: mid, outputs: out}\n",
    "pipelines/main.yml":
      "nodes:\n  - {pipeline: ./parts/p.yml, namespace: x, inputs: {rwa: r, mid: m}, outputs: {oot: o}, parameters: {cfg: c}}\n",
  }, async (dir) => {
    const err = await loadPipelines(join(dir, "pipelines")).catch((e) => e);
    const messages = errorsOf(err).map((e) => e.message);
    assert.equal(messages.length, 4, messages.join("\n"));
    assert.ok(messages.some((m) => /Input mapping "rwa" does not exist/.test(m)));
    assert.ok(messages.some((m) => /"mid" is produced inside/.test(m)));
    assert.ok(messages.some((m) => /Output mapping "oot"/.test(m)));
    assert.ok(messages.some((m) => /Parameter mapping "cfg"/.test(m)));
  });
});

Deno.test("validation reports every problem at once, each at its YAML line", async () => {
  await withTree({
    "pipelines/lib/ops.ts": OPS,
    "pipelines/bad.yml": `
nodes:
  - {name: a, func: ./lib/ops.ts#dubble, inputs: x, outputs: y}
  - {name: b, func: ./lib/nope.ts#double, inputs: x, outputs: z}
  - {name: c, func: ./lib/ops.ts#notAFunction, inputs: x, outputs: w}
  - {name: d, func: ./lib/ops.ts#double, inputs: [x, y], outputs: v}
  - {name: e, func: ./lib/ops.ts#double, inputs: x, outputs: u, colour: red}
  - {name: "bad name", func: ./lib/ops.ts#double, inputs: x, outputs: t}
`,
  }, async (dir) => {
    const err = await loadPipelines(join(dir, "pipelines")).catch((e) => e);
    const codes = errorsOf(err).map((e) => e.code).sort();
    assert.deepEqual(codes, [
      "pipeline/arity",
      "pipeline/module-not-found",
      "pipeline/not-a-function",
      "pipeline/schema",
      "pipeline/schema",
      "pipeline/unknown-export",
    ]);
    const unknownExport = errorsOf(err).find((e) => e.code === "pipeline/unknown-export")!;
    assert.equal(unknownExport.source?.line, 3);
    assert.match(unknownExport.hint!, /did you mean "double"/);
    assert.equal(errorsOf(err).find((e) => e.code === "pipeline/arity")!.source?.line, 6);
  });
});

Deno.test("arity checks accept default and rest parameters and one object for a map", async () => {
  await withTree({
    "pipelines/lib/ops.ts": OPS,
    "pipelines/ok.yml":
      "nodes:\n  - {name: a, func: ./lib/ops.ts#addAsync, inputs: [x], outputs: y}\n  - {name: b, func: ./lib/ops.ts#variadic, inputs: [x, y, z], outputs: n}\n  - {name: c, func: ./lib/ops.ts#double, inputs: {v: x}, outputs: m}\n",
  }, async (dir) => {
    const { ok } = await loadPipelines(join(dir, "pipelines"));
    assert.equal(ok.nodes.length, 3);
  });
});

Deno.test("recursive includes and missing include files are errors", async () => {
  await withTree({
    "pipelines/a.yml": "nodes:\n  - {pipeline: ./parts/b.yml}\n",
    "pipelines/parts/b.yml": "nodes:\n  - {pipeline: ./b.yml}\n",
    "pipelines/c.yml": "nodes:\n  - {pipeline: ./parts/missing.yml}\n",
  }, async (dir) => {
    const err = await loadPipelines(join(dir, "pipelines")).catch((e) => e);
    const codes = errorsOf(err).map((e) => e.code).sort();
    assert.deepEqual(codes, ["pipeline/include-not-found", "pipeline/recursive-include"]);
  });
});

Deno.test("selective loading imports only the requested pipeline; names need no imports", async () => {
  await withTree({
    "pipelines/lib/ops.ts": OPS,
    "pipelines/good.yml": "nodes:\n  - {name: a, func: ./lib/ops.ts#double, inputs: x, outputs: y}\n",
    "pipelines/broken.yml": "nodes:\n  - {name: a, func: ./lib/missing.ts#double, inputs: x, outputs: y}\n",
  }, async (dir) => {
    assert.deepEqual(pipelineNames(join(dir, "pipelines")), ["broken", "good"]);
    const { good } = await loadPipelines(join(dir, "pipelines"), { only: ["good"] });
    assert.equal(good.nodes.length, 1);
    await assert.rejects(
      () => loadPipelines(join(dir, "pipelines"), { only: ["god"] }),
      (e: PipelineDefinitionError) => e.code === "pipeline/unknown" && /did you mean "good"/.test(e.hint!),
    );
  });
});

Deno.test("__default__.yml, when present, defines the default pipeline", async () => {
  await withTree({
    "pipelines/lib/ops.ts": OPS,
    "pipelines/a.yml": "nodes:\n  - {name: a, func: ./lib/ops.ts#double, inputs: x, outputs: y}\n",
    "pipelines/__default__.yml": "nodes:\n  - {pipeline: ./a.yml}\n",
  }, async (dir) => {
    const loaded = await loadPipelines(join(dir, "pipelines"), { only: ["__default__"] });
    assert.deepEqual(loaded.__default__.nodes.map((n) => n.name), ["a"]);
    assert.deepEqual(pipelineNames(join(dir, "pipelines")), ["a"]);
  });
});

Deno.test("the registry is the top-level .yml/.yaml files; subfolders and dotfiles are not pipelines", async () => {
  await withTree({
    "pipelines/lib/ops.ts": OPS,
    "pipelines/a.yml": "nodes:\n  - {func: ./lib/ops.ts#double, inputs: x, outputs: y}\n",
    "pipelines/b.yaml": "nodes:\n  - {func: ./lib/ops.ts#split, inputs: [y], outputs: [h, t]}\n",
    "pipelines/parts/piece.yml": "nodes: []\n",
    "pipelines/.hidden.yml": "nodes: []\n",
    "pipelines/notes.txt": "not a pipeline",
  }, async (dir) => {
    assert.deepEqual(pipelineNames(join(dir, "pipelines")), ["a", "b"]);
    const loaded = await loadPipelines(join(dir, "pipelines"));
    assert.deepEqual(Object.keys(loaded).sort(), ["__default__", "a", "b"]);
    assert.deepEqual(loaded.__default__.nodes.map((n) => n.name), ["double", "split"]);
    assert.deepEqual(loaded.__default__.toJSON().nodes[1], {
      name: "split",
      func: "./lib/ops.ts#split",
      inputs: ["y"],
      outputs: ["h", "t"],
      tags: [],
      namespace: null,
      dependencies: ["double"],
    });
  });
});

Deno.test("node names default to the export name and must still be unique", async () => {
  await withTree({
    "pipelines/lib/ops.ts": OPS,
    "pipelines/p.yml": "nodes:\n  - func: ./lib/ops.ts#double\n    inputs: x\n    outputs: y\n" +
      "  - func: ./lib/ops.ts#double\n    inputs: y\n    outputs: z\n",
  }, async (dir) => {
    const errors = errorsOf(await loadPipelines(join(dir, "pipelines")).catch((e) => e));
    assert.deepEqual(errors.map((e) => `${e.code} ${e.source?.line}:${e.source?.column}`), [
      "pipeline/duplicate-node 5:5",
    ]);
    assert.match(errors[0].message, /Two nodes are named "double"/);
  });
});

Deno.test("each node module is imported once, however many nodes and files use it", async () => {
  await withTree({
    "pipelines/lib/counted.ts": "(globalThis as Record<string, number>).kmlfImports = " +
      "((globalThis as Record<string, number>).kmlfImports ?? 0) + 1;\nexport const f = (x: number) => x;\n",
    "pipelines/a.yml": "nodes:\n  - {name: a1, func: ./lib/counted.ts#f, inputs: x, outputs: y}\n" +
      "  - {name: a2, func: ./lib/counted.ts#f, inputs: y, outputs: z}\n",
    "pipelines/b.yml": "nodes:\n  - {name: b1, func: lib/counted.ts#f, inputs: z, outputs: w}\n",
  }, async (dir) => {
    const counter = globalThis as unknown as { kmlfImports?: number };
    delete counter.kmlfImports;
    await loadPipelines(join(dir, "pipelines"));
    await loadPipelines(join(dir, "pipelines"), { only: ["b"] });
    assert.equal(counter.kmlfImports, 1);
    delete counter.kmlfImports;
  });
});

Deno.test("a missing pipelines folder is an error with a hint", () => {
  assert.throws(
    () => pipelineNames("/nonexistent/kmlf/pipelines"),
    (e: PipelineDefinitionError) => e.code === "pipeline/no-dir" && /pipelines_dir/.test(e.hint!),
  );
});

Deno.test("a pipelines path that is a file is named as such, not as an internal error", async () => {
  await withTree({ "pipelines": "not a folder" }, (dir) => {
    assert.throws(
      () => pipelineNames(join(dir, "pipelines")),
      (e: PipelineDefinitionError) =>
        e.code === "pipeline/no-dir" && /is a file, not a folder/.test(e.message) &&
        e.source?.file === join(dir, "pipelines"),
    );
  });
});

Deno.test("a symlinked pipeline file is a pipeline (a dangling link or a linked folder is not)", async () => {
  await withTree({
    "shared/a.yml": "nodes:\n  - {func: ../pipelines/lib/ops.ts#double, inputs: x, outputs: y}\n",
    "pipelines/lib/ops.ts": OPS,
  }, async (dir) => {
    await Deno.symlink(join(dir, "shared/a.yml"), join(dir, "pipelines/a.yml"));
    await Deno.symlink(join(dir, "shared/gone.yml"), join(dir, "pipelines/gone.yml"));
    await Deno.symlink(join(dir, "shared"), join(dir, "pipelines/folder.yml"));
    assert.deepEqual(pipelineNames(join(dir, "pipelines")), ["a"]);
  });
});

Deno.test("func modules, includes and inference pipelines written for another machine are pipeline/foreign-path at their lines", async () => {
  if (Deno.build.os === "windows") return;
  const problems = await problemsOf({
    "pipelines/lib/ops.ts": OPS,
    "pipelines/b.yml": "nodes:\n  - {func: ./lib/ops.ts#double, inputs: x, outputs: z}\n",
    "pipelines/a.yml": [
      "nodes:",
      "  - {name: a, func: '.\\lib\\ops.ts#double', inputs: x, outputs: y}",
      "  - {name: b, func: '~/ops.ts#double', inputs: x, outputs: w}",
      "  - {name: c, func: ./lib/ops.ts#double, inputs: x, outputs: v}",
      "  - pipeline: 'C:\\shared\\part.yml'",
    ].join("\n"),
    // A pipeline with a problem binds no inference pipeline: this one is valid but for that.
    "pipelines/c.yml": [
      "nodes:",
      "  - {func: ./lib/ops.ts#double, inputs: x, outputs: y}",
      "inference:",
      "  pipeline: '\\\\server\\share\\b.yml'",
      "  input_name: x",
    ].join("\n"),
  }, ["a", "c"]);
  assert.deepEqual(problems.map((e) => `${e.code} ${where(e)}`), [
    "pipeline/foreign-path a.yml:2:21",
    "pipeline/foreign-path a.yml:3:21",
    "pipeline/foreign-path a.yml:5:15",
    "pipeline/foreign-path c.yml:4:13",
  ]);
  assert.match(problems[0].message, /func ".\\lib\\ops.ts#double": \\ separates folders on Windows only/);
  assert.match(problems[0].hint ?? "", /write it with \/: .\/lib\/ops.ts/);
  assert.match(problems[1].message, /~ is not expanded in pipeline files/);
  assert.match(problems[2].message, /pipeline "C:\\shared\\part.yml": it is a Windows path \(drive C:\)/);
  assert.match(problems[3].message, /inference.pipeline ".*": it is a Windows network share/);
});
