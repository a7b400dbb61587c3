/**
 * What nodes print with a Kedro logging configuration: each console call is a record of the logger Kedro
 * names the node's module by (`iris.pipelines.talk.nodes`), at the call's level, with the project package
 * at INFO unless logging.yml says otherwise; under every runner, --quiet and --json; on the terminal as
 * without logging.yml whatever the levels and handlers (console is kmlf's print()).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { demoProject, kmlf, normalize, REPO } from "../cli_harness.ts";
import { runCommand } from "../../lib/cli/run_command.ts";
import { PRINTING_CONSOLE_METHODS } from "../../lib/deno_console.ts";

const TEMPLATE = await Deno.readTextFile(join(REPO, "tests/fixtures/kedro_port/logging.yml"));
const BODY = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} - /;

// A node printing at every level; `shout` is a second module, so a parallel run has two loggers at once.
const talker = (fn: string, tag: string) =>
  `export function ${fn}(rows: unknown[]) {
  console.debug("${tag} debug %s", "detail");
  console.log("${tag} log", { rows: rows.length, first: [1, "a"] });
  console.info("${tag} info %d%% done", 50.7);
  console.warn("${tag} warn");
  console.error("${tag} error", new Map([["k", 1]]));
  return rows.length;
}
`;
const FILES = {
  "pipelines/talk/nodes.ts": talker("talk", "A"),
  "pipelines/shout/nodes.ts": talker("shout", "B"),
  "pipelines/talk.yml": `nodes:
  - { name: talk, func: ./talk/nodes.ts#talk, inputs: iris, outputs: talked }
  - { name: shout, func: ./shout/nodes.ts#shout, inputs: iris, outputs: shouted }
`,
};
const expected = (logger: string, tag: string) => [
  `${logger} - INFO - ${tag} log { rows: 150, first: [ 1, "a" ] }`,
  `${logger} - INFO - ${tag} info 50% done`,
  `${logger} - WARNING - ${tag} warn`,
  `${logger} - ERROR - ${tag} error Map(1) { "k" => 1 }`,
];

async function withProject(files: Record<string, string>, test: (dir: string) => Promise<void>) {
  const dir = await demoProject({ ...FILES, ...files });
  try {
    await test(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

// The log file's lines without their time, and only those of the project's loggers.
async function projectLines(dir: string): Promise<string[]> {
  const text = await Deno.readTextFile(join(dir, "logs/info.log"));
  return text.split("\n").filter((l) => / - iris\./.test(l)).map((l) => l.replace(BODY, ""));
}

Deno.test("a node's console lines are records of its module's logger at their level; the terminal shows them as without logging.yml", async () => {
  await withProject({}, async (dir) => {
    const plain = await kmlf(["run", "talk", "--nodes", "talk"], { cwd: dir });
    await Deno.writeTextFile(join(dir, "conf/logging.yml"), TEMPLATE);
    const logged = await kmlf(["run", "talk", "--nodes", "talk"], { cwd: dir });
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(logged.code, 0, logged.stderr);
    // The package `iris` is not in the template's loggers: Kedro puts it at INFO (root is at WARNING).
    assert.deepEqual(await projectLines(dir), expected("iris.pipelines.talk.nodes", "A"));
    // Apart from the "Using" line and kedro-mlflow's INFO note (under the template's root level, WARNING).
    const same = (s: string) =>
      normalize(s, dir).replace(/^Using 'conf\/logging\.yml'.*\n/m, "").replace(
        /^Tracking is off: .*\n/m,
        "",
      );
    // The DEBUG line too, which its logger (at INFO) keeps out of the file: console is kmlf's print().
    assert.equal(same(logged.stdout), same(plain.stdout));
    assert.equal(same(logged.stderr), same(plain.stderr));
    assert.match(
      plain.stdout,
      /^A debug detail\nA log \{ rows: 150, first: \[ 1, "a" \] \}\nA info 50% done\n/m,
    );
    assert.match(plain.stderr, /^A warn\nA error Map\(1\) \{ "k" => 1 \}\n/m);
    // Each line sits between Kedro's own lines for the node, and the file names the node's module.
    const log = await Deno.readTextFile(join(dir, "logs/info.log"));
    assert.match(
      log,
      /Loading data from iris \(CSVDataset\)\.\.\.\n(.* - iris\.pipelines\.talk\.nodes - .*\n){4}.*Saving data to talked/,
    );
  });
});

Deno.test("levels filter a node's lines as Python's loggers do: the package's own level, a module's, the handler's", async () => {
  const withLoggers = (loggers: string, handlerLevel = "INFO") =>
    TEMPLATE.replace("  spaceflights:\n    level: INFO\n", loggers).replace(
      "class: logging.handlers.RotatingFileHandler\n    level: INFO",
      `class: logging.handlers.RotatingFileHandler\n    level: ${handlerLevel}`,
    );
  const cases: [string, string, string[]][] = [
    ["  iris:\n    level: WARNING\n", "INFO", expected("iris.pipelines.talk.nodes", "A").slice(2)],
    [
      "  iris.pipelines.talk:\n    level: ERROR\n",
      "INFO",
      expected("iris.pipelines.talk.nodes", "A").slice(3),
    ],
    [
      "  iris:\n    level: DEBUG\n",
      "DEBUG",
      ["iris.pipelines.talk.nodes - DEBUG - A debug detail", ...expected("iris.pipelines.talk.nodes", "A")],
    ],
    // Named without a level, the package logger is the configuration's: it inherits root's WARNING.
    ["  iris:\n    propagate: true\n", "INFO", expected("iris.pipelines.talk.nodes", "A").slice(2)],
  ];
  for (const [loggers, handlerLevel, lines] of cases) {
    await withProject({ "conf/logging.yml": withLoggers(loggers, handlerLevel) }, async (dir) => {
      const r = await kmlf(["run", "talk", "--nodes", "talk"], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(await projectLines(dir), lines, loggers);
      // A line its logger drops is still printed, as it is: console is kmlf's print().
      assert.match(r.stdout, /^A log \{ rows: 150, first: \[ 1, "a" \] \}$/m);
      assert.match(r.stdout, /^A debug detail$/m);
    });
  }
});

Deno.test("parallel and thread runners: concurrent nodes' lines reach the log in order, each under its node's logger; --json and --quiet keep stdout", async () => {
  await withProject({}, async (dir) => {
    const plain = await kmlf(["run", "talk", "--runner", "parallel", "--max-workers", "2"], { cwd: dir });
    assert.equal(plain.code, 0, plain.stderr);
    // Without logging.yml a worker's lines print as a main-thread node's do.
    const tagged = (text: string, tag: string) => text.split("\n").filter((l) => l.startsWith(`${tag} `));
    for (const tag of ["A", "B"]) {
      assert.deepEqual(tagged(plain.stdout, tag), [
        `${tag} debug detail`,
        `${tag} log { rows: 150, first: [ 1, "a" ] }`,
        `${tag} info 50% done`,
      ]);
      assert.deepEqual(tagged(plain.stderr, tag), [`${tag} warn`, `${tag} error Map(1) { "k" => 1 }`]);
    }
    await Deno.writeTextFile(join(dir, "conf/logging.yml"), TEMPLATE);
    const runs = [["parallel"], ["parallel", "--json"], ["parallel", "--quiet"], ["thread"], [
      "thread",
      "--json",
    ]];
    for (const [runner, ...flags] of runs) {
      await Deno.remove(join(dir, "logs"), { recursive: true }).catch(() => {});
      const r = await kmlf(["run", "talk", "--runner", runner, "--max-workers", "2", ...flags], {
        cwd: dir,
      });
      assert.equal(r.code, 0, r.stderr);
      const lines = await projectLines(dir);
      assert.deepEqual(lines.filter((l) => l.includes(".talk.")), expected("iris.pipelines.talk.nodes", "A"));
      assert.deepEqual(
        lines.filter((l) => l.includes(".shout.")),
        expected("iris.pipelines.shout.nodes", "B"),
      );
      if (flags[0] === "--json") {
        assert.equal(JSON.parse(r.stdout).status, "success");
        assert.match(r.stderr, /^A log .*\n/m);
      } else assert.match(r.stdout, /^B info 50% done$/m);
      if (flags[0] === "--quiet") assert.doesNotMatch(r.stdout, /▶/);
    }
  });
});

Deno.test("a failing node's lines come before Kedro's error for it; console is given back after the run, failed or not", async () => {
  const failing = `export function talk(rows: unknown[]) {
  console.info("about to fail on %d rows", rows.length);
  throw new Error("no luck");
}
`;
  await withProject({ "pipelines/talk/nodes.ts": failing, "conf/logging.yml": TEMPLATE }, async (dir) => {
    const r = await kmlf(["run", "talk", "--nodes", "talk", "--runner", "thread"], { cwd: dir });
    assert.equal(r.code, 1);
    const log = await Deno.readTextFile(join(dir, "logs/info.log"));
    assert.match(
      log,
      / - iris\.pipelines\.talk\.nodes - INFO - about to fail on 150 rows\n.* - kedro\.pipeline\.node - ERROR - Node talk: /,
    );
    // In-process: console's methods are the same functions after the run as before it.
    const methods = [...PRINTING_CONSOLE_METHODS, "clear"] as const;
    const before = methods.map((m) => console[m]);
    const cwd = Deno.cwd();
    Deno.chdir(dir);
    try {
      for (const nodes of ["talk", "shout"]) {
        const code = await runCommand("talk", { nodes, quiet: true }, { project: dir }, ["run", "talk"]);
        assert.equal(code, nodes === "talk" ? 1 : 0);
        assert.deepEqual(methods.map((m) => console[m]), before);
      }
    } finally {
      Deno.chdir(cwd);
    }
    assert.match(
      await Deno.readTextFile(join(dir, "logs/info.log")),
      / - iris\.pipelines\.shout\.nodes - WARNING - B warn\n/,
    );
  });
});

Deno.test("a stream handler on the terminal shows a node's line formatted, once; a handler's level does not hide it", async () => {
  const config = TEMPLATE.replace("handlers: [rich, info_file_handler]", "handlers: [console]")
    .replace(
      "class: logging.StreamHandler\n    level: INFO",
      "class: logging.StreamHandler\n    level: WARNING",
    );
  await withProject({ "conf/logging.yml": config }, async (dir) => {
    const r = await kmlf(["run", "talk", "--nodes", "talk"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const lines = normalize(r.stdout).split("\n").filter((l) => /\bA /.test(l)).map((l) =>
      l.replace(BODY, "")
    );
    assert.deepEqual(lines, [
      "A debug detail",
      'A log { rows: 150, first: [ 1, "a" ] }',
      "A info 50% done",
      "iris.pipelines.talk.nodes - WARNING - A warn",
      'iris.pipelines.talk.nodes - ERROR - A error Map(1) { "k" => 1 }',
    ]);
    assert.doesNotMatch(r.stderr, /A (warn|error)/);
  });
});

Deno.test("a function outside the pipelines folder is named from the project root; the file names its module", async () => {
  const config = TEMPLATE.replace(
    '"%(asctime)s - %(name)s - %(levelname)s - %(message)s"',
    '"%(name)s %(filename)s %(module)s %(funcName)s: %(message)s"',
  );
  await withProject({
    "conf/logging.yml": config,
    "lib/steps.ts": talker("step", "C"),
    "pipelines/talk.yml":
      "nodes:\n  - { name: step, func: ../lib/steps.ts#step, inputs: iris, outputs: stepped }\n",
  }, async (dir) => {
    const r = await kmlf(["run", "talk"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const log = await Deno.readTextFile(join(dir, "logs/info.log"));
    assert.match(log, /^iris\.lib\.steps steps\.ts steps step: C warn$/m);
    assert.match(log, /^kedro\.io\.data_catalog data_catalog\.py data_catalog load: Loading data from iris/m);
  });
});
