/**
 * The loop every runner shares: a node starts as soon as the nodes producing its inputs finished, at most
 * `slots` at a time, ready nodes in the pipeline's deterministic order (so one slot is exactly the
 * sequential order). Memory is released after the last reader; the first failure stops new starts, lets
 * running nodes finish (their outputs are saved, so resuming skips them) and fails the run.
 */
import type { Catalog, Dataset } from "../catalog/mod.ts";
import { KmlfError, RunError, RunInterruptedError, thrownMessage } from "../errors.ts";
import type { Node, Pipeline } from "../pipeline/mod.ts";
import { checkFreeInputs } from "./check_inputs.ts";
import { executeNode, type NodeCall } from "./node_task.ts";
import { onlyMissingOutputs } from "./only_missing.ts";
import { findResumeNodes } from "./resume.ts";
import { PipelineRunError, raisedError } from "./run_error.ts";
import type { NodeScope, NodeTiming, RunnerOptions, RunResult } from "./run_types.ts";

/** How a runner executes node functions. */
export interface NodeExecutor {
  /** Nodes that may run at once. */
  readonly slots: number;
  call: NodeCall;
  /** Pre-run checks once every dataset exists (refusals before any node runs). */
  check?(pipeline: Pipeline, catalog: Catalog): Promise<void>;
  /** Interrupt: stop every running call now. */
  stop?(): void;
  /** Frees resources after the run. */
  close?(): Promise<void>;
}

/**
 * Calls node functions on the main thread, `slots` at a time (sequential and thread runners).
 *
 * @example
 * ```ts
 * await runScheduled(pipeline, catalog, options, { isAsync: false, open: () => inProcessExecutor(4) });
 * ```
 */
export function inProcessExecutor(slots: number): NodeExecutor {
  return { slots, call: async (node, inputs) => ({ outputs: await node.run(inputs) }) };
}

/** What the scheduler tells an executor when it opens one. */
export interface ExecutorContext {
  pipeline: Pipeline;
  /** Reports a failure found outside a call (an error escaping a node after it returned). */
  fault(node: Node, error: KmlfError): void;
  /** The run's {@link RunnerOptions.nodeScope}: a pool calls what a worker prints inside it. */
  scope?: NodeScope;
}

/** A runner's choices. */
export interface SchedulePlan {
  isAsync: boolean;
  /** Opened after the pre-run input check, before datasets are materialized (workers boot meanwhile). */
  open(context: ExecutorContext): NodeExecutor | Promise<NodeExecutor>;
}

interface Finished {
  node: Node;
  start: number;
  end: number;
  worker?: number;
  error?: unknown;
}

/**
 * Runs `fullPipeline` with the plan's executor.
 *
 * @example
 * ```ts
 * await runScheduled(pipeline, catalog, options, { isAsync: false, open: () => inProcessExecutor(1) });
 * ```
 */
