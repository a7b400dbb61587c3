/**
 * kmlf's command-line surface, recorded: every command's `--help` (and `-h`) text, what bad invocations of
 * every error class print and exit with, and the options good invocations hand to an action, so that a
 * change to the command tree or its parser shows every difference users would see.
 * `UPDATE_GOLDEN=1 deno test -A tests/cli/cli_surface_test.ts` rewrites them: review the diff.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { kmlf, REPO } from "../cli_harness.ts";
import { buildProgram } from "../../lib/cli/main.ts";
import { expandKedroShortFlags } from "../../lib/cli/kedro_flags.ts";
import { BAD_INVOCATIONS, commandPaths, GOOD_INVOCATIONS, type Leaf } from "./cli_surface_cases.ts";

const FIXTURE = join(REPO, "tests/fixtures/cli_help/surface.json");
const update = Deno.env.get("UPDATE_GOLDEN") === "1";
// Help shows some defaults from the environment (`runs list --experiment-id`: $MLFLOW_EXPERIMENT_ID): the
// recorded surface is a clean environment's, here and in the kmlf processes this test starts.
for (const name of Object.keys(Deno.env.toObject())) if (name.startsWith("MLFLOW_")) Deno.env.delete(name);

interface Printed {
  argv: string[];
  code: number;
  stdout: string;
  stderr: string;
}

interface Parsed {
  argv: string[];
  /** The command whose action ran, or the error parsing ended with. */
  command?: string;
  args?: unknown[];
  options?: Record<string, unknown>;
  globals?: Record<string, unknown>;
  sources?: Record<string, string | undefined>;
  error?: { code?: string; message: string };
}

interface Surface {
  printed: Printed[];
  parsed: Parsed[];
}

// Help (--help everywhere, -h where it is not a command's own flag) and the bad invocations, as printed.
function printedInvocations(): string[][] {
  const help: string[][] = [];
  for (const { path, command } of commandPaths(buildProgram([]))) {
    help.push([...path, "--help"]);
    if (!command.options.some((o: Leaf) => o.short === "-h")) help.push([...path, "-h"]);
  }
  return [...help, ...BAD_INVOCATIONS];
}

async function printed(): Promise<Printed[]> {
  const cwd = await Deno.makeTempDir({ prefix: "kmlf-surface-" });
  const results: Printed[] = [];
  try {
    for (const argv of printedInvocations()) {
      const { code, stdout, stderr } = await kmlf(argv, { cwd });
      results.push({ argv, code, stdout, stderr: stderr.split(cwd).join("<cwd>") });
    }
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
  return results;
}

// Parses `argv` as main does, with every leaf command's action replaced by one recording what it gets.
async function parse(argv: string[]): Promise<Parsed> {
  const program = buildProgram([]);
  let result: Parsed = { argv };
  for (const { path, command } of commandPaths(program)) {
    command.configureOutput({ outputError: () => {}, writeOut: () => {}, writeErr: () => {} });
    if (command.commands.length > 0) continue;
    command.action((...params: unknown[]) => {
      const cmd = params.at(-1) as Leaf;
      const names: string[] = cmd.options.map((o: Leaf) => o.attributeName());
      result = {
        argv,
        command: path.join(" "),
        args: params.slice(0, -2),
        options: params.at(-2) as Record<string, unknown>,
        globals: cmd.optsWithGlobals(),
        sources: Object.fromEntries(names.map((n) => [n, cmd.getOptionValueSource(n)])),
      };
    });
  }
  try {
    await program.parseAsync(expandKedroShortFlags(argv, program), { from: "user" });
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    result = { argv, error: { code, message } };
  }
  return JSON.parse(JSON.stringify(result, (_k, v) => v === undefined ? "<undefined>" : v));
}

async function parsed(): Promise<Parsed[]> {
  const results: Parsed[] = [];
  for (const argv of GOOD_INVOCATIONS(buildProgram([]))) results.push(await parse(argv));
  return results;
}

async function expected(): Promise<Surface> {
  return JSON.parse(await Deno.readTextFile(FIXTURE));
}

/**
 * Checks `actual` against the fixture's `part`: the same invocations, then each one as recorded. With
 * UPDATE_GOLDEN=1, rewrites that part instead, keeping the other as recorded.
 */
async function matchRecorded(part: keyof Surface, actual: readonly (Printed | Parsed)[]): Promise<void> {
  if (update) {
    const old: Surface = await expected().catch(() => ({ printed: [], parsed: [] }));
    await Deno.writeTextFile(FIXTURE, JSON.stringify({ ...old, [part]: actual }, null, 1) + "\n");
    return;
  }
  const recorded: readonly (Printed | Parsed)[] = (await expected())[part];
  assert.deepEqual(actual.map((p) => p.argv), recorded.map((p) => p.argv), "the invocations changed");
  for (const [i, p] of actual.entries()) assert.deepEqual(p, recorded[i], `kmlf ${p.argv.join(" ")}`);
}

Deno.test("the options good invocations of every command hand to its action are as recorded", async () => {
  const actual = await parsed();
  assert.ok(actual.length > 100, `${actual.length} invocations`);
  await matchRecorded("parsed", actual);
});

Deno.test("every command's help and every class of bad invocation print as recorded", async () => {
  const actual = await printed();
  assert.ok(actual.length > 150, `${actual.length} invocations`);
  await matchRecorded("printed", actual);
});

// A standard terminal is 80 wide: commander wraps help to it, unless a long option name leaves the
// descriptions under its minimum column (then `models predict --help` printed 150-wide lines).
Deno.test("every recorded help text fits 80 columns", async () => {
  const wide = (await expected()).printed
    .filter((p) => p.argv.includes("--help") || p.argv.includes("-h"))
    .flatMap((p) =>
      p.stdout.split("\n").filter((l) => l.length > 80).map((l) => `kmlf ${p.argv.join(" ")}: ${l}`)
    );
  assert.deepEqual(wide, []);
});
