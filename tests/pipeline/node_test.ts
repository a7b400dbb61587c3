import assert from "node:assert/strict";
import { NodeError } from "../../lib/errors.ts";
import { Node } from "../../lib/pipeline/mod.ts";
import { node } from "./helpers.ts";

const objectNode = (func: (args: { a: number; b: number }) => unknown) =>
  new Node({
    name: "f",
    func,
    funcRef: "./f.ts#f",
    inputs: ["x", "y"],
    outputs: ["s", "d"],
    inputBinding: { kind: "object", keys: ["a", "b"] },
    outputBinding: { kind: "object", keys: ["sum", "diff"] },
  });

const badOutputs = (pattern: RegExp) => (e: NodeError) => {
  assert.ok(e instanceof NodeError);
  assert.equal(e.code, "node/bad-outputs");
  assert.match(e.message, pattern);
  return true;
};

Deno.test("a map of inputs is one object argument; a map of outputs reads the returned keys", async () => {
  const n = objectNode(({ a, b }) => ({ sum: a + b, diff: a - b }));
  assert.deepEqual(await n.run({ x: 3, y: 1 }), { s: 4, d: 2 });
});

Deno.test("list inputs are positional and list outputs take an array (async functions too)", async () => {
  const n = node(
    "l",
    ["x", "y"],
    ["a", "b"],
    async (x: number, y: number) => await Promise.resolve([x, y + 1]),
  );
  assert.deepEqual(await n.run({ x: 1, y: 1 }), { a: 1, b: 2 });
  const none = node("none", [], ["c"], (...args: unknown[]) => args.length);
  assert.deepEqual(await none.run({}), { c: 0 });
});

Deno.test("a list output needs an array of the declared length", async () => {
  await assert.rejects(
    () => node("s", ["x"], ["a", "b"], (x: number) => [x]).run({ x: 1 }),
    badOutputs(/Node "s" returned 1 value, but its outputs need 2 values \(a, b\)/),
  );
  await assert.rejects(
    () => node("t", ["x"], ["a", "b"], () => 7).run({ x: 1 }),
    badOutputs(/returned a number, but its outputs need an array of 2/),
  );
});

Deno.test("a map output needs exactly the declared keys", async () => {
  await assert.rejects(
    () => objectNode(() => ({ sum: 1, extra: 2 })).run({ x: 1, y: 1 }),
    badOutputs(/missing diff; extra extra/),
  );
  await assert.rejects(
    () => objectNode(() => [1, 2]).run({ x: 1, y: 1 }),
    badOutputs(/returned an array of 2/),
  );
});

Deno.test("undefined or null where a list or a map of outputs is due is named as such", async () => {
  await assert.rejects(
    () => node("l", ["x"], ["a", "b"], () => undefined).run({ x: 1 }),
    badOutputs(/Node "l" returned undefined, but its outputs need an array of 2$/),
  );
  await assert.rejects(
    () => objectNode(() => null).run({ x: 1, y: 1 }),
    badOutputs(/returned null, but its outputs need an object with keys/),
  );
});

Deno.test("generators and unawaited promises are refused as outputs, not saved as {}", async () => {
  let ran = false;
  function* chunks() {
    ran = true;
    yield 1;
  }
  await assert.rejects(
    () => node("g", ["x"], ["y"], () => chunks()).run({ x: 1 }),
    badOutputs(/^Node "g" returned a generator \(or iterator\) for "y"$/),
  );
  assert.equal(ran, false, "the generator's body never ran");
  await assert.rejects(
    () => node("a", ["x"], ["y"], async function* () {}).run({ x: 1 }),
    badOutputs(/returned an async generator \(or iterator\) for "y"/),
  );
  await assert.rejects(
    () => node("p", ["x"], ["a", "b"], () => [Promise.resolve(1), 2]).run({ x: 1 }),
    badOutputs(/returned an unawaited promise for "a"/),
  );
  await assert.rejects(
    () => objectNode(() => ({ sum: 1, diff: [1].values() })).run({ x: 1, y: 1 }),
    badOutputs(/returned a generator \(or iterator\) for "d"/),
  );
  await assert.rejects(
    () => node("n", ["x"], [], function* () {}).run({ x: 1 }),
    badOutputs(/returned a generator \(or iterator\) for its result/),
  );
  // For several outputs too: the generator is named with the fix, not taken for a result of the wrong shape.
  for (const several of [node("l", ["x"], ["a", "b"], function* () {}), objectNode(function* () {})]) {
    await assert.rejects(
      () => several.run({ x: 1, y: 1 }),
      (e: NodeError) =>
        badOutputs(/returned a generator \(or iterator\) for its result$/)(e) &&
        /does not stream generator nodes/.test(e.hint ?? ""),
    );
  }
  await assert.rejects(
    () => node("q", ["x"], ["a", "b"], async function* () {}).run({ x: 1 }),
    badOutputs(/returned an async generator \(or iterator\) for its result/),
  );
  // Plain data that happens to be iterable is fine.
  const kept = await node("m", ["x"], ["y"], () => new Map([["k", 1]])).run({ x: 1 });
  assert.ok(kept.y instanceof Map);
});