export async function runScheduled(
  fullPipeline: Pipeline,
  catalog: Catalog,
  options: RunnerOptions,
  plan: SchedulePlan,
): Promise<RunResult> {
  const { hooks, runId, reporter, signal, nodeScope } = options;
  let pipeline = fullPipeline;
  if (options.onlyMissingOutputs) {
    const missing = await onlyMissingOutputs(fullPipeline, catalog);
    pipeline = missing.pipeline;
    reporter?.nodesSkipped?.({ skipped: missing.skipped, total: fullPipeline.nodes.length });
  }
  checkFreeInputs(pipeline, catalog);
  interruptedAlready(signal, pipeline);

  const finished: Finished[] = [];
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  // The first failure is the one reported; later ones (often consequences) only show in progress events.
  let failure: { node: Node; error: unknown } | undefined;
  const executor = await plan.open({
    pipeline,
    fault: (node, error) => {
      failure ??= { node, error };
      notify();
    },
    scope: nodeScope,
  });
  const running = new Map<Node, { start: number; index: number }>();
  const done = new Set<Node>();
  const timings: NodeTiming[] = [];
  // Reported at once (the process may exit soon after a signal), then thrown by the loop.
  let interrupted: PipelineRunError | undefined;
  const onAbort = () => {
    interrupted = interruption(signal, pipeline, catalog, done, [...running.keys()], failure);
    const now = Date.now();
    for (const [node, { start }] of running) {
      timings.push({ node: node.name, start, end: now, status: "interrupted" });
    }
    executor.stop?.();
    reporter?.runInterrupted?.({ error: interrupted });
    notify();
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    await Promise.all(
      [...pipeline.datasets()].map((name) => catalog.get(name, { fallbackToRuntimePattern: true })),
    );
    await executor.check?.(pipeline, catalog);

    const freeInputs = pipeline.inputs();
    const freeOutputs = pipeline.outputs();
    const readers = new Map<string, number>();
    for (const node of pipeline.nodes) for (const i of node.inputs) readers.set(i, (readers.get(i) ?? 0) + 1);
    const order = new Map(pipeline.nodes.map((n, i) => [n, i]));
    const waiting = new Map(pipeline.nodes.map((n) => [n, pipeline.dependencies(n).length]));
    const ready = new ReadyQueue(order);
    for (const node of pipeline.nodes) if (waiting.get(node) === 0) ready.push(node);
    const total = pipeline.nodes.length;
    const call: NodeCall = nodeScope
      ? (node, inputs, info) => nodeScope(node, () => executor.call(node, inputs, info))
      : executor.call;
    const task = { catalog, hooks, runId, isAsync: plan.isAsync, call };
    let started = 0;

    for (;;) {
      while (!failure && !interrupted && ready.size > 0 && running.size < executor.slots) {
        const node = ready.pop();
        const start = Date.now();
        const index = started++;
        running.set(node, { start, index });
        reporter?.nodeStarted?.({ node, index, total, start, running: running.size });
        const settled = executeNode(node, task).then(
          (worker) => void finished.push({ node, start, end: Date.now(), worker }),
          (error) => void finished.push({ node, start, end: Date.now(), error }),
        );
        // One slot (the sequential runner): wait right here, without waking the loop through a promise.
        if (executor.slots === 1) await settled;
        else settled.finally(notify);
      }
      if (interrupted) break;
      if (running.size === 0) break;
      if (finished.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      if (interrupted) break; // what the stopped nodes report now is noise
      const batch = finished.splice(0);
      for (const f of batch) {
        const { node, start, end, worker } = f;
        const { index } = running.get(node)!;
        running.delete(node);
        const event = { node, index, total, done: done.size, durationMs: end - start, start, end, worker };
        if ("error" in f) {
          timings.push({ node: node.name, start, end, status: "failed", worker });
          const stillRunning = [...running.keys()].filter((n) => !batch.some((b) => b.node === n));
          reporter?.nodeFailed?.({ ...event, error: f.error, stillRunning: stillRunning.map((n) => n.name) });
          failure ??= { node, error: f.error };
          continue;
        }
        timings.push({ node: node.name, start, end, status: "completed", worker });
        done.add(node);
        reporter?.nodeCompleted?.({ ...event, done: done.size });
        await releaseAfter(node, catalog, readers, freeInputs, freeOutputs);
        for (const child of pipeline.children(node)) {
          const left = waiting.get(child)! - 1;
          waiting.set(child, left);
          if (left === 0) ready.push(child);
        }
      }
    }
    if (interrupted) throw interrupted;
    if (failure) throw runFailure(failure.node, failure.error, pipeline, catalog, done);
    if (done.size < total) {
      const stuck = pipeline.nodes.filter((n) => !done.has(n)).map((n) => n.name);
      throw new RunError("run/unscheduled", `Cannot schedule nodes ${stuck.join(", ")}`, {
        hint: "this is a bug in kmlf's scheduler; please report it with the pipeline",
      });
    }
    const outputs: Record<string, Dataset> = {};
    for (const name of freeOutputs) {
      outputs[name] = await catalog.get(name, { fallbackToRuntimePattern: true });
    }
    return { outputs, timings, pipeline };
  } finally {
    signal?.removeEventListener("abort", onAbort);
    await executor.close?.();
  }
}

function runFailure(
  node: Node,
  error: unknown,
  pipeline: Pipeline,
  catalog: Catalog,
  done: ReadonlySet<Node>,
): PipelineRunError {
  const inner = error instanceof KmlfError ? error : undefined;
  return new PipelineRunError(inner?.message ?? `Node "${node.name}" failed: ${thrownMessage(error)}`, {
    failedNode: node.name,
    completedNodes: [...done].map((n) => n.name),
    resumeFromNodes: findResumeNodes(pipeline, done, catalog),
    code: inner?.code,
    raised: raisedError(error),
  }, { cause: inner ? inner.cause : error, source: inner?.source ?? node.source, hint: inner?.hint });
}

function interruption(
  signal: AbortSignal | undefined,
  pipeline: Pipeline,
  catalog: Catalog,
  done: ReadonlySet<Node>,
  running: Node[],
  failure: { node: Node; error: unknown } | undefined,
): PipelineRunError {
  const what = running.length > 0 ? `; stopped ${running.map((n) => `"${n.name}"`).join(", ")}` : "";
  // Stopped while waiting for running nodes after a failure: that failure is what to fix, so it is kept.
  const failed = failure ? runFailure(failure.node, failure.error, pipeline, catalog, done) : undefined;
  const after = failed ? ` (the run was waiting for it after a failure): ${failed.message}` : "";
  return new PipelineRunError(`${stopHeadline(signal)}${what}${after}`, {
    failedNode: failure?.node.name ?? running[0]?.name ?? "",
    completedNodes: [...done].map((n) => n.name),
    resumeFromNodes: findResumeNodes(pipeline, done, catalog),
    code: "run/interrupted",
  }, failed ? { cause: failed.cause, source: failed.source, hint: failed.hint } : {});
}

// "Run interrupted by SIGINT" for the session's guard's signals; a failure the guard caught outside any
// node (Deno.exit or an error from a timer) stops the run too, and is not an interruption by the user.
function stopHeadline(signal: AbortSignal | undefined): string {
  const reason = signal?.reason;
  if (reason instanceof RunInterruptedError) return `Run interrupted by ${reason.signal}`;
  if (typeof reason === "string") return `Run interrupted by ${reason}`;
  return reason instanceof Error ? `Run stopped: ${reason.message}` : "Run interrupted by an abort signal";
}

function interruptedAlready(signal: AbortSignal | undefined, pipeline: Pipeline): void {
  if (!signal?.aborted) return;
  throw new PipelineRunError(stopHeadline(signal), {
    failedNode: pipeline.nodes[0]?.name ?? "",
    completedNodes: [],
    resumeFromNodes: [],
    code: "run/interrupted",
  });
}

// Ready nodes, the earliest in the pipeline's topological order first: a binary min-heap, since a
// 10,000-node pipeline can have a thousand nodes ready at once.
class ReadyQueue {
  readonly #heap: Node[] = [];
  readonly #order: Map<Node, number>;

  constructor(order: Map<Node, number>) {
    this.#order = order;
  }

  get size(): number {
    return this.#heap.length;
  }

  push(node: Node): void {
    const heap = this.#heap;
    heap.push(node);
    for (let i = heap.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (this.#at(parent) <= this.#at(i)) break;
      [heap[parent], heap[i]] = [heap[i], heap[parent]];
      i = parent;
    }
  }

  pop(): Node {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let min = i;
        if (l < heap.length && this.#at(l) < this.#at(min)) min = l;
        if (r < heap.length && this.#at(r) < this.#at(min)) min = r;
        if (min === i) break;
        [heap[min], heap[i]] = [heap[i], heap[min]];
        i = min;
      }
    }
    return top;
  }

  #at(i: number): number {
    return this.#order.get(this.#heap[i])!;
  }
}

// Frees in-memory data as soon as its last reader ran (never free inputs/outputs of the pipeline).
async function releaseAfter(
  node: Node,
  catalog: Catalog,
  readers: Map<string, number>,
  freeInputs: Set<string>,
  freeOutputs: Set<string>,
): Promise<void> {
  for (const name of node.inputs) {
    const left = (readers.get(name) ?? 0) - 1;
    readers.set(name, left);
    if (left <= 0 && !freeInputs.has(name) && !freeOutputs.has(name)) await catalog.release(name);
  }
}
