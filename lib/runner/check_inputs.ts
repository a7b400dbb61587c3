/** Pre-run check that every free input of a pipeline can be loaded, reporting all gaps at once. */
import type { Catalog } from "../catalog/mod.ts";
import { DatasetError, didYouMeanHint, throwIfAny } from "../errors.ts";
import type { Pipeline } from "../pipeline/mod.ts";

/**
 * Throws when a free input is neither produced by a node, declared in the catalog (or matched by a
 * factory pattern), nor a defined parameter. Each problem points at the node input in the YAML.
 *
 * @example
 * ```ts
 * checkFreeInputs(pipeline, catalog);
 * ```
 */
export function checkFreeInputs(pipeline: Pipeline, catalog: Catalog): void {
  const problems: DatasetError[] = [];
  const known = [...catalog.names(), ...pipeline.allOutputs()];
  for (const name of [...pipeline.inputs()].sort()) {
    if (catalog.has(name)) continue;
    const consumers = pipeline.nodes.filter((n) => n.inputs.includes(name));
    const node = consumers[0];
    const source = node?.inputSource(name) ?? node?.source;
    const nodeList = consumers.map((n) => `"${n.name}"`).join(", ");
    if (name === "parameters" || name.startsWith("params:")) {
      const key = name.slice("params:".length);
      const params = catalog.names().filter((n) => n.startsWith("params:")).map((n) => n.slice(7));
      const guess = didYouMeanHint(key, params);
      problems.push(
        new DatasetError(
          "runner/unknown-parameter",
          `Parameter "${key}" used by node ${nodeList} is not defined`,
          {
            source,
            hint: `define "${key}" in conf/base/parameters.yml (or pass --params ${key}=...)` +
              (guess ? `; ${guess}` : ""),
          },
        ),
      );
      continue;
    }
    const guess = didYouMeanHint(name, known);
    problems.push(
      new DatasetError(
        "runner/missing-input",
        `Input "${name}" of node ${nodeList} is not produced by any node and not declared in the catalog`,
        {
          source,
          hint: `declare "${name}" in conf/base/catalog.yml, produce it with a node, or fix the name` +
            (guess ? `; ${guess}` : ""),
        },
      ),
    );
  }
  throwIfAny(problems, "Cannot run the pipeline");
}
