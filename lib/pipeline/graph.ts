/** Structural checks of a set of nodes: unique names, outputs and confirms, transcoding, cycles. */
import { type KmlfError, PipelineDefinitionError, type SourceLocation } from "../errors.ts";
import { isParameter, transcodeBase, TRANSCODING_HINT, transcodingProblem } from "../dataset_names.ts";
import type { Node } from "./node.ts";

/**
 * Returns every structural problem of `nodes` (empty when the graph is valid).
 *
 * @example
 * ```ts
 * const problems = graphProblems(nodes);
 * ```
 */
export function graphProblems(nodes: readonly Node[]): KmlfError[] {
  const problems: KmlfError[] = [];
  const byName = new Map<string, Node>();
  for (const node of nodes) {
    const other = byName.get(node.name);
    if (other && other !== node) problems.push(duplicateNode(node, other));
    byName.set(node.name, node);
  }
  const producer = new Map<string, Node>();
  for (const node of nodes) {
    if (node.inputs.length === 0 && node.outputs.length === 0) {
      problems.push(
        new PipelineDefinitionError(
          "pipeline/node-without-datasets",
          `Node "${node.name}" has no inputs and no outputs`,
          {
            source: node.source,
            hint: "a node must read or write at least one dataset (as in Kedro); add `inputs:` or `outputs:`",
          },
        ),
      );
    }
    const bases = node.inputs.map(transcodeBase);
    const written = new Set<string>();
    for (const output of node.outputs) {
      // Parameters are configuration (logged to MLflow as set): a node writing one would run later nodes
      // on another value, silently. Kedro lets it happen; a mapping slip (`outputs: {x: params:x}`) does it.
      if (isParameter(output)) {
        problems.push(
          new PipelineDefinitionError(
            "pipeline/parameter-output",
            `Node "${node.name}" writes the parameter "${output}"`,
            {
              source: node.inputSource(output, "outputs"),
              hint: "parameters come from conf/ (and --params) only; write a dataset instead " +
                "(a name without params:)",
            },
          ),
        );
        continue;
      }
      const base = transcodeBase(output);
      // Two outputs of one node with one base would be saved one over the other (Kedro refuses them too).
      if (written.has(base)) {
        problems.push(
          new PipelineDefinitionError(
            "pipeline/duplicate-output",
            `Node "${node.name}" writes "${base}" twice`,
            {
              source: node.inputSource(output, "outputs"),
              hint: "each output of a node must be a different dataset (even transcoded); rename one of them",
            },
          ),
        );
        continue;
      }
      written.add(base);
      if (bases.includes(base)) {
        problems.push(
          new PipelineDefinitionError(
            "pipeline/input-is-output",
            `Node "${node.name}" reads and writes "${base}"`,
            {
              source: node.inputSource(output, "outputs"),
              hint:
                "a node cannot have the same dataset as input and output (even transcoded); write a new dataset",
            },
          ),
        );
      }
      const first = producer.get(base);
      // Two nodes of one name are reported as such: a reusable pipeline included twice under one namespace.
      if (first && first !== node && first.name !== node.name) {
        problems.push(
          new PipelineDefinitionError(
            "pipeline/duplicate-output",
            `Dataset "${base}" is written by two nodes: "${first.name}" and "${node.name}"`,
            {
              source: node.inputSource(output, "outputs"),
              hint: "every dataset must be produced by one node only; rename one of the outputs",
            },
          ),
        );
      }
      producer.set(base, node);
    }
  }
  const confirmer = new Map<string, Node>();
  for (const node of nodes) {
    for (const name of node.confirms) {
      const first = confirmer.get(name);
      if (first && first !== node) {
        problems.push(
          new PipelineDefinitionError(
            "pipeline/duplicate-confirms",
            `Dataset "${name}" is confirmed by two nodes: "${first.name}" and "${node.name}"`,
            {
              source: node.inputSource(name, "confirms"),
              hint: "a dataset may be confirmed by one node only; remove it from one `confirms:` list",
            },
          ),
        );
      }
      confirmer.set(name, node);
    }
  }
  const all = new Set(nodes.flatMap((n) => [...n.inputs, ...n.outputs]));
  for (const name of all) {
    const problem = transcodingProblem(name);
    if (problem === undefined) continue;
    const node = nodes.find((n) => n.inputs.includes(name) || n.outputs.includes(name))!;
    problems.push(
      new PipelineDefinitionError("pipeline/bad-transcoding", `Dataset name "${name}" ${problem}`, {
        source: node.inputSource(name, node.inputs.includes(name) ? "inputs" : "outputs"),
        hint: TRANSCODING_HINT,
      }),
    );
  }
  const transcoded = new Set([...all].filter((n) => n.includes("@")).map(transcodeBase));
  for (const name of all) {
    if (!name.includes("@") && transcoded.has(name)) {
      const node = nodes.find((n) => n.inputs.includes(name) || n.outputs.includes(name))!;
      problems.push(
        new PipelineDefinitionError(
          "pipeline/transcoding-mix",
          `Dataset "${name}" is used both with and without a transcoding suffix`,
          {
            source: node.inputSource(name),
            hint: `refer to it as "${name}@<format>" everywhere, or rename it`,
          },
        ),
      );
    }
  }
  const cycle = findCycle(nodes, producer);
  if (cycle) {
    problems.push(
      new PipelineDefinitionError(
        "pipeline/cycle",
        `Circular dependency: ${cycle.map((n) => n.name).join(" -> ")}`,
        {
          source: cycleSource(cycle),
          hint: "a node cannot depend, directly or through other nodes, on its own output" +
            (cycle.some((n) => n.sourceChain.length > 1)
              ? " (an include's inputs:/outputs: mapping can close such a loop)"
              : ""),
        },
      ),
    );
  }
  return problems;
}

