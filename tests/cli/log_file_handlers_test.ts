/**
 * The file handlers Python's logging.handlers adds, in a Kedro logging configuration: WatchedFileHandler
 * reopens a file logrotate moved; TimedRotatingFileHandler, as Python's: a log file last
 * changed in an earlier period is renamed `<file>.<start of that period>` at the first line of a later one,
 * dated files past `backupCount` are deleted, and a bad `when` is refused where written. Times come from the
 * records and the files' modification times, so nothing waits for a clock.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { checkLoggingConfig } from "../../lib/cli/logging/dict_config.ts";
import { openHandlers } from "../../lib/cli/logging/handlers.ts";
import { nextRollover, rolledName } from "../../lib/cli/logging/timed_rotation.ts";
import { KmlfAggregateError, type KmlfError } from "../../lib/errors.ts";
import { parseYaml } from "../../lib/yaml/parse_yaml.ts";

const config = (handler: string) =>
  `version: 1\nformatters:\n  plain: {format: "%(message)s"}\nhandlers:\n  timed:\n    class: logging.handlers.TimedRotatingFileHandler\n    formatter: plain\n${handler}root: {level: INFO, handlers: [timed]}\n`;

function open(dir: string, handler: string) {
  const src = parseYaml(config(handler), join(dir, "logging.yml"));
  const spec = checkLoggingConfig(src, dir);
  const handlers = openHandlers(spec, src, { quiet: false, json: false });
  const h = handlers.get("timed")!;
  return {
    line: (message: string, seconds: number) =>
      h.emit({ logger: "kedro", level: 20, message, created: seconds * 1000 }),
    close: () => h.close(),
  };
}

const sorted = (dir: string) => [...Deno.readDirSync(dir)].map((e) => e.name).sort();

Deno.test("a file from an earlier period is renamed to its period's start; backupCount keeps the newest", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const log = join(dir, "logs/info.log");
    await Deno.mkdir(join(dir, "logs"));
    // Three old dated files and yesterday's info.log, last written at 2024-03-05 10:00:07 UTC.
    for (const day of ["02", "03", "04"]) await Deno.writeTextFile(`${log}.2024-03-${day}`, day);
    await Deno.writeTextFile(join(dir, "logs/info.log.keep"), "not a dated file");
    await Deno.writeTextFile(log, "old\n");
    const changed = Date.UTC(2024, 2, 5, 10, 0, 7) / 1000;
    await Deno.utime(log, changed, changed);
    const handler = "    filename: logs/info.log\n    when: midnight\n    backupCount: 2\n    utc: true\n";
    const h = open(dir, handler);
    h.line("still the 5th", changed + 60); // before midnight: no rollover
    h.line("the 6th", Date.UTC(2024, 2, 6, 0, 0, 1) / 1000);
    h.close();
    assert.equal(await Deno.readTextFile(`${log}.2024-03-05`), "old\nstill the 5th\n");
    assert.equal(await Deno.readTextFile(log), "the 6th\n");
    assert.deepEqual(sorted(join(dir, "logs")), [
      "info.log",
      "info.log.2024-03-04",
      "info.log.2024-03-05",
      "info.log.keep",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("S, M, H and D roll over `interval` units after the file last changed; W<n> at the midnight ending weekday n", () => {
  const at = Date.UTC(2024, 2, 5, 10, 0, 7) / 1000; // a Tuesday
  const utc = (when: string, interval = 1) => ({ when, interval, utc: true });
  assert.equal(nextRollover(utc("S", 30), at), at + 30);
  assert.equal(nextRollover(utc("H", 2), at), at + 7200);
  assert.equal(rolledName("/l/info.log", utc("H", 2), at + 7200, at + 7300), "/l/info.log.2024-03-05_10");
  assert.equal(rolledName("/l/info.log", utc("S"), at + 1, at + 1), "/l/info.log.2024-03-05_10-00-07");
  // W0 (Monday): the midnight after next Monday; W1 (today, Tuesday): tonight's midnight.
  assert.equal(nextRollover(utc("W0"), at), Date.UTC(2024, 2, 12) / 1000);
  assert.equal(nextRollover(utc("W1"), at), Date.UTC(2024, 2, 6) / 1000);
});

Deno.test("a bad when, interval or an atTime is refused at its line, with Python's words", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const handler =
      "    filename: logs/x.log\n    when: W7\n    interval: 0\n    atTime: '10:00'\n    mode: w\n";
    const src = parseYaml(config(handler), join(dir, "logging.yml"));
    const problems = (() => {
      try {
        checkLoggingConfig(src, dir);
      } catch (error) {
        return error instanceof KmlfAggregateError ? error.errors : [error as KmlfError];
      }
      return [];
    })();
    assert.deepEqual(
      problems.map((e) => `${e.code} ${e.source?.line} ${e.message}`),
      [
        'logging/invalid 12 Unknown key "mode" in handler "timed" (logging.handlers.TimedRotatingFileHandler)',
        "logging/invalid 9 Invalid day specified for weekly rollover: W7",
        "logging/unsupported 11 Cannot use atTime: a YAML logging configuration cannot give the datetime.time Python needs",
        "logging/invalid 10 interval must be a whole number of units, not 0",
      ],
    );
    assert.deepEqual(sorted(dir), [], "nothing was written");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a WatchedFileHandler opens its file afresh once logrotate moved it, as Python's", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const src = parseYaml(
      "version: 1\nhandlers:\n  w:\n    class: logging.handlers.WatchedFileHandler\n    filename: app.log\n" +
        "root: {level: INFO, handlers: [w]}\n",
      join(dir, "logging.yml"),
    );
    const w = openHandlers(checkLoggingConfig(src, dir), src, { quiet: false, json: false }).get("w")!;
    const line = (message: string) => w.emit({ logger: "kedro", level: 20, message, created: Date.now() });
    line("before");
    await Deno.rename(join(dir, "app.log"), join(dir, "app.log.1"));
    line("after");
    w.close();
    assert.equal(await Deno.readTextFile(join(dir, "app.log.1")), "before\n");
    assert.equal(await Deno.readTextFile(join(dir, "app.log")), "after\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a handler filename written for another machine is refused at its line, for every file handler class", () => {
  if (Deno.build.os === "windows") return;
  const src = parseYaml(
    [
      "version: 1",
      "handlers:",
      "  a: {class: logging.FileHandler, filename: 'C:\\logs\\info.log'}",
      "  b: {class: logging.handlers.RotatingFileHandler, filename: '~/logs/info.log'}",
      "  c: {class: logging.handlers.WatchedFileHandler, filename: 'logs\\info.log'}",
      "  d: {class: logging.handlers.TimedRotatingFileHandler, filename: '\\\\server\\logs\\info.log'}",
      "  e: {class: logging.FileHandler, filename: logs/ok.log}",
      "root: {level: INFO, handlers: [a, b, c, d, e]}",
    ].join("\n"),
    "/p/conf/logging.yml",
  );
  const problems = (() => {
    try {
      checkLoggingConfig(src, "/p");
    } catch (error) {
      return error instanceof KmlfAggregateError ? error.errors : [error as KmlfError];
    }
    return [];
  })();
  assert.deepEqual(problems.map((e) => `${e.code} ${e.source?.line} ${e.source?.keyPath}`), [
    "logging/invalid 3 handlers.a.filename",
    "logging/invalid 4 handlers.b.filename",
    "logging/invalid 5 handlers.c.filename",
    "logging/invalid 6 handlers.d.filename",
  ]);
  assert.match(problems[0].message, /Cannot log to "C:\\logs\\info.log": it is a Windows path/);
  assert.match(problems[1].message, /~ is not expanded in logging.yml/);
  assert.match(problems[2].hint ?? "", /write it with \/: logs\/info.log/);
  assert.match(problems[3].message, /UNC path/);
});
