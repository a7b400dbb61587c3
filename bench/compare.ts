/**
 * `deno task bench:compare`: kmlf's demo against the same iris pipeline under kedro + kedro-mlflow, run in
 * alternation so both see the same machine, with both medians (wall time, peak RSS) and the ratio.
 *
 * kmlf's side is always measured: `kmlf new` writes the demo project into a temporary folder and
 * `kmlf run training` runs there (tracked to SQLite, the model logged), as `deno task install` installs it
 * (this checkout's bundle, built first) or as `--kmlf "<command>"` says (e.g. a compiled kmlf). The peer is
 * measured only when a kedro installation is found — `KEDRO_BIN` or `kedro` on PATH — together with a kedro
 * project to run (`KEDRO_PROJECT` or `--kedro-project DIR`, e.g. kedro's iris starter with kedro-mlflow
 * added); nothing is installed for it. Without one, kmlf's figures are printed alone, with how to add the peer.
 *
 *   deno task bench:compare [--runs N] [--kmlf "<command>"] [--kedro-project DIR] [--kedro-args "run …"]
 *
 * Prints figures; asserts nothing. Peak RSS needs GNU time (/usr/bin/time).
 */
import { join, resolve } from "node:path";
import { type CommandTiming, installedKmlf, loadAverage, median, timeCommand } from "./bench_utils.ts";
import { kmlfBundle } from "../tests/cli_harness.ts";

/** Parsed command line of the comparison. */
export interface CompareArgs {
  runs: number;
  kmlf?: string[];
  kedroProject?: string;
  kedroArgs: string[];
}

/**
 * Parses `--runs N`, `--kmlf "<command>"`, `--kedro-project DIR` and `--kedro-args "<args>"`.
 *
 * @example
 * ```ts
 * parseCompareArgs(["--runs", "5"]); // { runs: 5, kedroArgs: ["run"] }
 * ```
 */
export function parseCompareArgs(args: readonly string[]): CompareArgs {
  const parsed: CompareArgs = { runs: 11, kedroArgs: ["run"] };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === "--runs") parsed.runs = Number(value());
    else if (flag === "--kmlf") parsed.kmlf = value().split(/\s+/).filter(Boolean);
    else if (flag === "--kedro-project") parsed.kedroProject = resolve(value());
    else if (flag === "--kedro-args") parsed.kedroArgs = value().split(/\s+/).filter(Boolean);
    else throw new Error(`Unknown argument "${args[i]}": see the header of bench/compare.ts`);
  }
  if (!Number.isInteger(parsed.runs) || parsed.runs < 1) throw new Error("--runs must be a whole number ≥ 1");
  return parsed;
}

/** `KEDRO_BIN`, else `kedro` found on PATH, else undefined. */
function findKedro(): string | undefined {
  const explicit = Deno.env.get("KEDRO_BIN");
  if (explicit) return explicit;
  for (const dir of (Deno.env.get("PATH") ?? "").split(":").filter(Boolean)) {
    try {
      if (Deno.statSync(join(dir, "kedro")).isFile) return join(dir, "kedro");
    } catch { /* not here */ }
  }
  return undefined;
}

async function newDemo(kmlf: string[]): Promise<string> {
  const parent = await Deno.makeTempDir({ prefix: "kmlf-compare-" });
  const dir = join(parent, "iris");
  const made = await new Deno.Command(kmlf[0], {
    args: [...kmlf.slice(1), "new", dir],
    stdout: "null",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  if (!made.success) throw new Error(`kmlf new failed: ${new TextDecoder().decode(made.stderr)}`);
  return dir;
}

function line(name: string, runs: CommandTiming[]): string {
  const rss = runs.map((r) => r.rssMb).filter((v): v is number => v !== undefined);
  return `${name.padEnd(40)} ${median(runs.map((r) => r.ms)).toFixed(0).padStart(6)} ms` +
    (rss.length ? `  ${median(rss).toFixed(0).padStart(4)} MB peak RSS` : "");
}

if (import.meta.main) {
  const args = parseCompareArgs(Deno.args);
  const kmlf = args.kmlf ?? installedKmlf(await kmlfBundle());
  const kedro = findKedro();
  const kedroProject = args.kedroProject ?? Deno.env.get("KEDRO_PROJECT");
  const peer = kedro && kedroProject ? { bin: kedro, project: resolve(kedroProject) } : undefined;
  const demo = await newDemo(kmlf);
  const env = { NO_COLOR: "1" };
  const kmlfRun = [...kmlf, "run", "training", "--quiet"];
  try {
    console.log(
      `${Deno.build.os}/${Deno.build.arch}, ${navigator.hardwareConcurrency} cores, Deno ${Deno.version.deno}, ` +
        `load average ${loadAverage() ?? "?"} at start, ${args.runs} runs each after one warm-up`,
    );
    const ours: CommandTiming[] = [];
    const theirs: CommandTiming[] = [];
    for (let i = 0; i <= args.runs; i++) {
      const a = await timeCommand(kmlfRun, { cwd: demo, env });
      if (a.code !== 0) throw new Error(`kmlf run training exited ${a.code} in ${demo}`);
      if (i > 0) ours.push(a);
      if (peer) {
        const b = await timeCommand([peer.bin, ...args.kedroArgs], { cwd: peer.project, env });
        if (b.code !== 0) {
          throw new Error(`${peer.bin} ${args.kedroArgs.join(" ")} exited ${b.code} in ${peer.project}`);
        }
        if (i > 0) theirs.push(b);
      }
    }
    console.log(line("kmlf run training (tracked, SQLite)", ours));
    if (peer) {
      console.log(line(`kedro ${args.kedroArgs.join(" ")} (${peer.project})`, theirs));
      const ratio = median(theirs.map((r) => r.ms)) / median(ours.map((r) => r.ms));
      console.log(`kmlf is ${ratio.toFixed(1)}x faster (median wall time, same minutes)`);
    } else {
      console.log(
        kedro
          ? `kedro found (${kedro}) but no project to run: pass --kedro-project DIR or set KEDRO_PROJECT`
          : "no kedro found: set KEDRO_BIN (or put kedro on PATH) and KEDRO_PROJECT to compare with kedro",
      );
    }
    console.log(`load average ${loadAverage() ?? "?"} at end`);
  } finally {
    await Deno.remove(resolve(demo, ".."), { recursive: true });
  }
}
