/**
 * The kedro-mlflow hook: starts an MLflow run before the pipeline, logs node parameters, node
 * durations, the pipeline description and files, and ends the run FINISHED, FAILED or KILLED.
 * Registered as a plugin hook, so the runner knows nothing about MLflow.
 */
import { ConfigError, KmlfError, TrackingError } from "../errors.ts";
import type { Hooks } from "../hooks/mod.ts";
import type { Pipeline } from "../pipeline/mod.ts";
import { gitInfo } from "./git_info.ts";
import { filesToLog } from "./log_files.ts";
import type { MlflowConfig } from "./mlflow_config.ts";
import { logInferenceModel, registerLoggedModel } from "./model_logging.ts";
import { NodeTimings, pipelineArtifact } from "./node_timings.ts";
import { planOutputs } from "./output_logging.ts";
import { paramPlanNotes, planParams } from "./params.ts";
import { LoggedParams } from "./logged_params.ts";
import type { MlflowRunState } from "./run_state.ts";
import type { MetricPoint, TrackingPort } from "./tracking_port.ts";
import { startTrackedRun } from "./run_start.ts";
import { orphanedMarkedRuns, orphanedRunsNote } from "./orphaned_runs.ts";
import { markRunEnded, markRunStarted } from "./run_markers.ts";
import { exportCredentials, runTags, tagValue } from "./run_setup.ts";
import { maskUriCredentials } from "../uri_credentials.ts";
import { shellQuote } from "../shell_quote.ts";

/** Everything the hook needs besides the config. */
export interface TrackingHookOptions {
  config: MlflowConfig;
  state: MlflowRunState;
  projectRoot: string;
  kmlfVersion: string;
  /** Opens the client for the resolved tracking URI (called once, when a run starts). */
  openClient(): Promise<TrackingPort>;
  /** The resolved tracking URI, for messages. */
  trackingUri?: string;
  /** Credentials entry exported as environment variables for the run. */
  credentials?: Record<string, unknown>;
  /** Called with human-readable notes (run started, params renamed, …). */
  notify?(message: string): void;
}

/**
 * Creates the hook implementation for one session.
 *
 * @example
 * ```ts
 * hooks.register(trackingHooks({ config, state, projectRoot, kmlfVersion, openClient }), { name: "kmlf-mlflow", kind: "plugin" });
 * ```
 */
