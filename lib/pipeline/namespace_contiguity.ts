/**
 * Kedro 1.x's namespace contiguity check (`Pipeline._validate_namespaces`): a path through the graph that
 * leaves a namespace and comes back into it makes the namespace "interrupted". Kedro warns ("Namespace 'x'
 * is interrupted by nodes [...] and thus invalid.") and runs the pipeline anyway; deployment plugins that
 * run one task per namespace (`group_nodes_by("namespace")`: Airflow, Vertex AI, Step Functions) would get a
 * cycle between tasks. Child namespaces (`a.b` inside `a`) and parallel branches are fine.
 */
import { PipelineDefinitionError } from "../errors.ts";
import type { Node } from "./node.ts";
import type { Pipeline } from "./pipeline.ts";

/** One interrupted namespace: the nodes outside it on a path that re-enters it, and the node re-entering. */
export interface NamespaceInterruption {
  namespace: string;
  /** Kedro's `path[:-1]`: the shortest path from the first node that left the namespace to `reentry`. */
  interruptedBy: string[];
  /** The node where the path comes back into the namespace. */
  reentry: Node;
}

/**
 * The interrupted namespaces, each once (with the first interruption Kedro would warn of: in node order,
 * then each node's parents). Kedro warns for every re-entry; one warning per namespace says the same, and
 * keeps the check linear in the nodes where a path re-enters many times.
 *
 * @example
 * ```ts
 * // a (namespace ns) → b (none) → c (namespace ns)
 * namespaceInterruptions(pipeline); // [{ namespace: "ns", interruptedBy: ["b"], reentry: c }]
 * ```
 */
export function namespaceInterruptions(pipeline: Pipeline): NamespaceInterruption[] {
  if (!pipeline.nodes.some((n) => n.namespace)) return [];
  const found = new Map<string, NamespaceInterruption>();
  // For each node: the namespaces left on some path to it, and the first node that left each (the start
  // of the path Kedro reports; it keeps them all, only ever reading the first).
  const seenBy = new Map<Node, Map<string, Node>>();
  for (const node of pipeline.nodes) {
    const visited = new Map<string, Node>();
    const current = node.namespace ?? "";
    for (const parent of pipeline.dependencies(node)) {
      const last = parent.namespace ?? "";
      const seen = seenBy.get(parent)!;
      const interrupted = prefixes(current).find((ns) => seen.has(ns));
      // Not when the parent is inside it: its own interruption was reported at the parent already.
      if (
        interrupted !== undefined && !found.has(interrupted) && !`${last}.`.startsWith(`${interrupted}.`)
      ) {
        const path = shortestPath(pipeline, seen.get(interrupted)!, node);
        found.set(interrupted, {
          namespace: interrupted,
          interruptedBy: path.slice(0, -1).map((n) => n.name),
          reentry: node,
        });
      }
      for (const [ns, first] of seen) if (!visited.has(ns)) visited.set(ns, first);
      // Leaving `last` (not for a child namespace): it and its prefixes this node is not in are left.
      if (last && current !== last && !current.startsWith(`${last}.`)) {
        for (const prefix of prefixes(last)) {
          // On a dot boundary (Kedro's plain startswith takes "ab" for inside "a").
          const inside = current === prefix || current.startsWith(`${prefix}.`);
          if (!inside && !visited.has(prefix)) visited.set(prefix, node);
        }
      }
    }
    seenBy.set(node, visited);
  }
  return [...found.values()];
}

/**
 * An interruption as the error a warning shows, located at the node re-entering the namespace.
 *
 * @example
 * ```ts
 * for (const found of namespaceInterruptions(pipeline)) console.warn(interruptionError(found).message);
 * ```
 */
export function interruptionError(found: NamespaceInterruption): PipelineDefinitionError {
  const { namespace, interruptedBy, reentry } = found;
  return new PipelineDefinitionError(
    "pipeline/namespace-interrupted",
    `Namespace "${namespace}" is interrupted by node${interruptedBy.length === 1 ? "" : "s"} ${
      interruptedBy.map((n) => `"${n}"`).join(", ")
    }: a path leaves it and comes back in at node "${reentry.name}"`,
    {
      source: reentry.source,
      hint: `give ${interruptedBy.length === 1 ? "that node" : "those nodes"} the namespace "${namespace}" ` +
        `too, or move node "${reentry.name}" out of it; a deployment that runs one task per namespace ` +
        `(Kedro's group_nodes_by("namespace")) could not order them`,
    },
  );
}

// "a.b.c" → ["a", "a.b", "a.b.c"] (Kedro's Node.namespace_prefixes); "" → [].
function prefixes(namespace: string): string[] {
  if (!namespace) return [];
  const parts = namespace.split(".");
  return parts.map((_, i) => parts.slice(0, i + 1).join("."));
}

// Breadth-first, as Kedro's `_shortest_path`.
function shortestPath(pipeline: Pipeline, start: Node, end: Node): Node[] {
  const queue: [Node, Node[]][] = [[start, [start]]];
  const visited = new Set([start]);
  while (queue.length > 0) {
    const [node, path] = queue.shift()!;
    if (node === end) return path;
    for (const child of pipeline.children(node)) {
      if (!visited.has(child)) {
        visited.add(child);
        queue.push([child, [...path, child]]);
      }
    }
  }
  return [];
}
