/**
 * A session's run: the pipeline chosen, the catalog built and checked, then the runner between
 * `beforePipelineRun` and `afterPipelineRun` (or `onPipelineError`). `KmlfSession.run` loads this module on
 * use, so commands that only list (`kmlf catalog list`, `kmlf pipeline list`) do not load the runners.
 *
 * @module
 */
import type { Catalog, CatalogWarning, DatasetRegistry } from "../catalog/mod.ts";
import { RunInterruptedError, throwIfAny } from "../errors.ts";
import type { HookManager, RunParams } from "../hooks/mod.ts";
import {
  interruptionError,
  namespaceInterruptions,
  type Pipeline,
  type PipelineFilter,
} from "../pipeline/mod.ts";
import {
  checkRunnable,
  createRunner,
  lostOutputWarnings,
  type NodeScope,
  pinnedOutputWarnings,
  type Runner,
  type RunnerSpec,
  type RunReporter,
  type RunResult,
} from "../runner/mod.ts";
import { KMLF_VERSION } from "../version.ts";
import { inferenceCatalogProblems, inferenceDataProblems } from "./inference_checks.ts";
import { RunGuard } from "./run_guard.ts";
import type { describeForcedStops } from "./forced_stop.ts";
import type { SignalWatchdog } from "./signal_watchdog.ts";
import { selectRunPipeline } from "./run_selection.ts";
import { pipelineError } from "./session_hooks.ts";

/** Options of {@link KmlfSession.run}. */
export interface SessionRunOptions extends PipelineFilter {
  /** The pipelines to run (one name may be given as a string); default `__default__`. */
  pipelineNames?: string[] | string;
  /** `--load-versions`: dataset name → the version to load instead of the latest. */
  loadVersions?: Record<string, string>;
  /** Kedro's `--only-missing-outputs`: skip nodes whose outputs all exist already. */
  onlyMissingOutputs?: boolean;
  /** Progress callbacks (what the CLI prints per node). */
  reporter?: RunReporter;
  /** Default: {@link KmlfSession.resolveRunner} with no flags (kmlf.yml `runner:`, else sequential). */
  runner?: RunnerSpec;
  /** Aborting interrupts the run (workers stop; the run ends with `run/interrupted`). */
  signal?: AbortSignal;
  /** Each node's function runs inside it (the runner's `nodeScope`): tells which node printed a line. */
  nodeScope?: NodeScope;
  /**
   * How to resume, for the message printed when Ctrl-C finds a node holding the main thread (the run ends
   * without its hooks then: forced_stop.ts); the CLI gives its resume command.
   */
  stopNote?: (
    state: { completed: readonly string[]; resumeFromNodes: readonly string[] },
  ) => string | undefined;
}

/** What a run needs of its session (`KmlfSession` gives it). */
export interface RunScope {
  runId: string;
  projectPath: string;
  env: string;
  /** The pipelines folder as messages name it (relative to the project). */
  pipelinesDir: string;
  runtimeParams: Record<string, unknown>;
  commandLine: string;
  onCatalogWarning?: (warning: CatalogWarning) => void;
  registry(): DatasetRegistry;
  /** The session's hooks, once `afterContextCreated` has fired. */
  hooks(): Promise<HookManager>;
  pipeline(names: string[]): Promise<Pipeline>;
  /** Every registered pipeline, for hints naming where a filtered node lives. */
  registered(): Promise<Record<string, Pipeline>>;
  catalog(options: {
    loadVersions: Record<string, string>;
    registry: DatasetRegistry;
    used: Iterable<string>;
  }): Promise<Catalog>;
}

/**
 * Runs the pipelines `names` of a session with the runner `spec`; the runner's workers end with the run.
 *
 * @example
 * ```ts
 * const result = await runPipelines(scope, ["training"], { kind: "sequential" }, {});
 * ```
 */
export async function runPipelines(
  scope: RunScope,
  names: string[],
  spec: RunnerSpec,
  options: SessionRunOptions,
): Promise<RunResult> {
  const runner = createRunner(spec);
  runner.warmUp?.();
  try {
    return await runWith(scope, runner, names, options);
  } finally {
    runner.close?.();
  }
}

