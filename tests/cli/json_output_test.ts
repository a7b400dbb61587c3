/** `kmlf run --json`: stdout carries exactly one JSON document, whatever nodes and hooks print. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { demoProject, kmlf, REPO } from "../cli_harness.ts";

const NOISY_NODES = `import * as base from "./nodes.ts";
export function splitData(...args: Parameters<typeof base.splitData>) {
  console.log("splitting", args[0].length, "rows");
  console.info({ info: true });
  console.debug("debug line");
  console.table([{ a: 1 }]);
  console.dir({ dir: 1 });
  console.dir({ shallow: { deep: 1 } }, { depth: 0 });
  return base.splitData(...args);
}
export function reportAccuracy(...args: Parameters<typeof base.reportAccuracy>) {
  console.log("about to fail");
  if (Deno.env.get("FAIL_REPORT")) throw new Error("report failed on purpose");
  return base.reportAccuracy(...args);
}
`;

async function noisyDemo() {
  const training = (await Deno.readTextFile(join(REPO, "pipelines/training.yml")))
    .replace("./iris/nodes.ts#splitData", "./iris/noisy.ts#splitData")
    .replace("./iris/nodes.ts#reportAccuracy", "./iris/noisy.ts#reportAccuracy");
  return await demoProject({
    "pipelines/training.yml": training,
    "pipelines/iris/noisy.ts": NOISY_NODES,
    "hooks.ts": 'export const loud = { beforePipelineRun() { console.log("hook says hi"); } };\n',
    "kmlf.yml": "name: iris\nhooks: [./hooks.ts#loud]\n",
  });
}

Deno.test("--json: what nodes and hooks print goes to stderr; stdout is one JSON document", async () => {
  const dir = await noisyDemo();
  try {
    const ok = await kmlf(["run", "training", "--json"], { cwd: dir });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).status, "success");
    assert.equal(ok.stdout.trim().split("\n").length, 1);
    for (
      const printed of [
        "hook says hi",
        "splitting 150 rows",
        "info: true",
        "debug line",
        "dir: 1",
        "about to fail",
      ]
    ) {
      assert.ok(ok.stderr.includes(printed), printed);
    }
    // console.dir's options shape the text, as without --json; they are not printed.
    assert.match(ok.stderr, /^\{ shallow: \[Object\] \}$/m);
    assert.doesNotMatch(ok.stderr, /depth: 0/);
    // Nodes running in the parallel runner's workers print through the main thread's console too.
    const parallel = await kmlf(["run", "training", "--json", "--runner", "parallel"], { cwd: dir });
    assert.equal(parallel.code, 0, parallel.stderr);
    assert.equal(JSON.parse(parallel.stdout).status, "success");
    for (const printed of ["splitting 150 rows", "info: true", "debug line", "dir: 1"]) {
      assert.ok(parallel.stderr.includes(printed), `parallel: ${printed}`);
    }
    assert.match(parallel.stderr, /^\{ shallow: \[Object\] \}$/m);
    const failed = await kmlf(["run", "training", "--json"], { cwd: dir, env: { FAIL_REPORT: "1" } });
    assert.equal(failed.code, 1);
    const doc = JSON.parse(failed.stdout);
    assert.equal(doc.status, "failed");
    assert.match(doc.error, /report_accuracy/);
    // y_test is in memory: resuming starts over from split_data, as the printed command says.
    assert.deepEqual(doc.resumeFromNodes, ["split_data"]);
    assert.match(failed.stderr, /--from-nodes split_data/);
    assert.match(failed.stderr, /about to fail/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("without --json, node output stays on stdout with the progress lines", async () => {
  const dir = await noisyDemo();
  try {
    const r = await kmlf(["run", "training"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /splitting 150 rows/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--json: errors are one JSON document too, with the error code", async () => {
  const dir = await noisyDemo();
  try {
    const unknown = await kmlf(["run", "trainig", "--json"], { cwd: dir });
    assert.equal(unknown.code, 2);
    const failed = JSON.parse(unknown.stdout);
    assert.deepEqual([failed.status, failed.code], ["failed", "pipeline/unknown"]);
    await Deno.writeTextFile(join(dir, "kmlf.yml"), "name: iris\nplugins: [./nope.ts]\n");
    const early = await kmlf(["run", "training", "--json"], { cwd: dir });
    assert.equal(early.code, 2);
    const doc = JSON.parse(early.stdout);
    assert.deepEqual([doc.status, doc.code], ["error", "plugins/import-failed"]);
    assert.match(early.stderr, /error\[plugins\/import-failed\]/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
