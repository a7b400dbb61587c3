/**
 * A kmlf process ended by force while a node held its main thread (a Ctrl-C the run could not take: see
 * session/signal_watchdog.ts) leaves `.kmlf/stopped/<pid>` in its project, holding the signal's name. The
 * run's hooks never ran, so whatever they would have ended stays open: the tracking layer's next run finds
 * the MLflow run this pid left RUNNING (mlflow/run_markers.ts) and, the record saying the user stopped it,
 * ends it KILLED rather than only naming it. A leaf module: the session writes, the tracking layer reads.
 *
 * @module
 */
import { join } from "./path.ts";

/**
 * The folder of the project's run markers (mlflow/run_markers.ts: `<run id>` files holding the pid of the
 * process that started the run). A record is written only when one of them holds the stopped pid: the
 * tracking layer reads records for marked runs only, so any other would be left for good.
 *
 * @example
 * ```ts
 * runMarkersDir("/p"); // "/p/.kmlf/runs"
 * ```
 */
export function runMarkersDir(projectRoot: string): string {
  return join(projectRoot, ".kmlf", "runs");
}

/**
 * Where the record of process `pid` of the project goes.
 *
 * @example
 * ```ts
 * stopRecordPath("/p", 4242); // "/p/.kmlf/stopped/4242"
 * ```
 */
export function stopRecordPath(projectRoot: string, pid: number): string {
  return join(projectRoot, ".kmlf", "stopped", String(pid));
}

/**
 * The signal that stopped process `pid` by force and when (epoch ms), if it left a record.
 *
 * @example
 * ```ts
 * readStopRecord("/p", 4242); // { signal: "SIGINT", at: 1765100000000 }
 * ```
 */
export function readStopRecord(
  projectRoot: string,
  pid: number,
): { signal: "SIGINT" | "SIGTERM"; at: number } | undefined {
  try {
    const path = stopRecordPath(projectRoot, pid);
    const signal = Deno.readTextFileSync(path).trim();
    if (signal !== "SIGINT" && signal !== "SIGTERM") return undefined;
    return { signal, at: Deno.statSync(path).mtime?.getTime() ?? Date.now() };
  } catch {
    return undefined;
  }
}

/**
 * Forgets the record of process `pid` (what it left open is ended).
 *
 * @example
 * ```ts
 * removeStopRecord("/p", 4242);
 * ```
 */
export function removeStopRecord(projectRoot: string, pid: number): void {
  try {
    Deno.removeSync(stopRecordPath(projectRoot, pid));
  } catch {
    // Already gone.
  }
}