export function trackingHooks(options: TrackingHookOptions): Hooks {
  const { config, state } = options;
  let client: TrackingPort | undefined;
  let runId: string | undefined;
  // Set once the run has been ended: a later afterPipelineRun or onPipelineError (a hook after this one
  // failed, a signal while the hooks ran) has nothing left to do.
  let ended = false;
  let ownsRun = true;
  // A task of an exported workflow records its nodes apart; `kmlf mlflow end-run` joins the records.
  let pipelineJsonPath = "kmlf/pipeline.json";
  let pipelineRef: Pipeline | undefined;
  // The run's parameters, where a `params:` input that is a float without a fraction (`lr: 1.0`) is
  // marked one (lib/source_keys.ts): a number alone cannot say, and kedro-mlflow logs str(1.0), "1.0".
  let parameters: Record<string, unknown> | undefined;
  const loggedParams = new LoggedParams();
  const notedLongParams = new Set<string>();
  const timings = new NodeTimings();
  let listedInCatalog: ((name: string) => boolean) | undefined;
  const metricBuffer: MetricPoint[] = [];
  const previousEnv = new Map<string, string | undefined>();

  const flush = async (id: string) => {
    if (client && metricBuffer.length > 0) {
      const batch = metricBuffer.splice(0, metricBuffer.length);
      for (let i = 0; i < batch.length; i += 1000) {
        await client.logBatch(id, { metrics: batch.slice(i, i + 1000) });
      }
    }
  };

  /**
   * Ends the run with `status`, once (onPipelineError and afterPipelineRun may both get here). Every step
   * is tried even when one fails (a full store, an unusable artifact location, a server gone): the run
   * always gets its end status if the store takes it (FAILED when logging failed), and the error then says
   * what was lost — or, when even the status could not be set, that the run stays RUNNING, naming it.
   */
  const endRun = async (status: "FINISHED" | "FAILED" | "KILLED", extraTags: Record<string, string> = {}) => {
    if (!client || !runId) return;
    const id = runId;
    runId = undefined; // ended once, whatever happens below
    ended = true;
    const lost: string[] = [];
    const attempt = async (what: string, step: () => Promise<unknown>) => {
      try {
        await step();
      } catch (error) {
        lost.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    metricBuffer.push(...timings.metrics());
    await attempt("buffered metrics", () => flush(id));
    await attempt(pipelineJsonPath, () =>
      client!.logText(
        id,
        JSON.stringify(pipelineArtifact(pipelineRef, timings, status), null, 2),
        pipelineJsonPath,
      ));
    await attempt("log_files.after", () => logFiles(id, config.tracking.logFiles.after));
    const endStatus = lost.length > 0 && status === "FINISHED" ? "FAILED" : status;
    const tags = { ...extraTags };
    if (lost.length > 0) tags["kmlf.tracking_error"] = tagValue(lost.join("; "));
    if (Object.keys(tags).length > 0) await attempt("tags", () => client!.logBatch(id, { tags }));
    let endError: unknown;
    if (ownsRun) {
      try {
        await client.setTerminated(id, endStatus, Date.now());
        markRunEnded(options.projectRoot, id);
      } catch (error) {
        endError = error;
      }
    } else {
      options.notify?.(
        `MLflow run ${id} was open before kmlf started, so it stays open (status ${endStatus} not set)`,
      );
    }
    state.deactivate();
    for (const [name, value] of previousEnv) {
      value === undefined ? Deno.env.delete(name) : Deno.env.set(name, value);
    }
    previousEnv.clear();
    const where = options.trackingUri ? ` in ${maskUriCredentials(options.trackingUri)}` : "";
    if (endError !== undefined) {
      throw new TrackingError(
        "mlflow/run-not-ended",
        `MLflow run ${id} could not be marked ${endStatus}: it stays RUNNING${where} (${
          endError instanceof Error ? endError.message : String(endError)
        })` + (lost.length > 0 ? `; also not logged: ${lost.join("; ")}` : ""),
        {
          cause: endError,
          hint:
            `once the store works again, end it yourself: MlflowClient.setTerminated("${id}", "${endStatus}")` +
            " (or delete it in the UI)",
        },
      );
    }
    if (lost.length > 0) {
      throw new TrackingError(
        "mlflow/run-logging-failed",
        `MLflow run ${id} ${
          ownsRun ? `ended ${endStatus}` : "stays open (it was open before kmlf started)"
        }, but some of it could not be logged: ${lost.join("; ")}`,
        { hint: "check the tracking store and the experiment's artifact location (disk space, permissions)" },
      );
    }
  };
  // Every way a run ends comes here, and then the store is closed: a SQLite database left open at exit keeps
  // its write-ahead log, so mlflow.db copied alone lacks the latest runs and the next command replays it.
  const finish = async (status: "FINISHED" | "FAILED" | "KILLED", extraTags: Record<string, string> = {}) => {
    try {
      await endRun(status, extraTags);
    } finally {
      const closing = state.client;
      // Datasets used after the run (a script's catalog) open the store again instead of a closed client.
      state.client = undefined;
      await closing?.close?.().catch((error: unknown) =>
        options.notify?.(
          `The tracking store could not be closed: ${error instanceof Error ? error.message : error}`,
        )
      );
    }
  };

  const logFiles = async (id: string, entries: string[]) => {
    for (const entry of entries) {
      const notes: string[] = [];
      const files = await filesToLog(entry, options.projectRoot, notes);
      for (const note of notes) options.notify?.(note);
      if (files.length === 0 && notes.length === 0) {
        options.notify?.(`mlflow.yml log_files: ${entry} matches no file; not logged`);
      }
      for (const file of files) await client!.logArtifact(id, file.path, file.artifactPath);
    }
  };

  return {
    afterCatalogCreated(args) {
      parameters = args.parameters;
    },

    async beforePipelineRun({ runParams, pipeline, catalog }) {
      pipelineRef = pipeline;
      if (config.tracking.logOutputsNotInCatalog) {
        const declared = new Set(catalog.names());
        listedInCatalog = (name) => declared.has(name) || catalog.resolveConfig(name) !== undefined;
      }
      const names = runParams.pipelineNames.length ? runParams.pipelineNames : ["__default__"];
      exportCredentials(options.credentials, previousEnv);
      const disabled = names.every((n) => config.tracking.disablePipelines.includes(n));
      // git runs while the store opens (it is a process of its own); gitInfo never rejects.
      const git = disabled ? undefined : gitInfo(options.projectRoot);
      // The client is opened even when tracking is disabled, so datasets with a run_id can still read.
      state.client = await options.openClient();
      if (disabled) {
        state.disableLogging(
          `tracking is disabled for pipeline ${names.join("+")} (mlflow.yml disable_tracking.pipelines)`,
        );
        options.notify?.(
          `Tracking is disabled for pipeline ${names.join("+")} (mlflow.yml disable_tracking.pipelines)`,
        );
        return;
      }
      client = state.client;
      const tags = await runTags(runParams, { ...options, git });
      const started = await startTrackedRun(client, config, runParams, names, tags);
      ({ runId, ownsRun, pipelineJsonPath } = started);
      state.activate(client, runId);
      options.notify?.(`MLflow run ${runId} started in experiment "${config.tracking.experiment.name}"`);
      // Runs an earlier kmlf left RUNNING when its process died (OOM, kill -9): said, never changed; unless
      // the user stopped it (Ctrl-C while a node held its main thread): ended KILLED, as it would have.
      const onKilled = (run: { info: { runId: string } }, signal: string) =>
        options.notify?.(
          `MLflow run ${run.info.runId}, left RUNNING when ${signal} stopped its kmlf, is now ended KILLED`,
        );
      const orphans = orphanedRunsNote(
        await orphanedMarkedRuns(client, options.projectRoot, runId, { onKilled }).catch(() => []),
        runParams.env && runParams.env !== "local" ? `--env ${shellQuote(runParams.env)}` : "",
      );
      if (orphans) options.notify?.(orphans);
      if (ownsRun) markRunStarted(options.projectRoot, runId);
      // A failure from here on reaches onPipelineError (the session sends every way a run ends there).
      await logFiles(runId, config.tracking.logFiles.before);
    },

    beforeDatasetLoaded: ({ node }) => timings.ioStarted(node.name),
    afterDatasetLoaded: ({ node }) => timings.ioEnded(node.name),
    beforeDatasetSaved: ({ node }) => timings.ioStarted(node.name),
    afterDatasetSaved: ({ node }) => timings.ioEnded(node.name),

    async beforeNodeRun({ node, inputs }) {
      timings.functionStarted(node.name);
      if (!client || !runId) return;
      const plan = planParams(inputs, config.tracking.params, parameters);
      for (const [from, to] of Object.entries(plan.renamed)) {
        options.notify?.(`Parameter "${from}" is logged as "${to}" (MLflow key rules)`);
      }
      // Once per run: later nodes reading the same parameter log the same cut value or tag.
      for (const [name, note] of Object.entries(paramPlanNotes(plan))) {
        if (!notedLongParams.has(name)) options.notify?.(note);
        notedLongParams.add(name);
      }
      const fresh = loggedParams.fresh(plan.params, node.name, (key, previous, value) => {
        throw new ConfigError(
          "mlflow/param-conflict",
          `Parameter "${key}" was logged as ${
            short(previous.value)
          } for node "${previous.node}" but node "${node.name}" uses ${short(value)}`,
          {
            hint:
              "MLflow keeps one value per parameter and run; rename one of the parameters or set dict_params.flatten in mlflow.yml",
          },
        );
      });
      if (Object.keys(fresh).length > 0 || Object.keys(plan.tags).length > 0) {
        await client.logBatch(runId, { params: fresh, tags: plan.tags });
      }
    },

    async afterNodeRun({ node, outputs }) {
      timings.functionEnded(node.name);
      if (!client || !runId || !listedInCatalog) return;
      const plan = planOutputs(outputs, listedInCatalog, Date.now());
      metricBuffer.push(...plan.metrics);
      const fresh = loggedParams.fresh(
        plan.params,
        node.name,
        (key, previous) =>
          plan.skipped.push({
            name: key,
            reason: `param "${key}" was already logged by node "${previous.node}"`,
          }),
      );
      for (const { name, reason } of plan.skipped) {
        options.notify?.(`Output "${name}" of node "${node.name}" is not logged: ${reason}`);
      }
      if (Object.keys(fresh).length > 0) await client.logBatch(runId, { params: fresh });
    },

    onNodeError({ node, error }) {
      // A node stopped by Ctrl-C did not fail: pipeline.json shows it interrupted.
      if (error instanceof KmlfError && error.code === "run/interrupted") return;
      timings.failed(node.name);
    },

    async afterPipelineRun({ pipeline, catalog }) {
      state.loggingEnabled = true;
      if (ended) return;
      const ml = pipeline.ml;
      if (ml && (!client || !runId)) {
        notModelLogged(
          options,
          pipeline,
          "tracking is disabled for this pipeline (mlflow.yml disable_tracking.pipelines)",
        );
      } else if (ml?.dropped) notModelLogged(options, pipeline, ml.dropped);
      else if (ml && client && runId) {
        let uri: string;
        try {
          const logged = await logInferenceModel({
            client,
            runId,
            spec: ml.spec,
            catalog,
            projectRoot: options.projectRoot,
            kmlfVersion: options.kmlfVersion,
          });
          // Ended meanwhile (a signal while the model was logged, in a script that goes on: the run is
          // KILLED and said so): no "Model logged" and no registered version from it.
          if (ended) return;
          for (const note of logged.notes) options.notify?.(`Model note: ${note}`);
          options.notify?.(
            `Model logged: ${logged.uri} (serve it: kmlf models serve -m ${shellQuote(logged.uri)})`,
          );
          uri = logged.uri;
        } catch (error) {
          if (ended) return; // the run was ended meanwhile, its store closed: already said
          const message = error instanceof Error ? error.message : String(error);
          notModelLogged(options, pipeline, message);
          await finish("FAILED", endTags("model not logged", error));
          throw error;
        }
        const name = ml.spec.logModel.registeredModelName;
        if (name) {
          try {
            const v = await registerLoggedModel(client, uri, name);
            options.notify?.(
              `Model registered: "${v.name}" version ${v.version} (serve it: kmlf models serve -m ${
                shellQuote(`models:/${v.name}/${v.version}`)
              })`,
            );
          } catch (error) {
            await finish("FAILED", endTags("model not registered", error));
            throw error;
          }
        }
      }
      await finish("FINISHED");
    },

    // `failure` (kmlf's located error: its code, the failed node) rather than `error` (what the node threw).
    async onPipelineError({ failure, pipeline }) {
      state.loggingEnabled = true;
      if (ended) return;
      if (failure.code === "run/interrupted") {
        if (pipeline.ml) notModelLogged(options, pipeline, pipeline.ml.dropped ?? "the run was interrupted");
        return await finish("KILLED");
      }
      if (pipeline.ml) {
        // Tracking itself may have refused to start (no run exists): say that, not "the run failed".
        const why = runId === undefined ? "no MLflow run was started" : "the run failed";
        notModelLogged(options, pipeline, pipeline.ml.dropped ?? why);
      }
      const failed = timings.firstFailed() ??
        (failure as { failedNode?: string }).failedNode;
      // A node that failed loading or saving a dataset never reached onNodeError.
      if (failed && timings.get(failed)?.status !== "failed") timings.failed(failed);
      await finish("FAILED", {
        ...(failed ? { "kmlf.failed_node": failed } : {}),
        "kmlf.error": tagValue(failure.message),
        "kmlf.error_code": failure.code,
      });
    },
  };
}

// The tags a run ending FAILED in afterPipelineRun gets: what failed, and the error's code.
function endTags(what: string, error: unknown): Record<string, string> {
  const message = error instanceof Error ? error.message : String(error);
  return {
    "kmlf.error": tagValue(`${what}: ${message}`),
    ...(error instanceof KmlfError ? { "kmlf.error_code": error.code } : {}),
  };
}

// kedro-mlflow's worst bug (#690) was a model silently not logged: kmlf always says why.
function notModelLogged(options: TrackingHookOptions, pipeline: Pipeline, why: string): void {
  const spec = pipeline.ml!.spec;
  options.notify?.(`Model "${spec.logModel.name}" (inference pipeline "${spec.ref}") not logged: ${why}`);
}

function short(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}
