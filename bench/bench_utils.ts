/** Small helpers shared by the benchmark scripts: timing commands, medians, peak RSS. */

import { bundleRunArgs } from "../tools/build_bundle.ts";
import { KMLF_RUN_FLAGS } from "../lib/cli/project_runtime.ts";

/** Median of numbers. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Result of one timed command. */
export interface CommandTiming {
  ms: number;
  /** Peak resident set size in MB (from GNU time), when available. */
  rssMb?: number;
  /** User + system CPU time in ms (from GNU time, 10 ms resolution), when available: unlike wall time it
   * hardly moves when other work shares the cores. */
  cpuMs?: number;
  code: number;
  /** What the command printed on stdout, when `timeCommand` was asked to keep it. */
  stdout?: string;
}

const hasGnuTime = (() => {
  try {
    return Deno.statSync("/usr/bin/time").isFile;
  } catch {
    return false;
  }
})();

/**
 * Runs a command once, measuring wall time and (with /usr/bin/time) peak RSS.
 *
 * @example
 * ```ts
 * const t = await timeCommand([Deno.execPath(), "--version"], { cwd: "." });
 * ```
 */
export async function timeCommand(
  cmd: string[],
  options: { cwd?: string; env?: Record<string, string>; keepStdout?: boolean } = {},
): Promise<CommandTiming> {
  const argv = hasGnuTime ? ["/usr/bin/time", "-f", "__RSS__%M %U %S", ...cmd] : cmd;
  const start = performance.now();
  const out = await new Deno.Command(argv[0], {
    args: argv.slice(1),
    cwd: options.cwd,
    env: options.env,
    stdout: options.keepStdout ? "piped" : "null",
    stderr: "piped",
  }).output();
  const ms = performance.now() - start;
  const rss = new TextDecoder().decode(out.stderr).match(/__RSS__(\d+) ([\d.]+) ([\d.]+)/);
  return {
    ms,
    rssMb: rss ? Number(rss[1]) / 1024 : undefined,
    cpuMs: rss ? (Number(rss[2]) + Number(rss[3])) * 1000 : undefined,
    code: out.code,
    stdout: options.keepStdout ? new TextDecoder().decode(out.stdout) : undefined,
  };
}

/** Medians of n timed runs: wall ms, peak RSS and mean CPU ms (GNU time's 10 ms steps average out). */
export interface MedianTiming {
  ms: number;
  rssMb?: number;
  cpuMs?: number;
}

/**
 * Medians of several commands run in alternation (one warm-up each, then `n` rounds of each in turn), so
 * every command sees the same machine state.
 *
 * @example
 * ```ts
 * const [a, b] = await alternatedMedians(11, [["deno", "--version"], ["node", "--version"]]);
 * ```
 */
export async function alternatedMedians(
  n: number,
  cmds: string[][],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<MedianTiming[]> {
  for (const cmd of cmds) {
    const first = await timeCommand(cmd, options);
    if (first.code !== 0) throw new Error(`${cmd.join(" ")} exited ${first.code}`);
  }
  const runs: CommandTiming[][] = cmds.map(() => []);
  for (let i = 0; i < n; i++) {
    for (const [k, cmd] of cmds.entries()) runs[k].push(await timeCommand(cmd, options));
  }
  return runs.map(summarizeTimings);
}

/** Median wall ms and peak RSS, mean CPU ms of timed runs. */
export function summarizeTimings(runs: CommandTiming[]): MedianTiming {
  const rss = runs.map((r) => r.rssMb).filter((v): v is number => v !== undefined);
  const cpu = runs.map((r) => r.cpuMs).filter((v): v is number => v !== undefined);
  return {
    ms: median(runs.map((r) => r.ms)),
    rssMb: rss.length ? median(rss) : undefined,
    cpuMs: cpu.length ? cpu.reduce((a, b) => a + b, 0) / cpu.length : undefined,
  };
}

/** The machine's 1-minute load average (from /proc/loadavg), to print next to figures. */
export function loadAverage(): number | undefined {
  try {
    return Number(Deno.readTextFileSync("/proc/loadavg").split(" ")[0]);
  } catch {
    return undefined;
  }
}

/** Prints one benchmark line: name, figure, target and ratio to a baseline where there is one. */
export function report(name: string, value: number, unit: string, target: number, baseline?: number): void {
  const ok = value <= target ? "ok" : "OVER TARGET";
  const ratio = baseline
    ? `  (${(baseline / value).toFixed(1)}x faster than the reference ${baseline} ${unit})`
    : "";
  console.log(
    `${name.padEnd(52)} ${
      (value < 1 ? value.toFixed(3) : value.toFixed(1)).padStart(9)
    } ${unit}  target ≤ ${target} ${unit}  ${ok}${ratio}`,
  );
}

/**
 * The command `deno task install` installs (tools/install.ts): kmlf's bundle in `bundleDir` with kmlf's run
 * flags, plus `--cached-only`.
 *
 * @example
 * ```ts
 * const kmlf = installedKmlf(await kmlfBundle()); // [deno, "run", "--cached-only", …, ".../cli.js"]
 * ```
 */
export function installedKmlf(bundleDir: string): string[] {
  return [Deno.execPath(), "run", "--cached-only", ...KMLF_RUN_FLAGS, ...bundleRunArgs(bundleDir)];
}
