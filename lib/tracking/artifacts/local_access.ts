/**
 * Whether artifacts can be written under a local folder, asked before any work is done: a run whose
 * artifact location lies below a file, on a read-only file system or in a folder this user cannot write
 * is refused before its nodes run, instead of failing to log once they have.
 *
 * @module
 */
import { dirname, join, resolve } from "../../path.ts";
import { TrackingError } from "../../errors.ts";
import { statOrUndefined } from "../../fs_utils.ts";

const ONE_BYTE = new Uint8Array(1);

/**
 * Throws `tracking/artifact-location-unusable`, naming the path in the way and the fix, when files cannot
 * be created under `root` (which need not exist yet: its deepest existing folder is what is checked).
 * The probe is a `.kmlf-partial-*` file of one byte (so a full disk is refused too), created and removed at
 * once, and never listed as an artifact. A file, not a folder: on ext4 a folder's `rmdir` took 1–7 ms, on
 * `kmlf server`'s way to its first `/health`; a file's create, write and unlink ~0.05 ms.
 *
 * @example
 * ```ts
 * checkLocalArtifactRoot("/srv/mlartifacts/1"); // throws when /srv/mlartifacts is a file
 * ```
 */
export function checkLocalArtifactRoot(root: string): void {
  const target = resolve(root);
  let existing = target;
  let info = statOrUndefined(existing);
  while (info === undefined && dirname(existing) !== existing) {
    existing = dirname(existing);
    info = statOrUndefined(existing);
  }
  const refuse = (problem: string, hint: string, cause?: unknown) =>
    new TrackingError(
      "tracking/artifact-location-unusable",
      `Cannot store artifacts in ${target}: ${problem}`,
      {
        hint,
        cause,
      },
    );
  if (info === undefined) {
    throw refuse("no folder on its path exists", "point the artifact location elsewhere");
  }
  if (!info.isDirectory) {
    throw refuse(
      `${existing} is a file, not a folder`,
      `move ${existing} away, or point the artifact location at a folder`,
    );
  }
  const probe = join(existing, `.kmlf-partial-${crypto.randomUUID()}`);
  try {
    const file = Deno.openSync(probe, { createNew: true, write: true });
    try {
      file.writeSync(ONE_BYTE);
    } finally {
      file.close();
    }
  } catch (error) {
    try {
      Deno.removeSync(probe); // created but not written (a full disk): not left behind
    } catch { /* never created */ }
    throw refuse(
      `nothing can be created in ${existing} (${error instanceof Error ? error.message : String(error)})`,
      `give this user write access to ${existing} (or mount it read-write), or point the artifact location ` +
        "at a writable folder",
      error,
    );
  }
  Deno.removeSync(probe);
}
