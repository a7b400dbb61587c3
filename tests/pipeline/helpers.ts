/** Builds nodes and pipelines in memory for pipeline and runner tests. */
import { Node, type NodeFunction } from "../../lib/pipeline/mod.ts";

/**
 * A node with positional inputs and a single (or list) output.
 *
 * @example
 * ```ts
 * const n = node("double", ["a"], ["b"], (x: number) => x * 2);
 * ```
 */
export function node(
  name: string,
  inputs: string[],
  outputs: string[],
  func?: NodeFunction,
  tags: string[] = [],
  namespace?: string,
): Node {
  return new Node({
    name,
    func: func ??
      ((...args: unknown[]) => (outputs.length === 1 ? args[0] ?? 1 : outputs.map(() => args[0] ?? 1))),
    funcRef: `./test.ts#${name}`,
    inputs,
    outputs,
    inputBinding: inputs.length === 0 ? { kind: "none" } : { kind: "positional" },
    outputBinding: outputs.length === 0
      ? { kind: "none" }
      : outputs.length === 1
      ? { kind: "single" }
      : { kind: "list" },
    tags,
    namespace,
  });
}
