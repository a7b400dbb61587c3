/**
 * The single MLflow run of an exported workflow (Argo, Airflow): `kmlf mlflow start-run` opens it in
 * the project's experiment, tagged `kmlf.workflow`, before any task runs; every task's `kmlf run`
 * logs into it (MLFLOW_RUN_ID) and records its nodes under `kmlf/workflow/`; `kmlf mlflow end-run`
 * joins those records into the run's `kmlf/pipeline.json` (the UI's DAG and Gantt chart of the whole
 * workflow) and ends the run FINISHED or FAILED — once: an ended run keeps its outcome unless a retried
 * workflow finally succeeded.
 *
 * @module
 */
import { ConfigError, TrackingError, UsageError } from "../errors.ts";
import { checkArtifacts, currentUser, experimentFor, WORKFLOW_TAG } from "./experiment_setup.ts";
import type { MlflowConfig } from "./mlflow_config.ts";
import type { TrackingPort } from "./tracking_port.ts";
import { readTextFile } from "../file_io.ts";
import { makeTempFolder } from "../temp_folder.ts";

/** What `kmlf mlflow start-run` knows about the workflow. */
export interface WorkflowRunOptions {
  pipeline: string;
  env: string;
  /** The orchestrator (`argo`, `airflow`, or another name). */
  engine: string;
  commandLine: string;
  projectRoot: string;
  kmlfVersion: string;
}

/**
 * Starts the workflow's run (after checking its artifact location) and returns its id.
 *
 * @example
 * ```ts
 * const runId = await startWorkflowRun(client, config, { pipeline: "training", env: "prod", engine: "argo", … });
 * ```
 */
export async function startWorkflowRun(
  client: TrackingPort,
  config: MlflowConfig,
  options: WorkflowRunOptions,
): Promise<string> {
  refuseRunId(config);
  const experiment = await experimentFor(client, config);
  await checkArtifacts(client, config, experiment.artifactLocation);
  const run = await client.createRun(experiment.experimentId, {
    runName: config.tracking.run.name ?? options.pipeline,
    startTime: Date.now(),
    tags: {
      [WORKFLOW_TAG]: options.engine,
      "mlflow.user": await currentUser(),
      "mlflow.source.name": "kmlf",
      "mlflow.source.type": "LOCAL",
      kmlf_command: options.commandLine,
      kmlf_version: options.kmlfVersion,
      pipeline_names: options.pipeline,
      env: options.env,
      project_path: options.projectRoot,
    },
  });
  return run.info.runId;
}

/**
 * Refuses `tracking.run.id` for a workflow: every task would resume that run (and end it) instead of logging
 * into the workflow's run.
 *
 * @example
 * ```ts
 * refuseRunId(config); // throws mlflow/workflow-run-id when mlflow.yml sets tracking.run.id
 * ```
 */
export function refuseRunId(config: MlflowConfig): void {
  const id = config.tracking.run.id;
  if (!id) return;
  throw new ConfigError(
    "mlflow/workflow-run-id",
    `mlflow.yml tracking.run.id ${id} would take every task out of the workflow's run: each would resume and ` +
      "end that run instead",
    {
      source: config.locate(["tracking", "run", "id"]),
      hint:
        "set tracking.run.id to null in the env the workflow runs with (`kmlf mlflow start-run` opens the " +
        "run every task logs into)",
    },
  );
}

const STATUSES: Record<string, "FINISHED" | "FAILED" | "KILLED"> = {
  FINISHED: "FINISHED",
  FAILED: "FAILED",
  KILLED: "KILLED",
  // Argo's {{workflow.status}}
  SUCCEEDED: "FINISHED",
  ERROR: "FAILED",
  // Airflow's DAG run states
  SUCCESS: "FINISHED",
};

/**
 * An end status from MLflow's, Argo's or Airflow's vocabulary.
 *
 * @example
 * ```ts
 * workflowStatus("Succeeded"); // "FINISHED"
 * ```
 */
export function workflowStatus(status: string): "FINISHED" | "FAILED" | "KILLED" {
  const found = STATUSES[status.trim().toUpperCase()];
  if (!found) {
    throw new UsageError(
      "cli/invalid-option",
      `--status must be FINISHED, FAILED or KILLED, got "${status}"`,
      {
        hint: "Argo's {{workflow.status}} (Succeeded, Failed, Error) is understood too",
      },
    );
  }
  return found;
}

interface NodeRecord {
  name: string;
  inputs: string[];
  outputs: string[];
  dependencies: string[];
  status: string;
  [key: string]: unknown;
}

type EndStatus = "FINISHED" | "FAILED" | "KILLED";

/** How {@link endWorkflowRun} left the run. */
export interface WorkflowRunEnding {
  /** The run's status now. */
  status: EndStatus;
  /** The status the run had already ended with, when `end-run` came after an earlier ending. */
  previous?: EndStatus;
}

const TERMINAL = new Set<string>(["FINISHED", "FAILED", "KILLED"]);

