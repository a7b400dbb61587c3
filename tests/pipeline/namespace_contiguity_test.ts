/**
 * Kedro 1.x's namespace contiguity check (kedro tests/pipeline/test_pipeline_namespaces.py, ported): a path
 * that leaves a namespace and re-enters it is reported; child namespaces and parallel branches are not. A
 * `kmlf run` warns about it before any node runs and runs the pipeline, as Kedro does.
 */
import assert from "node:assert/strict";
import { interruptionError, namespaceInterruptions, Pipeline } from "../../lib/pipeline/mod.ts";
import { kmlf } from "../cli_harness.ts";
import { withTree } from "../fs_helpers.ts";
import { node } from "./helpers.ts";

// Kedro's node(identity, input, output, name=, namespace=): its name is "<namespace>.<name>".
const n = (input: string, output: string, name: string, namespace?: string) =>
  node(namespace ? `${namespace}.${name}` : name, [input], [output], undefined, [], namespace);

// What Kedro's warnings say, in its words: [namespace, interrupting nodes].
const interruptions = (nodes: ReturnType<typeof n>[]) =>
  namespaceInterruptions(new Pipeline(nodes)).map((i): [string, string[]] => [i.namespace, i.interruptedBy]);

Deno.test("an interrupted namespace is reported once, with the nodes that interrupt it (Kedro's cases)", () => {
  assert.deepEqual(
    interruptions([
      n("A", "B", "node1", "ns1"),
      n("B", "C", "node2"),
      n("C", "D", "node3", "ns1.ns2"),
      n("D", "E", "node4", "ns1"),
    ]),
    [["ns1", ["node2"]]],
  );
  // Re-entered twice: one report, the first (Kedro warns twice, with different paths).
  assert.deepEqual(
    interruptions([
      n("A", "B", "a", "ns"),
      n("B", "C", "b"),
      n("C", "D", "c", "ns"),
      n("D", "E", "d"),
      n("E", "F", "e", "ns"),
    ]),
    [["ns", ["b"]]],
  );
  const complex = interruptions([
    n("A", "B", "node1", "ns1"),
    n("C", "D", "node2", "ns1.child.grandchild"),
    n("D", "E", "node3", "ns2"),
    n("E", "F", "node4", "ns1.child"),
    n("F", "G", "node5", "ns1"),
  ]);
  assert.ok(complex.some(([ns, by]) => ns === "ns1" && by.join() === "ns2.node3"), JSON.stringify(complex));
});

Deno.test("continuous, child and parallel namespaces, and a big fan-out without namespaces, are not interrupted", () => {
  assert.deepEqual(
    interruptions([n("A", "B", "node1", "ns1"), n("B", "C", "node2", "ns1"), n("C", "D", "node3", "ns1")]),
    [],
  );
  assert.deepEqual(
    interruptions([
      n("A", "B", "node1", "ns1"),
      n("B", "C", "node2", "ns1.child"),
      n("C", "D", "node3", "ns1"),
    ]),
    [],
  );
  const source = node("common.source", ["A"], ["B", "C"], undefined, [], "common");
  assert.deepEqual(interruptions([source, n("B", "D", "node1", "ns1"), n("C", "E", "node2", "ns2")]), []);
  const layers = [];
  let prev = "input_0";
  for (let layer = 0; layer < 20; layer++) {
    const fanout = Array.from({ length: 30 }, (_, i) => `w${layer}_${i}`);
    layers.push(...fanout.map((o, i) => n(prev, o, `worker_${layer}_${i}`)));
    layers.push(node(`merge_${layer}`, fanout, [`input_${layer + 1}`]));
    prev = `input_${layer + 1}`;
  }
  assert.deepEqual(interruptions(layers), []);
});

Deno.test('a namespace that only shares a prefix is not inside it: leaving "a" for "ab" and coming back is reported', () => {
  // Kedro compares with a plain startswith, so "ab" counts as inside "a" there and this goes unreported.
  assert.deepEqual(
    interruptions([n("A", "B", "x", "a"), n("B", "C", "y", "ab"), n("C", "D", "z", "a")]),
    [["a", ["ab.y"]]],
  );
});

Deno.test("the warning names the node re-entering the namespace and how to fix it", () => {
  const [found] = namespaceInterruptions(
    new Pipeline([n("A", "B", "node1", "ns1"), n("B", "C", "node2"), n("C", "D", "node4", "ns1")]),
  );
  const error = interruptionError(found);
  assert.equal(error.code, "pipeline/namespace-interrupted");
  assert.equal(
    error.message,
    'Namespace "ns1" is interrupted by node "node2": a path leaves it and comes back in at node "ns1.node4"',
  );
  assert.match(error.hint!, /^give that node the namespace "ns1" too, or move node "ns1.node4" out of it/);
});

Deno.test("kmlf run warns about an interrupted namespace at the node's line, then runs every node", async () => {
  await withTree({
    "kmlf.yml": "name: ns\n",
    "conf/base/parameters.yml": "x: 1\n",
    "conf/base/catalog.yml": "{}\n",
    "conf/local/.keep": "",
    "pipelines/nodes.ts": "export const id = (x: unknown) => x;\n",
    "pipelines/p.yml": "nodes:\n" +
      "  - {name: a, func: ./nodes.ts#id, inputs: params:x, outputs: x1, namespace: ns}\n" +
      "  - {name: b, func: ./nodes.ts#id, inputs: x1, outputs: x2}\n" +
      "  - {name: c, func: ./nodes.ts#id, inputs: x2, outputs: x3, namespace: ns}\n",
  }, async (dir) => {
    const r = await kmlf(["run", "--pipeline", "p"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /warning\[pipeline\/namespace-interrupted\]: Namespace "ns" is interrupted by node "b": .* at node "ns\.c"\n {2}at pipelines\/p\.yml:4:5 \(nodes\[2\]\)\n/,
    );
    assert.match(r.stderr, /note: the run goes on, as Kedro's does/);
    assert.match(r.stdout + r.stderr, /Completed 3 nodes/);
  });
});
