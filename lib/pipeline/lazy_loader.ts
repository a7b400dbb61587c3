/**
 * The YAML loader behind a dynamic import: reading pipeline files needs zod and js-yaml (~40 ms to
 * load), which code that only runs nodes — a parallel runner's worker — should not pay for.
 */
import type * as Loader from "./loader.ts";
import type { Pipeline } from "./pipeline.ts";

// Names of the registered pipelines: listed without the loader.
export { pipelineNames } from "./pipeline_files.ts";

/**
 * Loads, validates and returns the pipelines of `pipelinesDir` by name (see loader.ts for the YAML).
 *
 * @example
 * ```ts
 * const { training } = await loadPipelines("/project/pipelines", { only: ["training"] });
 * ```
 */
export async function loadPipelines(
  pipelinesDir: string,
  options?: { only?: string[] },
): Promise<Record<string, Pipeline>> {
  return (await import("./loader.ts")).loadPipelines(pipelinesDir, options);
}

/**
 * Loads one pipeline file on its own (see loader.ts' `loadPipelineFile`).
 *
 * @example
 * ```ts
 * const inference = await loadPipelineFile("/models/abc/code/pipelines/inference.yml");
 * ```
 */
export async function loadPipelineFile(
  ...args: Parameters<typeof Loader.loadPipelineFile>
): ReturnType<typeof Loader.loadPipelineFile> {
  return (await import("./loader.ts")).loadPipelineFile(...args);
}
