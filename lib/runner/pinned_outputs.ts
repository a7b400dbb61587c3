/**
 * `--load-versions` pins of datasets the run also writes. Kedro warns only after the save ("Save version
 * … did not match load version …"), when the nodes that read the dataset have already read the pinned
 * version; kmlf says it before any node runs, and runs as Kedro does.
 */
import type { Catalog, CatalogWarning } from "../catalog/mod.ts";
import { DatasetError } from "../errors.ts";
import type { Pipeline } from "../pipeline/mod.ts";

/**
 * One warning per pinned versioned dataset that a node of `pipeline` saves: the dataset, both versions,
 * and which nodes read the pinned version rather than the one this run writes.
 *
 * @example
 * ```ts
 * for (const w of await pinnedOutputWarnings(pipeline, catalog, { model: "2024-01-15T10.30.00.000Z" })) {
 *   onCatalogWarning(w);
 * }
 * ```
 */
export async function pinnedOutputWarnings(
  pipeline: Pipeline,
  catalog: Catalog,
  loadVersions: Record<string, string>,
): Promise<CatalogWarning[]> {
  const warnings: CatalogWarning[] = [];
  for (const [name, version] of Object.entries(loadVersions)) {
    const producers = pipeline.nodes.filter((n) => n.outputs.includes(name));
    if (producers.length === 0 || !catalog.has(name)) continue;
    // Only a versioned dataset keeps the pinned version apart from the one this run saves.
    if (typeof (await catalog.get(name)).listVersions !== "function") continue;
    const readers = pipeline.nodes.filter((n) => n.inputs.includes(name)).map((n) => `"${n.name}"`);
    const saved = catalog.saveVersion === undefined ? "" : ` as version ${catalog.saveVersion}`;
    const problem = new DatasetError(
      "dataset/pinned-output",
      `--load-versions pins "${name}" to version ${version}, but node "${
        producers[0].name
      }" of this run saves it${saved}`,
      { source: catalog.sourceOf(name) },
    );
    const consequence = readers.length > 0
      ? `${readers.length === 1 ? "node" : "nodes"} ${readers.join(", ")} of this run ` +
        `${readers.length === 1 ? "reads" : "read"} the pinned ` +
        `version ${version}, not the one this run writes`
      : `no node of this run reads it; the pin does not change what this run writes`;
    warnings.push({
      name,
      problems: [problem],
      note: `${consequence} (Kedro warns the same after the save); drop "${name}" from --load-versions ` +
        `to read what this run writes`,
    });
  }
  return warnings;
}
