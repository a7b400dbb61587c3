/**
 * The runner a session's run uses: the sequential runner loads with this module, the parallel and thread
 * runners (their worker pool, wire format and crossing checks, ~30 KB of bundle) only when a spec names
 * them, so a sequential `kmlf run` does not load them.
 *
 * @module
 */
import type { Runner } from "./run_types.ts";
import type { RunnerKind, RunnerSpec } from "./runner_settings.ts";
import { SequentialRunner } from "./sequential_runner.ts";

const NAMES: Readonly<Record<RunnerKind, string>> = {
  sequential: "SequentialRunner",
  parallel: "ParallelRunner",
  thread: "ThreadRunner",
};

/**
 * Builds the runner `spec` names, as `createRunner` does, importing the parallel and thread runners on use.
 *
 * @example
 * ```ts
 * const runner = await loadRunner({ kind: "sequential" });
 * runner.name; // "SequentialRunner"
 * ```
 */
export async function loadRunner(spec: RunnerSpec): Promise<Runner> {
  if (spec.kind === "sequential") {
    return new SequentialRunner({ isAsync: spec.isAsync });
  }
  const { createRunner }: typeof import("./create_runner.ts") = await import(
    new URL("./create_runner.ts", import.meta.url).href
  );
  return createRunner(spec);
}

/**
 * The `name` of the runner `spec` names, without building or loading it.
 *
 * @example
 * ```ts
 * runnerName({ kind: "parallel", maxWorkers: 2 }); // "ParallelRunner"
 * ```
 */
export function runnerName(spec: RunnerSpec): string {
  return NAMES[spec.kind];
}
