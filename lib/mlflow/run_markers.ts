/**
 * Which of a project's tracked runs may have been left RUNNING by a process that died, found without a
 * search of the store: a tracked `kmlf run` writes `.kmlf/runs/<run id>` in the project when its run starts
 * and removes it whenever the run ends (FINISHED, FAILED or KILLED). A marker that outlives its process
 * names the only runs worth looking up (orphaned_runs.ts); a normal run reads one empty folder. Searching
 * the store instead loaded the search grammar into every tracked run (+82 KB of code, ~5–10 ms).
 *
 * @module
 */
import { join } from "../path.ts";
import { runMarkersDir } from "../stop_records.ts";

function markerPath(projectRoot: string, runId: string): string {
  return join(runMarkersDir(projectRoot), runId);
}

/**
 * Records that this process started `runId` (best effort: a read-only project only loses the note).
 *
 * @example
 * ```ts
 * markRunStarted("/p", runId);
 * ```
 */
export function markRunStarted(projectRoot: string, runId: string): void {
  try {
    Deno.mkdirSync(runMarkersDir(projectRoot), { recursive: true });
    Deno.writeTextFileSync(markerPath(projectRoot, runId), `${Deno.pid}\n`);
  } catch {
    // The note about abandoned runs is advice; a run never fails for it.
  }
}

/**
 * Forgets `runId` (its run ended, or it is no longer RUNNING in the store).
 *
 * @example
 * ```ts
 * markRunEnded("/p", runId);
 * ```
 */
export function markRunEnded(projectRoot: string, runId: string): void {
  try {
    Deno.removeSync(markerPath(projectRoot, runId));
  } catch {
    // Already gone.
  }
}

/**
 * The run ids whose markers are left in the project, `except` the given one.
 *
 * @example
 * ```ts
 * markedRuns("/p", runId); // ["3f2a…"]
 * ```
 */
export function markedRuns(projectRoot: string, except?: string): string[] {
  try {
    return [...Deno.readDirSync(runMarkersDir(projectRoot))]
      .filter((e) => e.isFile && /^[0-9a-zA-Z_-]+$/.test(e.name) && e.name !== except)
      .map((e) => e.name);
  } catch {
    return [];
  }
}
