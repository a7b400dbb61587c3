/** Runs a pipeline's nodes one by one in topological order, firing hooks and releasing memory early. */
import type { Catalog, Dataset } from "../catalog/mod.ts";
import { KmlfError, NodeError } from "../errors.ts";
import type { HookManager } from "../hooks/mod.ts";
import type { Node, Pipeline } from "../pipeline/mod.ts";
import { checkFreeInputs } from "./check_inputs.ts";
import { onlyMissingOutputs } from "./only_missing.ts";
import { findResumeNodes } from "./resume.ts";
import { PipelineRunError } from "./run_error.ts";

/** Progress callbacks; the CLI turns them into terminal output. All optional. */
export interface RunReporter {
  nodesSkipped?(event: { skipped: string[]; total: number }): void;
  nodeStarted?(event: { node: Node; index: number; total: number }): void;
  nodeCompleted?(event: { node: Node; index: number; total: number; durationMs: number }): void;
  nodeFailed?(event: { node: Node; index: number; total: number; durationMs: number; error: unknown }): void;
}

/** Options of {@link SequentialRunner.run}. */
export interface RunnerOptions {
  runId: string;
  hooks: HookManager;
  onlyMissingOutputs?: boolean;
  reporter?: RunReporter;
}

/** Timing of one node, in epoch milliseconds. */
export interface NodeTiming {
  node: string;
  start: number;
  end: number;
  status: "completed" | "failed";
}

/** What a successful run returns. */
export interface RunResult {
  /** Free outputs of the pipeline (not released), by name. */
  outputs: Record<string, Dataset>;
  timings: NodeTiming[];
  /** The pipeline that actually ran (after --only-missing-outputs). */
  pipeline: Pipeline;
}

/**
 * The default runner: in-process, one node at a time, deterministic order.
 *
 * @example
 * ```ts
 * const result = await new SequentialRunner().run(pipeline, catalog, { runId, hooks: new HookManager() });
 * ```
 */
export class SequentialRunner {
  readonly name = "SequentialRunner";

  async run(fullPipeline: Pipeline, catalog: Catalog, options: RunnerOptions): Promise<RunResult> {
    const { hooks, runId, reporter } = options;
    let pipeline = fullPipeline;
    if (options.onlyMissingOutputs) {
      const missing = await onlyMissingOutputs(fullPipeline, catalog);
      pipeline = missing.pipeline;
      reporter?.nodesSkipped?.({ skipped: missing.skipped, total: fullPipeline.nodes.length });
    }
    checkFreeInputs(pipeline, catalog);
    await Promise.all(
      [...pipeline.datasets()].map((name) => catalog.get(name, { fallbackToRuntimePattern: true })),
    );

    const freeInputs = pipeline.inputs();
    const freeOutputs = pipeline.outputs();
    const readers = new Map<string, number>();
    for (const node of pipeline.nodes) for (const i of node.inputs) readers.set(i, (readers.get(i) ?? 0) + 1);

    const done = new Set<Node>();
    const timings: NodeTiming[] = [];
    const total = pipeline.nodes.length;
    for (const [index, node] of pipeline.nodes.entries()) {
      const start = Date.now();
      reporter?.nodeStarted?.({ node, index, total });
      try {
        await this.runNode(node, catalog, hooks, runId);
      } catch (error) {
        const end = Date.now();
        timings.push({ node: node.name, start, end, status: "failed" });
        reporter?.nodeFailed?.({ node, index, total, durationMs: end - start, error });
        const inner = error instanceof KmlfError ? error : undefined;
        throw new PipelineRunError(inner?.message ?? `Node "${node.name}" failed: ${String(error)}`, {
          failedNode: node.name,
          completedNodes: [...done].map((n) => n.name),
          resumeFromNodes: findResumeNodes(pipeline, done, catalog),
          code: inner?.code,
        }, { cause: inner ? inner.cause : error, source: inner?.source ?? node.source, hint: inner?.hint });
      }
      const end = Date.now();
      timings.push({ node: node.name, start, end, status: "completed" });
      done.add(node);
      reporter?.nodeCompleted?.({ node, index, total, durationMs: end - start });
      await releaseAfter(node, catalog, readers, freeInputs, freeOutputs);
    }
    const outputs: Record<string, Dataset> = {};
    for (const name of freeOutputs) {
      outputs[name] = await catalog.get(name, { fallbackToRuntimePattern: true });
    }
    return { outputs, timings, pipeline };
  }

  private async runNode(node: Node, catalog: Catalog, hooks: HookManager, runId: string): Promise<void> {
    const inputs: Record<string, unknown> = {};
    for (const name of node.inputs) {
      await hooks.call("beforeDatasetLoaded", { datasetName: name, node });
      const data = await catalog.load(name);
      inputs[name] = data;
      await hooks.call("afterDatasetLoaded", { datasetName: name, data, node });
    }
    const overrides = await hooks.call("beforeNodeRun", { node, catalog, inputs, runId });
    for (const override of overrides) {
      if (override && typeof override === "object") Object.assign(inputs, override);
    }
    let outputs: Record<string, unknown>;
    try {
      outputs = await node.run(inputs);
    } catch (error) {
      await hooks.call("onNodeError", { error, node, catalog, inputs, runId });
      throw error instanceof KmlfError ? error : new NodeError("node/failed", `Node "${node.name}" failed`, {
        cause: error,
      });
    }
    await hooks.call("afterNodeRun", { node, catalog, inputs, outputs, runId });
    for (const [name, data] of Object.entries(outputs)) {
      await hooks.call("beforeDatasetSaved", { datasetName: name, data, node });
      await catalog.save(name, data);
      await hooks.call("afterDatasetSaved", { datasetName: name, data, node });
    }
    for (const name of node.confirms) await catalog.confirm(name);
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
