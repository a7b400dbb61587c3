/**
 * `kmlf catalog list|resolve|patterns|validate`: how the pipelines' datasets resolve, without running
 * anything. The listings show broken entries too (each with a warning); `validate` fails on any problem.
 * They print as Kedro's do, `click.echo(yaml.dump(value))`: PyYAML's text (keys sorted, list items not
 * indented under their key), then the blank line echo's newline adds.
 */
import type { Catalog, CatalogWarning } from "../catalog/mod.ts";
import { pyyamlDump } from "../yaml/pyyaml_dump.ts";
import { isParameter } from "../pipeline/mod.ts";
import type { KmlfSession } from "../session/mod.ts";
import { EXIT } from "./exit_codes.ts";
import { openProjectSession } from "./project_session.ts";
import { splitList } from "./split_list.ts";
import { out, style } from "./terminal.ts";

/** Options of the catalog commands. */
export interface CatalogCommandOptions {
  project?: string;
  env?: string;
  pipeline?: string;
  /** `--params`: what the catalog's `${runtime_params:…}` read (Kedro's catalog commands cannot take them). */
  params?: string;
}

/**
 * For each pipeline: datasets by type, split into declared (`datasets`), matched by a factory
 * pattern (`factories`) and the rest (`defaults`: in memory, or as the catch-all pattern says).
 *
 * @example
 * ```ts
 * await catalogList({ pipeline: "training" });
 * ```
 */
export async function catalogList(options: CatalogCommandOptions): Promise<number> {
  const session = await openProjectSession(options);
  const catalog = await listingCatalog(session);
  const declared = new Set(catalog.names());
  const report: Record<string, unknown> = {};
  const names = await pipelinesOf(session, options);
  const pipelines = await session.pipelines(names);
  for (const name of names) {
    const pipeline = pipelines[name];
    const groups: Record<string, Record<string, string[]>> = { datasets: {}, factories: {}, defaults: {} };
    for (const ds of [...pipeline.datasets()].sort()) {
      if (isParameter(ds)) continue;
      // Kedro's `factories` are names a dataset pattern matches; the catch-all's are `defaults`, as in-memory
      // ones are (it replaces the default dataset), listed under the catch-all's type.
      const group = declared.has(ds)
        ? "datasets"
        : catalog.matchedBy(ds) === "pattern"
        ? "factories"
        : "defaults";
      (groups[group][catalog.typeName(ds)] ??= []).push(ds);
    }
    report[name] = groups;
  }
  out(pyyamlDump(report));
  return EXIT.ok;
}

/**
 * Prints `{name: config}` for declared entries and for every dataset of the pipelines, as a pattern or
 * Kedro's default (a MemoryDataset) resolves it.
 *
 * @example
 * ```ts
 * await catalogResolve({});
 * ```
 */
export async function catalogResolve(options: CatalogCommandOptions): Promise<number> {
  const session = await openProjectSession(options);
  const catalog = await listingCatalog(session);
  const names = new Set(catalog.names());
  for (const pipeline of Object.values(await session.pipelines(await pipelinesOf(session, options)))) {
    for (const ds of pipeline.datasets()) {
      if (!isParameter(ds)) names.add(ds);
    }
  }
  const resolved: Record<string, unknown> = {};
  // A name no entry or pattern gives is Kedro's default runtime pattern's: a MemoryDataset.
  for (const name of [...names].sort()) {
    resolved[name] = catalog.has(name) ? catalog.resolveConfig(name) : { type: "MemoryDataset" };
  }
  out(pyyamlDump(resolved));
  return EXIT.ok;
}

/**
 * Prints the factory patterns in the order they are tried.
 *
 * @example
 * ```ts
 * await catalogPatterns({});
 * ```
 */
export async function catalogPatterns(options: CatalogCommandOptions): Promise<number> {
  const session = await openProjectSession(options);
  out(pyyamlDump((await listingCatalog(session)).listPatterns()));
  return EXIT.ok;
}

/**
 * Builds every catalog entry (or, with `--pipeline`, every entry those pipelines use), and each factory
 * pattern as a name it matches would build it, and reports all problems together; exit code 2 when there is
 * any. Entries the named pipelines do not use are warnings.
 *
 * @example
 * ```ts
 * const code = await catalogValidate({ pipeline: "data_processing" });
 * ```
 */
export async function catalogValidate(options: CatalogCommandOptions): Promise<number> {
  const session = await openProjectSession(options);
  const requested = splitList(options.pipeline);
  const used = requested.length > 0 ? (await session.pipeline(requested)).datasets() : undefined;
  const catalog = await session.catalog({ used, hooks: false, checkPatterns: true });
  await printWarnings(catalog.warnings, {
    root: session.settings.root,
    note: `not used by ${requested.join(", ")}`,
  });
  const broken = new Set(catalog.warnings.filter((w) => w.note === undefined).map((w) => w.name));
  const checked = catalog.names().filter((n) => !isParameter(n) && !broken.has(n)).length +
    catalog.listPatterns().length;
  const what = requested.length > 0 ? ` used by ${requested.join(", ")}` : "";
  out(style.green(`✔ ${checked} catalog entr${checked === 1 ? "y" : "ies"}${what} valid`));
  return EXIT.ok;
}

// Listings show what is there, broken entries included; each broken one gets a warning.
async function listingCatalog(session: KmlfSession): Promise<Catalog> {
  const catalog = await session.catalog({ used: [], hooks: false });
  await printWarnings(catalog.warnings, {
    root: session.settings.root,
    note: "listed, but it cannot be used as is",
  });
  return catalog;
}

// A warning is rendered as its error would be: that code loads only when an entry is broken.
async function printWarnings(
  warnings: readonly CatalogWarning[],
  options: { root: string; note: string },
): Promise<void> {
  if (warnings.length === 0) return;
  const { printCatalogWarning }: typeof import("./catalog_warnings.ts") = await import(
    new URL("./catalog_warnings.ts", import.meta.url).href
  );
  for (const warning of warnings) printCatalogWarning(warning, options);
}

async function pipelinesOf(session: KmlfSession, options: CatalogCommandOptions): Promise<string[]> {
  const requested = splitList(options.pipeline);
  return requested.length > 0 ? requested : await session.pipelineNames();
}
