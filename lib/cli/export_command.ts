/**
 * `kmlf export argo|airflow`: a pipeline as an Argo Workflows workflow or an Airflow DAG file, one task
 * per node (or group), refused with every problem at once when a memory dataset would cross a task
 * boundary.
 */
import {
  airflowDag,
  argoWorkflow,
  type ExportPlan,
  GROUP_BY,
  type GroupBy,
  planExport,
  taskSlug,
} from "../export/mod.ts";
import { UsageError } from "../errors.ts";
import { EXIT } from "./exit_codes.ts";
import { openProjectSession } from "./project_session.ts";
import { err, out } from "./terminal.ts";
import { writeOutputFile } from "./output_file.ts";

/** Options both exports share. */
export interface ExportOptions {
  project?: string;
  pipeline?: string;
  env?: string;
  /** `--params`: read by the config while exporting, and passed to every task's `kmlf run`. */
  params?: string;
  groupBy?: string;
  output?: string;
}

/** Options of `kmlf export argo`. */
export interface ArgoExportOptions extends ExportOptions {
  image?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  secret?: string;
  volume?: string;
}

/** Options of `kmlf export airflow`. */
export interface AirflowExportOptions extends ExportOptions {
  dagId?: string;
  projectPath?: string;
}

interface Planned {
  plan: ExportPlan;
  projectName: string;
  root: string;
}

async function plan(options: ExportOptions): Promise<Planned> {
  const groupBy = (options.groupBy ?? "node") as GroupBy;
  if (!GROUP_BY.includes(groupBy)) {
    throw new UsageError(
      "cli/invalid-option",
      `--group-by must be ${GROUP_BY.join(", ")}, got "${options.groupBy}"`,
      {
        hint: "e.g. --group-by namespace (one task per top-level namespace)",
      },
    );
  }
  const session = await openProjectSession(options);
  const root = session.settings.root;
  const name = options.pipeline ?? "__default__";
  const { projectTracking } = await import("./project_tracking.ts");
  const [pipeline, catalog, tracking] = await Promise.all([
    session.pipeline([name]),
    session.catalog({ hooks: false }),
    projectTracking({ ...options, takesParams: true }),
  ]);
  // As `kmlf run` tracks: only with an mlflow.yml that does not list the pipeline in disable_tracking.pipelines.
  const tracked = tracking.config !== undefined && !tracking.config.tracking.disablePipelines.includes(name);
  return {
    root,
    projectName: session.settings.name,
    plan: planExport(pipeline, {
      pipeline: name,
      env: session.env,
      params: options.params,
      groupBy,
      tracked,
      isPersisted: (dataset) => !catalog.isEphemeral(dataset),
      catalogSource: (dataset) => catalog.sourceOf(dataset),
      catalogFile: catalog.catalogFile(),
    }),
  };
}

async function write(text: string, output: string | undefined, what: string): Promise<number> {
  if (!output || output === "-") {
    out(text.trimEnd());
    return EXIT.ok;
  }
  // kedro-airflow makes its DAG folder (`-o dags/training.py` in a fresh project): so does kmlf, for both.
  await writeOutputFile("-o", output, text, { makeFolder: true });
  err(`Wrote ${what} to ${output}`);
  return EXIT.ok;
}

/**
 * Writes the Argo workflow.
 *
 * @example
 * ```ts
 * await exportArgo({ pipeline: "training", image: "ghcr.io/acme/iris:1.0", output: "wf.yaml" });
 * ```
 */
export async function exportArgo(options: ArgoExportOptions): Promise<number> {
  const kind = options.kind ?? "Workflow";
  if (kind !== "Workflow" && kind !== "WorkflowTemplate") {
    throw new UsageError("cli/invalid-option", `--kind must be Workflow or WorkflowTemplate, got "${kind}"`, {
      hint: "Workflow runs once when submitted; WorkflowTemplate is stored and submitted later",
    });
  }
  const { plan: p, projectName } = await plan(options);
  const name = options.name ?? `${projectName}-${p.pipeline}`;
  const yaml = argoWorkflow(p, {
    image: options.image ?? `${taskSlug(projectName)}:latest`,
    kind,
    name,
    namespace: options.namespace,
    secret: options.secret,
    volume: options.volume,
  });
  return await write(yaml, options.output, `the Argo ${kind} (${p.tasks.length} tasks)`);
}

/**
 * Writes the Airflow DAG file.
 *
 * @example
 * ```ts
 * await exportAirflow({ pipeline: "training", output: "dags/iris_training.py" });
 * ```
 */
export async function exportAirflow(options: AirflowExportOptions): Promise<number> {
  const { plan: p, projectName, root } = await plan(options);
  const python = airflowDag(p, {
    dagId: options.dagId ?? taskSlug(`${projectName}-${p.pipeline}`),
    projectPath: options.projectPath ?? root,
  });
  return await write(python, options.output, `the Airflow DAG (${p.tasks.length} tasks)`);
}
