/**
 * A final output kept in memory only, next to a catalog entry of a close name that nothing uses: almost
 * always a misspelt catalog key (`metric:` for the `metrics` a node writes). Kedro runs it silently and the
 * output is gone when the run ends; kmlf runs it too, and says so before any node runs.
 */
import type { Catalog, CatalogWarning } from "../catalog/mod.ts";
import { DatasetError, didYouMean, formatLocation } from "../errors.ts";
import { isParameter } from "../dataset_names.ts";
import type { Pipeline } from "../pipeline/mod.ts";

/**
 * One warning per output of `pipeline` that no node reads, no catalog entry or pattern persists, and whose
 * name is close to a declared entry that no node of `full` (the requested pipelines before filters) uses.
 *
 * @example
 * ```ts
 * for (const w of lostOutputWarnings(pipeline, catalog, { full })) onCatalogWarning(w);
 * ```
 */
export function lostOutputWarnings(
  pipeline: Pipeline,
  catalog: Catalog,
  options: { full: Pipeline },
): CatalogWarning[] {
  const lost = [...pipeline.outputs()].filter((name) => !isParameter(name) && !catalog.has(name));
  if (lost.length === 0) return [];
  const used = new Set(options.full.datasets());
  const warnings: CatalogWarning[] = [];
  const misspelt = misspeltEntries(catalog, used);
  for (const output of lost) {
    const entry = misspelt(output);
    if (entry === undefined) continue;
    const producer = pipeline.nodes.find((n) => n.outputs.includes(output));
    const written = producer?.inputSource(output, "outputs");
    warnings.push({
      name: entry,
      problems: [
        new DatasetError(
          "catalog/unused-entry",
          `Catalog entry "${entry}" is used by no node, while node "${producer?.name}" writes "${output}", ` +
            `which no catalog entry saves: it stays in memory and is lost when the run ends`,
          {
            source: catalog.sourceOf(entry, { key: true }),
            hint: `rename the entry to "${output}" to save that output` +
              (written?.file
                ? ` (or the output at ${formatLocation({ ...written, keyPath: undefined })})`
                : ""),
          },
        ),
      ],
      note: "the run goes on, as Kedro's would",
    });
  }
  return warnings;
}

/**
 * The declared catalog entry (not a parameter) whose name is close to `name` and that no dataset of `used`
 * names: the likely misspelling of an entry meant for `name`.
 *
 * @example
 * ```ts
 * misspeltEntry("metrics", catalog, new Set(pipeline.datasets())); // "metric"
 * ```
 */
export function misspeltEntry(name: string, catalog: Catalog, used: ReadonlySet<string>): string | undefined {
  return misspeltEntries(catalog, used)(name);
}

/**
 * {@link misspeltEntry} for many names: the unused entries are listed once (a catalog holds an entry per
 * parameter key, thousands for a large parameter; listing them per output made a run quadratic).
 *
 * @example
 * ```ts
 * const guess = misspeltEntries(catalog, new Set(pipeline.datasets()));
 * guess("metrics"); // "metric"
 * ```
 */
export function misspeltEntries(
  catalog: Catalog,
  used: ReadonlySet<string>,
): (name: string) => string | undefined {
  let unused: string[] | undefined;
  return (name) =>
    didYouMean(
      name,
      unused ??= catalog.names().filter((entry) =>
        !isParameter(entry) && !used.has(entry) && catalog.sourceOf(entry) !== undefined
      ),
    );
}
