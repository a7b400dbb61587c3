/**
 * Temp folders, with one error naming the temp root and the fix when it cannot take one (TMPDIR missing,
 * a file, read-only or full), instead of the system's bare "No such file or directory: tmpdir".
 *
 * @module
 */
import { KmlfError } from "./errors.ts";

/** The folder temp folders are created in, as Deno picks it: `$TMPDIR`, else `/tmp` (`%TEMP%` on Windows). */
function tempRoot(): string {
  if (Deno.build.os === "windows") return Deno.env.get("TEMP") ?? Deno.env.get("TMP") ?? "the temp folder";
  return Deno.env.get("TMPDIR") || "/tmp";
}

function unusable(error: unknown): KmlfError {
  const root = tempRoot();
  const from = Deno.build.os !== "windows" && Deno.env.get("TMPDIR") ? " (from TMPDIR)" : "";
  const reason = error instanceof Error ? error.message.replace(/: tmpdir$/, "") : String(error);
  return new KmlfError(
    "io/temp-folder-unusable",
    `Cannot create a temp folder in ${root}${from}: ${reason}`,
    {
      hint:
        "point TMPDIR at an existing, writable folder with free space (e.g. TMPDIR=$HOME/tmp), or free space in " +
        root,
    },
  );
}

/**
 * `Deno.makeTempDir`, failing with `io/temp-folder-unusable` (the temp root named, and the fix).
 *
 * @example
 * ```ts
 * const dir = await makeTempFolder("kmlf-model-");
 * ```
 */
export async function makeTempFolder(prefix: string): Promise<string> {
  try {
    return await Deno.makeTempDir({ prefix });
  } catch (error) {
    throw unusable(error);
  }
}

/**
 * Checks a temp folder can be created (and removes it): for work that will need one later, asked before
 * that work starts.
 *
 * @example
 * ```ts
 * await checkTempFolder(); // throws io/temp-folder-unusable when TMPDIR is missing
 * ```
 */
export async function checkTempFolder(): Promise<void> {
  const dir = await makeTempFolder("kmlf-check-");
  await Deno.remove(dir).catch(() => {});
}
