/**
 * A node module that imports on the main thread but fails in the parallel runner's worker (code that runs
 * only there, or a file changed since the run started): the error reads as the sequential runner's for the
 * same failure (code, file:line:col, hint), the tracked run ends FAILED, and kmlf exits (no worker left).
 * Also the built-ins structured clone refuses outright, named as such.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { consequence, inspectCrossing } from "../../lib/runner/crossing.ts";
import { MlflowClient, openStore } from "../../lib/tracking/mod.ts";
import { demoProject, kmlf } from "../cli_harness.ts";

const IN_WORKER = `typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== "undefined"`;

function project(seedModule: string): Promise<string> {
  return demoProject({
    "pipelines/ns.yml": `nodes:
  - name: seed
    func: ./mod/seed.ts#seed
    outputs: numbers
  - name: total
    func: ./mod/total.ts#total
    inputs: numbers
    outputs: result
`,
    "pipelines/mod/seed.ts": seedModule,
    "pipelines/mod/total.ts": "export const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);\n",
    "pipelines/mod/broken.ts": "export const x = (1 +;\n",
  }, { tracked: true });
}

async function lastRun(dir: string) {
  const client = new MlflowClient(await openStore("mlflow.db", { baseDir: dir }));
  try {
    const exp = await client.getExperimentByName("iris");
    assert.ok(exp);
    return (await client.searchRuns([exp.experimentId], { orderBy: ["attributes.start_time DESC"] })).runs[0];
  } finally {
    await client.close();
  }
}

// The error block of kmlf's stderr (from "error[" to the hint), without the worker's own words.
function errorBlock(stderr: string): string {
  const block = stderr.slice(stderr.indexOf("error["));
  return block.slice(0, block.indexOf("\n", block.indexOf("  hint:")))
    .replace(/ in a worker of the parallel runner \(node "seed"\)/, "")
    .replace(/; it imported on the main thread.*$/m, "");
}

const CASES = [
  {
    what: "a syntax error in a module it imports",
    body: `await import("./broken.ts");`,
    expect:
      /error\[pipeline\/module-failed\]: Cannot import pipelines\/mod\/seed\.ts in a worker of the parallel runner \(node "seed"\): syntax error at pipelines\/mod\/broken\.ts:1:22\n/,
    hint:
      /hint: fix the syntax error \(`deno check pipelines\/mod\/broken\.ts` lists every error\); it imported on the main thread/,
  },
  {
    what: "a missing module it imports",
    body: `await import("./gone.ts");`,
    expect:
      /error\[pipeline\/module-failed\]: Cannot import pipelines\/mod\/seed\.ts in a worker of the parallel runner \(node "seed"\): pipelines\/mod\/gone\.ts does not exist/,
    hint: /hint: fix the import path/,
  },
  {
    what: "a top-level throw",
    body: `throw new Error("no GPU here");`,
    expect:
      /error\[pipeline\/module-failed\]: Cannot import pipelines\/mod\/seed\.ts in a worker of the parallel runner \(node "seed"\): no GPU here\n(.*\n)*\s+at pipelines\/mod\/seed\.ts:1:/,
    hint: /hint: the module threw while it was imported/,
  },
];

for (const c of CASES) {
  Deno.test(`parallel runner: ${c.what} only in a worker reads as the sequential runner's error, and the run ends FAILED`, async () => {
    const dir = await project(`if (${IN_WORKER}) ${c.body}\nexport const seed = () => [1, 2, 3];\n`);
    try {
      const parallel = await kmlf(["run", "ns", "--runner", "ParallelRunner"], { cwd: dir });
      assert.equal(parallel.code, 1, parallel.stderr);
      assert.match(parallel.stderr, c.expect);
      assert.match(parallel.stderr, c.hint);
      assert.doesNotMatch(parallel.stderr, /TypeError: SyntaxError|runner\/worker-import/);
      const run = await lastRun(dir);
      assert.equal(run.info.status, "FAILED");
      assert.equal(run.data.tags["kmlf.error_code"], "pipeline/module-failed");
      assert.equal(run.data.tags["kmlf.failed_node"], "seed");

      // The same failure on the main thread, where the sequential runner meets it while loading the pipeline.
      await Deno.writeTextFile(
        join(dir, "pipelines/mod/seed.ts"),
        `${c.body}\nexport const seed = () => [1, 2, 3];\n`,
      );
      const sequential = await kmlf(["run", "ns"], { cwd: dir });
      assert.equal(sequential.code, 2, sequential.stderr); // found before the run, as a definition error
      // Both name the node's YAML (its func: key, or the node); the user's frame moved with the `if`.
      const lines = (block: string) =>
        block.split("\n").filter((l) => !/^\s+at pipelines\/ns\.yml/.test(l))
          .map((l) => l.replace(/(at pipelines\/mod\/seed\.ts:1):\d+$/, "$1"));
      assert.deepEqual(lines(errorBlock(parallel.stderr)), lines(errorBlock(sequential.stderr)));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("inspectCrossing names the built-ins structured clone refuses (WeakMap, Promise, …) as values that cannot be copied", () => {
  const cases: [unknown, string, string][] = [
    [{ cache: new WeakMap() }, ".cache", "a WeakMap"],
    [[new WeakSet()], "[0]", "a WeakSet"],
    [{ ref: new WeakRef({}) }, ".ref", "a WeakRef"],
    [{ pending: Promise.resolve(1) }, ".pending", "a Promise (an async value not awaited)"],
    [new FinalizationRegistry(() => {}), "", "a FinalizationRegistry"],
  ];
  for (const [value, path, what] of cases) {
    const problem = inspectCrossing(value, { transfer: false }).problem;
    assert.deepEqual(problem, { path, what });
    assert.equal(consequence(problem!), "which cannot be copied to another thread");
    // Nested, as outputs travel: V8 refuses them (host objects such as Response would arrive as plain objects).
    assert.throws(() => structuredClone({ value }), /could not be cloned/, what);
  }
});
