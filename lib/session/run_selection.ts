/**
 * The pipeline a run executes: the requested pipelines with the run's filters applied, refused when
 * nothing is left to run (Kedro refuses it too: "Pipeline contains no nodes…"), before a tracked run
 * would start and end empty.
 *
 * @module
 */
import { PipelineDefinitionError } from "../errors.ts";
import type { Pipeline, PipelineFilter } from "../pipeline/mod.ts";
import { filterNaming } from "./filter_hints.ts";

/**
 * `full` filtered by `filter` (unknown names explained by {@link filterNaming}); an error when no node is left.
 *
 * @example
 * ```ts
 * const pipeline = await selectRunPipeline(full, ["training"], { tags: ["train"] }, {
 *   pipelinesDir: "pipelines",
 *   registered: () => session.pipelines(names),
 * });
 * ```
 */
export async function selectRunPipeline(
  full: Pipeline,
  names: string[],
  filter: PipelineFilter,
  options: { pipelinesDir: string; registered: () => Promise<Record<string, Pipeline>> },
): Promise<Pipeline> {
  const pipeline = hasFilter(filter) ? await filterNaming(full, names, filter, options.registered) : full;
  if (pipeline.nodes.length > 0) return pipeline;
  const dir = options.pipelinesDir;
  if (names.length === 1 && names[0] === "__default__" && !(await hasPipelines(options.registered))) {
    // A project made with `kmlf new --no-example` (or emptied): there is nothing to add nodes to yet.
    throw new PipelineDefinitionError("pipeline/empty", "The project has no pipeline yet", {
      hint: `create one: \`kmlf pipeline create <name>\` writes ${dir}/<name>.yml, its nodes and a test; ` +
        "then `kmlf run <name>`",
    });
  }
  const where = names.map((n) =>
    n === "__default__"
      ? `${dir}/__default__.yml (without it, the default pipeline is every pipeline in ${dir}/ together)`
      : `${dir}/${n}.yml`
  );
  throw new PipelineDefinitionError(
    "pipeline/empty",
    `Pipeline ${names.map((n) => `"${n}"`).join("+")} has no nodes`,
    { hint: `add nodes to ${where.join(", ")}` },
  );
}

/** Whether any pipeline besides `__default__` is registered (an unreadable one counts: it has its own error). */
async function hasPipelines(registered: () => Promise<Record<string, Pipeline>>): Promise<boolean> {
  const all = await registered().catch(() => undefined);
  return all === undefined || Object.keys(all).some((name) => name !== "__default__");
}

function hasFilter(f: PipelineFilter): boolean {
  return [f.tags, f.nodeNames, f.fromNodes, f.toNodes, f.fromInputs, f.toOutputs, f.namespaces]
    .some((v) => v !== undefined && v.length > 0);
}