/**
 * The status a run ends with when asked for `requested` while it is `current`. A run still going gets the
 * status asked; an ended run keeps its first outcome, except that FINISHED replaces FAILED or KILLED: the
 * orchestrator ends a run FINISHED only once every task has succeeded, which after a failure means the
 * workflow was retried (`argo retry`, Airflow's "clear") and succeeded. So a later, unrelated ending (an exit
 * handler or a trigger-ruled task run again, a status typed by hand) never turns FINISHED into FAILED.
 *
 * @example
 * ```ts
 * workflowEndStatus("FINISHED", "FAILED"); // "FINISHED": kept
 * workflowEndStatus("FAILED", "FINISHED"); // "FINISHED": the retried workflow succeeded
 * ```
 */
export function workflowEndStatus(current: string, requested: EndStatus): EndStatus {
  if (!TERMINAL.has(current)) return requested;
  return requested === "FINISHED" ? "FINISHED" : current as EndStatus;
}

/**
 * Joins the tasks' node records into `kmlf/pipeline.json` and ends the run with `status`. A run that has
 * already ended keeps its status and end time (see {@link workflowEndStatus}); the records are joined again,
 * so a second `end-run` repairs a chart the first could not write.
 *
 * @example
 * ```ts
 * await endWorkflowRun(client, runId, "FINISHED"); // { status: "FINISHED" }
 * ```
 */
export async function endWorkflowRun(
  client: TrackingPort,
  runId: string,
  status: EndStatus,
): Promise<WorkflowRunEnding> {
  const run = await client.getRun(runId);
  if (run.info.lifecycleStage === "deleted") {
    throw new TrackingError("mlflow/run-deleted", `Cannot end run ${runId}: it has been deleted`, {
      hint:
        "restore it (the UI's deleted runs, or MlflowClient.restoreRun), then run `kmlf mlflow end-run` again",
    });
  }
  const current = run.info.status;
  const final = workflowEndStatus(current, status);
  const ending: WorkflowRunEnding = TERMINAL.has(current)
    ? { status: final, previous: current as EndStatus }
    : {
      status: final,
    };
  // Ending the run is what matters: a record that cannot be read, or an artifact store that does not
  // answer, must not leave the run RUNNING. The join's failure is reported after the run has ended.
  let joinError: unknown;
  try {
    await joinRecords(client, runId, final);
  } catch (error) {
    if ((error as { code?: unknown }).code === "RESOURCE_DOES_NOT_EXIST") throw error;
    joinError = error;
  }
  if (final !== current) await client.setTerminated(runId, final, Date.now());
  if (joinError) {
    throw new TrackingError(
      "mlflow/workflow-join",
      `Ended run ${runId} ${final}, but could not join its tasks' node records (kmlf/workflow/) into ` +
        `kmlf/pipeline.json: ${(joinError as Error).message}`,
      {
        cause: joinError,
        hint: "the run's params, metrics and artifacts are kept; run `kmlf mlflow end-run` again once the " +
          "artifact store answers to write the workflow's DAG chart",
      },
    );
  }
  return ending;
}

async function joinRecords(client: TrackingPort, runId: string, status: string): Promise<void> {
  const records = (await client.listArtifacts(runId, "kmlf/workflow")).filter((f) =>
    f.path.endsWith(".json")
  );
  if (records.length === 0) return;
  const dir = await makeTempFolder("kmlf-workflow-");
  try {
    const nodes = new Map<string, NodeRecord>();
    for (const record of records) {
      const file = await client.downloadArtifacts(runId, record.path, dir);
      let parsed: { nodes?: unknown };
      try {
        parsed = JSON.parse(await readTextFile(file));
      } catch (error) {
        throw new Error(`${record.path} is not a node record (${(error as Error).message})`);
      }
      if (!Array.isArray(parsed?.nodes)) {
        throw new Error(`${record.path} is not a node record (no "nodes" list)`);
      }
      for (const node of parsed.nodes as NodeRecord[]) {
        // A node some task ran wins over its "not_run" entry in another task's record.
        if (!nodes.has(node.name) || nodes.get(node.name)!.status === "not_run") nodes.set(node.name, node);
      }
    }
    await client.logText(
      runId,
      JSON.stringify(joined([...nodes.values()], status), null, 2),
      "kmlf/pipeline.json",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

// The whole workflow's pipeline description: edges and free inputs/outputs recomputed over every task's nodes.
function joined(nodes: NodeRecord[], status: string) {
  const producer = new Map(nodes.flatMap((n) => n.outputs.map((o) => [o, n.name] as const)));
  const consumed = new Set(nodes.flatMap((n) => n.inputs));
  return {
    format: "kmlf.pipeline/1",
    status,
    inputs: [...consumed].filter((d) => !producer.has(d)).sort(),
    outputs: [...producer.keys()].filter((d) => !consumed.has(d)).sort(),
    nodes: nodes.map((n) => ({
      ...n,
      dependencies: [...new Set(n.inputs.map((i) => producer.get(i)).filter((p): p is string => !!p))].sort(),
    })),
  };
}
