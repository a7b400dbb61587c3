/** Errors crossing back from a parallel runner's worker read exactly as they do under the sequential runner. */
import assert from "node:assert/strict";
import {
  ConfigError,
  DatasetError,
  describeThrown,
  KmlfAggregateError,
  NodeError,
  PipelineDefinitionError,
} from "../../lib/errors.ts";
import { renderError } from "../../lib/error_render.ts";
import { exportedClassFinder, fromWire, toWire } from "../../lib/runner/wire_error.ts";

for (const thrown of [{ code: 42, fn: () => 1 }, Symbol("weird"), "plain text", 7, null]) {
  Deno.test(`a node throwing ${describeThrown(thrown)} renders the same after crossing from a worker`, () => {
    const direct = new NodeError(
      "node/failed",
      `Node "n" (./m.ts#n) failed: it threw ${describeThrown(thrown)}`,
      {
        cause: thrown,
      },
    );
    const crossed = fromWire(toWire(direct)) as NodeError;
    assert.equal(renderError(crossed), renderError(direct));
    assert.doesNotMatch(renderError(crossed), /\[object Object\]/);
  });
}

Deno.test("a kmlf error crossing from a worker keeps its class and userCode, so it renders as on the main thread", () => {
  const syntax = new PipelineDefinitionError(
    "pipeline/module-failed",
    "Cannot import /p/m.ts: syntax error at /p/m.ts:1:3",
    { cause: new Error("SyntaxError: Expression expected"), hint: "fix the syntax error" },
  );
  const thrown = new PipelineDefinitionError("pipeline/module-failed", "Cannot import /p/m.ts: boom", {
    cause: new Error("boom"),
    userCode: true,
    hint: "move the work into a function",
  });
  for (const direct of [syntax, thrown]) {
    const crossed = fromWire(toWire(direct)) as PipelineDefinitionError;
    assert.ok(crossed instanceof PipelineDefinitionError);
    assert.equal(crossed.userCode, direct.userCode);
    assert.equal(renderError(crossed), renderError(direct));
  }
});

// The wire form goes through structured clone, as postMessage sends it.
const cross = (error: unknown, classes?: Map<string, unknown>) =>
  fromWire(structuredClone(toWire(error)), classes);

Deno.test("built-in and Deno error classes cross with their class, own fields, cause and members", () => {
  let notFound: unknown;
  try {
    Deno.readTextFileSync("/nonexistent/kmlf-wire");
  } catch (e) {
    notFound = e;
  }
  const aggregate = new AggregateError([new RangeError("r"), notFound], "many", {
    cause: new TypeError("t"),
  });
  const crossed = cross(aggregate) as AggregateError;
  assert.ok(crossed instanceof AggregateError);
  assert.equal(crossed.message, "many");
  assert.equal(crossed.stack, aggregate.stack);
  assert.ok(crossed.cause instanceof TypeError);
  assert.ok(crossed.errors[0] instanceof RangeError);
  assert.ok(crossed.errors[1] instanceof Deno.errors.NotFound);
  assert.equal((crossed.errors[1] as { code?: string }).code, "ENOENT");
  assert.ok(Object.hasOwn(notFound as object, "code"));
  assert.equal(Deno.inspect(crossed), Deno.inspect(aggregate));
});

Deno.test("a kmlf error keeps its class, code, hint, own location and userCode; a subclass its name", () => {
  class Mine extends DatasetError {}
  const source = { file: "conf/base/catalog.yml", line: 3, column: 1, keyPath: "x" };
  const direct = new Mine("dataset/mine", "mine", { source, hint: "h", userCode: true, cause: "why" });
  const crossed = cross(direct) as DatasetError;
  assert.ok(crossed instanceof DatasetError);
  assert.equal(crossed.name, "Mine");
  assert.deepEqual(
    [crossed.code, crossed.hint, crossed.source, crossed.userCode, crossed.cause],
    ["dataset/mine", "h", source, true, "why"],
  );
  assert.equal(renderError(crossed), renderError(direct));
  const many = cross(new KmlfAggregateError([new ConfigError("c/a", "a"), new ConfigError("c/b", "b")]));
  assert.ok(many instanceof KmlfAggregateError && many.errors.every((e) => e instanceof ConfigError));
  assert.equal(renderError(many), "error[c/a]: a\n\nerror[c/b]: b\n\nFound 2 problems.");
});

Deno.test("a custom class comes back as itself when its module is given; thrown plain data and symbols as they are", () => {
  class MyError extends Error {
    override name = "MyError";
    detail = { n: 1 };
  }
  const find = exportedClassFinder(() => [["file:///m.ts", { MyError }]]);
  const wire = structuredClone(toWire(new MyError("x"), find));
  assert.deepEqual(wire.classRef, { url: "file:///m.ts", exportName: "MyError" });
  const crossed = fromWire(wire, new Map([["file:///m.ts#MyError", MyError]])) as MyError;
  assert.ok(crossed instanceof MyError);
  assert.deepEqual(crossed.detail, { n: 1 });
  assert.deepEqual(cross({ code: 42 }), { code: 42 });
  assert.equal(cross(Symbol.for("k")), Symbol.for("k"));
  assert.equal(typeof cross(Symbol("s")), "symbol");
  assert.equal(cross(undefined), undefined);
});

Deno.test("a field the wire cannot copy is left out, and a getter is not called", () => {
  const error = Object.defineProperty(new Error("x"), "risky", {
    get() {
      throw new Error("getter ran");
    },
    enumerable: true,
  });
  Object.assign(error, { fn: () => 1, at: new Date(0), rows: [1, 2] });
  const crossed = cross(error) as Error & Record<string, unknown>;
  assert.deepEqual(Object.keys(crossed), ["at", "rows"]);
  assert.deepEqual(crossed.at, new Date(0));
});
