/**
 * Kedro's resume suggestion: after a failure, the nearest nodes whose inputs are all persisted,
 * so `--from-nodes` can restart without re-running finished work whose results survive on disk.
 */
import type { Catalog } from "../catalog/mod.ts";
import { isParameter, type Node, Pipeline, transcodeBase } from "../pipeline/mod.ts";

/**
 * Names of the nodes to resume from, sorted; empty when nothing completed.
 *
 * @example
 * ```ts
 * const names = findResumeNodes(pipeline, doneNodes, catalog); // ["train_model"]
 * ```
 */
export function findResumeNodes(pipeline: Pipeline, done: ReadonlySet<Node>, catalog: Catalog): string[] {
  if (done.size === 0) return [];
  const remaining = pipeline.nodes.filter((n) => !done.has(n));
  if (remaining.length === 0) return [];
  const external = new Pipeline(remaining).inputs();
  // A node without inputs (a source) needs nothing persisted: it is a start of its own (Kedro keeps every
  // unfinished node in the resumed set).
  const queue = remaining.filter((n) => n.inputs.length === 0 || n.inputs.some((i) => external.has(i)));
  const visited = new Set<Node>();
  const start = new Set<Node>();
  while (queue.length > 0) {
    const node = queue.shift()!;
    if (visited.has(node)) continue;
    visited.add(node);
    const transient = new Set(
      node.inputs.filter((i) => !isParameter(i) && catalog.isEphemeral(i)).map(transcodeBase),
    );
    if (transient.size === 0) {
      start.add(node);
      continue;
    }
    for (const parent of pipeline.dependencies(node)) {
      if (parent.outputs.some((o) => transient.has(transcodeBase(o)))) queue.push(parent);
    }
  }
  if (start.size === 0) return [];
  const closure = pipeline.fromNodes(...[...start].map((n) => n.name));
  const first = closure.groupedNodes()[0] ?? [];
  return first.map((n) => n.name).sort();
}
