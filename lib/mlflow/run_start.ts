/**
 * Which MLflow run a tracked kmlf run logs into, and starting it: a new run in the configured experiment,
 * the run mlflow.yml's `tracking.run.id` names (continued), or the run active around kmlf (`MLFLOW_RUN_ID`,
 * as MLflow Projects and orchestrators set it) — joined, or the parent of a new nested run.
 */
import type { RunParams } from "../hooks/mod.ts";
import type { MlflowConfig } from "./mlflow_config.ts";
import type { TrackingPort } from "./tracking_port.ts";
import { checkArtifacts, experimentFor, WORKFLOW_TAG, workflowRecordPath } from "./experiment_setup.ts";
import { namedRun } from "./run_setup.ts";
import { PROCESS_TAGS } from "./orphaned_runs.ts";

/** The run a tracked kmlf run logs into. */
export interface StartedRun {
  runId: string;
  /** The experiment the run belongs to. */
  experimentId: string;
  /** False for a run that was open before kmlf started: kmlf leaves it open. */
  ownsRun: boolean;
  /** Where the node records go: `kmlf/pipeline.json`, or a task's own file in an exported workflow's run. */
  pipelineJsonPath: string;
}

/**
 * Finds or creates the run (see the module's doc), checks its artifact location before any node runs, and
 * gives it `tags`. A run open around kmlf (`MLFLOW_RUN_ID`) is joined unless `tracking.run.nested` is set;
 * one started for an exported workflow (tag `kmlf.workflow`) is always joined, each task recording its
 * nodes apart (`kmlf mlflow end-run` joins the records).
 *
 * @example
 * ```ts
 * const { runId, ownsRun } = await startTrackedRun(client, config, runParams, ["training"], tags);
 * ```
 */
export async function startTrackedRun(
  client: TrackingPort,
  config: MlflowConfig,
  runParams: RunParams,
  pipelineNames: string[],
  tags: Record<string, string>,
): Promise<StartedRun> {
  const experiment = await experimentFor(client, config);
  const outerId = Deno.env.get("MLFLOW_RUN_ID");
  const outer = outerId
    ? await namedRun(client, outerId, {
      what: `MLFLOW_RUN_ID=${outerId}`,
      hint:
        "unset MLFLOW_RUN_ID, or set it to the id of an existing run (kmlf then starts its own run or a child)",
    })
    : undefined;
  const workflow = outer?.data.tags[WORKFLOW_TAG] !== undefined;
  if (workflow) (await workflowRun()).refuseRunId(config);
  const attach = outer && (!config.tracking.run.nested || workflow);
  const continued = config.tracking.run.id
    ? await namedRun(client, config.tracking.run.id, {
      what: `mlflow.yml tracking.run.id ${config.tracking.run.id}`,
      hint: "set tracking.run.id to the id of an existing run, or to null to start a new run",
      source: config.locate(["tracking", "run", "id"]),
    })
    : undefined;
  // Where this run's artifacts will go must work before any node runs: never a run left RUNNING with its
  // work done and its artifacts lost.
  const artifactUri = continued?.info.artifactUri ??
    (attach ? outer.info.artifactUri : experiment.artifactLocation);
  await checkArtifacts(client, config, artifactUri);
  const pipelineJsonPath = "kmlf/pipeline.json";
  if (attach && !continued) {
    // The run's owner (a workflow's start-run, an MLflow Project) ends it, after this process has exited:
    // it is not marked as this process's, or the next run would call it abandoned (orphaned_runs.ts).
    const joined = Object.fromEntries(
      Object.entries(tags).filter(([key]) => !Object.values<string>(PROCESS_TAGS).includes(key)),
    );
    await client.logBatch(outer.info.runId, { tags: joined });
    return {
      runId: outer.info.runId,
      experimentId: outer.info.experimentId,
      ownsRun: false,
      pipelineJsonPath: workflow ? workflowRecordPath(runParams.runId) : pipelineJsonPath,
    };
  }
  if (continued) {
    await client.updateRun(continued.info.runId, { status: "RUNNING" });
    await client.logBatch(continued.info.runId, { tags });
    return {
      runId: continued.info.runId,
      experimentId: continued.info.experimentId,
      ownsRun: true,
      pipelineJsonPath,
    };
  }
  const run = await client.createRun(experiment.experimentId, {
    runName: config.tracking.run.name ?? pipelineNames.join("+"),
    startTime: Date.now(),
    tags: outer ? { ...tags, "mlflow.parentRunId": outer.info.runId } : tags,
  });
  return { runId: run.info.runId, experimentId: experiment.experimentId, ownsRun: true, pipelineJsonPath };
}

// An exported workflow's run (start, end, the task's checks) loads only for a workflow's task; by a computed
// URL, which Deno does not read with this module (the bundle makes it an entry point).
const workflowRun = (): Promise<typeof import("./workflow_run.ts")> =>
  import(new URL("./workflow_run.ts", import.meta.url).href);
