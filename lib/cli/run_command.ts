/** `kmlf run`: options → session run, with progress output and a resume hint on failure. */
import { parseRuntimeParams } from "../config/mod.ts";
import { renderError, UsageError } from "../errors.ts";
import {
  createRunner,
  defaultMaxWorkers,
  PipelineRunError,
  type RunnerSpec,
  type RunReporter,
} from "../runner/mod.ts";
import { KmlfSession } from "../session/mod.ts";
import { EXIT, reportError } from "./exit_codes.ts";
import { printCatalogWarning } from "./catalog_warnings.ts";
import { confSourceDir } from "./conf_source.ts";
import { kedroLoggingNote } from "./kedro_logging_note.ts";
import { builtinPlugins } from "./plugins.ts";
import { requireProject } from "./project.ts";
import { splitList } from "./split_list.ts";
import { err, formatDuration, out, shellQuote, style } from "./terminal.ts";

/** Raw `kmlf run` options as commander parses them. */
export interface RunCommandOptions {
  pipeline?: string;
  pipelines?: string;
  env?: string;
  nodes?: string;
  fromNodes?: string;
  toNodes?: string;
  fromInputs?: string;
  toOutputs?: string;
  tags?: string;
  namespaces?: string;
  /** `--params` text, or a run config file's `params` mapping (already nested). */
  params?: string | Record<string, unknown>;
  loadVersions?: string;
  onlyMissingOutputs?: boolean;
  confSource?: string;
  quiet?: boolean;
  json?: boolean;
  runner?: string;
  maxWorkers?: string;
  async?: boolean;
}

/**
 * Runs the requested pipeline and returns the exit code.
 *
 * @example
 * ```ts
 * const code = await runCommand("training", {}, {}, ["run", "training"]);
 * ```
 */
