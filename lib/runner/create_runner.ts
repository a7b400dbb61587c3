/** Builds the runner that flags or kmlf.yml name. */
import { ParallelRunner } from "./parallel_runner.ts";
import type { Runner } from "./run_types.ts";
import type { RunnerSpec } from "./runner_settings.ts";
import { SequentialRunner } from "./sequential_runner.ts";
import { ThreadRunner } from "./thread_runner.ts";

/**
 * Builds the runner a spec names.
 *
 * @example
 * ```ts
 * const runner = createRunner({ kind: "parallel", maxWorkers: 2 });
 * runner.name; // "ParallelRunner"
 * ```
 */
export function createRunner(spec: RunnerSpec): Runner {
  const options = { isAsync: spec.isAsync, maxWorkers: spec.maxWorkers };
  if (spec.kind === "parallel") return new ParallelRunner(options);
  if (spec.kind === "thread") return new ThreadRunner(options);
  return new SequentialRunner(options);
}
