import assert from "node:assert/strict";
import { PipelineDefinitionError } from "../../lib/errors.ts";
import { OPS, problemsOf, where } from "./helpers.ts";

const only = async (files: Record<string, string>) => {
  const problems = await problemsOf({ "pipelines/lib/ops.ts": OPS, ...files });
  assert.equal(problems.length, 1, problems.map((p) => `${p.code}: ${p.message}`).join("\n"));
  assert.ok(
    problems[0] instanceof PipelineDefinitionError,
    `${problems[0].constructor.name} is not a PipelineDefinitionError`,
  );
  return problems[0];
};

Deno.test("a YAML syntax error names the file, line and column", async () => {
  const e = await only({
    "pipelines/p.yml":
      "nodes:\n  - name: a\n    func: ./lib/ops.ts#double\n    inputs: [x, y\n    outputs: z\n",
  });
  assert.equal(e.code, "pipeline/yaml");
  assert.match(e.message, /Cannot parse .*p\.yml/);
  assert.equal(where(e), "p.yml:5:5");
});

Deno.test("an unknown node key is reported at the key with did-you-mean", async () => {
  const e = await only({
    "pipelines/p.yml": "nodes:\n  - name: a\n    func: ./lib/ops.ts#double\n    inputs: x\n    ouputs: y\n",
  });
  assert.equal(e.code, "pipeline/schema");
  assert.match(e.message, /Unknown key "nodes\[0\]\.ouputs" in node/);
  assert.match(e.hint!, /did you mean "outputs"\?/);
  assert.equal(where(e), "p.yml:5:5");
});

