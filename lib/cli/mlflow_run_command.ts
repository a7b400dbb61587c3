/**
 * `kmlf mlflow start-run` / `kmlf mlflow end-run`: the first and last tasks of an exported workflow
 * (`kmlf export argo|airflow`), opening and closing the one MLflow run every task logs into.
 */
import { ConfigError, TrackingError, UsageError } from "../errors.ts";
import { endWorkflowRun, startWorkflowRun, type WorkflowRunEnding, workflowStatus } from "../mlflow/mod.ts";
import { KMLF_VERSION } from "../version.ts";
import { EXIT } from "./exit_codes.ts";
import { projectTracking } from "./project_tracking.ts";
import { envFromVariables } from "../config/mod.ts";
import { requireProject } from "./project.ts";
import { openProjectSession } from "./project_session.ts";
import { err, out } from "./terminal.ts";
import { writeOutputFile } from "./output_file.ts";

/** Options of `kmlf mlflow start-run`. */
export interface StartRunOptions {
  project?: string;
  env?: string;
  /** `--params`: the workflow's, so mlflow.yml's `${runtime_params:…}` read what its tasks read. */
  params?: string;
  pipeline?: string;
  workflow?: string;
  runIdFile?: string;
}

/** Options of `kmlf mlflow end-run`. */
export interface EndRunOptions {
  project?: string;
  env?: string;
  /** `--params`: the workflow's, so mlflow.yml's `${runtime_params:…}` read what its tasks read. */
  params?: string;
  runId: string;
  status: string;
}

async function openClient(options: { project?: string; env?: string; params?: string }) {
  requireProject(options);
  const tracking = await projectTracking({ ...options, takesParams: true });
  const { MlflowClient, openStore } = await import("../tracking/mod.ts");
  const client = new MlflowClient(await openStore(tracking.trackingUri, { baseDir: tracking.baseDir }));
  return { client, tracking };
}

/**
 * Starts the workflow's MLflow run; prints its id (alone on stdout) and writes it to `--run-id-file`.
 *
 * @example
 * ```ts
 * await mlflowStartRun({ pipeline: "training", workflow: "argo" }, ["mlflow", "start-run"]);
 * ```
 */
export async function mlflowStartRun(options: StartRunOptions, argv: string[]): Promise<number> {
  const pipeline = options.pipeline ?? "__default__";
  // A run for a pipeline that cannot load would only be ended FAILED by the workflow: refuse it first.
  await (await openProjectSession(options)).pipeline([pipeline]);
  const { client, tracking } = await openClient(options);
  try {
    if (!tracking.config) {
      throw new ConfigError(
        "mlflow/not-configured",
        "Cannot start a workflow run: this project has no mlflow.yml",
        {
          hint:
            "write one with `kmlf mlflow init --env base` (it names the tracking store and the experiment)",
        },
      );
    }
    const runId = await startWorkflowRun(client, tracking.config, {
      pipeline,
      env: options.env ?? envFromVariables() ?? "",
      engine: options.workflow ?? "workflow",
      commandLine: ["kmlf", ...argv].join(" "),
      projectRoot: tracking.root!,
      kmlfVersion: KMLF_VERSION,
    });
    if (options.runIdFile) {
      // No task would ever learn the id: end the run rather than leave it RUNNING.
      await writeOutputFile("--run-id-file", options.runIdFile, runId).catch(async (error) => {
        await client.setTerminated(runId, "FAILED");
        throw error;
      });
    }
    out(runId);
    return EXIT.ok;
  } finally {
    await client.store.close();
  }
}

/**
 * Ends the workflow's run with `--status` (MLflow's, Argo's or Airflow's words) after joining the tasks'
 * node records into `kmlf/pipeline.json`.
 *
 * @example
 * ```ts
 * await mlflowEndRun({ runId, status: "Succeeded" });
 * ```
 */
export async function mlflowEndRun(options: EndRunOptions): Promise<number> {
  const status = workflowStatus(options.status);
  if (options.runId.trim() === "") {
    // What an orchestrator passes when the start-run task's output never arrived (an empty XCom).
    throw new UsageError("cli/invalid-option", "--run-id is empty: no run to end", {
      hint:
        "pass the id `kmlf mlflow start-run` printed: check that the workflow's start-run task succeeded " +
        "and that its output (Argo output parameter, Airflow XCom) reaches end-run",
    });
  }
  const { client } = await openClient(options);
  try {
    const ending = await endWorkflowRun(client, options.runId, status).catch((error) => {
      if ((error as TrackingError).code !== "RESOURCE_DOES_NOT_EXIST") throw error;
      throw new TrackingError(
        "mlflow/no-such-run",
        `Cannot end run "${options.runId}" (--run-id): the tracking store has no such run`,
        {
          cause: error,
          hint: "pass the id `kmlf mlflow start-run` printed (or a note named), and give end-run the same " +
            "tracking store (MLFLOW_TRACKING_URI, mlflow.yml of the same --env) as the run's",
        },
      );
    });
    err(endingMessage(options.runId, status, ending));
    return EXIT.ok;
  } finally {
    await client.store.close();
  }
}

// What end-run did, when the run had ended before too: an ending kept says so (and how to change it).
function endingMessage(runId: string, asked: string, ending: WorkflowRunEnding): string {
  const { status, previous } = ending;
  if (!previous) return `MLflow run ${runId} ended ${status}`;
  if (status !== asked) {
    return `warning[mlflow/run-already-ended]: MLflow run ${runId} had already ended ${previous}; kept ` +
      `(--status ${asked} not applied)\n  hint: an ended run keeps its outcome; to change it anyway: ` +
      `MlflowClient.setTerminated("${runId}", "${asked}")`;
  }
  if (previous === status) return `MLflow run ${runId} had already ended ${status}; kept`;
  return `MLflow run ${runId} ended ${status} (it had ended ${previous}: the workflow was run again and succeeded)`;
}