function where(s: SourceLocation | undefined): string {
  return s?.file ? `${s.file}:${s.line ?? "?"}:${s.column ?? "?"}` : "another file";
}

function sameLocation(a: SourceLocation | undefined, b: SourceLocation | undefined): boolean {
  return a?.file === b?.file && a?.line === b?.line && a?.column === b?.column;
}

// Two nodes of one name: when both are one YAML node included twice, the includes are what to change.
function duplicateNode(node: Node, other: Node): KmlfError {
  const mine = node.sourceChain;
  const theirs = other.sourceChain;
  let level = 0;
  while (level < mine.length - 1 && level < theirs.length - 1 && sameLocation(mine[level], theirs[level])) {
    level++;
  }
  const message = `Two nodes are named "${node.name}"`;
  if (level === 0 || !sameLocation(mine[level - 1], theirs[level - 1])) {
    return new PipelineDefinitionError("pipeline/duplicate-node", message, {
      source: mine[0],
      hint: `node names must be unique in a pipeline; rename one (the other is at ${where(theirs[0])})`,
    });
  }
  return new PipelineDefinitionError("pipeline/duplicate-node", message, {
    source: mine[level],
    hint: `node "${node.name}" of ${where(mine[0])} is included twice with the same namespace (the other ` +
      `include is at ${where(theirs[level])}); give each \`pipeline:\` include its own \`namespace:\``,
  });
}

// A loop closed by an include's mapping is best shown at that mapping, in the including file.
function cycleSource(cycle: readonly Node[]): SourceLocation | undefined {
  const links = cycle.slice(1).map((node, i) => {
    const bases = new Set(cycle[i].outputs.map(transcodeBase));
    const dataset = node.inputs.find((input) => bases.has(transcodeBase(input)));
    return dataset === undefined ? undefined : { at: node.inputSource(dataset, "inputs"), node };
  });
  const mapped = links.find((l) => l?.at?.file !== undefined && l.at.file !== l.node.source?.file);
  return mapped?.at ?? cycle[0].source;
}

// Iterative DFS along "depends on" edges; returns the cycle in data-flow order, first node repeated.
function findCycle(nodes: readonly Node[], producer: Map<string, Node>): Node[] | undefined {
  const color = new Map<Node, 1 | 2>();
  // Self-loops are reported separately as input-is-output.
  const parents = (n: Node) =>
    n.inputs.map((i) => producer.get(transcodeBase(i))).filter((p): p is Node => !!p && p !== n);
  for (const start of nodes) {
    if (color.has(start)) continue;
    const stack: { node: Node; next: number; deps: Node[] }[] = [{
      node: start,
      next: 0,
      deps: parents(start),
    }];
    color.set(start, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.next >= top.deps.length) {
        color.set(top.node, 2);
        stack.pop();
        continue;
      }
      const dep = top.deps[top.next++];
      const c = color.get(dep);
      if (c === 1) {
        const onStack = stack.slice(stack.findIndex((f) => f.node === dep)).map((f) => f.node);
        return [...onStack, dep].reverse();
      }
      if (c === undefined) {
        color.set(dep, 1);
        stack.push({ node: dep, next: 0, deps: parents(dep) });
      }
    }
  }
  return undefined;
}
