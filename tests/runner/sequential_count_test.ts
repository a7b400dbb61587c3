/**
 * The sequential runner takes no worker count (Kedro's `SequentialRunner(max_workers=…)` is a TypeError):
 * `--max-workers` was refused, but the same count through the API (`createRunner`, `session.run`'s
 * `runner`) was silently ignored, even 0. kmlf.yml's count for its own parallel runner still gives way to
 * `--runner sequential`.
 */
import assert from "node:assert/strict";
import { KmlfSession } from "../../mod.ts";
import type { KmlfError } from "../../lib/errors.ts";
import { createRunner } from "../../lib/runner/mod.ts";
import { writeProject } from "../models/model_helpers.ts";

const refused = (e: KmlfError) => {
  assert.equal(e.code, "runner/bad-max-workers");
  assert.match(e.message, /no effect with the sequential runner/);
  assert.match(e.hint ?? "", /"thread".*"parallel"/);
  return true;
};

Deno.test("createRunner refuses a worker count for the sequential runner, as --max-workers is refused", () => {
  for (const maxWorkers of [4, 1, 0]) {
    assert.throws(() => createRunner({ kind: "sequential", maxWorkers }), refused);
  }
  assert.equal(createRunner({ kind: "sequential" }).name, "SequentialRunner");
  assert.equal(createRunner({ kind: "thread", maxWorkers: 4 }).name, "ThreadRunner");
});

Deno.test("session.run refuses a sequential runner with a worker count; kmlf.yml's parallel count yields to --runner sequential", async () => {
  const root = await writeProject({
    "kmlf.yml": "name: counted\nrunner:\n  type: parallel\n  max_workers: 2\n",
    "conf/base/catalog.yml": "{}\n",
    "conf/base/parameters.yml": "x: 1\n",
    "conf/local/.keep": "",
    "pipelines/p.yml": "nodes:\n  - {name: same, func: ./ops.ts#same, inputs: params:x, outputs: y}\n",
    "pipelines/ops.ts": "export const same = (x: number) => x;\n",
  });
  try {
    const first = await KmlfSession.create({ projectRoot: root });
    await assert.rejects(
      () => first.run({ pipelineNames: "p", runner: { kind: "sequential", maxWorkers: 2 } }),
      refused,
    );
    const session = await KmlfSession.create({ projectRoot: root });
    const spec = session.resolveRunner({ runner: "sequential" });
    assert.deepEqual(spec, { kind: "sequential", maxWorkers: undefined, isAsync: false });
    const result = await session.run({ pipelineNames: "p", runner: spec });
    assert.equal(await result.outputs.y.load(), 1);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
