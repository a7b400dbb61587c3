/**
 * A pipeline's topology: equal nodes merged, each node linked to the nodes producing its inputs and those
 * reading its outputs, generations in a deterministic order, and the closures filters take.
 */
import { transcodeBase } from "../dataset_names.ts";
import type { Node } from "./node.ts";

/** Each node's parents (the producers of its inputs) and children (the readers of its outputs). */
export interface NodeLinks {
  parents: Map<Node, Node[]>;
  children: Map<Node, Node[]>;
}

/**
 * `nodes` in their order, equal nodes merged. Kedro merges equal nodes (same name, function, bindings and
 * datasets), so two pipelines that include the same reusable part without a namespace can still be added
 * together.
 *
 * @example
 * ```ts
 * uniqueNodes([split, train, split]); // [split, train]
 * ```
 */
export function uniqueNodes(nodes: Iterable<Node>): Node[] {
  const byName = new Map<string, Node[]>();
  const list: Node[] = [];
  for (const node of nodes) {
    const same = byName.get(node.name);
    if (same?.some((other) => other === node || equalNodes(other, node))) continue;
    if (same) same.push(node);
    else byName.set(node.name, [node]);
    list.push(node);
  }
  return list;
}

/**
 * Links every node of a valid `list` to its parents and children (datasets compared by transcoding base).
 *
 * @example
 * ```ts
 * const { parents } = linkNodes([split, train]);
 * parents.get(train); // [split]
 * ```
 */
export function linkNodes(list: readonly Node[]): NodeLinks {
  const parents = new Map<Node, Node[]>();
  const children = new Map<Node, Node[]>();
  const producer = new Map<string, Node>();
  for (const n of list) for (const o of n.outputs) producer.set(transcodeBase(o), n);
  for (const n of list) {
    parents.set(n, []);
    children.set(n, []);
  }
  for (const n of list) {
    const seen = new Set<Node>();
    for (const i of n.inputs) {
      const p = producer.get(transcodeBase(i));
      if (p && !seen.has(p)) {
        seen.add(p);
        parents.get(n)!.push(p);
        children.get(p)!.push(n);
      }
    }
  }
  return { parents, children };
}

/**
 * Topological generations of an acyclic `list`: each node comes after its parents; alphabetical within a
 * generation.
 *
 * @example
 * ```ts
 * toposort([train, split], linkNodes([train, split])); // [[split], [train]]
 * ```
 */
export function toposort(list: readonly Node[], links: NodeLinks): Node[][] {
  const indegree = new Map<Node, number>();
  for (const n of list) indegree.set(n, links.parents.get(n)!.length);
  let current = list.filter((n) => indegree.get(n) === 0);
  const generations: Node[][] = [];
  while (current.length > 0) {
    current.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    generations.push(current);
    const next: Node[] = [];
    for (const n of current) {
      for (const c of links.children.get(n)!) {
        const d = indegree.get(c)! - 1;
        indegree.set(c, d);
        if (d === 0) next.push(c);
      }
    }
    current = next;
  }
  return generations;
}

/**
 * `start` and every node reachable from it through `next` (children: downstream; parents: upstream).
 *
 * @example
 * ```ts
 * closure([split], (n) => links.children.get(n) ?? []); // [split, train]
 * ```
 */
export function closure(start: readonly Node[], next: (n: Node) => readonly Node[]): Node[] {
  const seen = new Set<Node>(start);
  const queue = [...start];
  while (queue.length > 0) for (const n of next(queue.pop()!)) if (!seen.has(n)) seen.add(n), queue.push(n);
  return [...seen];
}

function equalNodes(a: Node, b: Node): boolean {
  return a.func === b.func && a.namespace === b.namespace && sameList(a.inputs, b.inputs) &&
    sameList(a.outputs, b.outputs) && JSON.stringify(a.inputBinding) === JSON.stringify(b.inputBinding) &&
    JSON.stringify(a.outputBinding) === JSON.stringify(b.outputBinding);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
