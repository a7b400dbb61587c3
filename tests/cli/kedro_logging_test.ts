/**
 * Kedro's logging configuration carried out by `kmlf run`: the template's `conf/logging.yml` (a rich console
 * and a rotating `logs/info.log`), rotation, levels, `$KEDRO_LOGGING_CONFIG`, and every refused input,
 * located, with nothing written.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { demoProject, kmlf, normalize, REPO } from "../cli_harness.ts";

const TEMPLATE = await Deno.readTextFile(join(REPO, "tests/fixtures/kedro_port/logging.yml"));
const LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} - [\w.]+ - (DEBUG|INFO|WARNING|ERROR|CRITICAL) - /;

async function withProject(
  files: Record<string, string>,
  test: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await demoProject(files);
  try {
    await test(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);
const lines = async (path: string) => (await Deno.readTextFile(path)).split("\n").filter((l) => l !== "");

Deno.test("the Kedro template's conf/logging.yml writes Kedro's lines to logs/info.log; the terminal keeps kmlf's", async () => {
  await withProject({ "conf/logging.yml": TEMPLATE }, async (dir) => {
    const r = await kmlf(["run"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\[1\/6\] ▶ split_data$/m);
    assert.match(r.stdout, /^✔ Completed 6 nodes in /m);
    assert.match(
      r.stderr,
      /^Using 'conf\/logging\.yml' as logging configuration\. You can change this by setting/m,
    );
    assert.doesNotMatch(r.stderr, /does not read/);
    const log = await lines(join(dir, "logs/info.log"));
    for (const line of log) assert.match(line, LINE);
    const body = log.map((l) => l.replace(/^.*?,\d{3} - /, ""));
    assert.equal(
      body[0],
      "kedro.framework.project - INFO - Using 'conf/logging.yml' as logging configuration. You can change this " +
        "by setting the KEDRO_LOGGING_CONFIG environment variable accordingly.",
    );
    for (
      const expected of [
        "kedro.pipeline.node - INFO - Running node: split_data: splitData([iris;params:split;params:target]) -> [X_train;y_train;X_test;y_test]",
        "kedro.io.data_catalog - INFO - Loading data from iris (CSVDataset)...",
        "kedro.io.data_catalog - INFO - Saving data to model (PickleDataset)...",
        "kedro.runner.sequential_runner - INFO - Completed node: split_data",
        "kedro.runner.sequential_runner - INFO - Completed 1 out of 6 tasks",
        "kedro.runner.sequential_runner - INFO - Completed 6 out of 6 tasks",
      ]
    ) assert.ok(body.includes(expected), `${expected}\nnot in\n${body.join("\n")}`);
    assert.match(
      body.at(-1)!,
      /^kedro\.runner\.sequential_runner - INFO - Pipeline execution completed successfully in \d+\.\d sec\.$/,
    );
    // The rich handler is on root; kedro-mlflow's INFO note is under root's default WARNING, as in Kedro.
    assert.doesNotMatch(r.stderr, /Tracking is off/);
  });
});

Deno.test("a RotatingFileHandler with a tiny maxBytes rotates as Python does: info.log, .1 … .backupCount", async () => {
  const config = TEMPLATE.replace("maxBytes: 10485760 # 10MB", "maxBytes: 600").replace(
    "backupCount: 20",
    "backupCount: 3",
  );
  await withProject({ "conf/logging.yml": config }, async (dir) => {
    const r = await kmlf(["run"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const base = join(dir, "logs/info.log");
    for (const file of [base, `${base}.1`, `${base}.2`, `${base}.3`]) {
      const size = (await Deno.stat(file)).size;
      const count = (await lines(file)).length;
      // Each file ends before the line that would reach maxBytes (one longer line fills a file alone).
      assert.ok(size < 600 || count === 1, `${file}: ${size} bytes in ${count} lines`);
    }
    assert.equal(await exists(`${base}.4`), false);
    // The newest lines are in info.log, the older ones in .1, .2, .3 in that order.
    const order = [
      ...await lines(`${base}.3`),
      ...await lines(`${base}.2`),
      ...await lines(`${base}.1`),
      ...await lines(base),
    ];
    assert.match(order.at(-1)!, /Pipeline execution completed successfully/);
    assert.deepEqual([...order].sort((a, b) => a.slice(0, 23).localeCompare(b.slice(0, 23))), order);
  });
});

Deno.test("levels apply as in Python: kedro at WARNING silences INFO lines, a child logger at INFO lets its own through", async () => {
  const quiet = TEMPLATE.replace("  kedro:\n    level: INFO", "  kedro:\n    level: WARNING");
  await withProject({ "conf/logging.yml": quiet }, async (dir) => {
    const r = await kmlf(["run"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    // Only warnings reach the file (kmlf's note that tracking is off); the terminal hides the INFO lines too.
    const log = await lines(join(dir, "logs/info.log"));
    assert.ok(log.length > 0);
    for (const line of log) assert.match(line, / - kedro_mlflow\.framework\.hooks\.mlflow_hook - WARNING - /);
    assert.doesNotMatch(r.stdout, /▶ split_data/);
    assert.doesNotMatch(r.stderr, /Using 'conf/);
  });
  const nodesOnly = quiet.replace("loggers:\n", "loggers:\n  kedro.pipeline.node:\n    level: INFO\n");
  await withProject({ "conf/logging.yml": nodesOnly }, async (dir) => {
    const r = await kmlf(["run"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const kedro = (await lines(join(dir, "logs/info.log"))).filter((l) => / - kedro\./.test(l));
    assert.equal(kedro.length, 6);
    for (const line of kedro) assert.match(line, / - kedro\.pipeline\.node - INFO - Running node: /);
  });
});

Deno.test("KEDRO_LOGGING_CONFIG comes before conf/logging.yml; a missing file it names is refused", async () => {
  const other = TEMPLATE.replace("filename: logs/info.log", "filename: logs/from_env.log");
  await withProject({ "conf/logging.yml": TEMPLATE, "settings/logging.yml": other }, async (dir) => {
    const r = await kmlf(["run"], { cwd: dir, env: { KEDRO_LOGGING_CONFIG: "settings/logging.yml" } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^Using 'settings\/logging\.yml' as logging configuration/m);
    assert.match(await Deno.readTextFile(join(dir, "logs/from_env.log")), / - Completed node: split_data\n/);
    assert.equal(await exists(join(dir, "logs/info.log")), false);
    const missing = await kmlf(["run"], { cwd: dir, env: { KEDRO_LOGGING_CONFIG: "nope.yml" } });
    assert.equal(missing.code, 2);
    assert.match(
      missing.stderr,
      /error\[logging\/missing-config\]: Cannot read the logging configuration KEDRO_LOGGING_CONFIG names: .*nope\.yml is not a file/,
    );
    assert.match(missing.stderr, /hint: point KEDRO_LOGGING_CONFIG at a logging\.yml/);
    if (Deno.build.os === "windows") return;
    // One written for another machine says why it is no file here.
    const windows = await kmlf(["run"], { cwd: dir, env: { KEDRO_LOGGING_CONFIG: "conf\\logging.yml" } });
    assert.equal(windows.code, 2);
    assert.match(
      windows.stderr,
      /error\[logging\/missing-config\]: .*\(conf\\logging\.yml\): \\ separates folders on Windows only/,
    );
    assert.match(windows.stderr, /hint: write it with \/: conf\/logging\.yml/);
  });
});

Deno.test("--quiet and --json keep their meaning with a logging configuration; the file still gets every line", async () => {
  const console = TEMPLATE.replace(
    "handlers: [rich, info_file_handler]",
    "handlers: [console, rich, info_file_handler]",
  );
  await withProject({ "conf/logging.yml": console }, async (dir) => {
    const json = await kmlf(["run", "--json"], { cwd: dir });
    assert.equal(json.code, 0, json.stderr);
    assert.equal(JSON.parse(json.stdout).status, "success");
    const quiet = await kmlf(["run", "--quiet"], { cwd: dir });
    assert.equal(quiet.code, 0, quiet.stderr);
    const shown = quiet.stdout.split("\n").filter((l) => l !== "");
    assert.equal(shown.length, 2, quiet.stdout);
    assert.match(
      shown[0],
      / - kedro\.runner\.sequential_runner - INFO - Pipeline execution completed successfully/,
    );
    assert.match(shown[1], /^✔ Completed 6 nodes in /);
    const log = await Deno.readTextFile(join(dir, "logs/info.log"));
    assert.equal(log.match(/Completed 6 out of 6 tasks/g)?.length, 2);
  });
});

Deno.test("a failing node: the rich handler prints what kmlf prints without logging.yml; the file gets Kedro's ERROR and the resume hint", async () => {
  const broken = {
    "pipelines/iris/broken.ts":
      "export function reportAccuracy(_p: unknown, _y: unknown) {\n  throw new Error('metrics service unavailable');\n}\n",
  };
  const dir = await demoProject(broken);
  try {
    const training = join(dir, "pipelines/training.yml");
    const text = await Deno.readTextFile(training);
    await Deno.writeTextFile(
      training,
      text.replace("./iris/nodes.ts#reportAccuracy", "./iris/broken.ts#reportAccuracy"),
    );
    const plain = await kmlf(["run", "training"], { cwd: dir });
    await Deno.writeTextFile(join(dir, "conf/logging.yml"), TEMPLATE);
    const logged = await kmlf(["run", "training"], { cwd: dir });
    assert.equal(plain.code, 1);
    assert.equal(logged.code, 1);
    // Apart from the "Using" line and kedro-mlflow's INFO note (under the template's root level, WARNING).
    const same = (s: string) =>
      normalize(s, dir).replace(/^Using 'conf\/logging\.yml'.*\n/m, "").replace(
        /^Tracking is off: .*\n/m,
        "",
      );
    assert.equal(same(logged.stdout), same(plain.stdout));
    assert.equal(same(logged.stderr), same(plain.stderr));
    assert.match(
      plain.stderr,
      /Resume from the nearest nodes with persisted inputs:\n {2}kmlf run training --from-nodes /,
    );
    const log = await Deno.readTextFile(join(dir, "logs/info.log"));
    assert.match(
      log,
      / - kedro\.pipeline\.node - ERROR - Node report_accuracy: reportAccuracy\(\[predictions;y_test\]\) -> \[metrics\] failed with error: \nNode "report_accuracy" \(\.\/iris\/broken\.ts#reportAccuracy\) failed: metrics service unavailable\n/,
    );
    assert.match(
      log,
      / - kedro\.runner\.sequential_runner - WARNING - Resume from the nearest nodes with persisted inputs:\n {2}kmlf run training --from-nodes /,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Python's network, syslog, queue and mail handlers are dropped with a located note; the run and the other handlers go on", async () => {
  const config = TEMPLATE.replace(
    "handlers:\n",
    "handlers:\n  syslog:\n    class: logging.handlers.SysLogHandler\n    address: /dev/log\n    facility: local0\n" +
      "  queue:\n    class: logging.handlers.QueueHandler\n    queue: ext://queue.Queue\n",
  ).replace(/root:\n {2}handlers: \[([^\]]*)\]/, "root:\n  handlers: [$1, syslog, queue]");
  assert.match(config, /handlers: \[[^\]]*, syslog, queue\]/);
  await withProject({ "conf/logging.yml": config }, async (dir) => {
    const r = await kmlf(["run"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^✔ Completed 6 nodes in /m);
    const notes = normalize(r.stderr).split("\n").filter((l) => l.startsWith("Note: "));
    assert.deepEqual(notes.map((n) => n.replace(/:\d+:\d+ /, ":L:C ")), [
      'Note: conf/logging.yml:L:C (handlers.syslog.class): kmlf does not carry out logging.handlers.SysLogHandler: handler "syslog" drops its records; the other handlers work (remove it, or use logging.handlers.RotatingFileHandler to keep a log file)',
      'Note: conf/logging.yml:L:C (handlers.queue.class): kmlf does not carry out logging.handlers.QueueHandler: handler "queue" drops its records; the other handlers work (remove it, or use logging.handlers.RotatingFileHandler to keep a log file)',
    ]);
    const line = config.split("\n").findIndex((l) => l.includes("logging.handlers.SysLogHandler")) + 1;
    assert.match(notes[0], new RegExp(`^Note: conf/logging\\.yml:${line}:12 `));
    const log = await lines(join(dir, "logs/info.log"));
    assert.ok(
      log.some((l) => l.includes("kedro.framework.project - WARNING - conf/logging.yml:")),
      log.join("\n"),
    );
    assert.ok(log.some((l) => l.includes("Completed 6 out of 6 tasks")));
  });
});

// The note is kmlf's word on its own limit: it reaches the terminal once wherever the configuration sends
// records (to a file only, to the dropped handler only, with kedro's loggers disabled) and under --quiet.
Deno.test("the dropped-handler note reaches the terminal once when the configuration sends nothing there", async () => {
  const config = (root: string, disable = false) =>
    `version: 1\ndisable_existing_loggers: ${disable ? "True" : "False"}\n` +
    "handlers:\n  syslog:\n    class: logging.handlers.SysLogHandler\n" +
    "  file:\n    class: logging.FileHandler\n    filename: logs/info.log\n" +
    `root:\n  level: INFO\n  handlers: [${root}]\n`;
  const cases: [string, string[]][] = [
    [config("syslog, file"), ["run"]],
    [config("syslog"), ["run", "--quiet"]],
    [config("syslog, file", true), ["run"]],
    // A rich handler shows it itself, under --quiet too: not twice.
    [TEMPLATE.replace("handlers:\n", "handlers:\n  syslog:\n    class: logging.handlers.SysLogHandler\n"), [
      "run",
      "--quiet",
    ]],
  ];
  for (const [yaml, args] of cases) {
    await withProject({ "conf/logging.yml": yaml }, async (dir) => {
      const r = await kmlf(args, { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      const notes = r.stderr.split("\n").filter((l) => l.includes("does not carry out"));
      assert.equal(notes.length, 1, `${yaml}\n${r.stderr}`);
      assert.match(
        notes[0],
        /^Note: conf\/logging\.yml:\d+:\d+ \(handlers\.syslog\.class\): kmlf does not carry out/,
      );
    });
  }
});
