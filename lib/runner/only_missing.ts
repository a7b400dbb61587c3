/** `--only-missing-outputs`: keep the nodes whose persisted outputs are missing, and what feeds them. */
import type { Catalog } from "../catalog/mod.ts";
import { type Node, Pipeline, transcodeBase } from "../pipeline/mod.ts";

/**
 * Returns the sub-pipeline that must run so every persistent output exists (Kedro 1.x rules:
 * existence only, walked in reverse topological order).
 *
 * @example
 * ```ts
 * const { pipeline: toRun, skipped } = await onlyMissingOutputs(pipeline, catalog);
 * ```
 */
export async function onlyMissingOutputs(
  pipeline: Pipeline,
  catalog: Catalog,
): Promise<{ pipeline: Pipeline; skipped: string[] }> {
  const willRun = new Set<Node>();
  const nodes = pipeline.nodes;
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i];
    if (await mustRun(node, pipeline, catalog, willRun)) willRun.add(node);
  }
  const skipped = nodes.filter((n) => !willRun.has(n)).map((n) => n.name);
  return { pipeline: new Pipeline(nodes.filter((n) => willRun.has(n))), skipped };
}

async function mustRun(
  node: Node,
  pipeline: Pipeline,
  catalog: Catalog,
  willRun: Set<Node>,
): Promise<boolean> {
  if (node.outputs.length === 0) return true;
  for (const output of node.outputs) {
    const persisted = catalog.has(output) && !catalog.isEphemeral(output);
    if (persisted && !(await catalog.exists(output))) return true;
  }
  for (const child of pipeline.children(node)) {
    if (!willRun.has(child)) continue;
    const consumed = new Set(child.inputs.map(transcodeBase));
    for (const output of node.outputs) {
      if (!consumed.has(transcodeBase(output))) continue;
      const persisted = catalog.has(output) && !catalog.isEphemeral(output);
      if (!persisted || !(await catalog.exists(output))) return true;
    }
  }
  return false;
}
