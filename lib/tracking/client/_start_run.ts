/**
 * How `MlflowClient` finds the experiment a run starts in (MLflow's `set_experiment`) and creates or
 * resumes the run of `startRun`: its parent, its experiment and MLflow's default tags.
 *
 * @module
 */
import { TrackingError } from "../../errors.ts";
import type { Experiment, Run } from "../entities.ts";
import { DEFAULT_EXPERIMENT, MLFLOW_TAGS } from "../entities.ts";
import type { CreateExperimentOptions, TrackingStore } from "../stores/store.ts";
import type { KeyValueInput, StartRunOptions } from "./client_options.ts";
import type { RunContext } from "./run_context.ts";

/**
 * The experiment named `name`, created when missing; a deleted one is refused.
 *
 * @example
 * ```ts
 * const { experimentId } = await getOrCreateExperiment(store, "iris");
 * ```
 */
export async function getOrCreateExperiment(
  store: Pick<TrackingStore, "createExperiment" | "getExperiment" | "getExperimentByName">,
  name: string,
  options?: CreateExperimentOptions,
): Promise<Experiment> {
  let experiment = await store.getExperimentByName(name);
  if (!experiment) {
    try {
      experiment = await store.getExperiment(await store.createExperiment(name, options));
    } catch (error) {
      // Another process created it first.
      experiment = (error as TrackingError).code === "RESOURCE_ALREADY_EXISTS"
        ? await store.getExperimentByName(name)
        : undefined;
      if (!experiment) throw error;
    }
  }
  if (experiment.lifecycleStage !== "active") {
    throw new TrackingError(
      "INVALID_PARAMETER_VALUE",
      `Cannot set a deleted experiment '${name}' as the active experiment.`,
      { hint: "restore the experiment (restoreExperiment) or pick another name" },
    );
  }
  return experiment;
}

/**
 * What starting a run needs of its client (`MlflowClient` implements it). A port rather than the class
 * itself, so the client module and this one do not import each other.
 */
export interface StartRunClient {
  readonly store: Pick<TrackingStore, "getRun" | "updateRun">;
  readonly context: RunContext;
  activeRun(): { readonly runId: string } | undefined;
  activeRuns(): readonly { readonly runId: string }[];
  getOrCreateExperiment(name: string): Promise<Experiment>;
  createRun(experimentId: string, options: { runName?: string; tags?: Record<string, string> }): Promise<Run>;
  setTags(runId: string, tags: KeyValueInput): Promise<void>;
}

/**
 * The run `startRun` begins: `options.runId` resumed (RUNNING again, with the tags given), else a new run
 * with MLflow's default tags, the child of the active run (or `parentRunId`) when nested.
 *
 * @example
 * ```ts
 * const run = await createOrResumeRun(client, { experimentName: "tuning", runName: "sweep" });
 * ```
 */
export async function createOrResumeRun(client: StartRunClient, options: StartRunOptions): Promise<Run> {
  const current = client.activeRun();
  const parentRunId = options.parentRunId ?? (options.nested ? current?.runId : undefined);
  if (options.nested && !parentRunId) {
    throw new TrackingError("tracking/no-active-run", "Cannot start a nested run: no run is active", {
      hint: "start the parent run first, or pass parentRunId",
    });
  }
  // As MLflow's start_run: a run started under a given parent while another run is active must be that
  // run's child, so the runs of a client always nest (ending a run ends the runs started inside it).
  if (current && options.parentRunId && options.parentRunId !== current.runId) {
    throw new TrackingError(
      "tracking/parent-not-active",
      `Cannot start a run under parent ${options.parentRunId}: run ${current.runId} is active, and a new run ` +
        "would be started inside it",
      {
        hint: `end run ${current.runId} first (run.end()), or start the run nested under it (nested: true)`,
      },
    );
  }
  // One handle per run: two would each end it (the second ending overwriting the first's status).
  if (options.runId && client.activeRuns().some((r) => r.runId === options.runId)) {
    throw new TrackingError(
      "tracking/run-already-active",
      `Cannot resume run ${options.runId}: it is already active (started with startRun and not ended)`,
      { hint: "log through the ActiveRun startRun returned for it (client.activeRuns() lists them)" },
    );
  }
  if (options.runId && parentRunId === options.runId) {
    throw new TrackingError("tracking/invalid-parent", `Run ${options.runId} cannot be its own parent`, {
      hint: "pass another run as parentRunId, or leave it out",
    });
  }
  if (current && !options.nested && !options.parentRunId) {
    throw new TrackingError(
      "tracking/run-already-active",
      `Run with UUID ${current.runId} is already active. To start a new run, first end the current run; ` +
        "to start a nested run, pass nested: true",
    );
  }
  // A new run's parent must exist and not be deleted (MLflow's check; getRun names a missing one).
  const parent = parentRunId && !options.runId ? await client.store.getRun(parentRunId) : undefined;
  if (parent?.info.lifecycleStage === "deleted") {
    throw new TrackingError(
      "INVALID_PARAMETER_VALUE",
      `Cannot start run under parent run with ID ${parentRunId} because it is in the deleted state.`,
      { hint: "restore the parent run (restoreRun) or start the run under another parent" },
    );
  }
  const experimentId = options.experimentId ??
    (options.experimentName
      ? (await client.getOrCreateExperiment(options.experimentName)).experimentId
      : undefined) ??
    parent?.info.experimentId ?? DEFAULT_EXPERIMENT.id;
  const tags: Record<string, string> = {
    [MLFLOW_TAGS.user]: client.context.user,
    [MLFLOW_TAGS.sourceName]: client.context.sourceName,
    [MLFLOW_TAGS.sourceType]: client.context.sourceType,
    ...options.tags,
  };
  if (parentRunId) tags[MLFLOW_TAGS.parentRunId] = parentRunId;
  if (options.description !== undefined) tags[MLFLOW_TAGS.note] = options.description;
  let run: Run;
  if (options.runId) {
    const old = await client.store.getRun(options.runId);
    await client.store.updateRun(options.runId, { status: "RUNNING", runName: options.runName });
    const extra = { ...options.tags };
    if (parentRunId && !old.data.tags[MLFLOW_TAGS.parentRunId]) {
      extra[MLFLOW_TAGS.parentRunId] = parentRunId;
    }
    if (Object.keys(extra).length) await client.setTags(options.runId, extra);
    run = await client.store.getRun(options.runId);
  } else {
    run = await client.createRun(experimentId, { runName: options.runName, tags });
  }
  return run;
}
