/** Errors crossing back from a parallel runner's worker read exactly as they do under the sequential runner. */
import assert from "node:assert/strict";
import { describeThrown, NodeError, PipelineDefinitionError, renderError } from "../../lib/errors.ts";
import { fromWire, toWire } from "../../lib/runner/worker_protocol.ts";

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
