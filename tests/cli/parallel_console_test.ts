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
  console.clear(); // under --json not on stdout, which holds the JSON document: a worker's neither
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
    assert.ok(printed(sequential.stderr).includes("\x1b[1;1H"), "console.clear's codes");
    assert.equal(printed(parallel.stderr), printed(sequential.stderr));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// The node's records in the log file (continuation lines of a table or a trace included), without times.
function logged(log: string): string {
  const lines = log.split("\n");
  const first = lines.findIndex((l) => l.endsWith(" - INFO - <<begin>>"));
  const last = lines.findIndex((l) => l.endsWith(" - INFO - <<end>>"));
  return printed(
    lines.slice(first, last + 1).map((l) => l.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} - /, ""))
      .join("\n"),
  );
}

Deno.test("with a logging configuration every console method of a node prints and logs the same text under every runner", async () => {
  const dir = await consoleDemo();
  const template = await Deno.readTextFile(join(REPO, "tests/fixtures/kedro_port/logging.yml"));
  // A file-only root: Kedro's print() still shows on the terminal; a node's console is kmlf's print().
  const fileOnly = template.replace("handlers: [rich, info_file_handler]", "handlers: [info_file_handler]");
  try {
    const plain = await kmlf(["run", "training"], { cwd: dir });
    assert.equal(plain.code, 0, plain.stderr);
    const logs: string[] = [];
    for (const config of [template, fileOnly]) {
      await Deno.writeTextFile(join(dir, "conf/logging.yml"), config);
      for (const runner of ["sequential", "parallel", "thread"]) {
        await Deno.remove(join(dir, "logs"), { recursive: true }).catch(() => {});
        const run = await kmlf(["run", "training", "--runner", runner], { cwd: dir });
        assert.equal(run.code, 0, run.stderr);
        const what = `${runner}, ${config === template ? "rich" : "file only"}`;
        // The terminal shows what it shows without logging.yml (the package is at INFO: debug lines too).
        assert.equal(printed(run.stdout), printed(plain.stdout), `stdout, ${what}`);
        assert.equal(printed(run.stderr), printed(plain.stderr), `stderr, ${what}`);
        logs.push(logged(await Deno.readTextFile(join(dir, "logs/info.log"))));
      }
    }
    for (const log of logs) assert.equal(log, logs[0]);
    const node = "iris.pipelines.iris.console_node";
    // Each call one record at Python's level for it, its text as Deno prints it (tables, groups, counters).
    for (
      const line of [
        `${node} - INFO - ┌───────┬───┬─────┐`,
        `│ (idx) │ a │ b   │`,
        `${node} - INFO - outer group`,
        `${node} - WARNING -   warned inside`,
        `${node} - INFO -     deeper`,
        `    │ k     │      1 │`,
        `${node} - INFO - rows: 2`,
        `${node} - WARNING - Count for 'never' does not exist`,
        `${node} - INFO - load: <t>ms halfway { step: 1 }`,
        `${node} - WARNING - Timer 'load' does not exist`,
        `${node} - ERROR - Assertion failed: 150 rows { extra: 1 }`,
        `${node} - ERROR - Trace: traced here [ 1 ]`,
        `${node} - INFO - { a: { b: [Object] } }`,
      ]
    ) assert.ok(logs[0].split("\n").includes(line), `${line}\nin\n${logs[0]}`);
    assert.doesNotMatch(logs[0], / - DEBUG - /); // the package logger is at INFO, as in Kedro
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
