/**
 * Two commands compared in pairs: each round runs both, the order flipped every round, and the figures are
 * the medians of the per-round differences (B − A) with a bootstrap 90 % interval — wall time, CPU time of all
 * threads (GNU time's 10 ms steps: read it over many rounds) and peak RSS. On a VM whose speed drifts by 30–40 % within minutes this resolves a 2–3 ms change
 * that single medians cannot (bench/README.md, "Less code at start").
 *
 *   deno run -A bench/paired.ts [--runs=41] [--cwd=DIR] [--figure=REGEX] -- "<command A>" "<command B>"
 *
 * `--figure` pairs a number each command prints on stdout too (the regular expression's first group), e.g.
 * `--figure="([\d.]+) ms to the first"` with `bench/first_health.ts`, whose wall time also holds its own
 * start and the server's stop.
 *
 * Each command is a shell-free argument list split on spaces (no quoting); both are run once before the
 * rounds. Example, two bundles on the demo:
 *
 *   deno run -A bench/paired.ts --cwd=/tmp/proj -- \
 *     "deno run --cached-only -A --config /tmp/a/deno.json /tmp/a/cli.js catalog list" \
 *     "deno run --cached-only -A --config /tmp/b/deno.json /tmp/b/cli.js catalog list"
 *
 * V8 flags are part of Deno's code-cache key: two commands with different `--v8-flags` rewrite each other's
 * cache entries every round, so compare flag sets in blocks instead.
 */
import { type CommandTiming, loadAverage, median, timeCommand } from "./bench_utils.ts";

/** The median of the differences and its bootstrap 90 % interval. */
export interface PairedDifference {
  median: number;
  low: number;
  high: number;
}

/**
 * The median of `diffs` with a 90 % interval from `resamples` bootstrap resamples (seeded, so a result can be
 * recomputed).
 *
 * @example
 * ```ts
 * pairedDifference([-2, -3, -1, -2.5]); // { median: -2.25, low: …, high: … }
 * ```
 */
export function pairedDifference(diffs: number[], resamples = 2000): PairedDifference {
  let state = 42;
  const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const medians: number[] = [];
  for (let r = 0; r < resamples; r++) {
    medians.push(median(diffs.map(() => diffs[Math.floor(random() * diffs.length)])));
  }
  medians.sort((a, b) => a - b);
  return {
    median: median(diffs),
    low: medians[Math.floor(resamples * 0.05)],
    high: medians[Math.floor(resamples * 0.95)],
  };
}

if (import.meta.main) {
  const dash = Deno.args.indexOf("--");
  const flags = dash < 0 ? Deno.args : Deno.args.slice(0, dash);
  const commands = dash < 0 ? [] : Deno.args.slice(dash + 1);
  const flag = (name: string) => flags.find((f) => f.startsWith(`--${name}=`))?.split("=").slice(1).join("=");
  const runs = Number(flag("runs") ?? 41);
  if (commands.length !== 2 || !Number.isInteger(runs) || runs < 5) {
    console.error(
      'usage: deno run -A bench/paired.ts [--runs=41] [--cwd=DIR] [--figure=REGEX] -- "<command A>" "<command B>"',
    );
    Deno.exit(2);
  }
  const [a, b] = commands.map((c) => c.split(" ").filter(Boolean));
  const figure = flag("figure") === undefined ? undefined : new RegExp(flag("figure")!);
  const options = { cwd: flag("cwd") ?? Deno.cwd(), keepStdout: figure !== undefined };
  for (const cmd of [a, b]) {
    const first = await timeCommand(cmd, options);
    if (first.code !== 0) throw new Error(`${cmd.join(" ")} exited ${first.code}`);
  }
  const pairs: [CommandTiming, CommandTiming][] = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      const ta = await timeCommand(a, options);
      pairs.push([ta, await timeCommand(b, options)]);
    } else {
      const tb = await timeCommand(b, options);
      pairs.push([await timeCommand(a, options), tb]);
    }
  }
  const show = (name: string, unit: string, pick: (t: CommandTiming) => number | undefined) => {
    const diffs = pairs.map(([x, y]) => (pick(y) ?? NaN) - (pick(x) ?? NaN)).filter(Number.isFinite);
    if (diffs.length === 0) return;
    const d = pairedDifference(diffs);
    const f = (v: number) => `${v >= 0 ? "+" : ""}${v.toFixed(2)}`;
    console.log(`${name.padEnd(6)} B − A ${f(d.median)} ${unit}  90 % [${f(d.low)}, ${f(d.high)}]`);
  };
  if (figure) {
    show("figure", "", (t) => Number(t.stdout?.match(figure)?.[1]));
    const figures = (k: 0 | 1) => pairs.map((p) => Number(p[k].stdout?.match(figure)?.[1]));
    console.log(`figure medians: A ${median(figures(0)).toFixed(1)}, B ${median(figures(1)).toFixed(1)}`);
  }
  show("wall", "ms", (t) => t.ms);
  show("cpu", "ms", (t) => t.cpuMs);
  show("rss", "MB", (t) => t.rssMb);
  const medianOf = (k: 0 | 1) => median(pairs.map((p) => p[k].ms)).toFixed(1);
  console.log(
    `medians: A ${medianOf(0)} ms, B ${medianOf(1)} ms; ${runs} rounds; load ${loadAverage() ?? "?"}`,
  );
}
