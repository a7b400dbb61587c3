/**
 * Filters naming nodes or datasets the run's pipelines lack. The usual slip is a missing `--pipeline`
 * (`kmlf run --nodes split_data` while split_data is in `training`), so when other registered pipelines
 * have them, the error names those pipelines and the flag that runs them.
 *
 * @module
 */
import { PipelineDefinitionError } from "../errors.ts";
import { transcodeBase } from "../dataset_names.ts";
import type { Pipeline, PipelineFilter } from "../pipeline/mod.ts";

/**
 * `pipeline.filter(filter)`, whose unknown-node and unknown-dataset errors name the pipelines (`names`) and,
 * from `registered` (loaded only on that error), the other pipelines that have what is missing.
 *
 * @example
 * ```ts
 * const filtered = await filterNaming(full, ["ns"], { nodeNames: ["split_data"] }, () => session.pipelines(all));
 * // throws: Pipeline "ns" has no node named "split_data" — hint: "split_data" is in pipeline "training": …
 * ```
 */
export async function filterNaming(
  pipeline: Pipeline,
  names: string[],
  filter: PipelineFilter,
  registered: () => Promise<Record<string, Pipeline>>,
): Promise<Pipeline> {
  try {
    return pipeline.filter(filter);
  } catch (error) {
    if (!(error instanceof PipelineDefinitionError)) throw error;
    const isNode = error.code === "pipeline/unknown-node";
    if (!isNode && error.code !== "pipeline/unknown-dataset") throw error;
    const has = isNode
      ? (p: Pipeline, name: string) => p.nodes.some((n) => n.name === name)
      : (p: Pipeline, name: string) =>
        [...p.datasets()].some((d) => transcodeBase(d) === transcodeBase(name));
    const asked = isNode
      ? [...filter.nodeNames ?? [], ...filter.fromNodes ?? [], ...filter.toNodes ?? []]
      : [...filter.fromInputs ?? [], ...filter.toOutputs ?? []];
    const missing = [...new Set(asked)].filter((name) => !has(pipeline, name));
    const label = names.map((n) => `"${n}"`).join("+");
    const message = error.message.replace(/^Pipeline /, `Pipeline ${label} `);
    let others: Record<string, Pipeline> = {};
    try {
      others = await registered();
    } catch {
      // A broken other pipeline must not hide the filter's own error.
    }
    const found = missing.flatMap((name) => {
      const where = Object.keys(others).filter((p) =>
        p !== "__default__" && !names.includes(p) && has(others[p], name)
      );
      return where.length ? [`"${name}" is in pipeline ${where.map((p) => `"${p}"`).join(", ")}`] : [];
    });
    if (found.length === 0) {
      throw new PipelineDefinitionError(error.code, message, { hint: error.hint, source: error.source });
    }
    const holder = Object.keys(others).find((p) =>
      p !== "__default__" && !names.includes(p) && missing.some((m) => has(others[p], m))
    )!;
    const named = names.filter((n) => n !== "__default__");
    throw new PipelineDefinitionError(error.code, message, {
      hint: `${found.join("; ")}: run it with --pipeline ${holder}` +
        (named.length ? ` (or --pipelines ${[...named, holder].join(",")} for both)` : ""),
      source: error.source,
    });
  }
}
