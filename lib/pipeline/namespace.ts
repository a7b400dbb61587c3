/** Modular pipeline reuse: renaming an included pipeline's datasets and nodes like Kedro's `pipeline()`. */
import { didYouMeanHint, type KmlfError, PipelineDefinitionError, type SourceLocation } from "../errors.ts";
import { isParameter, transcodeBase } from "../dataset_names.ts";
import { Node } from "./node.ts";
import type { Pipeline } from "./pipeline.ts";

/** The options of a `- pipeline: ./file.yml` entry. */
export interface IncludeOptions {
  namespace?: string;
  inputs: Record<string, string>;
  outputs: Record<string, string>;
  parameters: Record<string, string>;
  tags: string[];
  source?: SourceLocation;
}

/**
 * Returns the included pipeline's nodes renamed for `options`, or the mapping problems found.
 *
 * @example
 * ```ts
 * const { nodes, problems } = applyNamespace(reusable, { namespace: "dp", inputs: { raw: "iris" }, outputs: {}, parameters: {}, tags: [] });
 * ```
 */
export function applyNamespace(
  pipeline: Pipeline,
  options: IncludeOptions,
): { nodes: Node[]; problems: KmlfError[] } {
  const problems = checkMappings(pipeline, options);
  const ns = options.namespace;
  const params: Record<string, string> = {};
  for (const [from, to] of Object.entries(options.parameters)) params[stripParams(from)] = stripParams(to);
  const rename = (name: string): string => {
    if (name === "parameters") return name;
    if (name.startsWith("params:")) {
      const key = name.slice(7);
      const mapped = Object.keys(params).find((p) => key === p || key.startsWith(`${p}.`));
      if (mapped !== undefined) return `params:${params[mapped]}${key.slice(mapped.length)}`;
      return ns ? `params:${ns}.${key}` : name;
    }
    const base = transcodeBase(name);
    const suffix = name.slice(base.length);
    const mapped = options.inputs[base] ?? options.outputs[base];
    if (mapped !== undefined) return mapped + suffix;
    return ns ? `${ns}.${name}` : name;
  };
  const nodes = pipeline.nodes.map((node) => {
    const spec = node.toSpec();
    const renamed = new Map([...spec.inputs, ...spec.outputs].map((d) => [rename(d), d]));
    return new Node({
      ...spec,
      name: ns ? `${ns}.${spec.name}` : spec.name,
      namespace: ns ? (spec.namespace ? `${ns}.${spec.namespace}` : ns) : spec.namespace,
      inputs: spec.inputs.map(rename),
      outputs: spec.outputs.map(rename),
      confirms: spec.confirms?.map(rename),
      tags: [...(spec.tags ?? []), ...options.tags],
      datasetSources: (d: string) => node.inputSource(renamed.get(d) ?? d),
    });
  });
  return { nodes, problems };
}

function stripParams(name: string): string {
  return name.startsWith("params:") ? name.slice(7) : name;
}

function checkMappings(pipeline: Pipeline, options: IncludeOptions): KmlfError[] {
  const problems: KmlfError[] = [];
  const free = new Set([...pipeline.inputs()].map(transcodeBase));
  const produced = new Set([...pipeline.allOutputs()].map(transcodeBase));
  const used = new Set(
    [...pipeline.allInputs()].filter((i) => i.startsWith("params:")).map((i) => i.slice(7)),
  );
  const all = new Set([...pipeline.datasets()].map(transcodeBase));
  const fail = (message: string, hint: string) =>
    problems.push(
      new PipelineDefinitionError("pipeline/bad-mapping", message, { source: options.source, hint }),
    );
  for (const name of Object.keys(options.inputs)) {
    if (isParameter(name)) {
      fail(`Parameter "${name}" is mapped under inputs:`, "map parameters under parameters: instead");
    } else if (produced.has(name)) {
      fail(
        `Input mapping "${name}" is produced inside the included pipeline`,
        "inputs: may only map free inputs of the included pipeline",
      );
    } else if (!free.has(name)) {
      fail(
        `Input mapping "${name}" does not exist in the included pipeline`,
        didYouMeanHint(name, free) || `free inputs: ${[...free].join(", ")}`,
      );
    }
  }
  for (const name of Object.keys(options.outputs)) {
    if (!produced.has(name)) {
      fail(
        `Output mapping "${name}" is not produced by the included pipeline`,
        didYouMeanHint(name, all) || `outputs: ${[...produced].join(", ")}`,
      );
    }
  }
  for (const name of Object.keys(options.parameters).map(stripParams)) {
    if (!used.has(name) && ![...used].some((u) => u.startsWith(`${name}.`))) {
      fail(
        `Parameter mapping "${name}" is not used by the included pipeline`,
        didYouMeanHint(name, used) || `parameters used: ${[...used].join(", ") || "(none)"}`,
      );
    }
  }
  return problems;
}
