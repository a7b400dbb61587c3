/** What every runner takes and returns: options, progress events, node timings, the result. */
import type { Catalog, Dataset } from "../catalog/mod.ts";
import type { HookManager } from "../hooks/mod.ts";
import type { Node, Pipeline } from "../pipeline/mod.ts";
import type { PipelineRunError } from "./run_error.ts";

/** A node began: `index` counts starts (0-based), `running` includes this node. */
export interface NodeStartedEvent {
  /** The node that began. */
  node: Node;
  /** How many nodes began before this one (0-based). */
  index: number;
  /** Number of nodes this run will run. */
  total: number;
  /** Epoch milliseconds, before its inputs load. */
  start: number;
  /** Nodes running now, this one included. */
  running: number;
}

/** A node finished (its outputs are saved): `done` counts finished nodes, this one included. */
export interface NodeCompletedEvent {
  /** The node that finished. */
  node: Node;
  /** Its start index, as in {@link NodeStartedEvent.index}. */
  index: number;
  /** Number of nodes this run will run. */
  total: number;
  /** Nodes finished so far, this one included. */
  done: number;
  /** `end - start`, in milliseconds. */
  durationMs: number;
  /** Epoch milliseconds, before its inputs loaded. */
  start: number;
  /** Epoch milliseconds, after its outputs were saved (or it failed). */
  end: number;
  /** The worker that ran the function (parallel runner only), 1-based. */
  worker?: number;
}

/** A node failed; `error` is what made it fail. */
export interface NodeFailedEvent extends NodeCompletedEvent {
  /** What made the node fail: what its function threw, or kmlf's error for a failed load or save. */
  error: unknown;
  /** Nodes still running: the run fails once they finished (and their outputs are saved). */
  stillRunning?: string[];
}

/** Progress callbacks; the CLI turns them into terminal output. All optional. */
export interface RunReporter {
  /**
   * Every check passed and the run starts (the session calls it before `beforePipelineRun`): a refusal
   * found before any node runs comes without it, so nothing announces a run that never started.
   */
  runStarting?(): void;
  /**
   * Nodes left out before the run starts (`--only-missing-outputs`: their outputs exist), with the pipeline's
   * node count.
   */
  nodesSkipped?(event: { skipped: string[]; total: number }): void;
  /** A node began loading its inputs. */
  nodeStarted?(event: NodeStartedEvent): void;
  /** A node's outputs were saved. */
  nodeCompleted?(event: NodeCompletedEvent): void;
  /** A node failed. */
  nodeFailed?(event: NodeFailedEvent): void;
  /** The run's abort signal fired: running nodes are being stopped; `error` is what the run rejects with. */
  runInterrupted?(event: { error: PipelineRunError }): void;
}

/** Options of {@link Runner.run}. */
export interface RunnerOptions {
  /** The run's id, passed to node hooks (also the save version of versioned datasets). */
  runId: string;
  /** The hooks to fire (`new HookManager()` for none). */
  hooks: HookManager;
  /** Kedro's `run_only_missing`: skip nodes whose outputs all exist already (default false). */
  onlyMissingOutputs?: boolean;
  /** Progress callbacks (the CLI's terminal output). */
  reporter?: RunReporter;
  /**
   * Aborting stops the run at once: no node starts any more, workers are terminated, and the run
   * rejects with a {@link PipelineRunError} of code `run/interrupted` (the CLI wires SIGINT/SIGTERM here).
   */
  signal?: AbortSignal;
  /**
   * Calls each node's function inside `nodeScope(node, call)`, and, under the parallel runner, the console
   * calls its worker forwards: a caller can tell which node printed a line (the CLI's logging does, with
   * AsyncLocalStorage). Loads, saves and hooks run outside it.
   */
  nodeScope?: NodeScope;
}

/**
 * Runs `call` as the work of `node` and returns what it returns.
 *
 * @example
 * ```ts
 * const nodeScope: NodeScope = (node, call) => storage.run(node, call);
 * ```
 */
export type NodeScope = <T>(node: Node, call: () => T) => T;

/** Timing of one node, in epoch milliseconds (from loading its inputs to saving its outputs). */
export interface NodeTiming {
  /** The node's name. */
  node: string;
  /** Epoch milliseconds, before its inputs loaded. */
  start: number;
  /** Epoch milliseconds, after its outputs were saved, it failed, or the run was interrupted. */
  end: number;
  /** How the node ended. */
  status: "completed" | "failed" | "interrupted";
  /** The worker that ran it (parallel runner only), 1-based. */
  worker?: number;
}

/** What a successful run returns. */
export interface RunResult {
  /** Free outputs of the pipeline (not released), by name. */
  outputs: Record<string, Dataset>;
  /** One entry per node that started, in the order they finished. */
  timings: NodeTiming[];
  /** The pipeline that actually ran (after --only-missing-outputs). */
  pipeline: Pipeline;
}

/**
 * A runner executes a pipeline against a catalog, firing hooks.
 *
 * @example
 * ```ts
 * const runner: Runner = new ThreadRunner({ maxWorkers: 8 });
 * const result = await runner.run(pipeline, catalog, { runId, hooks: new HookManager() });
 * ```
 */
export interface Runner {
  /** Kedro's class name: `SequentialRunner`, `ParallelRunner`, `ThreadRunner`. */
  readonly name: string;
  /**
   * Refusals known before any node runs (the parallel runner's), so a caller can report them before it
   * starts a tracked run; `run` checks again.
   */
  check?(pipeline: Pipeline, catalog: Catalog): Promise<void>;
  /**
   * Starts resources early (the parallel runner's workers) while the caller prepares the run: call it
   * first without, then with the pipeline once it is loaded.
   */
  warmUp?(pipeline?: Pipeline): void;
  /** Releases what `warmUp` started when the run does not happen (`run` releases its own). */
  close?(): void;
  /**
   * Runs `pipeline` with data from `catalog`, firing hooks; rejects with a {@link PipelineRunError} when a
   * node fails (after the nodes still running finished).
   */
  run(pipeline: Pipeline, catalog: Catalog, options: RunnerOptions): Promise<RunResult>;
}

/** Constructor options shared by the runners (Kedro's `max_workers` and `is_async`). */
export interface RunnerConstructorOptions {
  /** Load a node's inputs concurrently and save its outputs concurrently. */
  isAsync?: boolean;
  /** Nodes running at once (thread, parallel); default: the number of CPU cores. */
  maxWorkers?: number;
}
