/** `main` builds only the top-level command argv names: the same commands, options and help as the whole tree. */
import assert from "node:assert/strict";
import type { Command } from "../../lib/cli/_commander/index.js";
import { buildProgram, namedCommand } from "../../lib/cli/main.ts";
import { kmlf } from "../cli_harness.ts";

// Every command's help text under `command`, keyed by its path (`catalog list`).
function helpTexts(command: Command, path: string[] = []): Map<string, string> {
  const texts = new Map([[path.join(" "), command.helpInformation()]]);
  for (const sub of command.commands) {
    for (const [key, text] of helpTexts(sub, [...path, sub.name()])) texts.set(key, text);
  }
  return texts;
}

Deno.test("each top-level command built alone has the whole tree's subcommands, options and help", () => {
  const full = buildProgram([]);
  const names = full.commands.map((c) => c.name());
  assert.ok(names.length > 10 && names.includes("run") && names.includes("catalog"), names.join(", "));
  const whole = helpTexts(full);
  for (const name of names) {
    const alone = buildProgram([name], undefined, name);
    assert.ok(alone.commands.some((c) => c.name() === name), `${name} is not defined when selected`);
    for (const [key, text] of helpTexts(alone)) {
      if (key === "") continue; // the root lists only what was built
      assert.equal(text, whole.get(key), `help of \`kmlf ${key}\` differs when built alone`);
    }
    const built = helpTexts(alone);
    for (const key of whole.keys()) {
      if (key === name || key.startsWith(`${name} `)) assert.ok(built.has(key), `\`kmlf ${key}\` is missing`);
    }
  }
});

Deno.test("an unknown or absent command name builds the whole tree", () => {
  const all = buildProgram([]).commands.length;
  for (const only of [undefined, "help", "viz", "--help", ""]) {
    assert.equal(buildProgram([], undefined, only).commands.length, all, String(only));
  }
});

Deno.test("namedCommand: the first word after kmlf's own options, or nothing", () => {
  assert.equal(namedCommand(["run", "training"]), "run");
  assert.equal(namedCommand(["--project", "p", "catalog", "list"]), "catalog");
  assert.equal(namedCommand(["--project=p", "--debug", "registry", "list"]), "registry");
  assert.equal(namedCommand(["--project", "run", "new", "x"]), "new"); // `run` is --project's value
  assert.equal(namedCommand(["--debug", "--project"]), undefined);
  for (const argv of [[], ["--help"], ["-h"], ["-V"], ["-x", "run"], ["--unknown", "run"], ["--debug"]]) {
    assert.equal(namedCommand(argv), undefined, argv.join(" "));
  }
});

Deno.test("the CLI still answers --help, help <command>, unknown commands and suggestions", async () => {
  const cwd = await Deno.makeTempDir({ prefix: "kmlf-selection-" });
  const help = await kmlf(["--help"], { cwd });
  assert.equal(help.code, 0);
  for (const name of ["run", "catalog", "mlflow", "models", "server", "completion"]) {
    assert.match(help.stdout, new RegExp(`\\n  ${name}\\b`), name);
  }
  const sub = await kmlf(["help", "catalog"], { cwd });
  assert.equal(sub.code, 0);
  assert.match(sub.stdout, /Usage: kmlf catalog/);
  const typo = await kmlf(["catalgo", "list"], { cwd });
  assert.equal(typo.code, 2);
  assert.match(
    typo.stderr,
    /error\[cli\/usage\]: unknown command 'catalgo'\n {2}hint: did you mean catalog\?/,
  );
  const inner = await kmlf(["catalog", "lsit"], { cwd });
  assert.equal(inner.code, 2);
  assert.match(inner.stderr, /unknown command 'lsit'[\s\S]*did you mean list\?/);
  const option = await kmlf(["--project", ".", "run", "--nodse", "a"], { cwd });
  assert.equal(option.code, 2);
  assert.match(option.stderr, /unknown option '--nodse'[\s\S]*did you mean --nodes\?/);
  await Deno.remove(cwd, { recursive: true });
});
