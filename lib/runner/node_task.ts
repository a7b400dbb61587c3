/**
 * One node's work on the main thread, Kedro's `Task.execute`: load inputs (dataset hooks), beforeNodeRun
 * (may replace inputs), call the function (in-process or in a worker), afterNodeRun, save outputs
 * (dataset hooks), confirm. With `isAsync`, inputs load concurrently and outputs save concurrently.
 */
import type { Catalog } from "../catalog/mod.ts";
import { HookError, KmlfError, NodeError } from "../errors.ts";
import type { HookManager } from "../hooks/mod.ts";
import type { Node } from "../pipeline/mod.ts";
import { raisedError } from "./run_error.ts";

/**
 * How the function of a node is called, and what the call reports back. `replaced` names inputs a hook
 * supplied; `observed` says hooks will see the inputs after the call (so their buffers must not move).
 */
export type NodeCall = (
  node: Node,
  inputs: Record<string, unknown>,
  info: { replaced: ReadonlySet<string>; observed: boolean },
) => Promise<{ outputs: Record<string, unknown>; worker?: number }>;

/** Everything {@link executeNode} needs besides the node. */
export interface NodeTaskContext {
  catalog: Catalog;
  hooks: HookManager;
  runId: string;
  isAsync: boolean;
  call: NodeCall;
}

/**
 * Runs one node with its hooks and I/O; returns the worker that ran it, if any.
 *
 * @example
 * ```ts
 * await executeNode(node, { catalog, hooks, runId, isAsync: false, call: async (n, i) => ({ outputs: await n.run(i) }) });
 * ```
 */
export async function executeNode(node: Node, ctx: NodeTaskContext): Promise<number | undefined> {
  const { catalog, hooks, runId } = ctx;
  const inputs = ctx.isAsync ? await loadConcurrently(node, ctx) : await loadInOrder(node, ctx);
  const replaced = new Set<string>();
  const overrides = await hooks.call("beforeNodeRun", { node, catalog, inputs, isAsync: ctx.isAsync, runId });
  for (const override of overrides) {
    if (override && typeof override === "object") {
      for (const key of Object.keys(override)) replaced.add(key);
      Object.assign(inputs, override);
    }
  }
  let result: Awaited<ReturnType<NodeCall>>;
  try {
    const observed = hooks.has("afterNodeRun") || hooks.has("onNodeError");
    result = await ctx.call(node, inputs, { replaced, observed });
  } catch (error) {
    const failed = error instanceof KmlfError
      ? error
      : new NodeError("node/failed", `Node "${node.name}" failed`, { cause: error });
    try {
      // Kedro's on_node_error gets what the node raised, not kmlf's located wrapper around it.
      await hooks.call("onNodeError", {
        error: raisedError(failed),
        node,
        catalog,
        inputs,
        isAsync: ctx.isAsync,
        runId,
      });
    } catch (hookError) {
      // The node's own error stays the one reported (its stack is what needs fixing first); the hook's
      // failure is named with it rather than replacing it.
      throw new NodeError(failed.code, `${failed.message}; then ${(hookError as Error).message}`, {
        cause: failed.cause,
        hint: (hookError as KmlfError).hint,
        source: failed.source,
      });
    }
    throw failed;
  }
  const { outputs } = result;
  if (hooks.has("afterNodeRun")) {
    await hooks.call("afterNodeRun", { node, catalog, inputs, outputs, isAsync: ctx.isAsync, runId });
    checkOutputsKept(node, outputs);
  }
  if (ctx.isAsync) await saveConcurrently(node, outputs, ctx);
  else {
    for (const [name, data] of Object.entries(outputs)) {
      await hooks.call("beforeDatasetSaved", { datasetName: name, data, node });
      await catalog.save(name, data);
      await hooks.call("afterDatasetSaved", { datasetName: name, data, node });
    }
  }
  for (const name of node.confirms) await catalog.confirm(name);
  return result.worker;
}

async function loadOne(node: Node, name: string, ctx: NodeTaskContext): Promise<unknown> {
  await ctx.hooks.call("beforeDatasetLoaded", { datasetName: name, node });
  const data = await ctx.catalog.load(name);
  await ctx.hooks.call("afterDatasetLoaded", { datasetName: name, data, node });
  return data;
}

async function loadInOrder(node: Node, ctx: NodeTaskContext): Promise<Record<string, unknown>> {
  const inputs: Record<string, unknown> = {};
  for (const name of node.inputs) inputs[name] = await loadOne(node, name, ctx);
  return inputs;
}

// Each load runs with its own hooks around it; a failed load fails the node once every load settled,
// so no load is left running unobserved.
async function loadConcurrently(node: Node, ctx: NodeTaskContext): Promise<Record<string, unknown>> {
  const names = [...new Set(node.inputs)];
  const settled = await Promise.allSettled(names.map((name) => loadOne(node, name, ctx)));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) throw failed.reason;
  return Object.fromEntries(names.map((n, i) => [n, (settled[i] as PromiseFulfilledResult<unknown>).value]));
}

// Kedro's async save: beforeDatasetSaved for every output first, then each save followed by its own
// afterDatasetSaved as it completes.
async function saveConcurrently(
  node: Node,
  outputs: Record<string, unknown>,
  ctx: NodeTaskContext,
): Promise<void> {
  const entries = Object.entries(outputs);
  for (const [name, data] of entries) {
    await ctx.hooks.call("beforeDatasetSaved", { datasetName: name, data, node });
  }
  const settled = await Promise.allSettled(entries.map(async ([name, data]) => {
    await ctx.catalog.save(name, data);
    await ctx.hooks.call("afterDatasetSaved", { datasetName: name, data, node });
  }));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) throw failed.reason;
}

// afterNodeRun hooks may change output values (the dict is shared, as in Kedro) but not which outputs
// exist: an added key would be saved to a dataset no node declares, a removed one never saved.
function checkOutputsKept(node: Node, outputs: Record<string, unknown>): void {
  const added = Object.keys(outputs).filter((k) => !node.outputs.includes(k));
  const removed = node.outputs.filter((o) => !(o in outputs));
  if (added.length === 0 && removed.length === 0) return;
  const what = [
    added.length > 0 ? `added ${added.map((k) => `"${k}"`).join(", ")}` : "",
    removed.length > 0 ? `removed ${removed.map((k) => `"${k}"`).join(", ")}` : "",
  ].filter(Boolean).join(" and ");
  throw new HookError(
    "hooks/bad-outputs",
    `An afterNodeRun hook changed which outputs node "${node.name}" has: ${what}`,
    {
      source: node.source,
      hint: `change only the values of the node's outputs (${node.outputs.map((o) => `"${o}"`).join(", ")})`,
    },
  );
}
