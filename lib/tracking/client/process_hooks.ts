/**
 * Keeps buffered metrics from being lost when the process ends: while runs are active it listens for
 * SIGINT/SIGTERM (flush, end runs KILLED, then re-raise the signal so the process still dies of it),
 * uncaught errors and unhandled rejections (flush, end runs FAILED, then re-throw so the process
 * still fails with the same error), and the end of the event loop (flush, end runs FINISHED, like
 * MLflow's atexit hook). `Deno.exit()` leaves no time to write: a warning names the runs left RUNNING
 * and the points lost. Nothing is installed while no run is active.
 *
 * @module
 */

/** What the hooks need from an active run. */
export interface HookedRun {
  /** The id of the run to end. */
  readonly runId: string;
  /** Metric points buffered and not yet written. */
  readonly pendingMetrics: number;
  /** Flushes buffered data and ends the run with `status`; never throws. */
  endQuietly(status: "FINISHED" | "FAILED" | "KILLED"): Promise<void>;
}

const live = new Set<HookedRun>();
const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT", "SIGBREAK"] : ["SIGINT", "SIGTERM"];
const signalHandlers = new Map<Deno.Signal, () => void>();
let installed = false;

function endAll(status: "FINISHED" | "FAILED" | "KILLED"): Promise<unknown> {
  const runs = [...live];
  live.clear();
  uninstall();
  return Promise.allSettled(runs.map((r) => r.endQuietly(status)));
}

// Re-raising needs --allow-run; without it a signal listener would keep the process alive, so none is installed.
function canReraise(): boolean {
  try {
    return Deno.permissions.querySync({ name: "run" }).state === "granted";
  } catch {
    return false;
  }
}

function onError(event: ErrorEvent): void {
  if (live.size === 0) return;
  event.preventDefault();
  const error = event.error;
  endAll("FAILED").then(() =>
    setTimeout(() => {
      throw error;
    })
  );
}

function onRejection(event: PromiseRejectionEvent): void {
  if (live.size === 0) return;
  event.preventDefault();
  const reason = event.reason;
  endAll("FAILED").then(() => {
    Promise.reject(reason);
  });
}

function onBeforeUnload(event: Event): void {
  if (live.size === 0) return;
  // preventDefault keeps the event loop going; the event fires again once the runs are ended.
  event.preventDefault();
  setTimeout(() => endAll("FINISHED"), 0);
}

// `Deno.exit()` skips beforeunload and leaves no time to write: the runs stay RUNNING and their buffered
// points are lost. Say so, naming them, rather than lose them silently.
function onUnload(): void {
  if (live.size === 0) return;
  const runs = [...live].map((r) =>
    `  run ${r.runId} stays RUNNING` +
    (r.pendingMetrics > 0 ? `; ${r.pendingMetrics} buffered metric point(s) were not written` : "")
  );
  console.error(
    `warning[tracking/run-left-active]: the process exited (Deno.exit) while MLflow runs were active:\n` +
      `${runs.join("\n")}\n  hint: await run.end() (or use client.withRun) before Deno.exit; ` +
      `end a run left behind with client.setTerminated(runId, "FAILED")`,
  );
}

function install(): void {
  if (installed) return;
  installed = true;
  if (canReraise()) {
    for (const signal of signals) {
      const handler = () => {
        endAll("KILLED").then(() => Deno.kill(Deno.pid, signal));
      };
      try {
        Deno.addSignalListener(signal, handler);
        signalHandlers.set(signal, handler);
      } catch {
        // signal not supported on this platform
      }
    }
  }
  globalThis.addEventListener("error", onError);
  globalThis.addEventListener("unhandledrejection", onRejection);
  globalThis.addEventListener("beforeunload", onBeforeUnload);
  globalThis.addEventListener("unload", onUnload);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  for (const [signal, handler] of signalHandlers) Deno.removeSignalListener(signal, handler);
  signalHandlers.clear();
  globalThis.removeEventListener("error", onError);
  globalThis.removeEventListener("unhandledrejection", onRejection);
  globalThis.removeEventListener("beforeunload", onBeforeUnload);
  globalThis.removeEventListener("unload", onUnload);
}

/** Starts watching a run (installs the hooks with the first one). */
export function watchRun(run: HookedRun): void {
  live.add(run);
  install();
}

/** Stops watching a run (removes the hooks with the last one). */
export function unwatchRun(run: HookedRun): void {
  live.delete(run);
  if (live.size === 0) uninstall();
}
