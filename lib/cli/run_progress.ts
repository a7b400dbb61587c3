/**
 * `kmlf run`'s progress as records of Kedro's loggers (`kedro.pipeline.node`, `kedro.runner.*`): each carries
 * the line kmlf prints and the message Kedro logs for the same event.
 */
import {
  defaultMaxWorkers,
  type PipelineRunError,
  type RunnerSpec,
  type RunReporter,
} from "../runner/mod.ts";
import type { Plugin } from "../plugin.ts";
import { LEVEL, loggingConfigFile, type RunLog, terminalRunLog } from "./run_log.ts";
import { formatDuration, shellQuote, style } from "./terminal.ts";

/** One node in the `--json` summary: times in epoch ms, `worker` under the parallel runner. */
export interface NodeReport {
  name: string;
  status: string;
  durationMs: number;
  start: number;
  end: number;
  worker?: number;
}

/**
 * Where the run's records go: kmlf's terminal output, or, when the working directory has Kedro's
 * `conf/logging.yml` (or `$KEDRO_LOGGING_CONFIG` is set), the loggers and handlers it configures
 * (`lib/cli/logging/`, imported only then), with the plugin that logs dataset loads and saves.
 *
 * @example
 * ```ts
 * const { log, plugins } = await runLog({ quiet: false, json: false });
 * ```
 */
export async function runLog(
  options: { quiet: boolean; json: boolean },
): Promise<{ log: RunLog; plugins: Plugin[] }> {
  const file = loggingConfigFile(Deno.cwd());
  if (!file) return { log: terminalRunLog(options.quiet), plugins: [] };
  const { configureRunLog }: typeof import("./logging/mod.ts") = await import(
    new URL("./logging/mod.ts", import.meta.url).href
  );
  const { log, plugin } = await configureRunLog(file, { ...options, cwd: Deno.cwd() });
  return { log, plugins: [plugin] };
}

/** Kedro's logger of a runner: `kedro.runner.sequential_runner`. */
export function runnerLogger(spec: RunnerSpec): string {
  return `kedro.runner.${spec.kind}_runner`;
}

/**
 * The header line (`Running pipeline … (env …, run …)`) and the runner's synchronous/asynchronous note.
 *
 * @example
 * ```ts
 * logRunStarting(log, { pipelines: ["training"], env: "local", runId: "…", runner: { kind: "sequential" } });
 * ```
 */
export function logRunStarting(
  log: RunLog,
  run: { pipelines: string[]; env: string; runId: string; runner: RunnerSpec },
): void {
  const head = `Running pipeline ${run.pipelines.join(" + ")}`;
  const tail = ` (env ${run.env}, run ${run.runId}${describeRunner(run.runner)})`;
  log.log({
    logger: "kedro.framework.session.session",
    level: LEVEL.INFO,
    message: head + tail,
    terminal: { stream: "out", text: style.bold(head) + style.dim(tail) },
    funcName: "run",
  });
  log.log({
    logger: runnerLogger(run.runner),
    level: LEVEL.INFO,
    message: run.runner.isAsync
      ? "Asynchronous mode is enabled for loading and saving data"
      : "Using synchronous mode for loading and saving data. Use the --async flag for potential performance " +
        "gains. https://docs.kedro.org/en/stable/nodes_and_pipelines/run_a_pipeline.html#load-and-save-asynchronously",
    funcName: "run",
  });
}

// The default (sequential, no --async) adds nothing to the header line.
function describeRunner(spec: RunnerSpec): string {
  if (spec.kind === "sequential") return spec.isAsync ? ", async I/O" : "";
  const workers = spec.maxWorkers ?? defaultMaxWorkers(spec.kind);
  return `, ${spec.kind} runner, up to ${workers} at once${spec.isAsync ? ", async I/O" : ""}`;
}

/**
 * Node progress: kmlf's `[k/N] ▶ name` lines, Kedro's "Running node: …", "Completed node: …" and
 * "Completed k out of N tasks". Concurrent runs also show when each node ran, relative to the first start.
 *
 * @example
 * ```ts
 * const reporter = progressReporter(log, [], { kind: "sequential" });
 * ```
 */
