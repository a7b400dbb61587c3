/**
 * Building a catalog from its config (`Catalog.fromConfig`): factory patterns compiled and checked, then the
 * declared entries built (and so validated) together, then `load_versions` checked; every problem is
 * reported at once. Entries no used name needs may be broken: they become warnings.
 */
import { type KmlfError, throwIfAny } from "../errors.ts";
import { clonePlain } from "../plain_copy.ts";
import {
  catchAllProblem,
  checkTranscoding,
  collectProblems,
  compileEntryPattern,
  EntryProblems,
  loadVersionProblems,
  neededEntries,
} from "./catalog_checks.ts";
import type { CatalogConfig, CatalogOptions, CatalogWarning } from "./catalog_options.ts";
import type { CreatedDataset, EntryContext } from "./entry.ts";
import { FactoryPatterns } from "./factory_patterns.ts";
import { checkPattern } from "./pattern_check.ts";
import type { DatasetPattern } from "./patterns.ts";
import { checkVersion } from "./versioning.ts";

/**
 * The catalog being built, as the build sees it: its private state, handed over by `Catalog.fromConfig`.
 * A dataset being built may already ask the catalog (its context holds it), so each step lands in the
 * catalog as it happens.
 */
export interface CatalogUnderConstruction {
  /** What entries are built with. */
  ctx: EntryContext;
  /** The catalog's warnings, appended to as found and sorted by name once every entry is built. */
  warnings: CatalogWarning[];
  /** `name` is declared in the config (an entry or a factory pattern): its source can be located. */
  named(name: string): void;
  /** Entry `name` is broken, but no used name needs it. */
  broken(name: string, problems: readonly KmlfError[]): void;
  /** The compiled factory patterns, set before the declared entries are built. */
  patterns(patterns: FactoryPatterns): void;
  /** Declared entry `name` as written, recorded before it is built. */
  configured(name: string, entry: Record<string, unknown>): void;
  /** Builds entry `name` from `entry`, at key `at`. */
  create(name: string, entry: unknown, at: string): Promise<CreatedDataset>;
  /** Declared entry `name` was built. */
  built(name: string, created: CreatedDataset): void;
  /** The resolved config of the factory pattern `name` matches, if one does. */
  patternConfig(name: string): Record<string, unknown> | undefined;
}

/**
 * Builds the entries of `config` into `into`; throws every problem found together.
 *
 * @example
 * ```ts
 * await buildFromConfig(config, options, into); // Catalog.fromConfig, with the new catalog's state as `into`
 * ```
 */
export async function buildFromConfig(
  config: CatalogConfig,
  options: CatalogOptions,
  into: CatalogUnderConstruction,
): Promise<void> {
  const problems: KmlfError[] = [];
  if (options.saveVersion !== undefined) {
    await collectProblems(problems, () => checkVersion(options.saveVersion!, "the catalog's save version"));
  }
  // `_x`: templates. The entries are the catalog's own copies of the config's.
  const entries = Object.entries(clonePlain(config.data)).filter(([name]) => !name.startsWith("_"));
  const explicitNames = new Set(entries.map(([name]) => name).filter((name) => !name.includes("{")));
  const entryProblems = new EntryProblems(neededEntries(options, explicitNames));
  const report = (names: string[]) =>
    entryProblems.report(names, {
      failed: problems,
      broken: (name, own) => {
        into.broken(name, own);
        into.warnings.push({ name, problems: own });
      },
    });
  const patterns: DatasetPattern[] = [];
  for (const [name, entry] of entries) {
    if (!name.includes("{")) continue;
    into.named(name);
    await entryProblems.check(name, async () => {
      checkTranscoding(name, () => config.locate([name]));
      const pattern = compileEntryPattern(name, entry, into.ctx);
      const notes = options.checkPatterns ? await checkPattern(pattern, into.ctx) : [];
      if (notes.length > 0) into.warnings.push({ name, problems: notes, note: "built and used as is" });
      patterns.push(pattern);
    });
  }
  report(entries.map(([name]) => name).filter((name) => name.includes("{")));
  const catchAlls = patterns.filter((p) => p.specificity === 0);
  const tooMany = catchAllProblem(catchAlls, (path) => config.locate(path));
  if (tooMany) problems.push(tooMany);
  into.patterns(FactoryPatterns.of(patterns));
  await Promise.all(
    entries.filter(([name]) => explicitNames.has(name)).map(([name, entry]) => {
      into.named(name);
      into.configured(name, entry as Record<string, unknown>);
      return entryProblems.check(name, async () => {
        checkTranscoding(name, () => config.locate([name]));
        into.built(name, await into.create(name, entry, name));
      });
    }),
  );
  report(entries.map(([name]) => name).filter((name) => explicitNames.has(name)));
  into.warnings.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const declared = new Map(entries.filter(([name]) => explicitNames.has(name)));
  const entryOf = (name: string) => declared.has(name) ? declared.get(name) : into.patternConfig(name);
  problems.push(...loadVersionProblems(options.loadVersions ?? {}, {
    entryOf,
    declared: [...declared.keys()],
    used: options.used,
    locate: (path) => config.locate(path),
  }));
  throwIfAny(problems, "Invalid catalog");
}
