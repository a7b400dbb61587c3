/**
 * Keeps the signal watchdog's description of a run current (signal_watchdog.ts): which nodes are running
 * and where the run would resume, as of each node's start and end (a small file write each). The watchdog
 * prints it if a node holds the main thread when a signal comes, since nothing can be computed then. The
 * first node's start is the first description, which starts the watchdog's child: a run with no node to run
 * never starts it.
 *
 * @module
 */
import type { Catalog } from "../catalog/mod.ts";
import type { Node, Pipeline } from "../pipeline/mod.ts";
import { findResumeNodes, type RunReporter } from "../runner/mod.ts";
import { runMarkersDir, stopRecordPath } from "../stop_records.ts";
import type { RunGuard } from "./run_guard.ts";
import { WATCHDOG_GRACE_MS } from "./signal_watchdog.ts";

/**
 * `reporter`, plus keeping the guard's watchdog told what a forced stop would say.
 *
 * @example
 * ```ts
 * const reporter = describeForcedStops(options.reporter, { guard, pipeline, catalog, projectPath: "/p" });
 * ```
 */
export function describeForcedStops(
  reporter: RunReporter | undefined,
  options: {
    guard: RunGuard;
    pipeline: Pipeline;
    catalog: Catalog;
    projectPath: string;
    /** The lines after the headline: how to resume (the CLI writes the command). */
    note?: (
      state: { completed: readonly string[]; resumeFromNodes: readonly string[] },
    ) => string | undefined;
  },
): RunReporter {
  const { guard, pipeline, catalog } = options;
  const running: string[] = [];
  const done = new Set<Node>();
  const record = stopRecordPath(options.projectPath, Deno.pid);
  // Only a tracked run this process started (marked) is read back: the next tracked run ends it KILLED.
  const recordIfPidIn = runMarkersDir(options.projectPath);
  // A signal the main thread took ends the run through its hooks; should a loop hold it then, the next one.
  const messageOnceTaken = `✘ {signal} again: the main thread, ending the interrupted run, did not answer ` +
    `within ${WATCHDOG_GRACE_MS / 1000} s (code in a synchronous loop holds it), so kmlf ended the process ` +
    "before the run's hooks finished\n" +
    "  hint: a tracked MLflow run left RUNNING is ended KILLED by the next tracked run of this project";
  // How to resume: findResumeNodes builds a Pipeline of the nodes left, work that grows with the pipeline,
  // so it is redone (when a node finished since) within ~2 % of the run's time. On a large pipeline of quick
  // nodes the hint then lags a few nodes behind: still a safe place to resume from, which re-runs them.
  let note: string | undefined;
  let stale = false;
  let spent = 0;
  const began = performance.now();
  const refresh = () => {
    if (!stale || spent > 1 + (performance.now() - began) * 0.02) return;
    const at = performance.now();
    const resumeFromNodes = findResumeNodes(pipeline, done, catalog);
    note = options.note?.({ completed: [...done].map((n) => n.name), resumeFromNodes });
    spent += performance.now() - at;
    stale = false;
  };
  const update = () => {
    refresh();
    // After the last node (its hooks) or between nodes, what holds the main thread is no node's code.
    const holder = running.length > 0
      ? `; stopped ${running.map((n) => `"${n}"`).join(", ")}: the main thread did not answer within ` +
        `${WATCHDOG_GRACE_MS / 1000} s (a node in a synchronous loop holds it)`
      : `: the main thread did not answer within ${WATCHDOG_GRACE_MS / 1000} s (synchronous code holds it)`;
    const lines = [
      `✘ Run interrupted by {signal}${holder}, so kmlf ended the process without the run's hooks`,
    ];
    if (note) lines.push(note);
    lines.push(
      "  hint: run CPU-bound nodes with --runner parallel, whose workers Ctrl-C stops at once; " +
        "a tracked MLflow run left RUNNING is ended KILLED by the next tracked run of this project",
    );
    guard.describeStop({ message: lines.join("\n"), record, recordIfPidIn, messageOnceTaken });
  };
  const settled = (node: Node) => {
    const at = running.indexOf(node.name);
    if (at >= 0) running.splice(at, 1);
  };
  return {
    ...reporter,
    nodeStarted(event) {
      reporter?.nodeStarted?.(event);
      running.push(event.node.name);
      // Written before the node's function runs: it may never give the main thread back.
      update();
    },
    nodeCompleted(event) {
      reporter?.nodeCompleted?.(event);
      settled(event.node);
      done.add(event.node);
      stale = true;
      // Told at the next node's start (a file write per node, not two), or now after the last one: its
      // hooks may hold the main thread then.
      if (event.done === event.total) update();
    },
    nodeFailed(event) {
      reporter?.nodeFailed?.(event);
      settled(event.node);
      update();
    },
  };
}
