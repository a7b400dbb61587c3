/**
 * Exporting a pipeline to an orchestrator (Argo Workflows, Airflow): planning tasks from the pipeline
 * and the catalog's persistence, and rendering the workflow files. Only the CLI imports it.
 *
 * @module
 */
export {
  type ExportPlan,
  type ExportTask,
  GROUP_BY,
  type GroupBy,
  planExport,
  type PlanOptions,
  RESERVED_TASKS,
  taskSlug,
} from "./plan.ts";
export { type ArgoOptions, argoWorkflow, checkKubernetesName, RUN_ID_FILE } from "./argo.ts";
export { airflowDag, type AirflowOptions, checkDagId } from "./airflow.ts";
export { endRunArgs, startRunArgs, taskArgs, type WorkflowEngine } from "./commands.ts";
