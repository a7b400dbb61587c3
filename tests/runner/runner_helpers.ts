/** Small on-disk pipelines for runner tests: node functions in a real module, so workers can import them. */
import { join } from "node:path";
import { Catalog } from "../../lib/catalog/mod.ts";
import { HookManager } from "../../lib/hooks/mod.ts";
import { loadPipelines, type Pipeline } from "../../lib/pipeline/mod.ts";
import { createRunner, type RunnerOptions, type RunnerSpec, type RunResult } from "../../lib/runner/mod.ts";
import { parseYaml } from "../../lib/yaml/parse_yaml.ts";
import { withTree } from "../fs_helpers.ts";

/** The three runners, as specs, for tests that run a pipeline under each. */
export const RUNNERS: RunnerSpec[] = [
  { kind: "sequential" },
  { kind: "thread" },
  { kind: "parallel", maxWorkers: 2 },
];

/** A loaded pipeline and a catalog over a temp project. */
export interface Fixture {
  root: string;
  pipeline: Pipeline;
  catalog(yaml?: string): Promise<Catalog>;
}

/**
 * Writes `pipelines/p.yml` (the `nodes` YAML) and `pipelines/ops.ts`, loads the pipeline and calls `fn`.
 *
 * @example
 * ```ts
 * await withPipeline("nodes:\n  - {func: ./ops.ts#inc, inputs: params:x, outputs: y}\n", OPS, async (f) => {});
 * ```
 */
export async function withPipeline<T>(
  yaml: string,
  ops: string,
  fn: (fixture: Fixture) => Promise<T>,
  extra: Record<string, string> = {},
): Promise<T> {
  return await withTree({ "pipelines/p.yml": yaml, "pipelines/ops.ts": ops, ...extra }, async (root) => {
    const { p } = await loadPipelines(join(root, "pipelines"), { only: ["p"] });
    return await fn({
      root,
      pipeline: p,
      catalog: async (catalogYaml = "{}\n") => {
        const src = parseYaml(catalogYaml, join(root, "conf/base/catalog.yml"));
        return await Catalog.fromConfig({
          data: src.value as Record<string, unknown>,
          locate: (path) => src.locate(path),
        }, { projectRoot: root });
      },
    });
  });
}

/**
 * Runs `pipeline` with the runner `spec` names.
 *
 * @example
 * ```ts
 * const result = await runWith({ kind: "parallel" }, pipeline, catalog);
 * ```
 */
export function runWith(
  spec: RunnerSpec,
  pipeline: Pipeline,
  catalog: Catalog,
  options: Partial<RunnerOptions> = {},
): Promise<RunResult> {
  return createRunner(spec).run(pipeline, catalog, { runId: "r1", hooks: new HookManager(), ...options });
}

/** Whether two node timings overlap in time. */
export function overlap(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}