export function progressReporter(log: RunLog, report: NodeReport[], runner: RunnerSpec): RunReporter {
  const concurrent = runner.kind !== "sequential";
  const logger = runnerLogger(runner);
  let t0: number | undefined;
  const span = (start: number, end: number) =>
    concurrent ? `, ${((start - t0!) / 1000).toFixed(2)}→${((end - t0!) / 1000).toFixed(2)} s` : "";
  const on = (worker: number | undefined) => (worker ? style.dim(` [worker ${worker}]`) : "");
  return {
    nodesSkipped({ skipped, total }) {
      if (skipped.length === 0) return;
      const text = `Skipping ${skipped.length} of ${total} nodes with existing outputs: ${
        skipped.join(", ")
      }`;
      log.log({
        logger,
        level: LEVEL.INFO,
        message: text,
        terminal: { stream: "out", text: style.dim(text) },
      });
    },
    nodeStarted({ node, index, total, start, running }) {
      t0 ??= start;
      const more = concurrent && running > 1 ? style.dim(` (${running} running)`) : "";
      log.log({
        logger: "kedro.pipeline.node",
        level: LEVEL.INFO,
        message: `Running node: ${node}`,
        terminal: {
          stream: "out",
          text: `${style.dim(`[${index + 1}/${total}]`)} ${style.cyan("▶")} ${node.name}${more}`,
        },
        funcName: "run",
      });
    },
    nodeCompleted({ node, done, total, durationMs, start, end, worker }) {
      report.push({ name: node.name, status: "completed", durationMs, start, end, worker });
      log.log({
        logger,
        level: LEVEL.INFO,
        message: `Completed node: ${node.name}`,
        terminal: {
          stream: "out",
          text: `${style.dim(`[${done}/${total}]`)} ${style.green("✔")} ${node.name} ${
            style.dim(`(${formatDuration(durationMs)}${span(start, end)})`)
          }${on(worker)}`,
        },
        funcName: "_run",
      });
      log.log({
        logger,
        level: LEVEL.INFO,
        message: `Completed ${done} out of ${total} tasks`,
        funcName: "_run",
      });
    },
    nodeFailed({ node, done, total, durationMs, start, end, worker, error, stillRunning = [] }) {
      const first = !report.some((r) => r.status === "failed");
      report.push({ name: node.name, status: "failed", durationMs, start, end, worker });
      log.log({
        logger: "kedro.pipeline.node",
        level: LEVEL.ERROR,
        message: `Node ${node} failed with error: \n${(error as Error)?.message ?? String(error)}`,
        terminal: {
          stream: "out",
          text: `${style.dim(`[${done + 1}/${total}]`)} ${style.red("✘")} ${node.name} ${
            style.dim(`(${formatDuration(durationMs)}${span(start, end)})`)
          }${on(worker)}`,
        },
        funcName: "_run_with_one_input",
      });
      // The error is printed once the running nodes finished; a node that never does would otherwise
      // leave the user looking at a bare ✘.
      if (first && stillRunning.length > 0) {
        const names = stillRunning.map((n) => `"${n}"`).join(", ");
        const text = `  waiting for ${names} to finish before the run fails (Ctrl-C stops them)`;
        log.log({
          logger,
          level: LEVEL.INFO,
          message: text.trim(),
          terminal: { stream: "err", text: style.dim(text) },
        });
      }
    },
  };
}

/**
 * The command that resumes a failed run from the nearest nodes with persisted inputs (a warning).
 *
 * @example
 * ```ts
 * logResumeHint(log, error, ["run", "training"], { kind: "sequential" });
 * ```
 */
export function logResumeHint(
  log: RunLog,
  error: PipelineRunError,
  argv: string[],
  runner: RunnerSpec,
): void {
  if (error.completedNodes.length === 0 || error.resumeFromNodes.length === 0) return;
  const command = `  ${resumeCommand(argv, error.resumeFromNodes)}`;
  log.log({
    logger: runnerLogger(runner),
    level: LEVEL.WARNING,
    message: `${RESUME_HEAD}\n${command}`,
    terminal: { stream: "err", text: `${style.yellow(RESUME_HEAD)}\n${command}` },
    quietToo: true,
    funcName: "_suggest_resume_scenario",
  });
}

const RESUME_HEAD = "Resume from the nearest nodes with persisted inputs:";

/**
 * The resume hint as plain text (no colours), or undefined when there is nothing to resume from: what the
 * signal watchdog prints when a node held the main thread against Ctrl-C (session/forced_stop.ts).
 *
 * @example
 * ```ts
 * resumeHintText(["run"], { completed: ["a"], resumeFromNodes: ["b"] }); // "Resume from …\n  kmlf run --from-nodes b"
 * ```
 */
export function resumeHintText(
  argv: string[],
  state: { completed: readonly string[]; resumeFromNodes: readonly string[] },
): string | undefined {
  if (state.completed.length === 0 || state.resumeFromNodes.length === 0) return undefined;
  return `${RESUME_HEAD}\n  ${resumeCommand(argv, state.resumeFromNodes)}`;
}

// The user's own command line with --from-nodes replaced (other filters intersect, so they stay).
function resumeCommand(argv: string[], fromNodes: readonly string[]): string {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--from-nodes") i++;
    else if (!argv[i].startsWith("--from-nodes=")) kept.push(argv[i]);
  }
  return ["kmlf", ...kept, "--from-nodes", fromNodes.join(",")].map(shellQuote).join(" ");
}
