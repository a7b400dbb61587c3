/**
 * Kedro's `ParallelRunner`, built the Deno way: node functions run in a pool of module Web Workers while
 * the main thread keeps the scheduler, the catalog, every hook (tracking included) and all dataset I/O.
 * Inputs and outputs cross by structured clone, ArrayBuffers by transfer where nothing else holds them.
 */
import { pathToFileURL } from "../path.ts";
import type { Catalog } from "../catalog/mod.ts";
import { NodeError } from "../errors.ts";
import type { Node, Pipeline } from "../pipeline/mod.ts";
import { consequence, CROSSING_HINT, inspectCrossing } from "./crossing.ts";
import { checkCrossings, checkImportable, type CrossingPlan } from "./parallel_checks.ts";
import type { RunnerConstructorOptions, RunnerOptions, RunResult } from "./run_types.ts";
import { checkMaxWorkers, defaultMaxWorkers } from "./runner_settings.ts";
import { type ExecutorContext, type NodeExecutor, runScheduled } from "./scheduler.ts";
import { type PoolRun, WorkerPool } from "./worker_pool.ts";
import type { NodeJob } from "./worker_protocol.ts";

/**
 * Runs CPU-bound nodes on several cores: at most `maxWorkers` workers (default: the number of CPU cores,
 * capped by the number of nodes), started as nodes need them and reused.
 *
 * @example
 * ```ts
 * const result = await new ParallelRunner({ maxWorkers: 2 }).run(pipeline, catalog, { runId, hooks });
 * ```
 */
export class ParallelRunner {
  /** Kedro's class name. */
  readonly name = "ParallelRunner";
  /** Whether a node's inputs load and its outputs save concurrently. */
  readonly isAsync: boolean;
  /** The worker cap given; undefined means the number of CPU cores. */
  readonly maxWorkers?: number;
  #pool?: WorkerPool;

  /** Refuses a `maxWorkers` that is not a positive integer. */
  constructor(options: RunnerConstructorOptions = {}) {
    this.isAsync = options.isAsync ?? false;
    this.maxWorkers = checkMaxWorkers(options.maxWorkers);
  }

  /**
   * Starts workers early so they boot while the caller prepares the run: one at first; with the pipeline
   * (once loaded), as many as it can use, importing its node modules while the catalog is built.
   */
  warmUp(pipeline?: Pipeline): void {
    this.#pool ??= new WorkerPool(this.maxWorkers ?? defaultMaxWorkers());
    if (!pipeline) return this.#pool.grow(1);
    if (pipeline.nodes.every((n) => n.funcLocation)) prepare(this.#pool, pipeline, this.maxWorkers, () => {});
  }

  /** Stops workers that {@link warmUp} started when no run follows (a run stops its own). */
  close(): void {
    this.#pool?.terminate();
    this.#pool = undefined;
  }

  /** The refusals of the parallel runner, for callers that check before starting a tracked run. */
  async check(pipeline: Pipeline, catalog: Catalog): Promise<void> {
    await checkCrossings(pipeline, catalog);
  }

  /**
   * Runs `pipeline`: node functions in workers, loading, saving and hooks on the main thread. Refuses before
   * any node runs when a node cannot be imported by a worker or its data cannot cross to one.
   */
  run(pipeline: Pipeline, catalog: Catalog, options: RunnerOptions): Promise<RunResult> {
    return runScheduled(pipeline, catalog, options, {
      isAsync: this.isAsync,
      open: (context) => this.#open(context),
    });
  }

  #open({ pipeline, fault, scope }: ExecutorContext): NodeExecutor {
    checkImportable(pipeline);
    const pool = this.#pool ?? new WorkerPool(this.maxWorkers ?? defaultMaxWorkers());
    this.#pool = undefined; // this run owns it now and terminates it at the end
    const { size, jobs } = prepare(pool, pipeline, this.maxWorkers, fault, scope);
    let plan: CrossingPlan = { privateCopies: new Set(), partitioned: new Set() };
    return {
      slots: size,
      check: async (pipeline, catalog) => {
        plan = await checkCrossings(pipeline, catalog);
      },
      call: async (node, inputs, { replaced, observed }) => {
        const transfer: ArrayBuffer[] = [];
        const lazy: Record<string, Record<string, () => Promise<unknown>>> = {};
        const sent: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(inputs)) {
          if (plan.partitioned.has(name) && !replaced.has(name) && isLoaders(value)) {
            lazy[name] = value;
            continue;
          }
          const movable = !observed && plan.privateCopies.has(name) && !replaced.has(name);
          const crossing = inspectCrossing(value, { transfer: movable });
          if (crossing.problem) throw inputCannotCross(node, name, crossing.problem, replaced.has(name));
          transfer.push(...crossing.transfer);
          sent[name] = value;
        }
        return await pool.run(node, jobs.get(node)!, sent, { transfer, lazy });
      },
      stop: () => pool.terminate(),
      close: () => Promise.resolve(pool.terminate()),
    };
  }
}

// A partitioned dataset's load result: partition id → loader.
function isLoaders(value: unknown): value is Record<string, () => Promise<unknown>> {
  return typeof value === "object" && value !== null &&
    Object.values(value).every((v) => typeof v === "function");
}

// Sizes the pool for the pipeline, tells workers what to import and starts the ones it can use.
function prepare(
  pool: WorkerPool,
  pipeline: Pipeline,
  maxWorkers: number | undefined,
  fault: PoolRun["onEscaped"],
  scope?: PoolRun["scope"],
) {
  const size = Math.max(1, Math.min(maxWorkers ?? defaultMaxWorkers(), pipeline.nodes.length));
  const jobs = new Map(pipeline.nodes.map((n) => [n, jobOf(n)]));
  const modules = [...new Set([...jobs.values()].map((j) => j.url))];
  pool.serve({ size, modules, onEscaped: fault, scope });
  // Kedro's estimate of useful parallelism: nodes minus generations, plus one.
  pool.grow(pipeline.nodes.length - pipeline.groupedNodes().length + 1);
  return { size, jobs };
}

function jobOf(node: Node): NodeJob {
  const { module, exportName } = node.funcLocation!;
  return {
    name: node.name,
    funcRef: node.funcRef,
    url: pathToFileURL(module).href,
    exportName,
    inputs: [...node.inputs],
    outputs: [...node.outputs],
    inputBinding: node.inputBinding,
    outputBinding: node.outputBinding,
  };
}

function inputCannotCross(
  node: Node,
  dataset: string,
  problem: { path: string; what: string },
  byHook: boolean,
): NodeError {
  const where = problem.path ? `${dataset}${problem.path}` : "it";
  // The value is not the dataset's when a hook supplied it: the dataset is not where to look.
  const from = byHook ? ", as a beforeNodeRun hook replaced it," : "";
  return new NodeError(
    "runner/cannot-cross",
    `Input "${dataset}" of node "${node.name}"${from} cannot be sent to a worker: ${where} is ${problem.what}, ${
      consequence(problem)
    }`,
    {
      source: node.inputSource(dataset, "inputs"),
      hint: byHook ? `return plain data from the hook; ${CROSSING_HINT}` : CROSSING_HINT,
    },
  );
}
