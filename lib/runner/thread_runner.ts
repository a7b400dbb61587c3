/**
 * Concurrent nodes on the main thread (Kedro's `ThreadRunner`): JavaScript has one thread per isolate, so
 * "threads" are concurrent promises — the right tool for async, I/O-bound nodes (HTTP calls, database
 * queries), no help for CPU-bound ones (use the parallel runner).
 */
import type { Catalog } from "../catalog/mod.ts";
import type { Pipeline } from "../pipeline/mod.ts";
import type { RunnerConstructorOptions, RunnerOptions, RunResult } from "./run_types.ts";
import { checkMaxWorkers, defaultMaxWorkers } from "./runner_settings.ts";
import { inProcessExecutor, runScheduled } from "./scheduler.ts";

/**
 * Starts every ready node at once, at most `maxWorkers` in flight (default 32: waiting nodes use no core).
 *
 * @example
 * ```ts
 * const result = await new ThreadRunner({ maxWorkers: 8 }).run(pipeline, catalog, { runId, hooks });
 * ```
 */
export class ThreadRunner {
  readonly name = "ThreadRunner";
  readonly isAsync: boolean;
  readonly maxWorkers?: number;

  constructor(options: RunnerConstructorOptions = {}) {
    this.isAsync = options.isAsync ?? false;
    this.maxWorkers = checkMaxWorkers(options.maxWorkers);
  }

  run(pipeline: Pipeline, catalog: Catalog, options: RunnerOptions): Promise<RunResult> {
    const slots = Math.max(
      1,
      Math.min(this.maxWorkers ?? defaultMaxWorkers("thread"), pipeline.nodes.length),
    );
    return runScheduled(pipeline, catalog, options, {
      isAsync: this.isAsync,
      open: () => inProcessExecutor(slots),
    });
  }
}
