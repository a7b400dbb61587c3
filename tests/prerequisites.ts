/**
 * What the test suite needs besides Deno and the npm registry, in one place. The test command
 * (`deno task test`, tests/run_tests.ts) calls {@link ensurePrerequisites} first, so the README's test
 * command passes by itself on a fresh machine: whatever is missing is installed from Debian's apt,
 * saying so on stderr. Add a new prerequisite (a database server, an S3 server, …) to
 * {@link PREREQUISITES}; the tests that use it start and stop it themselves.
 *
 * @module
 */

/** Debian's Chromium, driven by playwright-core in the web UI's browser tests. */
export const CHROMIUM = "/usr/bin/chromium";

/** Something the tests need that Deno does not bring. */
export interface Prerequisite {
  /** Short name shown to the user, e.g. "chromium". */
  name: string;
  /** Which tests need it, shown when it is installed or missing. */
  neededBy: string;
  /** Whether it is already there. */
  present(): Promise<boolean>;
  /** Debian packages that provide it. */
  apt: string[];
}

/** Everything the suite needs, checked in order. */
export const PREREQUISITES: Prerequisite[] = [
  {
    name: "chromium",
    neededBy: "the web UI's browser tests (tests/server/ui_browser_test.ts)",
    present: () => isFile(CHROMIUM),
    apt: ["chromium"],
  },
];

/** How {@link ensurePrerequisites} runs commands and reports; tests pass their own. */
export interface EnsureOptions {
  /** Runs a command with its output on stderr; returns whether it succeeded. */
  run?(argv: string[], env: Record<string, string>): Promise<boolean>;
  /** One line to the user (default: stderr). */
  log?(line: string): void;
  /** The process's user id (default: `Deno.uid()`); root runs apt-get directly, others through sudo. */
  uid?: number | null;
}

/**
 * Installs the missing prerequisites with one `apt-get update` and one `apt-get install`, telling the
 * user what and why. Returns the names still missing afterwards (the tests needing them then fail
 * with their own message); never throws, so the rest of the suite still runs.
 *
 * @example
 * ```ts
 * const missing = await ensurePrerequisites(); // [] when everything is there
 * ```
 */
export async function ensurePrerequisites(
  list: readonly Prerequisite[] = PREREQUISITES,
  options: EnsureOptions = {},
): Promise<string[]> {
  const log = options.log ?? ((line: string) => console.error(line));
  const run = options.run ?? runToStderr;
  const missing: Prerequisite[] = [];
  for (const p of list) if (!(await p.present())) missing.push(p);
  if (missing.length === 0) return [];
  for (const p of missing) {
    log(`kmlf tests: installing ${p.name} with apt-get (needed by ${p.neededBy})`);
  }
  const commands = aptCommands(
    missing.flatMap((p) => p.apt),
    options.uid === undefined ? Deno.uid() : options.uid,
  );
  for (const argv of commands) {
    if (!(await run(argv, { DEBIAN_FRONTEND: "noninteractive" }))) break;
  }
  const still: string[] = [];
  for (const p of missing) if (!(await p.present())) still.push(p.name);
  for (const name of still) {
    const p = missing.find((m) => m.name === name)!;
    log(
      `kmlf tests: could not install ${name}; ${p.neededBy} will fail. ` +
        `Install it yourself: sudo apt-get install -y ${p.apt.join(" ")}`,
    );
  }
  return still;
}

/**
 * The apt-get command lines that install `packages`: as root directly, otherwise through
 * non-interactive sudo (a password prompt would hang a CI job).
 *
 * @example
 * ```ts
 * aptCommands(["chromium"], 0); // [["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]]
 * ```
 */
export function aptCommands(packages: readonly string[], uid: number | null): string[][] {
  const prefix = uid === 0 ? [] : ["sudo", "-n", "--preserve-env=DEBIAN_FRONTEND"];
  return [
    [...prefix, "apt-get", "update", "-qq"],
    [...prefix, "apt-get", "install", "-y", "-qq", ...packages],
  ];
}

async function runToStderr(argv: string[], env: Record<string, string>): Promise<boolean> {
  try {
    const child = new Deno.Command(argv[0], {
      args: argv.slice(1),
      env,
      stdin: "null",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    // apt's progress goes to stderr: stdout stays the test report, ending with "N passed, M failed".
    for await (const chunk of child.stdout) await Deno.stderr.write(chunk);
    return (await child.status).success;
  } catch (error) {
    console.error(`kmlf tests: cannot run ${argv[0]}: ${(error as Error).message}`);
    return false;
  }
}

async function isFile(path: string): Promise<boolean> {
  return await Deno.stat(path).then((s) => s.isFile, () => false);
}
