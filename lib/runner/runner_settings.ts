/** Runner settings from flags or kmlf.yml: names (kmlf's and Kedro's class names) and worker counts. */
import { ConfigError, didYouMean, type KmlfError, type SourceLocation, UsageError } from "../errors.ts";
import type { RunnerConstructorOptions } from "./run_types.ts";

/** The three runners. */
export type RunnerKind = "sequential" | "parallel" | "thread";

/** A runner as the CLI flags or kmlf.yml's `runner:` describe it. */
export interface RunnerSpec extends RunnerConstructorOptions {
  /** Which runner. */
  kind: RunnerKind;
}

const KINDS: Record<string, RunnerKind> = {
  sequential: "sequential",
  sequentialrunner: "sequential",
  parallel: "parallel",
  parallelrunner: "parallel",
  thread: "thread",
  threadrunner: "thread",
};
const SPELLINGS = ["sequential", "parallel", "thread", "SequentialRunner", "ParallelRunner", "ThreadRunner"];

/** Where a runner setting came from, for errors: a flag, or a key of kmlf.yml. */
export interface SettingOrigin {
  flag?: string;
  source?: SourceLocation;
}

/**
 * `parallel`, `ParallelRunner` or `kedro.runner.ParallelRunner` (any case) → `"parallel"`.
 *
 * @example
 * ```ts
 * parseRunnerKind("ThreadRunner", { flag: "--runner" }); // "thread"
 * ```
 */
export function parseRunnerKind(name: string, origin: SettingOrigin): RunnerKind {
  const key = name.trim().replace(/^kedro\.runner\./, "").toLowerCase();
  const kind = KINDS[key];
  if (kind) return kind;
  const guess = didYouMean(name.trim(), SPELLINGS);
  throw settingError(
    origin,
    "runner/unknown",
    `Unknown runner "${name}"${origin.flag ? ` (${origin.flag})` : ""}`,
    `use sequential, parallel or thread (Kedro's SequentialRunner, ParallelRunner and ThreadRunner work too)${
      guess ? `; did you mean "${guess}"?` : ""
    }`,
  );
}

/**
 * A worker count from a flag (text) or YAML (a number): a whole number ≥ 1.
 *
 * @example
 * ```ts
 * parseMaxWorkers("4", { flag: "--max-workers" }); // 4
 * ```
 */
export function parseMaxWorkers(value: string | number, origin: SettingOrigin): number {
  const n = typeof value === "number" ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1) {
    throw settingError(
      origin,
      "runner/bad-max-workers",
      `${origin.flag ?? "max_workers"} must be a whole number of at least 1, got ${JSON.stringify(value)}`,
      `leave it out for the default: the number of CPU cores for parallel, ${THREAD_DEFAULT} for thread`,
    );
  }
  return n;
}

/**
 * Validates a constructor's `maxWorkers` (undefined means the default).
 *
 * @example
 * ```ts
 * checkMaxWorkers(0); // throws runner/bad-max-workers
 * ```
 */
export function checkMaxWorkers(value: number | undefined): number | undefined {
  return value === undefined ? undefined : parseMaxWorkers(value, { flag: "maxWorkers" });
}

/**
 * Refuses a worker count given to the sequential runner, which runs one node at a time (Kedro's
 * `SequentialRunner(max_workers=…)` is a TypeError): `createRunner({ kind: "sequential", maxWorkers: 4 })`
 * and `session.run({ runner: … })` would otherwise ignore it, where `--max-workers` is refused.
 *
 * @example
 * ```ts
 * refuseMaxWorkers({ maxWorkers: 4 }); // throws runner/bad-max-workers
 * ```
 */
export function refuseMaxWorkers(options: object): void {
  const count = (options as { maxWorkers?: unknown }).maxWorkers;
  if (count === undefined) return;
  throw new UsageError(
    "runner/bad-max-workers",
    `maxWorkers has no effect with the sequential runner, which runs one node at a time, got ${
      JSON.stringify(count) ?? String(count)
    }`,
    { hint: 'use kind "thread" (async, I/O-bound nodes) or "parallel" (CPU-bound nodes), or leave it out' },
  );
}

/**
 * The default `--max-workers`: the number of CPU cores for the parallel runner (its workers compute);
 * 32 for the thread runner, whose nodes mostly wait on I/O and use no core while they do (like Python's
 * default thread pool bound).
 *
 * @example
 * ```ts
 * defaultMaxWorkers("parallel"); // 2 on a 2-core machine
 * ```
 */
export function defaultMaxWorkers(kind: "parallel" | "thread" = "parallel"): number {
  return kind === "thread" ? THREAD_DEFAULT : Math.max(1, navigator.hardwareConcurrency || 1);
}

const THREAD_DEFAULT = 32;

function settingError(origin: SettingOrigin, code: string, message: string, hint: string): KmlfError {
  return origin.source
    ? new ConfigError(code, message, { source: origin.source, hint })
    : new UsageError(code, message, { hint });
}
