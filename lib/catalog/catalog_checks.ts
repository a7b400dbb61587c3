/** Validation steps of `Catalog.fromConfig`, each returning or throwing located DatasetErrors. */
import {
  DatasetError,
  didYouMeanHint,
  KmlfAggregateError,
  KmlfError,
  type SourceLocation,
} from "../errors.ts";
import type { KeyPath } from "../yaml/parse_yaml.ts";
import { checkEntry, checkTypeKnown, type EntryContext, entryPayload } from "./entry.ts";
import { resolveCredentials } from "./entry_credentials.ts";
import { compilePattern, type DatasetPattern, undefinedPlaceholders } from "./patterns.ts";
import { checkVersion } from "./versioning.ts";
import { TRANSCODING_HINT, transcodingProblem } from "../dataset_names.ts";
import { isRecord } from "../is_record.ts";

/**
 * Runs `fn`, adding the KmlfErrors it throws (an aggregate's errors one by one) to `problems`.
 *
 * @example
 * ```ts
 * const problems: KmlfError[] = [];
 * await collectProblems(problems, () => createFromEntry(name, entry, [name], ctx));
 * ```
 */
export async function collectProblems<T>(
  problems: KmlfError[],
  fn: () => T | Promise<T>,
): Promise<T | undefined> {
  try {
    return await fn();
  } catch (error) {
    if (!(error instanceof KmlfError)) throw error;
    problems.push(...(error instanceof KmlfAggregateError ? error.errors : [error]));
    return undefined;
  }
}

/**
 * The problems of each entry `Catalog.fromConfig` builds (concurrently), reported in the order the entries
 * are written: a needed entry's fail the build; another's leave it out of the catalog, as a warning.
 *
 * @example
 * ```ts
 * const entries = new EntryProblems(neededEntries(options, explicitNames));
 * await entries.check("iris", () => createFromEntry("iris", entry, ["iris"], ctx));
 * entries.report(["iris"], { failed: problems, broken: (name, own) => warnings.push({ name, problems: own }) });
 * ```
 */
export class EntryProblems {
  readonly #found = new Map<string, KmlfError[]>();
  readonly #needed: (entry: string) => boolean;

  /** `needed` tells the entries whose problems fail the build ({@link neededEntries}). */
  constructor(needed: (entry: string) => boolean) {
    this.#needed = needed;
  }

  /** Runs `build` for the entry `name`, keeping the KmlfErrors it throws as that entry's problems. */
  async check(name: string, build: () => unknown): Promise<void> {
    const own: KmlfError[] = [];
    await collectProblems(own, build);
    if (own.length > 0) this.#found.set(name, own);
  }