export async function runCommand(
  positional: string | undefined,
  options: RunCommandOptions,
  globals: { project?: string; debug?: boolean },
  argv: string[],
): Promise<number> {
  const started = performance.now();
  const pipelineNames = selectPipelines(positional, options);
  const root = requireProject(globals);
  const quiet = options.quiet || options.json;
  const session = await KmlfSession.create({
    projectRoot: root,
    env: options.env,
    envVar: Deno.env.get("KMLF_ENV"),
    runtimeParams: typeof options.params === "object"
      ? options.params
      : options.params
      ? parseRuntimeParams(options.params, "--params")
      : {},
    plugins: builtinPlugins({ notify: (message) => quiet || err(style.dim(message)) }),
    commandLine: ["kmlf", ...argv].map(shellQuote).join(" "),
    confSource: options.confSource === undefined ? undefined : confSourceDir(options.confSource),
    onCatalogWarning: (warning) =>
      printCatalogWarning(warning, {
        root,
        note: `"${warning.name}" is not used by the selected pipelines, so the run goes on without it`,
      }),
  });
  const loggingNote = quiet ? undefined : kedroLoggingNote(
    root,
    options.confSource === undefined ? session.settings.confSource : confSourceDir(options.confSource),
  );
  if (loggingNote) err(style.dim(loggingNote));
  const runner = session.resolveRunner({
    runner: options.runner,
    maxWorkers: options.maxWorkers,
    isAsync: options.async,
  });
  const nodeReport: NodeReport[] = [];
  // The runner's account of a stop (a signal, a failure outside any node): the error the run ends with is
  // the signal's, but where to resume is in this one.
  let stopped: PipelineRunError | undefined;
  try {
    const result = await session.run({
      pipelineNames,
      nodeNames: splitList(options.nodes),
      fromNodes: splitList(options.fromNodes),
      toNodes: splitList(options.toNodes),
      fromInputs: splitList(options.fromInputs),
      toOutputs: splitList(options.toOutputs),
      tags: splitList(options.tags),
      namespaces: splitList(options.namespaces),
      loadVersions: parseLoadVersions(options.loadVersions),
      onlyMissingOutputs: options.onlyMissingOutputs,
      reporter: {
        ...progressReporter(quiet ?? false, nodeReport, runner.kind !== "sequential"),
        // Announced once every check passed: a refusal (unknown node, missing input) comes alone.
        runStarting: () =>
          quiet || out(
            style.bold(`Running pipeline ${pipelineNames.join(" + ")}`) +
              style.dim(` (env ${session.env}, run ${session.runId}${describeRunner(runner)})`),
          ),
        // What was stopped and how to resume, printed as soon as the runner stops (with tracking on, the
        // error itself follows once the MLflow run is ended KILLED).
        runInterrupted: ({ error }) => {
          stopped = error;
          err(style.yellow(`✘ ${error.message}`));
          // Stopped while waiting after a failure: where that node failed, and its stack.
          if (error.cause !== undefined || error.source) {
            err(
              renderError(error, { relativeTo: root, debug: globals.debug ?? false }).split("\n").slice(1)
                .join("\n"),
            );
          }
          printResumeHint(error, argv);
        },
      },
      runner,
    });
    const elapsed = performance.now() - started;
    if (options.json) {
      out(
        JSON.stringify({
          status: "success",
          runId: session.runId,
          env: session.env,
          pipelines: pipelineNames,
          runner: createRunner(runner).name,
          nodes: nodeReport,
          durationMs: Math.round(elapsed),
        }),
      );
    } else {
      out(
        style.green(
          `✔ Completed ${result.pipeline.nodes.length} node${
            result.pipeline.nodes.length === 1 ? "" : "s"
          } in ${formatDuration(elapsed)}`,
        ),
      );
    }
    return EXIT.ok;
  } catch (error) {
    // Ctrl-C/SIGTERM: exit 130/143 (reportError maps the guard's RunInterruptedError).
    const interrupted = (error as { code?: unknown })?.code === "run/interrupted";
    const code = reportError(error, { debug: globals.debug ?? false, root });
    if (error instanceof PipelineRunError && !interrupted) {
      if (error.completedNodes.length === 0) {
        err(style.yellow("No nodes completed. Fix the error and repeat the previous command."));
      } else printResumeHint(error, argv);
    }
    if (options.json) {
      out(
        JSON.stringify({
          status: "failed",
          runId: session.runId,
          nodes: nodeReport,
          error: (error as Error).message,
          code: (error as { code?: string }).code,
          // What the printed resume command passes to --from-nodes, for scripts that retry.
          ...resumeOf(error instanceof PipelineRunError ? error : stopped),
          durationMs: Math.round(performance.now() - started),
        }),
      );
    }
    return code;
  }
}

function selectPipelines(positional: string | undefined, options: RunCommandOptions): string[] {
  const given = [positional, options.pipeline].filter((p): p is string => !!p);
  if (given.length === 2 && given[0] !== given[1]) {
    throw new UsageError(
      "cli/conflicting-pipelines",
      `Got two pipeline names: "${given[0]}" and "${given[1]}"`,
      {
        hint: "name the pipeline once (`kmlf run training`), or use --pipelines a,b to run several",
      },
    );
  }
  if (given.length > 0 && options.pipelines) {
    throw new UsageError(
      "cli/conflicting-pipelines",
      "--pipelines cannot be combined with a single pipeline name",
      {
        hint: "use either `kmlf run NAME` / --pipeline NAME, or --pipelines a,b",
      },
    );
  }
  const names = options.pipelines ? splitList(options.pipelines) : given.slice(0, 1);
  return names.length > 0 ? names : ["__default__"];
}

/** `name:version,name2:version` → record, split on the first colon of each item. */
export function parseLoadVersions(value: string | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const item of splitList(value)) {
    const at = item.indexOf(":");
    if (at <= 0 || at === item.length - 1) {
      throw new UsageError("cli/bad-load-versions", `Cannot parse --load-versions item "${item}"`, {
        hint: 'use the form "dataset_name:YYYY-MM-DDThh.mm.ss.sssZ", several separated by commas',
      });
    }
    const name = item.slice(0, at).trim();
    const version = item.slice(at + 1).trim();
    // Kedro keeps the last silently; two different pins of one dataset are a typo either way.
    if (Object.hasOwn(result, name) && result[name] !== version) {
      throw new UsageError(
        "cli/bad-load-versions",
        `--load-versions pins "${name}" twice: ${result[name]} and ${version}`,
        { hint: `keep one version of "${name}" in --load-versions` },
      );
    }
    result[name] = version;
  }
  return result;
}