Deno.test("wrong types, bad names and bad tags are schema errors at the value", async () => {
  const problems = await problemsOf({
    "pipelines/lib/ops.ts": OPS,
    "pipelines/p.yml": [
      "tags: [ok, not ok]",
      "nodes:",
      "  - name: a b",
      "    func: ./lib/ops.ts#double",
      "    inputs: 3",
      "  - func: double",
      "    inputs: x",
      "",
    ].join("\n"),
  });
  const found = problems.map((p) => `${p.code} ${where(p)} ${p.source?.keyPath}`).sort();
  assert.deepEqual(
    found,
    [
      "pipeline/schema p.yml:1:12 tags[1]",
      "pipeline/schema p.yml:3:11 nodes[0].name",
      "pipeline/schema p.yml:5:13 nodes[0].inputs",
      "pipeline/schema p.yml:6:11 nodes[1].func",
    ].sort(),
  );
  assert.ok(problems.some((p) => /\.\/module\.ts#exportName/.test(p.message)));
});

Deno.test("a misspelt pipeline: key in an include suggests pipeline", async () => {
  const problems = await problemsOf({
    "pipelines/p.yml": "nodes:\n  - pipline: ./q.yml\n    namespace: q\n",
  });
  const unknown = problems.find((p) => /Unknown key/.test(p.message))!;
  assert.equal(unknown.code, "pipeline/schema");
  assert.match(unknown.message, /Unknown key "nodes\[0\]\.pipline" in pipeline include/);
  assert.match(unknown.hint!, /did you mean "pipeline"/);
  assert.equal(where(unknown), "p.yml:2:5");
});

Deno.test("a missing node module is reported at func:", async () => {
  const e = await only({
    "pipelines/p.yml": "nodes:\n  - name: a\n    func: ./lib/opz.ts#double\n    inputs: x\n    outputs: y\n",
  });
  assert.equal(e.code, "pipeline/module-not-found");
  assert.match(e.message, /Cannot find module .*lib\/opz\.ts for func "\.\/lib\/opz\.ts#double"/);
  assert.equal(where(e), "p.yml:3:11");
});

Deno.test("a module that fails to import keeps the cause", async () => {
  const e = await only({
    "pipelines/lib/broken.ts": "export const f = (x) => x;\nthrow new Error('config missing at import');\n",
    "pipelines/p.yml": "nodes:\n  - name: a\n    func: ./lib/broken.ts#f\n    inputs: x\n    outputs: y\n",
  });
  assert.equal(e.code, "pipeline/module-failed");
  assert.match(e.message, /Cannot import .*broken\.ts/);
  assert.match((e.cause as Error).message, /config missing at import/);
  assert.equal(where(e), "p.yml:3:11");
});

Deno.test("an unknown export suggests the closest export of the module", async () => {
  const e = await only({
    "pipelines/p.yml": "nodes:\n  - name: a\n    func: ./lib/ops.ts#dubble\n    inputs: x\n    outputs: y\n",
  });
  assert.equal(e.code, "pipeline/unknown-export");
  assert.match(e.hint!, /did you mean "double"\?/);
  assert.equal(where(e), "p.yml:3:11");
});

Deno.test("exports that are values or classes are not node functions", async () => {
  const problems = await problemsOf({
    "pipelines/lib/ops.ts": OPS,
    "pipelines/p.yml": [
      "nodes:",
      "  - name: a",
      "    func: ./lib/ops.ts#notAFunction",
      "    inputs: x",
      "  - name: b",
      "    func: ./lib/ops.ts#NotAFunctionEither",
      "    inputs: x",
      "",
    ].join("\n"),
  });
  assert.deepEqual(problems.map((p) => p.code), ["pipeline/not-a-function", "pipeline/not-a-function"]);
  assert.match(problems[0].message, /is not a function \(it is number\)/);
  assert.match(problems[1].message, /is a class/);
  assert.deepEqual(problems.map(where), ["p.yml:3:11", "p.yml:6:11"]);
});

Deno.test("more inputs than declared parameters is an arity error at func:", async () => {
  const problems = await problemsOf({
    "pipelines/lib/ops.ts": OPS,
    "pipelines/p.yml": [
      "nodes:",
      "  - name: a",
      "    func: ./lib/ops.ts#double",
      "    inputs: [x, y]",
      "    outputs: z",
      "  - name: b",
      "    func: ./lib/ops.ts#constant",
      "    inputs: {v: x}",
      "    outputs: w",
      "  - name: c",
      "    func: ./lib/ops.ts#tricky",
      "    inputs: [s, p1, p2, p3, p4]",
      "    outputs: t",
      "",
    ].join("\n"),
  });
  assert.deepEqual(problems.map((p) => `${p.code} ${where(p)}`), [
    "pipeline/arity p.yml:3:11",
    "pipeline/arity p.yml:7:11",
    "pipeline/arity p.yml:11:11",
  ]);
  assert.match(problems[0].message, /Node "a" passes 2 arguments but the function declares 1/);
  assert.match(problems[1].hint!, /one object argument/);
  assert.match(problems[2].message, /passes 5 arguments but the function declares 4/);
});

Deno.test("a map of inputs with a key the function does not destructure is an error at that key", async () => {
  const problems = await problemsOf({
    "pipelines/lib/ops.ts": OPS +
      "export function spread({ values, ...more }: Record<string, unknown>) { return [values, more]; }\n" +
      'export function quoted({ "a-b": ab, c = 1, d: { e } }: any) { return [ab, c, e]; }\n',
    "pipelines/p.yml": [
      "nodes:",
      "  - name: a",
      "    func: ./lib/ops.ts#stats",
      "    inputs: {valeus: x, scale: s}",
      "    outputs: y",
      "  - {name: b, func: ./lib/ops.ts#stats, inputs: {values: x}, outputs: z}",
      "  - {name: c, func: ./lib/ops.ts#spread, inputs: {values: x, other: s}, outputs: w}",
      "  - {name: d, func: ./lib/ops.ts#quoted, inputs: {a-b: x, c: s, d: x, f: s}, outputs: v}",
      "",
    ].join("\n"),
  });
  assert.deepEqual(problems.map((p) => `${p.code} ${where(p)} ${p.hint}`), [
    'pipeline/unknown-input-key p.yml:4:14 did you mean "values"?',
    "pipeline/unknown-input-key p.yml:8:71 rename the key under inputs: to one the function destructures",
  ]);
  assert.match(
    problems[0].message,
    /Node "a" passes input "valeus", which the function does not read \(it reads "values", "scale"\)/,
  );
});

Deno.test("two nodes with one name: the second is reported, pointing at the first", async () => {
  const e = await only({
    "pipelines/p.yml": [
      "nodes:",
      "  - name: a",
      "    func: ./lib/ops.ts#double",
      "    inputs: x",
      "    outputs: y",
      "  - name: a",
      "    func: ./lib/ops.ts#double",
      "    inputs: y",
      "    outputs: z",
      "",
    ].join("\n"),
  });
  assert.equal(e.code, "pipeline/duplicate-node");
  assert.match(e.message, /Two nodes are named "a"/);
  assert.equal(where(e), "p.yml:6:5");
  assert.match(e.hint!, /p\.yml:2:5/);
});

Deno.test("a dataset written by two nodes (compared by transcoding base) is reported at the output", async () => {
  const e = await only({
    "pipelines/p.yml": [
      "nodes:",
      "  - name: a",
      "    func: ./lib/ops.ts#double",
      "    inputs: x",
      "    outputs: y@json",
      "  - name: b",
      "    func: ./lib/ops.ts#split",
      "    inputs: [x]",
      "    outputs:",
      "      - q",
      "      - y@pickle",
      "",
    ].join("\n"),
  });
  assert.equal(e.code, "pipeline/duplicate-output");
  assert.match(e.message, /Dataset "y" is written by two nodes: "a" and "b"/);
  assert.equal(where(e), "p.yml:11:9");
});

Deno.test("x and x@fmt in one pipeline, or a node reading and writing one dataset, are errors", async () => {
  const problems = await problemsOf({
    "pipelines/lib/ops.ts": OPS,
    "pipelines/p.yml": [
      "nodes:",
      "  - name: a",
      "    func: ./lib/ops.ts#double",
      "    inputs: raw",
      "    outputs: m@json",
      "  - name: b",
      "    func: ./lib/ops.ts#double",
      "    inputs: m",
      "    outputs: out",
      "  - name: c",
      "    func: ./lib/ops.ts#double",
      "    inputs: k@csv",
      "    outputs: k@parquet",
      "",
    ].join("\n"),
  });
  const found = problems.map((p) => `${p.code} ${where(p)}`).sort();
  assert.deepEqual(found, ["pipeline/input-is-output p.yml:13:14", "pipeline/transcoding-mix p.yml:8:13"]);
});

Deno.test("a cycle is named node by node and located at its first node", async () => {
  const e = await only({
    "pipelines/p.yml": [
      "nodes:",
      "  - {name: d, func: ./lib/ops.ts#double, inputs: y, outputs: w}",
      "  - name: b",
      "    func: ./lib/ops.ts#double",
      "    inputs: x",
      "    outputs: y",
      "  - {name: c, func: ./lib/ops.ts#double, inputs: y, outputs: z}",
      "  - {name: a, func: ./lib/ops.ts#double, inputs: z, outputs: x}",
      "",
    ].join("\n"),
  });
  assert.equal(e.code, "pipeline/cycle");
  assert.equal(e.message, "Circular dependency: b -> c -> a -> b");
  assert.equal(where(e), "p.yml:3:5");
});

Deno.test("a dataset confirmed by two nodes is an error", async () => {
  const e = await only({
    "pipelines/p.yml": [
      "nodes:",
      "  - {name: a, func: ./lib/ops.ts#double, inputs: x, outputs: y, confirms: x}",
      "  - name: b",
      "    func: ./lib/ops.ts#double",
      "    inputs: x",
      "    outputs: z",
      "    confirms: [w, x]",
      "",
    ].join("\n"),
  });
  assert.equal(e.code, "pipeline/duplicate-confirms");
  assert.equal(where(e), "p.yml:7:19");
});

Deno.test("an include of a missing file suggests a sibling file", async () => {
  const e = await only({
    "pipelines/parts/reusable.yml":
      "nodes:\n  - {name: a, func: ../lib/ops.ts#double, inputs: x, outputs: y}\n",
    "pipelines/p.yml": "nodes:\n  - pipeline: ./parts/reusabel.yml\n    namespace: r\n",
  });
  assert.equal(e.code, "pipeline/include-not-found");
  assert.match(e.hint!, /did you mean "\.\/parts\/reusable\.yml"\?/);
  assert.equal(where(e), "p.yml:2:15");
});

Deno.test("recursive includes are named file by file", async () => {
  const e = await only({
    "pipelines/a.yml": "nodes:\n  - pipeline: ./parts/b.yml\n",
    "pipelines/parts/b.yml": "nodes:\n  - pipeline: ./c.yml\n",
    "pipelines/parts/c.yml": "nodes:\n  - pipeline: ../a.yml\n",
  });
  assert.equal(e.code, "pipeline/recursive-include");
  assert.match(e.message, /\(a\.yml -> b\.yml -> c\.yml -> a\.yml\)/);
  assert.equal(where(e), "c.yml:2:15");
});

Deno.test("every problem of every file is reported together", async () => {
  const problems = await problemsOf({
    "pipelines/lib/ops.ts": OPS,
    "pipelines/one.yml": "nodes:\n  - name: a\n    func: ./lib/ops.ts#dubble\n    inputs: x\n",
    "pipelines/two.yml": "nodes:\n  - name: a\n    func: ./lib/ops.ts#double\n    tag: t\n",
    "pipelines/three.yml": "nodes: {}\n",
  });
  assert.deepEqual(problems.map((p) => `${p.code} ${where(p)}`).sort(), [
    "pipeline/schema three.yml:1:8",
    "pipeline/schema two.yml:4:5",
    "pipeline/unknown-export one.yml:3:11",
  ]);
});

Deno.test("a node that writes one dataset twice (also transcoded, also through a map) is an error", async () => {
  const problems = await problemsOf({
    "pipelines/lib/ops.ts": OPS,
    "pipelines/p.yml": [
      "nodes:",
      "  - name: a",
      "    func: ./lib/ops.ts#split",
      "    inputs: x",
      "    outputs: [y, y]",
      "  - name: b",
      "    func: ./lib/ops.ts#stats",
      "    inputs: {values: x, scale: s}",
      "    outputs: {total: t@json, count: t@pickle}",
      "",
    ].join("\n"),
  });
  const found = problems.map((p) => `${p.code} ${where(p)} ${p.message}`).sort();
  assert.deepEqual(found, [
    'pipeline/duplicate-output p.yml:5:15 Node "a" writes "y" twice',
    'pipeline/duplicate-output p.yml:9:37 Node "b" writes "t" twice',
  ]);
});

Deno.test("a node with neither inputs nor outputs is an error at the node", async () => {
  const e = await only({
    "pipelines/p.yml": "nodes:\n  - name: lonely\n    func: ./lib/ops.ts#constant\n",
  });
  assert.equal(e.code, "pipeline/node-without-datasets");
  assert.equal(e.message, 'Node "lonely" has no inputs and no outputs');
  assert.equal(where(e), "p.yml:2:5");
});
