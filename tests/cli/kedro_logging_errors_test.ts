/**
 * A Kedro logging configuration kmlf cannot carry out is refused before the run, each problem at its
 * file:line:col with the fix, and nothing is written (no log folder, no log file).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { demoProject, kmlf } from "../cli_harness.ts";

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

async function refused(config: string): Promise<{ stderr: string; dir: string }> {
  const dir = await demoProject({ "conf/logging.yml": config });
  const r = await kmlf(["run"], { cwd: dir, env: { NO_COLOR: "1" } });
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, "");
  return { stderr: r.stderr, dir };
}

Deno.test("every refused key of a logging configuration is reported at its line and column, with the fix", async () => {
  const { stderr, dir } = await refused(`version: 1
formatters:
  simple:
    format: "%(asctime)s %(nope)s"
    datefmt: "%Y %Q"
  custom:
    (): my_package.MyFormatter
handlers:
  typo:
    class: logging.handlers.RotatingFileHandlr
  file:
    class: logging.FileHandler
    filename: logs/info.log
    level: info
    formatter: simpel
    filters: [only_kedro]
    encoding: latin-1
loggers:
  kedro: {level: WARNING, handlers: [nope], propagate: maybe}
root:
  handlers: [file]
  lvl: INFO
`);
  try {
    const expected: [string, string, string][] = [
      ["logging/bad-format", "4:13 (formatters.simple.format)", 'unknown record attribute "nope"'],
      ["logging/bad-format", "5:14 (formatters.simple.datefmt)", 'unknown directive "%Q"'],
      ["logging/factory-refused", "7:5 (formatters.custom.())", 'Cannot use "()" in formatter "custom"'],
      [
        "logging/unknown-class",
        "10:12 (handlers.typo.class)",
        'did you mean "logging.handlers.RotatingFileHandler"?',
      ],
      ["logging/unsupported", "16:5 (handlers.file.filters)", "Cannot use filters in handler"],
      ["logging/undefined-name", "15:16 (handlers.file.formatter)", 'No formatter named "simpel"'],
      ["logging/bad-level", "14:12 (handlers.file.level)", "write it in capitals, as Python requires: INFO"],
      ["logging/unsupported", "17:15 (handlers.file.encoding)", 'encoding "latin-1"'],
      ["logging/undefined-name", "19:38 (loggers.kedro.handlers[0])", 'No handler named "nope"'],
      ["logging/invalid", "19:56 (loggers.kedro.propagate)", "propagate must be true or false"],
      ["logging/invalid", "22:3 (root.lvl)", 'Unknown key "lvl" in the root logger'],
    ];
    for (const [code, at, text] of expected) {
      const block = stderr.split("\n\n").find((b) =>
        b.includes(`error[${code}]`) && b.includes(`conf/logging.yml:${at}`)
      );
      assert.ok(block, `${code} at ${at} not in\n${stderr}`);
      assert.ok(block.includes(text), `${text} not in\n${block}`);
      assert.match(block, /\n {2}hint: \S/);
    }
    assert.match(stderr, /Found 11 problems in the logging configuration conf\/logging\.yml\.$/m);
    assert.equal(await exists(join(dir, "logs")), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a log file that cannot be opened is refused at its filename, and the files opened before are removed", async () => {
  const { stderr, dir } = await refused(`version: 1
handlers:
  first:
    class: logging.FileHandler
    filename: logs/new/first.log
  second:
    class: logging.handlers.RotatingFileHandler
    filename: data/01_raw/iris.csv/second.log
root:
  handlers: [first, second]
`);
  try {
    assert.match(
      stderr,
      /error\[logging\/unwritable-log-file\]: Cannot open log file .*iris\.csv\/second\.log of handler "second": .*iris\.csv is not a folder/,
    );
    assert.match(stderr, /at conf\/logging\.yml:8:15 \(handlers\.second\.filename\)/);
    assert.equal(await exists(join(dir, "logs")), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a version other than 1, a format without attributes and a stray % are refused", async () => {
  const { stderr, dir } = await refused(`version: 2
formatters:
  bare: {format: "plain text"}
  stray: {format: "100% %(message)s"}
  brace: {format: "{message}", style: "{"}
`);
  try {
    assert.match(
      stderr,
      /error\[logging\/invalid\]: Unsupported version: 2\n {2}at conf\/logging\.yml:1:10 \(version\)/,
    );
    assert.match(
      stderr,
      /names no record attribute[^\n]*\n {2}at conf\/logging\.yml:3:18 \(formatters\.bare\.format\)/,
    );
    assert.match(
      stderr,
      /"%" at position 3 is neither "%%" nor "%\(attribute\)s"\n {2}at conf\/logging\.yml:4:19 \(formatters\.stray\.format\)/,
    );
    assert.match(
      stderr,
      /error\[logging\/unsupported\]: Cannot use style "\{"[^\n]*\n {2}at conf\/logging\.yml:5:39 \(formatters\.brace\.style\)/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
