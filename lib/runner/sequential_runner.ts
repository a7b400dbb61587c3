/** The default runner: in-process, one node at a time, in the pipeline's deterministic order. */
import type { Catalog } from "../catalog/mod.ts";
import type { Pipeline } from "../pipeline/mod.ts";
import type { RunnerConstructorOptions, RunnerOptions, RunResult } from "./run_types.ts";
import { refuseMaxWorkers } from "./runner_settings.ts";
import { inProcessExecutor, runScheduled } from "./scheduler.ts";

/**
 * Runs nodes one by one on the main thread (Kedro's `SequentialRunner`); `isAsync` loads a node's inputs
 * and saves its outputs concurrently.
 *
 * @example
 * ```ts
 * const result = await new SequentialRunner().run(pipeline, catalog, { runId, hooks: new HookManager() });
 * ```
 */
export class SequentialRunner {
  /** Kedro's class name. */
  readonly name = "SequentialRunner";
  /** Whether a node's inputs load and its outputs save concurrently. */
  readonly isAsync: boolean;

  /** `isAsync` (default false) loads inputs and saves outputs concurrently. */
  constructor(options: Pick<RunnerConstructorOptions, "isAsync"> = {}) {
    refuseMaxWorkers(options); // a count from a spec or untyped code would silently change nothing
    this.isAsync = options.isAsync ?? false;
  }

  /** Runs `pipeline` node by node in its deterministic topological order. */
  run(pipeline: Pipeline, catalog: Catalog, options: RunnerOptions): Promise<RunResult> {
    return runScheduled(pipeline, catalog, options, {
      isAsync: this.isAsync,
      open: () => inProcessExecutor(1),
    });
  }
}
