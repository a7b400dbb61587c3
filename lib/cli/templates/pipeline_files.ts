/**
 * What `kmlf pipeline create <name>` writes, like `kedro pipeline create`: the pipeline YAML, its
 * nodes module, a test of the nodes and (unless `--skip-config`) `conf/<env>/parameters_<name>.yml`.
 * The example node runs as created, so `kmlf run <name>` works at once.
 */

/** Paths relative to the project root. */
export interface PipelinePaths {
  yml: string;
  nodes: string;
  test: string;
  parameters?: string;
}

/**
 * The files of a new pipeline by project-relative path.
 *
 * @example
 * ```ts
 * pipelineFiles("scoring", { pipelinesDir: "pipelines", parametersFile: "conf/base/parameters_scoring.yml" });
 * ```
 */
export function pipelineFiles(
  name: string,
  options: { pipelinesDir: string; parametersFile?: string },
): { paths: PipelinePaths; files: Record<string, string> } {
  const dir = options.pipelinesDir;
  const paths: PipelinePaths = {
    yml: `${dir}/${name}.yml`,
    nodes: `${dir}/${name}/nodes.ts`,
    test: `tests/${dir}/${name}/nodes_test.ts`,
    parameters: options.parametersFile,
  };
  const withParams = options.parametersFile !== undefined;
  const up = "../".repeat(paths.test.split("/").length - 1);
  const files: Record<string, string> = {
    [paths.yml]: `# The "${name}" pipeline: run it with \`kmlf run ${name}\`. Each node calls an exported function of
# ./${name}/nodes.ts. Inputs and outputs are dataset names: declare the ones to keep on disk in
# conf/base/catalog.yml; the others live in memory for the run. \`params:<key>\` reads a parameter.
nodes:
  - name: ${name}_summary
    func: ./${name}/nodes.ts#summarize
    inputs: ${withParams ? `[params:${name}.values, params:${name}.label]` : "[]"}
    outputs: ${name}_summary
`,
    [paths.nodes]: `/**
 * Node functions of the "${name}" pipeline (wired in ${paths.yml}). Plain functions of their inputs:
 * kmlf loads the inputs, calls the function and saves what it returns.
 *
 * @module
 */

/** What {@link summarize} returns. */
export interface Summary {
  label: string;
  count: number;
  mean: number;
}

/**
 * Summarizes a list of numbers. Replace it with your pipeline's first step.
 *
 * @example
 * \`\`\`ts
 * summarize([1, 2, 3], "demo"); // { label: "demo", count: 3, mean: 2 }
 * \`\`\`
 */
export function summarize(values: number[] = [1, 2, 3], label = "${name}"): Summary {
  const count = values.length;
  const mean = count === 0 ? 0 : values.reduce((a, b) => a + b, 0) / count;
  return { label, count, mean };
}
`,
    [paths.test]: `import assert from "node:assert/strict";
import { summarize } from "${up}${paths.nodes}";

Deno.test("summarize counts and averages the values", () => {
  assert.deepEqual(summarize([2, 4], "x"), { label: "x", count: 2, mean: 3 });
});

Deno.test("summarize of no values has a mean of 0", () => {
  assert.equal(summarize([], "x").mean, 0);
});
`,
  };
  if (options.parametersFile) {
    files[options.parametersFile] = `# Parameters of the "${name}" pipeline; its nodes read them as params:${name}.<key>.
${name}:
  values: [1, 2, 3, 4]
  label: ${name}
`;
  }
  return { paths, files };
}
