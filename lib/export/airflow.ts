/**
 * An Airflow 2 DAG file for an export plan, laid out like kedro-airflow's: a `tasks` dict of operators
 * and one `>>` line per dependency. Each task is a `BashOperator` running `kmlf run --nodes …` in the
 * project directory; `mlflow-start-run` opens the workflow's single MLflow run (its id goes to XCom
 * and into every task's `MLFLOW_RUN_ID`), `mlflow-end-run` ends it FINISHED when all tasks succeed,
 * `mlflow-end-run-failed` ends it FAILED as soon as one fails (trigger rules).
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import { pyLength } from "../code_points.ts";
import { endRunArgs, startRunArgs, taskArgs } from "./commands.ts";
import type { ExportPlan } from "./plan.ts";

/** Options of {@link airflowDag}. */
export interface AirflowOptions {
  /** The DAG id (default `<project>-<pipeline>`). */
  dagId: string;
  /** The project directory on the Airflow workers. */
  projectPath: string;
  /** The kmlf executable on the workers (default `kmlf`). */
  command?: string;
}

const py = (text: string) => JSON.stringify(text); // a JSON string is a valid Python string literal

/** Airflow's rule for DAG and task ids (`airflow.utils.helpers.validate_key`): Python's `^[\w.-]+$`, ≤ 250. */
const AIRFLOW_KEY = /^[\p{L}\p{N}_.-]+$/u;

/**
 * `--dag-id` as Airflow accepts it, or a usage error (Airflow would refuse to import the whole file).
 *
 * @example
 * ```ts
 * checkDagId("iris-training"); // "iris-training"
 * ```
 */
export function checkDagId(dagId: string): string {
  if (AIRFLOW_KEY.test(dagId) && pyLength(dagId) <= 250) return dagId;
  throw new UsageError(
    "cli/invalid-option",
    `--dag-id must be letters, digits, _ . - only (at most 250), as Airflow requires, got "${dagId}"`,
    { hint: "e.g. --dag-id iris-training" },
  );
}

/** Airflow refuses a DAG tag longer than this (`TAG_MAX_LEN`, counted in code points). */
const TAG_MAX_LEN = 100;

/**
 * One shell word, quoted for bash, then kept literal for Jinja: Airflow renders `bash_command` as a
 * Jinja template before bash runs it, so a `{{`, `{%` or `{#` in a name would be evaluated (or break the
 * render) unless its `{` is written as the expression `{{ '{' }}`. A word ending in `.sh`/`.bash` is
 * quoted too: Airflow takes a command ending so for a template file's path.
 */
