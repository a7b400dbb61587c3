/**
 * A partitioned output whose save failed halfway (a lazy partition throwing) is not taken as complete:
 * `--only-missing-outputs` runs its node again (it was skipped, and the next node read 2 of 4 partitions),
 * and a node reading it before then is refused with the fix.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { demoProject, kmlf } from "../cli_harness.ts";

const OPS = `
export function parts(n: number) {
  const out: Record<string, () => number> = {};
  for (const id of ["p1", "p2", "p3", "p4"]) {
    out[id] = () => { if (id === "p3" && Deno.env.get("FAIL")) throw new Error("p3 failed"); return n; };
  }
  return out;
}
export async function count(loaders: Record<string, () => Promise<number>>) {
  let total = 0;
  for (const load of Object.values(loaders)) total += await load();
  return total;
}
`;
const PIPELINE = `nodes:
  - {name: split, func: ./iris/ops.ts#parts, inputs: params:n, outputs: parts}
  - {name: total, func: ./iris/ops.ts#count, inputs: parts, outputs: total}
`;
const CATALOG =
  "parts: {type: partitions.PartitionedDataset, path: data/parts, dataset: json, filename_suffix: .json}\n" +
  "total: {type: json, filepath: data/total.json}\n";

Deno.test("a partitioned save that failed halfway is rerun by --only-missing-outputs and refused as input", async () => {
  const dir = await demoProject({
    "pipelines/p.yml": PIPELINE,
    "pipelines/iris/ops.ts": OPS,
    "conf/base/parameters.yml": "n: 1\n",
    "conf/base/catalog.yml": CATALOG,
  });
  try {
    for (const runner of ["SequentialRunner", "ThreadRunner"]) {
      await Deno.remove(join(dir, "data/parts"), { recursive: true }).catch(() => {});
      await Deno.remove(join(dir, "data/total.json")).catch(() => {});
      const failed = await kmlf(["run", "p", "--runner", runner], { cwd: dir, env: { FAIL: "1" } });
      assert.equal(failed.code, 1, failed.stderr);
      assert.match(failed.stderr, /p3 failed/);
      const refused = await kmlf(["run", "p", "--from-nodes", "total"], { cwd: dir });
      assert.equal(refused.code, 1, refused.stderr);
      assert.match(refused.stderr, /error\[dataset\/incomplete-save\].*data\/parts are incomplete/);
      const again = await kmlf(["run", "p", "--only-missing-outputs", "--runner", runner], { cwd: dir });
      assert.equal(again.code, 0, again.stderr);
      assert.doesNotMatch(again.stdout, /Skipping/, runner);
      assert.equal(await Deno.readTextFile(join(dir, "data/total.json")), "4");
      assert.equal(
        (await kmlf(["run", "p", "--only-missing-outputs"], { cwd: dir })).stdout.match(/Skipping 2/)?.[0],
        "Skipping 2",
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
