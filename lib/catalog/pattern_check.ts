/**
 * `kmlf catalog validate`'s check of a dataset factory pattern (`"{name}_data"`) as far as no dataset name is
 * needed: the pattern is built once, as a matched name would build it, so a wrong key or a wrong kind of value
 * (in `load_args`, in a partitioned `dataset:`, …) is reported where the pattern is written, not only when a
 * run first uses a name it matches.
 */
import { DatasetError, type KmlfError, type SourceLocation, throwIfAny } from "../errors.ts";
import type { KeyPath } from "../yaml/parse_yaml.ts";
import { collectProblems } from "./catalog_checks.ts";
import { createFromEntry, type EntryContext } from "./entry.ts";
import { type DatasetPattern, sampleConfig, templatedPaths } from "./patterns.ts";

/**
 * Builds the pattern with a stand-in for each placeholder (see `sampleConfig`) and throws what fails, as
 * located DatasetErrors naming the pattern; returns the notes its dataset types gave (`ctx.warn`). A problem
 * located at a value with a placeholder is not reported: the stand-in, not the user, wrote what was judged
 * there (a path; a credentials name, whose stand-in names an empty block) — except a path's own letters (a
 * Windows drive, `~`, an `s3://` URL) before its first placeholder —; nor one a factory threw without a
 * location (a project class's, a plugin's) when any value has a placeholder; nor anything of a pattern whose
 * `type` has one, since its arguments depend on the type.
 *
 * @example
 * ```ts
 * const notes = await checkPattern(compileEntryPattern(key, entry, ctx), ctx); // throws for a typo'd key
 * ```
 */
export async function checkPattern(pattern: DatasetPattern, ctx: EntryContext): Promise<KmlfError[]> {
  const type = pattern.config.type;
  if (typeof type !== "string" || type.includes("{")) return [];
  const at: KeyPath = [pattern.pattern];
  const templated = new Set(templatedPaths(pattern).map((path) => JSON.stringify([...at, ...path])));
  // Locations of values with a placeholder are objects of their own, told apart by identity: a problem
  // carries its location through every wrapper error (nested datasets map their keys back to these paths).
  const stood = new WeakSet<SourceLocation>();
  // Of those, the values a placeholder does not start: what the user wrote before it is judged all the same.
  const written = new WeakSet<SourceLocation>();
  const locate = (path: KeyPath) => {
    const found = ctx.locate(path);
    if (!templated.has(JSON.stringify(path))) return found;
    const location = { ...found };
    stood.add(location);
    if (!/^\{/.test(String(valueAt(pattern.config, path.slice(1))))) written.add(location);
    return location;
  };
  const problems: KmlfError[] = [];
  const notes: KmlfError[] = [];
  await collectProblems(problems, async () => {
    const config = (() => {
      try {
        return sampleConfig(pattern);
      } catch (error) {
        throw located(error, ctx.locate(at));
      }
    })();
    await createFromEntry(pattern.pattern, config, at, {
      ...ctx,
      credentials: standInCredentials(pattern, config, ctx.credentials),
      locate,
      // What a factory throws without a location (a project class's `new URL(args.url)`) may be about any
      // stand-in it was given: judged only when the pattern fills no value.
      locateThrown: (path) => {
        const found = ctx.locate(path);
        if (!found || templated.size === 0) return found;
        const location = { ...found };
        stood.add(location);
        return location;
      },
      warn: (note) => notes.push(note),
    });
  });
  throwIfAny(
    problems.filter((problem) =>
      !(problem.source && stood.has(problem.source)) ||
      (LETTER_CODES.has(problem.code) && written.has(problem.source))
    ),
    `Invalid catalog entry "${pattern.pattern}"`,
  );
  return notes;
}

// Problems with a path's own letters (a drive, `~`, `\`, a URL scheme), which no stand-in (a word, digits,
// " " or "-") gives: a value that does not start with a placeholder has them whatever name fills it.
const LETTER_CODES: ReadonlySet<string> = new Set(["catalog/foreign-path", "catalog/remote-filepath"]);

function valueAt(config: unknown, path: KeyPath): unknown {
  return path.reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], config);
}

// A credentials name with a placeholder (`"{name}_creds"`) names a block only a matched name picks: its
// stand-in names an empty one, so the rest of the pattern is still checked (what the block lacks is located at
// the templated `credentials` value, so not judged).
function standInCredentials(
  pattern: DatasetPattern,
  config: Record<string, unknown>,
  known: Record<string, unknown>,
): Record<string, unknown> {
  const credentials = { ...known };
  for (const path of templatedPaths(pattern)) {
    if (path.at(-1) !== "credentials") continue;
    const name = path.reduce<unknown>((value, key) => (value as Record<string, unknown>)?.[key], config);
    if (typeof name === "string" && !Object.hasOwn(credentials, name)) credentials[name] = {};
  }
  return credentials;
}

// A body placeholder whose format its value never takes (`{n:d}` for the text `{n}` matches) fails to fill for
// every name: its error is the pattern's.
function located(error: unknown, source: SourceLocation | undefined): unknown {
  if (!(error instanceof DatasetError) || error.source) return error;
  return new DatasetError(error.code, error.message, { source, hint: error.hint });
}
