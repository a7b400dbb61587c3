/**
 * The kmlf command lines an exported workflow runs: one `kmlf mlflow start-run` that opens the
 * workflow's single MLflow run and prints its id, one `kmlf run --nodes …` per task (with that id in
 * `MLFLOW_RUN_ID`, so every task logs into the same run), and one `kmlf mlflow end-run` that closes it
 * FINISHED or FAILED. Shared by the Argo and Airflow renderers.
 *
 * @module
 */
import type { ExportPlan, ExportTask } from "./plan.ts";

/** The orchestrators kmlf exports to; recorded on the run as tag `kmlf.workflow`. */
export type WorkflowEngine = "argo" | "airflow";

/**
 * Arguments of the task that starts the MLflow run (`runIdFile`: also write the id there), with the
 * export's `--params`.
 *
 * @example
 * ```ts
 * startRunArgs(plan, "argo", "/tmp/kmlf-run-id"); // ["mlflow", "start-run", "--pipeline", …]
 * ```
 */
export function startRunArgs(plan: ExportPlan, engine: WorkflowEngine, runIdFile?: string): string[] {
  return [
    "mlflow",
    "start-run",
    "--pipeline",
    plan.pipeline,
    "--env",
    plan.env,
    "--workflow",
    engine,
    ...(runIdFile ? ["--run-id-file", runIdFile] : []),
    ...paramsArgs(plan),
  ];
}

/** Arguments of one task: `run --pipeline P --env E --nodes a,b` (then `--params …` if the export had them). */
export function taskArgs(plan: ExportPlan, task: ExportTask): string[] {
  return [
    "run",
    "--pipeline",
    plan.pipeline,
    "--env",
    plan.env,
    "--nodes",
    task.nodes.join(","),
    ...paramsArgs(plan),
  ];
}

/** Arguments of the task that ends the run with `status` (MLflow's, Argo's or a template), `--params` too. */
export function endRunArgs(plan: ExportPlan, runId: string, status: string): string[] {
  return ["mlflow", "end-run", "--run-id", runId, "--status", status, "--env", plan.env, ...paramsArgs(plan)];
}

// Every task reads the env's config, mlflow.yml included: each gets the export's --params.
function paramsArgs(plan: ExportPlan): string[] {
  return plan.params ? ["--params", plan.params] : [];
}
