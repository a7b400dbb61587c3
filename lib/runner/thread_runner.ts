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
  /** Kedro's class name. */
  readonly name = "ThreadRunner";
  /** Whether a node's inputs load and its outputs save concurrently. */
  readonly isAsync: boolean;
  /** The concurrency cap given; undefined means 32. */
  readonly maxWorkers?: number;

  /** Refuses a `maxWorkers` that is not a positive integer. */
  constructor(options: RunnerConstructorOptions = {}) {
    this.isAsync = options.isAsync ?? false;
    this.maxWorkers = checkMaxWorkers(options.maxWorkers);
  }

  /** Runs `pipeline`, starting each node as soon as its inputs exist, at most `maxWorkers` at once. */
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
