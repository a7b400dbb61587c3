/** `kmlf gc`'s argument checks: MLflow's `--older-than` syntax and values, id lists, `--tracking-uri`. */
import assert from "node:assert/strict";
import { UsageError } from "../../lib/errors.ts";
import { parseGcArgs, parseOlderThan } from "../../lib/cli/gc_args.ts";

Deno.test("--older-than reads MLflow's #d#h#m#s durations, floats included, as MLflow's timedelta does", () => {
  assert.equal(parseOlderThan("1d2h3m4s"), 93_784_000);
  assert.equal(parseOlderThan("1.2d3h4m5s"), Math.trunc((1.2 * 86_400 + 3 * 3_600 + 4 * 60 + 5) * 1000));
  assert.equal(parseOlderThan("8h"), 28_800_000);
  assert.equal(parseOlderThan("2m4s"), 124_000);
  assert.equal(parseOlderThan("0s"), 0);
  assert.equal(parseOlderThan(".5s"), 500);
});

Deno.test("--older-than refuses what MLflow's regex or float() refuses, with the flag in the message", () => {
  for (const bad of ["", "5", "1w", "3m2h", "1.2.3d", ".d", "-1d", "1d ", "1D"]) {
    assert.throws(() => parseOlderThan(bad), (e: unknown) => {
      assert.ok(e instanceof UsageError, bad);
      assert.equal(e.code, "cli/gc-older-than");
      assert.match(e.message, /--older-than/);
      return true;
    });
  }
});

Deno.test("gc id lists drop spaces, empty items and repeats; --tracking-uri must be a server", () => {
  const args = parseGcArgs({ runIds: " a1, b2,,a1", experimentIds: "3,7," }, () => undefined);
  assert.deepEqual(args.runIds, ["a1", "b2"]);
  assert.deepEqual(args.experimentIds, ["3", "7"]);
  assert.throws(() => parseGcArgs({ runIds: " , " }, () => undefined), /--run-ids is empty/);
  assert.throws(() => parseGcArgs({ trackingUri: "mlruns" }, () => undefined), /not an http\(s\) URL/);
  assert.equal(parseGcArgs({}, () => "http://h:5000").trackingUri, "http://h:5000");
  assert.equal(parseGcArgs({}, () => "sqlite:///mlflow.db").trackingUri, undefined);
});
