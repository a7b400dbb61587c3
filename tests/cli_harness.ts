/**
 * Test helpers for running the real CLI as a subprocess on throw-away projects, with output
 * normalized (temp paths, run ids, durations) and compared to golden files.
 * `UPDATE_GOLDEN=1 deno task test` rewrites the golden files; review them in the diff.
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildBundle, bundleRunArgs } from "../tools/build_bundle.ts";

/** The repository root. */
export const REPO = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");
const CLI = join(REPO, "cli.ts");
/** The CLI entry point, for tests that spawn kmlf themselves (long-running servers). */
export const CLI_PATH = CLI;

/** Output of one CLI invocation. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `kmlf <args>` in `cwd` with colors off and UTC time.
 *
 * @example
 * ```ts
 * const r = await kmlf(["--version"], { cwd: REPO });
 * ```
 */
export function kmlf(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<CliResult> {
  return runDeno(["run", "--allow-all", "--quiet", CLI, ...args], options.cwd, { TZ: "UTC", ...options.env });
}

/** A running kmlf whose output one stream is read as it comes, to signal it at the right moment. */
export interface WatchedKmlf {
  child: Deno.ChildProcess;
  /** Reads the watched stream until `text` has appeared (or the stream ended); returns all read so far. */
  waitFor(text: string | RegExp): Promise<string>;
  /** Reads the watched stream to its end; the exit code and everything it printed. */
  finish(): Promise<{ code: number; seen: string }>;
}

/**
 * Starts `kmlf <args>` in `cwd` (colors off), reading `watch` (stderr by default; the other stream is
 * discarded) so that a test can wait for a line, then send a signal. `denoFlags` go to `deno run` (e.g.
 * `--coverage=<dir>`, to list the modules the process evaluated).
 *
 * @example
 * ```ts
 * const run = spawnKmlf(["run", "training"], { cwd: dir });
 * await run.waitFor("▶ predict");
 * run.child.kill("SIGTERM");
 * const { code, seen } = await run.finish();
 * ```
 */
export function spawnKmlf(
  args: string[],
  options: { cwd: string; watch?: "stdout" | "stderr"; env?: Record<string, string>; denoFlags?: string[] },
): WatchedKmlf {
  const watch = options.watch ?? "stderr";
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "--quiet", ...(options.denoFlags ?? []), CLI, ...args],
    cwd: options.cwd,
    env: { NO_COLOR: "1", ...options.env },
    stdout: watch === "stdout" ? "piped" : "null",
    stderr: watch === "stderr" ? "piped" : "null",
  }).spawn();
  const reader = child[watch].getReader();
  const decoder = new TextDecoder();
  let seen = "";
  let ended = false;
  const readUntil = async (done: () => boolean) => {
    while (!ended && !done()) {
      const chunk = await reader.read();
      if (chunk.done) ended = true;
      else seen += decoder.decode(chunk.value, { stream: true });
    }
    return seen;
  };
  return {
    child,
    waitFor: (text) => readUntil(() => typeof text === "string" ? seen.includes(text) : text.test(seen)),
    finish: async () => {
      await readUntil(() => false);
      return { code: (await child.status).code, seen };
    },
  };
}

// `deno <args>` in `cwd` with colors off, its output decoded.
/**
 * Runs `deno <args>` (this Deno) in `cwd` with colors off: the exit code and both streams.
 *
 * @example
 * ```ts
 * const { code, stdout } = await runDeno(["doc", "--lint", "mod.ts"], REPO);
 * ```
 */
