/** Graph errors caused by how a reusable pipeline is included: they point at the includes, not the shared file. */
import assert from "node:assert/strict";
import { OPS, problemsOf, where } from "./helpers.ts";

// A reusable two-node piece: raw → cleaned → model_input.
const PART = [
  "nodes:",
  "  - name: clean",
  "    func: ../lib/ops.ts#double",
  "    inputs: raw",
  "    outputs: cleaned",
  "  - name: total",
  "    func: ../lib/ops.ts#double",
  "    inputs: cleaned",
  "    outputs: model_input",
  "",
].join("\n");

// Identical includes merge (Kedro's pipelines are sets of nodes); the tests' second includes differ.
const include = (lines: string[]) => ["nodes:", ...lines, ""].join("\n");

Deno.test("a reusable pipeline included twice under one namespace is reported at the includes", async () => {
  for (const namespace of [undefined, "a"]) {
    const ns = namespace ? [`    namespace: ${namespace}`] : [];
    const problems = await problemsOf({
      "pipelines/lib/ops.ts": OPS,
      "pipelines/parts/part.yml": PART,
      "pipelines/main.yml": include([
        "  - pipeline: ./parts/part.yml",
        ...ns,
        "    inputs: { raw: raw_data }",
        "  - pipeline: ./parts/part.yml",
        ...ns,
        "    inputs: { raw: other_raw }",
        "    outputs: { model_input: other_out }",
      ]),
    });
    const second = namespace ? "main.yml:5:5" : "main.yml:4:5";
    const prefix = namespace ? `${namespace}.` : "";
    // The duplicate names, not a "written by two nodes: clean and clean" echo of them.
    assert.deepEqual(problems.map((p) => `${p.code} ${where(p)} ${p.message}`), [
      `pipeline/duplicate-node ${second} Two nodes are named "${prefix}clean"`,
      `pipeline/duplicate-node ${second} Two nodes are named "${prefix}total"`,
    ]);
    assert.match(problems[0].hint!, /part\.yml:2:5 is included twice with the same namespace/);
    assert.match(problems[0].hint!, /the other include is at .*main\.yml:2:5\)/);
    assert.match(problems[0].hint!, /own `namespace:`/);
  }
});

Deno.test("an include included twice by an outer include is reported at the outer includes", async () => {
  const problems = await problemsOf({
    "pipelines/lib/ops.ts": OPS,
    "pipelines/parts/part.yml": PART,
    "pipelines/parts/outer.yml": include(["  - pipeline: ./part.yml", "    namespace: inner"]),
    "pipelines/main.yml": include([
      "  - pipeline: ./parts/outer.yml",
      "    namespace: a",
      "  - pipeline: ./parts/outer.yml",
      "    namespace: a",
      "    inputs: { inner.raw: b_in }",
      "    outputs: { inner.model_input: b_out }",
    ]),
  });
  const dup = problems.filter((p) => p.code === "pipeline/duplicate-node");
  assert.deepEqual(dup.map((p) => `${where(p)} ${p.message}`), [
    'main.yml:4:5 Two nodes are named "a.inner.clean"',
    'main.yml:4:5 Two nodes are named "a.inner.total"',
  ]);
  assert.match(dup[0].hint!, /the other include is at .*main\.yml:2:5\)/);
});

Deno.test("two different nodes of one name still point at each other", async () => {
  const problems = await problemsOf({
    "pipelines/lib/ops.ts": OPS,
    "pipelines/parts/part.yml": PART,
    "pipelines/main.yml": include([
      "  - pipeline: ./parts/part.yml",
      "  - name: clean",
      "    func: ./lib/ops.ts#double",
      "    inputs: other",
      "    outputs: other_out",
    ]),
  });
  assert.deepEqual(problems.map((p) => `${p.code} ${where(p)}`), ["pipeline/duplicate-node main.yml:3:5"]);
  assert.match(problems[0].hint!, /the other is at .*part\.yml:2:5/);
});

Deno.test("a cycle closed by an include's mapping is located at the mapping", async () => {
  const looped = await problemsOf({
    "pipelines/lib/ops.ts": OPS,
    "pipelines/parts/part.yml": PART,
    "pipelines/main.yml": include([
      "  - pipeline: ./parts/part.yml",
      "    namespace: a",
      "    inputs: { raw: b_out }",
      "    outputs: { model_input: a_out }",
      "  - pipeline: ./parts/part.yml",
      "    namespace: b",
      "    inputs: { raw: a_out }",
      "    outputs: { model_input: b_out }",
    ]),
  });
  assert.deepEqual(looped.map((p) => p.code), ["pipeline/cycle"]);
  assert.match(
    looped[0].message,
    /a\.clean -> a\.total -> b\.clean -> b\.total -> a\.clean|b\.clean -> .* -> b\.clean/,
  );
  assert.match(where(looped[0]), /^main\.yml:(4|8):15$/);
  assert.match(looped[0].hint!, /mapping can close such a loop/);
  // A loop written in one file is shown at its first node, as before.
  const plain = await problemsOf({
    "pipelines/lib/ops.ts": OPS,
    "pipelines/main.yml": include([
      "  - name: one",
      "    func: ./lib/ops.ts#double",
      "    inputs: y",
      "    outputs: x",
      "  - name: two",
      "    func: ./lib/ops.ts#double",
      "    inputs: x",
      "    outputs: y",
    ]),
  });
  assert.deepEqual(plain.map((p) => p.code), ["pipeline/cycle"]);
  assert.match(where(plain[0]), /^main\.yml:(2|6):5$/);
  assert.doesNotMatch(plain[0].hint!, /mapping/);
});

Deno.test("a node writing a parameter, itself or through an include's mapping, is refused", async () => {
  const problems = await problemsOf({
    "pipelines/lib/ops.ts": OPS,
    "pipelines/parts/part.yml": PART,
    "pipelines/main.yml": include([
      "  - pipeline: ./parts/part.yml",
      "    namespace: a",
      "    outputs: { model_input: params:threshold }",
      "  - name: seed",
      "    func: ./lib/ops.ts#constant",
      "    outputs: [x, parameters]",
    ]),
  });
  assert.deepEqual(problems.map((p) => `${p.code} ${where(p)} ${p.message}`), [
    'pipeline/parameter-output main.yml:4:16 Node "a.total" writes the parameter "params:threshold"',
    'pipeline/parameter-output main.yml:7:18 Node "seed" writes the parameter "parameters"',
  ]);
});