  /** Hands the problems of each of `names`, in that order, to `failed` if the entry is needed, else to `broken`. */
  report(
    names: readonly string[],
    to: { failed: KmlfError[]; broken(name: string, problems: KmlfError[]): void },
  ): void {
    for (const name of names) {
      const own = this.#found.get(name);
      if (!own) continue;
      if (this.#needed(name)) to.failed.push(...own);
      else to.broken(name, own);
    }
  }
}

/**
 * Which catalog entries must be valid: all of them without `used`; otherwise the entries of the used
 * names and of `--load-versions`, and the patterns matching a used name that no explicit entry declares.
 *
 * @example
 * ```ts
 * const needed = neededEntries({ used: ["companies"] }, new Set(["companies", "shuttles"]));
 * needed("shuttles"); // false
 * ```
 */
export function neededEntries(
  options: { used?: Iterable<string>; loadVersions?: Record<string, string> },
  explicitNames: ReadonlySet<string>,
): (entry: string) => boolean {
  if (options.used === undefined) return () => true;
  const pinned = Object.keys(options.loadVersions ?? {});
  const used = options.used instanceof Set && pinned.length === 0
    ? options.used as ReadonlySet<string>
    : new Set([...options.used, ...pinned]);
  let byPatterns: string[] | undefined; // computed only when the catalog has patterns
  return (entry) => {
    if (!entry.includes("{")) return used.has(entry);
    byPatterns ??= [...used].filter((name) => !explicitNames.has(name));
    let regex: RegExp;
    try {
      regex = compilePattern(entry, {}).regex;
    } catch {
      return true; // a key kmlf cannot compile is reported, whatever the run uses
    }
    return byPatterns.some((n) => regex.test(n));
  };
}

/**
 * Throws when a dataset name has more than one transcoding separator (`a@b@c`).
 *
 * @example
 * ```ts
 * checkTranscoding("model@pickle"); // ok
 * ```
 */
export function checkTranscoding(
  name: string,
  source: () => SourceLocation | undefined = () => undefined,
): void {
  const problem = transcodingProblem(name);
  if (problem === undefined) return;
  throw new DatasetError("catalog/bad-transcoding", `Dataset name "${name}" ${problem}`, {
    source: source(),
    hint: TRANSCODING_HINT,
  });
}

/** Whether `version` is one safe path component. */
export function isSafeVersion(version: string): boolean {
  try {
    checkVersion(version, "");
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks a factory pattern entry: shape, placeholders used but not defined by the key, and what does
 * not depend on the matched name (a literal type, literal credentials names).
 *
 * @example
 * ```ts
 * const pattern = compileEntryPattern("{name}_csv", { type: "csv", filepath: "data/{name}.csv" }, ctx);
 * ```
 */
export function compileEntryPattern(name: string, entry: unknown, ctx: EntryContext): DatasetPattern {
  const at: KeyPath = [name];
  const config = checkEntry(name, entry, at, ctx);
  let pattern: DatasetPattern;
  try {
    pattern = compilePattern(name, config);
  } catch (error) {
    if (!(error instanceof DatasetError)) throw error;
    throw new DatasetError(error.code, error.message, {
      source: ctx.locateKey?.(at) ?? ctx.locate(at),
      hint: error.hint,
    });
  }
  const missing = undefinedPlaceholders(pattern);
  if (missing.length > 0) {
    throw new DatasetError(
      "catalog/bad-pattern",
      `Pattern "${name}" uses {${missing.join("}, {")}}, which its name does not define`,
      { source: ctx.locate(at), hint: "every {placeholder} in the entry must appear in the pattern key" },
    );
  }
  const type = String(config.type);
  if (!type.includes("{")) checkTypeKnown(type, name, at, ctx);
  // (A MemoryDataset's `data` is the user's: a `credentials` key in it names nothing, as in an entry.)
  resolveCredentials(
    withoutTemplatedCredentials(config),
    at,
    ctx,
    type.includes("{") ? undefined : entryPayload(type, ctx.registry),
  );
  return pattern;
}

/**
 * The error for more than one catch-all pattern (`{default}`), if any.
 *
 * @example
 * ```ts
 * const problem = catchAllProblem(patterns, (path) => conf.locate(path));
 * ```
 */
export function catchAllProblem(
  catchAlls: DatasetPattern[],
  locate: (path: KeyPath) => SourceLocation | undefined,
): DatasetError | undefined {
  if (catchAlls.length <= 1) return undefined;
  return new DatasetError(
    "catalog/multiple-catch-all",
    `Multiple catch-all patterns: ${catchAlls.map((p) => `"${p.pattern}"`).join(", ")}`,
    {
      source: locate([catchAlls[1].pattern]),
      hint: 'only one catch-all pattern such as "{default}" is allowed; remove the extras',
    },
  );
}

/**
 * Problems with `--load-versions`: unsafe version strings, names that are neither declared nor matched
 * by a pattern, and names of datasets that are not versioned.
 *
 * @example
 * ```ts
 * problems.push(...loadVersionProblems(loadVersions, { entryOf, declared, used, locate }));
 * ```
 */
export function loadVersionProblems(
  loadVersions: Record<string, string>,
  lookup: {
    /** The entry config (declared or pattern-substituted) of a name, if any. */
    entryOf(name: string): unknown;
    /** The declared entries' names. */
    declared: readonly string[];
    /** The run's dataset names: those with an entry (a pattern matches them) are did-you-mean candidates too. */
    used?: Iterable<string>;
    locate(path: KeyPath): SourceLocation | undefined;
  },
): DatasetError[] {
  const problems: DatasetError[] = [];
  for (const [name, version] of Object.entries(loadVersions)) {
    if (!isSafeVersion(version)) {
      problems.push(
        new DatasetError("dataset/bad-version", `Version string "${version}" of "${name}" is not allowed`, {
          hint: "a version is one path component like 2024-01-15T10.30.00.000Z",
        }),
      );
    }
    const entry = lookup.entryOf(name);
    if (entry === undefined) {
      const declared = new Set(lookup.declared);
      // A namespaced `a.model_input` a pattern matches is a guess too.
      const candidates = [
        ...declared,
        ...[...(lookup.used ?? [])].filter((n) => !declared.has(n) && lookup.entryOf(n)),
      ];
      problems.push(
        new DatasetError(
          "catalog/unknown-load-version",
          `--load-versions names "${name}", which is not in the catalog`,
          {
            hint: didYouMeanHint(name, candidates) || "name a versioned dataset declared in catalog.yml",
          },
        ),
      );
    } else if (!mentionsVersioned(entry)) {
      problems.push(
        new DatasetError(
          "catalog/load-version-not-versioned",
          `--load-versions names "${name}", which is not versioned`,
          {
            source: lookup.locate([name]),
            hint: `add "versioned: true" to the entry of "${name}", or drop it from --load-versions`,
          },
        ),
      );
    }
  }
  return problems;
}

// Wrapper datasets (e.g. MlflowArtifactDataset) carry `versioned: true` on the dataset they wrap.
function mentionsVersioned(entry: unknown): boolean {
  if (!isRecord(entry)) return false;
  return entry.versioned === true || Object.values(entry).some(mentionsVersioned);
}

// `credentials: "{name}_creds"` can only be resolved once a name matched the pattern.
function withoutTemplatedCredentials(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key === "credentials" && typeof value === "string" && value.includes("{")) continue;
    out[key] = isRecord(value) ? withoutTemplatedCredentials(value) : value;
  }
  return out;
}