Deno.test("a single output must not be undefined", async () => {
  await assert.rejects(
    () => node("u", ["x"], ["y"], () => undefined).run({ x: 1 }),
    badOutputs(/Node "u" returned undefined, but its outputs need a value for "y"/),
  );
});

Deno.test("a throwing function becomes node/failed naming the node, with the user's error and stack as cause", async () => {
  function explodes(): never {
    throw new TypeError("boom");
  }
  await assert.rejects(
    () => node("t", ["x"], ["y"], explodes).run({ x: 1 }),
    (e: NodeError) => {
      assert.ok(e instanceof NodeError);
      assert.equal(e.code, "node/failed");
      assert.match(e.message, /Node "t" \(\.\/test\.ts#t\) failed: boom/);
      assert.ok(e.cause instanceof TypeError);
      assert.match(e.cause.stack!, /explodes/);
      return true;
    },
  );
  await assert.rejects(
    () => node("r", ["x"], ["y"], () => Promise.reject("plain string")).run({ x: 1 }),
    (e: NodeError) => e.code === "node/failed" && /failed: it threw "plain string"/.test(e.message),
  );
});

Deno.test("missing inputs are reported before the function is called", async () => {
  let called = false;
  await assert.rejects(
    () => node("m", ["x", "y"], ["z"], () => (called = true)).run({ x: 1 }),
    (e: NodeError) =>
      e.code === "node/missing-inputs" && /did not get input\(s\) y/.test(e.message) &&
      e.hint === 'pass a value for each input: node.run({ "x": …, "y": … })',
  );
  assert.equal(called, false);
});

Deno.test("toString is Kedro's `name: func([a;b]) -> [c]`", () => {
  assert.equal(node("l", ["x", "params:k"], ["a", "b"]).toString(), "l: l([x;params:k]) -> [a;b]");
});

Deno.test("a node cannot be changed: every pipeline sharing it (filters, unions, later runs) sees it as built", async () => {
  const spec = {
    name: "f",
    func: (args: { a: number; b: number }) => ({ sum: args.a + args.b, diff: args.a - args.b }),
    funcRef: "./f.ts#f",
    inputs: ["x", "y"],
    outputs: ["s", "d"],
    inputBinding: { kind: "object" as const, keys: ["a", "b"] },
    outputBinding: { kind: "object" as const, keys: ["sum", "diff"] },
    tags: ["t"],
  };
  const n = new Node(spec);
  spec.inputBinding.keys.reverse(); // the caller's spec is copied
  const attempts: (() => unknown)[] = [
    () => (n.tags as Set<string>).add("x"),
    () => (n.tags as Set<string>).delete("t"),
    () => (n.tags as Set<string>).clear(),
    () => (n.inputBinding as { keys: string[] }).keys.reverse(),
    () => ((n.outputBinding as { keys: string[] }).keys = []),
    () => ((n as { name: string }).name = "g"),
    () => (n.inputs as string[]).push("z"),
  ];
  for (const attempt of attempts) assert.throws(attempt, TypeError);
  assert.deepEqual([...n.tags], ["t"]);
  assert.ok(n.tags.has("t") && n.tags instanceof Set);
  assert.equal(n.name, "f");
  assert.deepEqual(await n.run({ x: 5, y: 2 }), { s: 7, d: 3 });
});
