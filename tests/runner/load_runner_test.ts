/** loadRunner builds what createRunner builds, loading the parallel and thread runners on use. */
import assert from "node:assert/strict";
import { createRunner, loadRunner, type RunnerSpec, runnerName } from "../../lib/runner/mod.ts";

const SPECS: RunnerSpec[] = [
  { kind: "sequential" },
  { kind: "sequential", isAsync: true },
  { kind: "parallel", maxWorkers: 2 },
  { kind: "thread", maxWorkers: 3, isAsync: true },
];

Deno.test("loadRunner and runnerName agree with createRunner for every kind", async () => {
  for (const spec of SPECS) {
    const made = createRunner(spec);
    const loaded = await loadRunner(spec);
    try {
      assert.equal(loaded.constructor, made.constructor, spec.kind);
      assert.equal(loaded.name, made.name);
      assert.equal(runnerName(spec), made.name);
    } finally {
      made.close?.();
      loaded.close?.();
    }
  }
});
