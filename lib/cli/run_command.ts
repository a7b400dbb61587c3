/** `kmlf run`: options → session run, with progress output and a resume hint on failure. */
import { envFromVariables, parseRuntimeParams } from "../config/mod.ts";
import { UsageError } from "../errors.ts";
import { renderError } from "../error_render.ts";
import { createRunner, PipelineRunError } from "../runner/mod.ts";
import { KmlfSession } from "../session/mod.ts";
import { EXIT, reportError } from "./exit_codes.ts";
import { renderCatalogWarning } from "./catalog_warnings.ts";
import { confSourceDir } from "./conf_source.ts";
import { builtinPlugins } from "./plugins.ts";
import { requireProject } from "./project.ts";
import { splitList } from "./split_list.ts";
import { LEVEL, type RunLog } from "./run_log.ts";
import {
  logResumeHint,
  logRunStarting,
  type NodeReport,
  progressReporter,
  resumeHintText,
  runLog,
  runnerLogger,
} from "./run_progress.ts";
import { formatDuration, out, shellQuote, style } from "./terminal.ts";
import type { Plugin } from "../plugin.ts";

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
  /** Where `maxWorkers` came from when not `--max-workers` (Kedro's `--runner-params max_workers`). */
  maxWorkersFrom?: string;
  async?: boolean;
  /** Kedro's `--runner-params` text, or a run config file's `runner_params` mapping. */
  runnerParams?: string | Record<string, unknown>;
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
  if (options.runnerParams !== undefined) {
    const { applyRunnerParams } = await import("./runner_params.ts");
    options = { ...options, ...applyRunnerParams(options.runnerParams, options) };
  }
  const root = requireProject(globals);
  const quiet = options.quiet || options.json;
  const { log, plugins } = await runLog({ quiet: quiet ?? false, json: options.json ?? false });
  try {
    return await runLogged(pipelineNames, root, options, globals, argv, log, plugins, started);
  } finally {
    log.close();
  }
}

async function runLogged(
  pipelineNames: string[],
  root: string,
  options: RunCommandOptions,
  globals: { project?: string; debug?: boolean },
  argv: string[],
  log: RunLog,
  plugins: Plugin[],
  started: number,
): Promise<number> {
  const session = await KmlfSession.create({
    projectRoot: root,
    env: options.env,
    envVar: envFromVariables(),
    runtimeParams: typeof options.params === "object"
      ? options.params
      : options.params
      ? parseRuntimeParams(options.params, "--params")
      : {},
    runtimeParamsFlag: "--params", // hints name the flag, not the session's option
    plugins: [
      ...builtinPlugins({
        notify: (message) =>
          log.log({
            logger: "kedro_mlflow.framework.hooks.mlflow_hook",
            // kmlf's notes ask the user to act (a store left behind, a model or output not logged).
            level: /^Note:|not logged/.test(message) ? LEVEL.WARNING : LEVEL.INFO,
            message,
            terminal: { stream: "err", text: style.dim(message) },
          }),
      }),
      ...plugins,
    ],
    commandLine: ["kmlf", ...argv].map(shellQuote).join(" "),
    confSource: options.confSource === undefined ? undefined : confSourceDir(options.confSource),
    onCatalogWarning: (warning) => {
      const text = renderCatalogWarning(warning, {
        root,
        note: `"${warning.name}" is not used by the selected pipelines, so the run goes on without it`,
      });
      log.log({
        logger: "kedro.io.data_catalog",
        level: LEVEL.WARNING,
        message: text,
        terminal: { stream: "err", text: style.yellow(text) },
        quietToo: true,
      });
    },
  });
  const runner = session.resolveRunner({
    runner: options.runner,
    maxWorkers: options.maxWorkers,
    maxWorkersFrom: options.maxWorkersFrom,
    isAsync: options.async,
  });
  const nodeReport: NodeReport[] = [];
  // The runner's account of a stop (a signal, a failure outside any node): the error the run ends with is
  // the signal's, but where to resume is in this one.
  let stopped: PipelineRunError | undefined;
  // With a logging configuration, what nodes print is logged under their module's logger (Kedro's nodes
  // log with logging.getLogger(__name__)); console is given back however the run ends.
  const nodeConsole = log.captureNodeConsole?.({
    name: session.settings.name,
    root: session.settings.root,
    pipelinesDir: session.settings.pipelinesDir,
  });
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
        ...progressReporter(log, nodeReport, runner),
        // Announced once every check passed: a refusal (unknown node, missing input) comes alone.
        runStarting: () =>
          logRunStarting(log, { pipelines: pipelineNames, env: session.env, runId: session.runId, runner }),
        // What was stopped and how to resume, printed as soon as the runner stops (with tracking on, the
        // error itself follows once the MLflow run is ended KILLED).
        runInterrupted: ({ error }) => {
          stopped = error;
          // Stopped while waiting after a failure: where that node failed, and its stack.
          const detail = error.cause !== undefined || error.source
            ? "\n" +
              renderError(error, { relativeTo: root, debug: globals.debug ?? false }).split("\n").slice(1)
                .join("\n")
            : "";
          log.log({
            logger: runnerLogger(runner),
            level: LEVEL.WARNING,
            message: `${error.message}${detail}`,
            terminal: { stream: "err", text: style.yellow(`✘ ${error.message}`) + detail },
            quietToo: true,
          });
          logResumeHint(log, error, argv, runner);
        },
      },
      runner,
      nodeScope: nodeConsole?.scope,
      stopNote: (state) => resumeHintText(argv, state),
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
    }
    const count = result.pipeline.nodes.length;
    log.log({
      logger: runnerLogger(runner),
      level: LEVEL.INFO,
      message: `Pipeline execution completed successfully in ${(elapsed / 1000).toFixed(1)} sec.`,
      terminal: options.json ? undefined : {
        stream: "out",
        text: style.green(`✔ Completed ${count} node${count === 1 ? "" : "s"} in ${formatDuration(elapsed)}`),
      },
      quietToo: true,
      funcName: "run",
    });
    return EXIT.ok;
  } catch (error) {
    // Ctrl-C/SIGTERM: exit 130/143 (reportError maps the guard's RunInterruptedError).
    const interrupted = (error as { code?: unknown })?.code === "run/interrupted";
    const code = await reportError(error, { debug: globals.debug ?? false, root });
    if (error instanceof PipelineRunError && !interrupted) {
      if (error.completedNodes.length === 0) {
        const text = "No nodes completed. Fix the error and repeat the previous command.";
        log.log({
          logger: runnerLogger(runner),
          level: LEVEL.WARNING,
          message: text,
          terminal: { stream: "err", text: style.yellow(text) },
          quietToo: true,
        });
      } else logResumeHint(log, error, argv, runner);
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
  } finally {
    nodeConsole?.restore();
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

// `--json`'s resumeFromNodes: present exactly when a resume command is printed.
function resumeOf(error: PipelineRunError | undefined): { resumeFromNodes?: readonly string[] } {
  if (!error || error.completedNodes.length === 0 || error.resumeFromNodes.length === 0) return {};
  return { resumeFromNodes: error.resumeFromNodes };
}