export async function runDeno(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<CliResult> {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

let bundle: Promise<string> | undefined;

/**
 * The folder of kmlf's bundle (tools/build_bundle.ts, what `deno task install` and `deno task compile`
 * ship), built once per test process into a temp folder.
 *
 * @example
 * ```ts
 * const dir = await kmlfBundle(); // holds cli.js, mod.js, deno.json, chunks
 * ```
 */
export function kmlfBundle(): Promise<string> {
  bundle ??= (async () => {
    const parent = await Deno.makeTempDir({ prefix: "kmlf-test-bundle-" });
    globalThis.addEventListener("unload", () => Deno.removeSync(parent, { recursive: true }));
    const dir = join(parent, "bundle");
    await buildBundle(REPO, dir);
    return dir;
  })();
  return bundle;
}

/**
 * Runs `kmlf <args>` as `deno task install` installs it: the bundle with its deno.json (`--cached-only`).
 *
 * @example
 * ```ts
 * const r = await bundledKmlf(["run", "training"], { cwd: projectDir });
 * ```
 */
export async function bundledKmlf(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<CliResult> {
  const dir = await kmlfBundle();
  return runDeno(
    ["run", "--cached-only", "--allow-all", ...bundleRunArgs(dir), ...args],
    options.cwd,
    options.env,
  );
}

/**
 * Runs kmlf the way the compiled binary would (deno-runtime.md): the bundle the binary is compiled from,
 * from a project directory outside kmlf's tree, without restarting in the project's configuration.
 *
 * @example
 * ```ts
 * const r = await compiledKmlf(["run", "training", "-q"], projectDir);
 * ```
 */
export function compiledKmlf(args: string[], cwd: string): Promise<CliResult> {
  // A compiled binary runs project code under its own import map (no project runtime).
  return bundledKmlf(args, { cwd, env: { KMLF_PROJECT_RUNTIME: "off" } });
}

/**
 * The demo catalog with plain file datasets instead of Mlflow ones, for core-engine tests that run
 * without tracking (the demo itself tracks to mlflow.db).
 */
export const UNTRACKED_CATALOG = `# Datasets of the iris demo. Paths are relative to the project root.
iris:
  type: csv
  filepath: data/01_raw/iris.csv

model:
  type: pickle
  filepath: data/06_models/model.pkl

predictions:
  type: csv
  filepath: data/07_model_output/predictions.csv

metrics:
  type: json
  filepath: data/08_reporting/metrics.json

train_history:
  type: json
  filepath: data/08_reporting/train_history.json

instances:
  type: csv
  filepath: data/01_raw/instances.csv

inference_predictions:
  type: csv
  filepath: data/07_model_output/inference_predictions.csv
`;

/**
 * Creates a fresh copy of the iris demo project (via `kmlf new`) in a temp dir, then applies `files`
 * (relative path → content; `null` deletes the file).
 *
 * @example
 * ```ts
 * const dir = await demoProject({ "conf/base/parameters.yml": "target: species\n" });
 * ```
 */
export async function demoProject(
  files: Record<string, string | null> = {},
  options: { example?: boolean; tracked?: boolean } = {},
): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-test-" });
  const { projectFiles } = await import("../lib/cli/new_command.ts");
  const untracked: Record<string, string | null> = options.tracked
    ? {}
    : { "conf/base/catalog.yml": UNTRACKED_CATALOG, "conf/base/mlflow.yml": null };
  const all: Record<string, string | null> = {
    ...projectFiles("iris", options.example !== false),
    ...untracked,
    ...files,
  };
  for (const [path, content] of Object.entries(all)) {
    const target = join(dir, path);
    if (content === null) {
      await Deno.remove(target, { recursive: true }).catch(() => {});
      continue;
    }
    await Deno.mkdir(dirname(target), { recursive: true });
    await Deno.writeTextFile(target, content);
  }
  return dir;
}

/** Replaces temp paths, run ids, timestamps and durations so output is stable across runs. */
export function normalize(text: string, dir?: string): string {
  let t = text;
  if (dir) t = t.split(dir).join("<project>");
  return t
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}\.\d{2}\.\d{2}\.\d{3}Z/g, "<run-id>")
    .replace(/\(\d+(\.\d+)? m?s\)/g, "(<t>)")
    .replace(/in \d+(\.\d+)? m?s/g, "in <t>")
    .replace(/file:\/\/\/[^\s)]*\/tests\//g, "file:///<repo>/tests/")
    .replace(/"durationMs":\d+/g, '"durationMs":0');
}

/**
 * Compares `actual` with `tests/golden/<name>.txt` (or writes it when UPDATE_GOLDEN=1).
 *
 * @example
 * ```ts
 * await assertGolden("cli/version", "0.1.0\n");
 * ```
 */
export async function assertGolden(name: string, actual: string): Promise<void> {
  const path = join(REPO, "tests/golden", `${name}.txt`);
  if (Deno.env.get("UPDATE_GOLDEN") === "1") {
    await Deno.mkdir(dirname(path), { recursive: true });
    await Deno.writeTextFile(path, actual);
    return;
  }
  let expected: string;
  try {
    expected = await Deno.readTextFile(path);
  } catch {
    throw new Error(`Golden file ${path} is missing; run with UPDATE_GOLDEN=1 to create it`);
  }
  assert.equal(actual, expected, `output differs from golden file tests/golden/${name}.txt`);
}
