/**
 * `importFailure` (lib/import_failure.ts, the wording for each way a project module's import fails),
 * loaded when an import first fails: every command imports project modules, none needs the wording until one
 * fails.
 *
 * @module
 */
import { type ImportFailure, lockfileRefusal } from "./deno_load_error.ts";

// By a computed URL, which Deno does not read with this module (the bundle makes it an entry point).
const wording = (): Promise<typeof import("./import_failure.ts")> =>
  import(new URL("./import_failure.ts", import.meta.url).href);

/**
 * What `importFailure` makes of the error `import()` of `module` rejected with (the same arguments); a
 * refused deno.lock is explained without loading it.
 *
 * @example
 * ```ts
 * const failure = await explainFailedImport(error, { module: "/p/pipelines/nodes.ts" });
 * throw new ConfigError("x/import-failed", `Cannot import ${file}: ${failure.reason}`, failure);
 * ```
 */
export async function explainFailedImport(
  error: unknown,
  options: { module: string; missingHint?: string },
): Promise<ImportFailure> {
  // After a frozen deno.lock refused an import, Deno refuses every import, the wording's too.
  return lockfileRefusal(error) ?? (await wording()).importFailure(error, options);
}
