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

/**
 * Throws `tracking/artifact-location-unusable`, naming the path in the way and the fix, when files cannot
 * be created under `root` (which need not exist yet: its deepest existing folder is what is checked).
 * The probe is a `.kmlf-partial-*` folder, created and removed at once, and never listed as an artifact.
 *
 * @example
 * ```ts
 * checkLocalArtifactRoot("/srv/mlartifacts/1"); // throws when /srv/mlartifacts is a file
 * ```
 */
export function checkLocalArtifactRoot(root: string): void {
  Deno.removeSync(createProbe(root));
}

/**
 * {@link checkLocalArtifactRoot} with the probe's removal left to Deno's I/O threads: it checks and throws
 * as that does, and returns the removal — an `rmdir`, which took 0.1–5 ms on our build machine's ext4 — to
 * await once the caller has done other work. `kmlf server` opens its store meanwhile (bench/README.md,
 * "Start-up of `kmlf server`").
 *
 * @example
 * ```ts
 * const removed = probeLocalArtifactRoot("/srv/mlartifacts"); // throws when it cannot take files
 * openTheStore();
 * await removed;
 * ```
 */
export function probeLocalArtifactRoot(root: string): Promise<void> {
  return Deno.remove(createProbe(root));
}

// Checks `root` as checkLocalArtifactRoot says and returns the probe folder it created there.
function createProbe(root: string): string {
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
    Deno.mkdirSync(probe);
  } catch (error) {
    throw refuse(
      `nothing can be created in ${existing} (${error instanceof Error ? error.message : String(error)})`,
      `give this user write access to ${existing} (or mount it read-write), or point the artifact location ` +
        "at a writable folder",
      error,
    );
  }
  return probe;
}
