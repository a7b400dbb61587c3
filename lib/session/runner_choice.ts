/**
 * Which runner a run uses: each `--runner`/`--max-workers`/`--async` flag, else kmlf.yml's `runner:`
 * setting, else sequential — with the errors that name the flag or the kmlf.yml key.
 */
import { ConfigError, UsageError } from "../errors.ts";
import type { ProjectSettings } from "../config/mod.ts";
import { parseMaxWorkers, parseRunnerKind, type RunnerSpec } from "../runner/runner_settings.ts";

/** The runner flags of `kmlf run` (each overrides kmlf.yml's `runner:` setting). */
export interface RunnerFlags {
  /** `--runner`: `sequential`, `parallel`, `thread` or Kedro's class names (`ParallelRunner`, …). */
  runner?: string;
  /** `--max-workers`: a positive integer (as given on the command line or a number). */
  maxWorkers?: string | number;
  /** Where `maxWorkers` was given, for messages (default `--max-workers`; Kedro's `--runner-params`). */
  maxWorkersFrom?: string;
  /** `--async`: load a node's inputs and save its outputs concurrently. */
  isAsync?: boolean;
}

/**
 * The runner spec the flags and kmlf.yml's `runner:` setting give.
 *
 * @example
 * ```ts
 * chooseRunner({ runner: "ParallelRunner", maxWorkers: "2" }, settings); // { kind: "parallel", maxWorkers: 2, isAsync: false }
 * ```
 */
export function chooseRunner(flags: RunnerFlags, settings: ProjectSettings): RunnerSpec {
  const setting = settings.runner;
  const at = (key: string) => ({ source: settings.locate(["runner", key]) });
  const kind = flags.runner !== undefined
    ? parseRunnerKind(flags.runner, { flag: "--runner" })
    : setting
    ? parseRunnerKind(setting.type, { source: settings.locate(setting.typeKey) })
    : "sequential";
  const maxWorkers = flags.maxWorkers !== undefined
    ? parseMaxWorkers(flags.maxWorkers, { flag: flags.maxWorkersFrom ?? "--max-workers" })
    : setting?.maxWorkers !== undefined
    ? parseMaxWorkers(setting.maxWorkers, at("max_workers"))
    : undefined;
  // Kedro's SequentialRunner takes no max_workers (TypeError): a count that would silently change nothing
  // is refused, unless it is kmlf.yml's default for another runner than the one --runner picked.
  const countFromYaml = flags.maxWorkers === undefined && flags.runner === undefined;
  if (
    kind === "sequential" && maxWorkers !== undefined && (flags.maxWorkers !== undefined || countFromYaml)
  ) {
    const message = `${
      flags.maxWorkers !== undefined ? flags.maxWorkersFrom ?? "--max-workers" : "max_workers"
    } has no effect with the sequential runner, which runs one node at a time`;
    const hint =
      "use --runner thread (async, I/O-bound nodes) or parallel (CPU-bound nodes), or leave it out";
    throw flags.maxWorkers !== undefined
      ? new UsageError("runner/bad-max-workers", message, { hint })
      : new ConfigError("runner/bad-max-workers", message, { ...at("max_workers"), hint });
  }
  // kmlf.yml's count for its own runner is left out when --runner picked the sequential one.
  const count = kind === "sequential" ? undefined : maxWorkers;
  return { kind, maxWorkers: count, isAsync: flags.isAsync || (setting?.isAsync ?? false) };
}
