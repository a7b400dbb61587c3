/** Modular pipeline reuse: renaming an included pipeline's datasets and nodes like Kedro's `pipeline()`. */
import { didYouMeanHint, type KmlfError, PipelineDefinitionError, type SourceLocation } from "../errors.ts";
import { isParameter, transcodeBase } from "../dataset_names.ts";
import { type DatasetField, Node } from "./node.ts";
import type { Pipeline } from "./pipeline.ts";

/** The mapping keys of an include entry. */
export type MappingField = "inputs" | "outputs" | "parameters";

/** The options of a `- pipeline: ./file.yml` entry. */
export interface IncludeOptions {
  namespace?: string;
  inputs: Record<string, string>;
  outputs: Record<string, string>;
  parameters: Record<string, string>;
  tags: string[];
  /** Kedro's `prefix_datasets_with_namespace` (default true): false names the nodes only. */
  prefixDatasets?: boolean;
  /** Where the include entry is (used when a mapping key cannot be located). */
  source?: SourceLocation;
  /** Where a mapping key is, e.g. `("inputs", "raw")` → the `raw:` key under `inputs:`. */
  locate?: (field: MappingField, key: string) => SourceLocation | undefined;
}

/**
 * Returns the included pipeline's nodes renamed for `options`, or the mapping problems found.
 * Rules (Kedro's): `parameters` is never renamed; mapped names are renamed (a transcoded name keeps its
 * `@suffix`); everything else gets the namespace prefix (`params:x` → `params:<ns>.x`, `d` → `<ns>.d`);
 * node namespaces nest (`<ns>.<old>`) and node names become `<ns>.<name>`.
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
  // The namespace that prefixes dataset and parameter names (none when prefix_datasets_with_namespace is false).
  const prefix = options.prefixDatasets === false ? undefined : ns;
  // parameter key (without "params:") → [mapping key as written, mapped name]
  const params = new Map(
    Object.entries(options.parameters).map(([from, to]) => [stripParams(from), [from, stripParams(to)]]),
  );
  const paramMapping = (key: string) => {
    for (const [p, entry] of params) if (key === p || key.startsWith(`${p}.`)) return { p, entry };
    return undefined;
  };
  const datasetMapping = (name: string): { field: "inputs" | "outputs"; key: string } | undefined => {
    for (const field of ["inputs", "outputs"] as const) {
      if (Object.hasOwn(options[field], name)) return { field, key: name };
    }
    const base = transcodeBase(name);
    for (const field of ["inputs", "outputs"] as const) {
      if (Object.hasOwn(options[field], base)) return { field, key: base };
    }
    return undefined;
  };
  const rename = (name: string): string => {
    if (name === "parameters") return name;
    if (name.startsWith("params:")) {
      const key = name.slice(7);
      const m = paramMapping(key);
      if (m) return `params:${m.entry[1]}${key.slice(m.p.length)}`;
      return prefix ? `params:${prefix}.${key}` : name;
    }
    const m = datasetMapping(name);
    if (m) return options[m.field][m.key] + name.slice(m.key.length);
    return prefix ? `${prefix}.${name}` : name;
  };
  // A mapped dataset is best pointed at in the including file, where the user chose its name.
  const mappedSource = (original: string): SourceLocation | undefined => {
    if (original.startsWith("params:")) {
      const m = paramMapping(original.slice(7));
      return m ? options.locate?.("parameters", m.entry[0]) : undefined;
    }
    const m = datasetMapping(original);
    return m ? options.locate?.(m.field, m.key) : undefined;
  };
  const nodes = pipeline.nodes.map((node) => {
    const spec = node.toSpec();
    const renamed = new Map(
      [...spec.inputs, ...spec.outputs, ...(spec.confirms ?? [])].map((d) => [rename(d), d]),
    );
    return new Node({
      ...spec,
      name: ns ? `${ns}.${spec.name}` : spec.name,
      namespace: ns ? (spec.namespace ? `${ns}.${spec.namespace}` : ns) : spec.namespace,
      inputs: spec.inputs.map(rename),
      outputs: spec.outputs.map(rename),
      confirms: spec.confirms?.map(rename),
      tags: [...(spec.tags ?? []), ...options.tags],
      includedAt: [...(spec.includedAt ?? []), () => options.source],
      namespacedFrom: (d: string) => {
        const original = renamed.get(d) ?? d;
        const mapped = original.startsWith("params:")
          ? paramMapping(original.slice(7))
          : datasetMapping(original);
        if (prefix && original !== "parameters" && !mapped && original !== d) {
          return { key: original, namespace: prefix, include: options.source };
        }
        return node.namespacedFrom(original);
      },
      datasetSources: (d: string, field?: DatasetField) => {
        const original = renamed.get(d) ?? d;
        return mappedSource(original) ?? node.inputSource(original, field);
      },
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
  const fail = (field: MappingField, key: string, message: string, hint: string) =>
    problems.push(
      new PipelineDefinitionError("pipeline/bad-mapping", message, {
        source: options.locate?.(field, key) ?? options.source,
        hint,
      }),
    );
  for (const key of Object.keys(options.inputs)) {
    const name = transcodeBase(key);
    if (isParameter(key)) {
      fail(
        "inputs",
        key,
        `Parameter "${key}" is mapped under inputs:`,
        "map parameters under parameters: instead",
      );
    } else if (produced.has(name)) {
      fail(
        "inputs",
        key,
        `Input mapping "${key}" is produced inside the included pipeline`,
        "inputs: may only map free inputs of the included pipeline (map it under outputs: instead)",
      );
    } else if (!free.has(name)) {
      fail(
        "inputs",
        key,
        `Input mapping "${key}" does not exist in the included pipeline`,
        didYouMeanHint(name, free) || `free inputs: ${[...free].join(", ") || "(none)"}`,
      );
    }
  }
  for (const key of Object.keys(options.outputs)) {
    const name = transcodeBase(key);
    if (produced.has(name)) continue;
    fail(
      "outputs",
      key,
      free.has(name)
        ? `Output mapping "${key}" is an input of the included pipeline, not an output`
        : `Output mapping "${key}" is not produced by the included pipeline`,
      didYouMeanHint(name, produced) || `outputs: ${[...produced].join(", ") || "(none)"}`,
    );
  }
  for (const key of Object.keys(options.parameters)) {
    const name = stripParams(key);
    if (used.has(name) || [...used].some((u) => u.startsWith(`${name}.`))) continue;
    fail(
      "parameters",
      key,
      `Parameter mapping "${name}" is not used by the included pipeline`,
      didYouMeanHint(name, prefixes(used)) || `parameters used: ${[...used].join(", ") || "(none)"}`,
    );
  }
  return problems;
}

// "a.b.c" → a, a.b, a.b.c: a parameter mapping may name any level of a nested parameter.
function prefixes(names: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const name of names) {
    const parts = name.split(".");
    for (let i = 1; i <= parts.length; i++) out.add(parts.slice(0, i).join("."));
  }
  return out;
}
