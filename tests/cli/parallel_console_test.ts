/**
 * A node prints the same under `--runner parallel` as under the sequential runner: a worker's console
 * calls come out on the same streams, in the same order, with the same text (tables, group indentation,
 * counters, timers, assertions, traces), timer values and stack frames aside.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { demoProject, kmlf, REPO } from "../cli_harness.ts";

const CONSOLE_NODE = `import * as base from "./nodes.ts";
export function splitData(...args: Parameters<typeof base.splitData>) {
  console.log("<<begin>>");
  console.error("<<begin>>");
  console.table([{ a: 1, b: "x" }, { a: 2 }]);
  console.table([[1, 2], [3]], ["0"]);
  console.group("outer %s", "group");
  console.log("inside", { n: 1 });
  console.warn("warned inside");
  console.groupCollapsed();
  console.info("deeper");
  console.table({ k: 1 });
  console.count();
  console.count("rows");
  console.count("rows");
  console.countReset("rows");
  console.count("rows");
  console.countReset("never");
  console.groupEnd();
  console.dirxml({ x: [1] }, "second");
  console.groupEnd();
  console.groupEnd();
  console.time("load");
  console.timeLog("load", "halfway", { step: 1 });
  console.timeEnd("load");
  console.timeEnd("load");
  console.time();
  console.time();
  console.timeEnd();
  console.assert(true, "not printed");
  console.assert(false, "%d rows", 150, { extra: 1 });
  console.assert(0);
  console.trace("traced %s", "here", [1]);
  console.debug("after trace");
  console.dir({ a: { b: { c: { d: 1 } } } }, { depth: 1 });
  console.log("<<end>>");
  console.error("<<end>>");
  return base.splitData(...args);
}
`;

// What the node printed on one stream, timer values and stack frames aside.
function printed(stream: string): string {
  const text = stream.slice(stream.indexOf("<<begin>>"), stream.indexOf("<<end>>"));
  return text.replace(/\d+(\.\d+)?ms/g, "<t>ms").replace(/^ +at .*\n/gm, "");
}

async function consoleDemo(): Promise<string> {
  const training = (await Deno.readTextFile(join(REPO, "pipelines/training.yml")))
    .replace("./iris/nodes.ts#splitData", "./iris/console_node.ts#splitData");
  return await demoProject({
    "pipelines/training.yml": training,
    "pipelines/iris/console_node.ts": CONSOLE_NODE,
  });
}

Deno.test("a node's console output under --runner parallel is what the sequential runner prints", async () => {
  const dir = await consoleDemo();
  try {
    const sequential = await kmlf(["run", "training", "--runner", "sequential"], { cwd: dir });
    const parallel = await kmlf(["run", "training", "--runner", "parallel"], { cwd: dir });
    assert.equal(sequential.code, 0, sequential.stderr);
    assert.equal(parallel.code, 0, parallel.stderr);
    // The fixture really prints each kind of line (a table, an indented line, a trace).
    assert.match(printed(sequential.stdout), /│ \(idx\) │/);
    assert.match(printed(sequential.stdout), /^ {4}deeper$/m);
    assert.match(printed(sequential.stderr), /^Trace: traced here \[ 1 \]$/m);
    assert.equal(printed(parallel.stdout), printed(sequential.stdout), "stdout");
    assert.equal(printed(parallel.stderr), printed(sequential.stderr), "stderr");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--json: every console method of a node prints to stderr, the same under both runners", async () => {
  const dir = await consoleDemo();
  try {
    const [sequential, parallel] = [
      await kmlf(["run", "training", "--json", "--runner", "sequential"], { cwd: dir }),
      await kmlf(["run", "training", "--json", "--runner", "parallel"], { cwd: dir }),
    ];
    for (const run of [sequential, parallel]) {
      assert.equal(run.code, 0, run.stderr);
      // stdout is the one JSON document: no counter or timer line before it.
      assert.equal(JSON.parse(run.stdout).status, "success");
    }
    // Each printed as without --json: a table, not the inspected rows; dirxml's arguments all printed.
    assert.match(printed(sequential.stderr), /│ \(idx\) │ a │ b {3}│/);
    assert.match(printed(sequential.stderr), /^ {2}\{ x: \[ 1 \] \} second$/m);
    assert.match(printed(sequential.stderr), /^rows: 2$/m);
    assert.equal(printed(parallel.stderr), printed(sequential.stderr));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