async function runWith(
  scope: RunScope,
  runner: Runner,
  names: string[],
  options: SessionRunOptions,
): Promise<RunResult> {
  const registry = scope.registry();
  const hooks = await scope.hooks();
  const full = await scope.pipeline(names);
  const pipeline = await selectRunPipeline(full, names, options, {
    pipelinesDir: scope.pipelinesDir,
    registered: scope.registered,
  });
  runner.warmUp?.(pipeline);
  const loadVersions = options.loadVersions ?? {};
  // A model this run will log (the filters kept it) needs its inference inputs persisted: they are
  // checked against the catalog too, so they count as used by the lazy catalog.
  const ml = pipeline.ml && !pipeline.ml.dropped ? pipeline.ml : undefined;
  const used = ml ? new Set([...pipeline.datasets(), ...ml.spec.pipeline.datasets()]) : pipeline.datasets();
  const catalog = await scope.catalog({ loadVersions, registry, used });
  for (const warning of catalog.warnings) scope.onCatalogWarning?.(warning);
  // Then each as it comes: the notes of the pattern datasets the run builds (checkRunnable builds those it
  // uses), and a note a dataset gives from a load or save, while the run goes on.
  if (scope.onCatalogWarning) catalog.onWarning(scope.onCatalogWarning);
  if (ml) {
    throwIfAny(
      [
        ...inferenceCatalogProblems(pipeline, ml.spec, catalog),
        ...await inferenceDataProblems(pipeline, ml.spec, catalog),
      ],
      `Cannot run ${names.join("+")}: its inference pipeline could not be logged as a model`,
    );
  }
  await runner.check?.(pipeline, catalog); // refusals before a tracked run starts
  const runParams = runParamsOf(scope, names, options, runner.name);
  // Known before any node runs: reported before a (tracked) run is started.
  await checkRunnable(pipeline, catalog, { full, loadVersions });
  for (const warning of await pinnedOutputWarnings(pipeline, catalog, loadVersions)) {
    scope.onCatalogWarning?.(warning);
  }
  for (const warning of lostOutputWarnings(pipeline, catalog, { full })) scope.onCatalogWarning?.(warning);
  // Kedro warns when a path leaves a namespace and re-enters it, and runs anyway.
  for (const found of namespaceInterruptions(full)) {
    const note = "the run goes on, as Kedro's does (it warns too)";
    scope.onCatalogWarning?.({ name: found.namespace, problems: [interruptionError(found)], note });
  }
  options.reporter?.runStarting?.();
  // From here on every way the run can end goes through onPipelineError or afterPipelineRun.
  // Node functions on the main thread (not the parallel runner's workers) may hold it against Ctrl-C.
  const watched = runner.name === "ParallelRunner" ? undefined : await prepareWatchdog();
  const guard = RunGuard.install({ watchdog: watched?.watchdog });
  // A signal (or any failure the guard records) also stops the runner: a parallel run's workers at once.
  const signal = options.signal ? AbortSignal.any([options.signal, guard.signal]) : guard.signal;
  const reporter = watched
    ? watched.describeForcedStops(options.reporter, {
      guard,
      pipeline,
      catalog,
      projectPath: scope.projectPath,
      note: options.stopNote,
    })
    : options.reporter;
  try {
    let result: RunResult;
    try {
      await hooks.call("beforePipelineRun", { runParams, pipeline, catalog });
      const run = runner.run(pipeline, catalog, {
        runId: scope.runId,
        hooks,
        onlyMissingOutputs: options.onlyMissingOutputs,
        reporter,
        signal,
        nodeScope: options.nodeScope,
      });
      result = await guard.race(run);
      await guard.settle(); // a promise the last node left rejected fails the run, not the process
      // Ending the run is part of it: a failing afterPipelineRun hook, or a signal while the hooks run,
      // fails the run too, so the hooks that had not ended it yet (tracking) end it FAILED or KILLED
      // rather than leave it RUNNING.
      await guard.race(
        hooks.call("afterPipelineRun", { runParams, runResult: result.outputs, pipeline, catalog }),
      );
    } catch (error) {
      // After a signal the runner stops with its own "interrupted" error: the signal's says which one.
      const cause = guard.failure instanceof RunInterruptedError
        ? guard.failure
        : await (await producerHint()).withProducerHint(error, {
          names,
          full,
          pipeline,
          catalog,
          registered: scope.registered,
        });
      throw await pipelineError(hooks, cause, { runParams, pipeline, catalog });
    }
    return result;
  } finally {
    guard.uninstall();
  }
}

// Only where someone can press Ctrl-C (stdin a terminal): the child costs the main thread ~5 ms when it
// starts (Deno's process API loads on first use), which a script's or a benchmark's kmlf does not pay. Its
// modules load here, the child with the first node (forced_stop.ts).
async function prepareWatchdog(): Promise<
  { watchdog: SignalWatchdog; describeForcedStops: typeof describeForcedStops } | undefined
> {
  if (Deno.build.os === "windows") return undefined;
  try {
    if (!Deno.stdin.isTerminal()) return undefined;
    // It runs /bin/sh, and keeps its state in a temp file.
    if (Deno.permissions.querySync({ name: "run", command: "/bin/sh" }).state !== "granted") return undefined;
    if (Deno.permissions.querySync({ name: "write" }).state !== "granted") return undefined;
  } catch {
    return undefined;
  }
  const [{ SignalWatchdog }, { describeForcedStops }] = await Promise.all([
    import(new URL("./signal_watchdog.ts", import.meta.url).href) as Promise<
      typeof import("./signal_watchdog.ts")
    >,
    import(new URL("./forced_stop.ts", import.meta.url).href) as Promise<typeof import("./forced_stop.ts")>,
  ]);
  return { watchdog: new SignalWatchdog(), describeForcedStops };
}

function runParamsOf(
  scope: RunScope,
  pipelineNames: string[],
  options: SessionRunOptions,
  runner: string,
): RunParams {
  return {
    runId: scope.runId,
    projectPath: scope.projectPath,
    env: scope.env,
    kmlfVersion: KMLF_VERSION,
    pipelineNames: [...pipelineNames],
    // The run's own lists (one object for all its hooks, as Kedro's run_params): a hook changing them
    // changes nothing of the caller's options, nor of the config (its loader keeps its own runtime params).
    tags: [...options.tags ?? []],
    nodeNames: [...options.nodeNames ?? []],
    fromNodes: [...options.fromNodes ?? []],
    toNodes: [...options.toNodes ?? []],
    fromInputs: [...options.fromInputs ?? []],
    toOutputs: [...options.toOutputs ?? []],
    namespaces: [...options.namespaces ?? []],
    loadVersions: { ...options.loadVersions },
    runtimeParams: scope.runtimeParams, // the session's own copy (a session runs once)
    onlyMissingOutputs: options.onlyMissingOutputs ?? false,
    runner,
    commandLine: scope.commandLine,
  };
}

// A failed run's hint about the pipeline that makes a missing input: loaded on failure only, by a computed URL
// (which Deno does not read with this module; the bundle makes it an entry point).
const producerHint = (): Promise<typeof import("./producer_hint.ts")> =>
  import(new URL("./producer_hint.ts", import.meta.url).href);
