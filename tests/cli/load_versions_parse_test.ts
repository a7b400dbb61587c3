/** `--load-versions` parsing: Kedro's `name:version` pairs, and what kmlf refuses that Kedro takes silently. */
import assert from "node:assert/strict";
import { parseLoadVersions } from "../../lib/cli/run_command.ts";
import type { UsageError } from "../../lib/errors.ts";

Deno.test("--load-versions splits pairs on commas, then on the first colon", () => {
  assert.deepEqual(parseLoadVersions("a:2024-01-01T00.00.00.000Z, b:v:1"), {
    a: "2024-01-01T00.00.00.000Z",
    b: "v:1",
  });
  assert.deepEqual(parseLoadVersions("a:v,a:v"), { a: "v" }, "the same pin twice is harmless");
});

Deno.test("--load-versions pinning one dataset to two versions is a usage error naming both", () => {
  assert.throws(() => parseLoadVersions("model:2024-01-01T00.00.00.000Z,model:2024-02-01T00.00.00.000Z"), (
    e: UsageError,
  ) => {
    assert.equal(e.code, "cli/bad-load-versions");
    assert.equal(
      e.message,
      '--load-versions pins "model" twice: 2024-01-01T00.00.00.000Z and 2024-02-01T00.00.00.000Z',
    );
    assert.equal(e.hint, 'keep one version of "model" in --load-versions');
    return true;
  });
});
