/** Errors crossing back from a parallel runner's worker read exactly as they do under the sequential runner. */
import assert from "node:assert/strict";
import { describeThrown, NodeError, renderError } from "../../lib/errors.ts";
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