function shellWord(word: string): string {
  const quoted = /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) && !/\.(sh|bash)$/.test(word)
    ? word
    : `'${word.replaceAll("'", "'\\''")}'`;
  return quoted.replace(/\{(?=[{%#])/g, "{{ '{' }}");
}

const RUN_ID = "{{ ti.xcom_pull(task_ids='mlflow-start-run') }}";

/** A command word: kmlf's own Jinja expression (the run id) stays as it is, anything else is quoted. */
const commandWord = (word: string) => word === RUN_ID ? word : shellWord(word);

/**
 * The DAG file's Python source.
 *
 * @example
 * ```ts
 * airflowDag(plan, { dagId: "iris-training", projectPath: "/opt/airflow/iris" });
 * ```
 */
export function airflowDag(plan: ExportPlan, options: AirflowOptions): string {
  checkDagId(options.dagId);
  if (!options.projectPath.startsWith("/")) {
    // BashOperator's cwd is taken from the worker's own working directory otherwise: not the project.
    throw new UsageError(
      "cli/invalid-option",
      `--project-path must be an absolute path on the Airflow workers, got "${options.projectPath}"`,
      {
        hint: "e.g. --project-path /opt/airflow/projects/iris (where the project is deployed on the workers)",
      },
    );
  }
  const kmlf = options.command ?? "kmlf";
  const bash = (args: string[]) => py([kmlf, ...args].map(commandWord).join(" "));
  const operator = (id: string, args: string[], extra: string[] = []) =>
    [
      `        ${py(id)}: BashOperator(`,
      `            task_id=${py(id)},`,
      `            bash_command=${bash(args)},`,
      `            cwd=PROJECT_PATH,`,
      ...extra.map((e) => `            ${e},`),
      `        ),`,
    ].join("\n");
  // Only the start task's output (the run id) is an XCom; the others print progress.
  const quiet = ["do_xcom_push=False"];
  // Untracked (no mlflow.yml, or disable_tracking.pipelines): no run to open or end, no run id to pass.
  const tracked = plan.tracked;
  const runEnv = tracked ? [`env={"MLFLOW_RUN_ID": RUN_ID}`, "append_env=True", ...quiet] : quiet;
  const lines = [
    `"""Airflow DAG for the kmlf pipeline ${py(plan.pipeline)} (env ${
      py(plan.env)
    }), written by \`kmlf export airflow\`.`,
    "",
    "One task per node (or group of nodes), each running `kmlf run --nodes ...` in the project directory.",
    ...(tracked
      ? [
        "One MLflow run for the whole DAG run: mlflow-start-run opens it and pushes its id to XCom, every task",
        "logs into it through MLFLOW_RUN_ID, and mlflow-end-run / mlflow-end-run-failed end it.",
      ]
      : [`MLflow tracking is off for this pipeline in env ${py(plan.env)}: the tasks run untracked.`]),
    '"""',
    "from __future__ import annotations",
    "",
    "from datetime import datetime, timedelta",
    "",
    "from airflow import DAG",
    "from airflow.operators.bash import BashOperator",
    ...(tracked ? ["from airflow.utils.trigger_rule import TriggerRule"] : []),
    "",
    `PROJECT_PATH = ${py(options.projectPath)}`,
    ...(tracked ? [`RUN_ID = ${py(RUN_ID)}`] : []),
    "",
    "with DAG(",
    `    dag_id=${py(options.dagId)},`,
    "    start_date=datetime(2024, 1, 1),",
    "    schedule=None,",
    "    catchup=False,",
    "    max_active_runs=1,",
    `    tags=["kmlf", ${py([...plan.pipeline].slice(0, TAG_MAX_LEN).join(""))}],`,
    "    default_args=dict(",
    '        owner="airflow",',
    "        depends_on_past=False,",
    "        email_on_failure=False,",
    "        email_on_retry=False,",
    "        retries=0,",
    "        retry_delay=timedelta(minutes=5),",
    "    ),",
    ") as dag:",
    "    tasks = {",
    ...(tracked ? [operator("mlflow-start-run", startRunArgs(plan, "airflow"), ["do_xcom_push=True"])] : []),
    ...plan.tasks.map((task) => operator(task.name, taskArgs(plan, task), runEnv)),
    ...(tracked
      ? [
        operator("mlflow-end-run", endRunArgs(plan, RUN_ID, "FINISHED"), [
          ...quiet,
          "trigger_rule=TriggerRule.ALL_SUCCESS",
        ]),
        operator("mlflow-end-run-failed", endRunArgs(plan, RUN_ID, "FAILED"), [
          ...quiet,
          "trigger_rule=TriggerRule.ONE_FAILED",
        ]),
      ]
      : []),
    "    }",
    "",
  ];
  const edge = (from: string, to: string) => `    tasks[${py(from)}] >> tasks[${py(to)}]`;
  const consumed = new Set(plan.tasks.flatMap((t) => t.dependencies));
  for (const task of plan.tasks) {
    if (tracked && task.dependencies.length === 0) lines.push(edge("mlflow-start-run", task.name));
    for (const dep of task.dependencies) lines.push(edge(dep, task.name));
  }
  if (!tracked) return lines.join("\n") + "\n";
  for (const task of plan.tasks) if (!consumed.has(task.name)) lines.push(edge(task.name, "mlflow-end-run"));
  // Any failing task (not only the last ones) ends the run FAILED.
  for (const task of plan.tasks) lines.push(edge(task.name, "mlflow-end-run-failed"));
  return lines.join("\n") + "\n";
}