/** One node in the `--json` summary: times in epoch ms, `worker` under the parallel runner. */
interface NodeReport {
  name: string;
  status: string;
  durationMs: number;
  start: number;
  end: number;
  worker?: number;
}

// The default (sequential, no --async) adds nothing to the header line.
function describeRunner(spec: RunnerSpec): string {
  if (spec.kind === "sequential") return spec.isAsync ? ", async I/O" : "";
  const workers = spec.maxWorkers ?? defaultMaxWorkers(spec.kind);
  return `, ${spec.kind} runner, up to ${workers} at once${spec.isAsync ? ", async I/O" : ""}`;
}

// Concurrent runs also show when each node ran, relative to the first start, so overlaps are visible.
function progressReporter(quiet: boolean, report: NodeReport[], concurrent: boolean): RunReporter {
  let t0: number | undefined;
  const span = (start: number, end: number) =>
    concurrent ? `, ${((start - t0!) / 1000).toFixed(2)}→${((end - t0!) / 1000).toFixed(2)} s` : "";
  const on = (worker: number | undefined) => (worker ? style.dim(` [worker ${worker}]`) : "");
  return {
    nodesSkipped({ skipped, total }) {
      if (!quiet && skipped.length > 0) {
        out(
          style.dim(
            `Skipping ${skipped.length} of ${total} nodes with existing outputs: ${skipped.join(", ")}`,
          ),
        );
      }
    },
    nodeStarted({ node, index, total, start, running }) {
      t0 ??= start;
      const more = concurrent && running > 1 ? style.dim(` (${running} running)`) : "";
      if (!quiet) out(`${style.dim(`[${index + 1}/${total}]`)} ${style.cyan("▶")} ${node.name}${more}`);
    },
    nodeCompleted({ node, done, total, durationMs, start, end, worker }) {
      report.push({ name: node.name, status: "completed", durationMs, start, end, worker });
      if (!quiet) {
        out(
          `${style.dim(`[${done}/${total}]`)} ${style.green("✔")} ${node.name} ${
            style.dim(`(${formatDuration(durationMs)}${span(start, end)})`)
          }${on(worker)}`,
        );
      }
    },
    nodeFailed({ node, done, total, durationMs, start, end, worker, stillRunning = [] }) {
      const first = !report.some((r) => r.status === "failed");
      report.push({ name: node.name, status: "failed", durationMs, start, end, worker });
      if (!quiet) {
        out(
          `${style.dim(`[${done + 1}/${total}]`)} ${style.red("✘")} ${node.name} ${
            style.dim(`(${formatDuration(durationMs)}${span(start, end)})`)
          }${on(worker)}`,
        );
        // The error is printed once the running nodes finished; a node that never does would otherwise
        // leave the user looking at a bare ✘.
        if (first && stillRunning.length > 0) {
          const names = stillRunning.map((n) => `"${n}"`).join(", ");
          err(style.dim(`  waiting for ${names} to finish before the run fails (Ctrl-C stops them)`));
        }
      }
    },
  };
}

// `--json`'s resumeFromNodes: present exactly when a resume command is printed.
function resumeOf(error: PipelineRunError | undefined): { resumeFromNodes?: readonly string[] } {
  if (!error || error.completedNodes.length === 0 || error.resumeFromNodes.length === 0) return {};
  return { resumeFromNodes: error.resumeFromNodes };
}

function printResumeHint(error: PipelineRunError, argv: string[]): void {
  if (error.completedNodes.length === 0 || error.resumeFromNodes.length === 0) return;
  err(style.yellow("Resume from the nearest nodes with persisted inputs:"));
  err(`  ${resumeCommand(argv, error.resumeFromNodes)}`);
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
