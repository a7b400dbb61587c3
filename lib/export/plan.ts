/**
 * Planning the export of a pipeline to an orchestrator: nodes grouped into tasks (one per node, per
 * top-level namespace, or per first tag), task dependencies from the pipeline's edges, and the checks
 * an orchestrator needs — every dataset crossing a task boundary must be persisted (each task is its
 * own process, as kedro-airflow requires), and the grouped tasks must not depend on each other in a
 * loop. All problems are reported together.
 *
 * @module
 */
import { ConfigError, type KmlfError, throwIfAny } from "../errors.ts";
import { isParameter, transcodeBase } from "../dataset_names.ts";
import { interruptionError, namespaceInterruptions, type Node, type Pipeline } from "../pipeline/mod.ts";
import type { SourceLocation } from "../errors.ts";

/** How nodes become tasks. */
export type GroupBy = "node" | "namespace" | "tag";

/** The ways to group, for option validation and help. */
export const GROUP_BY: readonly GroupBy[] = ["node", "namespace", "tag"];

/** One task of the exported workflow: a `kmlf run --nodes …` of these nodes. */
export interface ExportTask {
  /** Task name, safe for Argo and Airflow (`[a-z0-9-]`, unique). */
  name: string;
  /** The nodes it runs, in the pipeline's run order. */
  nodes: string[];
  /** Names of the tasks that must finish first. */
  dependencies: string[];
}

/** What the orchestrators' renderers need. */
export interface ExportPlan {
  pipeline: string;
  env: string;
  /** `--params` the tasks run with, as given. */
  params?: string;
  /** Tasks in an order where each comes after its dependencies. */
  tasks: ExportTask[];
  /**
   * Whether the workflow opens and ends one MLflow run (start/end tasks). Off when the env has no
   * mlflow.yml or it lists the pipeline in `disable_tracking.pipelines`: the tasks then run untracked.
   */
  tracked: boolean;
}

/** Options of {@link planExport}. */
export interface PlanOptions {
  pipeline: string;
  env: string;
  /** `--params` the tasks run with, as given. */
  params?: string;
  groupBy: GroupBy;
  /** Whether tracking is on for this pipeline (default true): see {@link ExportPlan.tracked}. */
  tracked?: boolean;
  /** Whether a dataset outlives a `kmlf run` process (not a memory dataset). */
  isPersisted(dataset: string): boolean;
  /** Where a dataset is declared in the catalog, for error messages. */
  catalogSource?(dataset: string): SourceLocation | undefined;
  /** The project's catalog file, for hints (default `conf/base/catalog.yml`). */
  catalogFile?: string;
}

/** Names the workflow's own tasks use: node tasks never take them. */
export const RESERVED_TASKS = ["mlflow-start-run", "mlflow-end-run", "mlflow-end-run-failed"];

/**
 * A name safe for Argo DAG tasks and Airflow task ids.
 *
 * @example
 * ```ts
 * taskSlug("dp.clean_Data"); // "dp-clean-data"
 * ```
 */
export function taskSlug(name: string): string {
  // Cut before trimming: a cut at a dash must not leave one at the end (Kubernetes names end alphanumeric).
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+/, "").slice(0, 60).replace(/-+$/, "") ||
    "task";
}

// Grouped by namespace, a loop is a namespace a path leaves and re-enters (Kedro warns of it): name it.
function taskCycleHint(pipeline: Pipeline, groupBy: GroupBy): string {
  const fallback = "group by node (--group-by node), or move nodes so each group only feeds later ones";
  const found = groupBy === "namespace" ? namespaceInterruptions(pipeline)[0] : undefined;
  if (!found) return fallback;
  const { message, hint } = interruptionError(found);
  return `${message}; ${hint!.split(";")[0]}, or group by node (--group-by node)`;
}

function groupKey(node: Node, groupBy: GroupBy): string {
  if (groupBy === "namespace" && node.namespace) return node.namespace.split(".")[0];
  if (groupBy === "tag" && node.tags.size > 0) return [...node.tags][0];
  return node.name;
}

/**
 * Groups the pipeline's nodes into tasks and checks the result can run as separate processes.
 *
 * @example
 * ```ts
 * const plan = planExport(pipeline, { pipeline: "training", env: "prod", groupBy: "node", isPersisted });
 * ```
 */
export function planExport(pipeline: Pipeline, options: PlanOptions): ExportPlan {
  // Groups in the order their first node runs.
  const groups = new Map<string, Node[]>();
  for (const node of pipeline.nodes) {
    const key = groupKey(node, options.groupBy);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(node);
  }
  const names = new Map<string, string>();
  const taken = new Set(RESERVED_TASKS);
  for (const key of groups.keys()) {
    const base = taskSlug(key);
    let name = base;
    // The suffix replaces the base's end so the name stays within Kubernetes' 63 (`…-100` at 500 nodes).
    for (let i = 2; taken.has(name); i++) {
      const suffix = `-${i}`;
      name = `${base.slice(0, 63 - suffix.length).replace(/-+$/, "")}${suffix}`;
    }
    taken.add(name);
    names.set(key, name);
  }
  const taskOf = new Map<Node, string>();
  for (const [key, nodes] of groups) for (const n of nodes) taskOf.set(n, names.get(key)!);

  const producer = new Map<string, Node>();
  for (const node of pipeline.nodes) for (const out of node.outputs) producer.set(transcodeBase(out), node);
  const deps = new Map<string, Set<string>>([...names.values()].map((t) => [t, new Set<string>()]));
  const crossings = new Map<string, { from: string; to: Set<string>; consumer: Node }>();
  for (const node of pipeline.nodes) {
    for (const input of node.inputs) {
      if (isParameter(input)) continue;
      const source = producer.get(transcodeBase(input));
      if (!source) continue;
      const from = taskOf.get(source)!, to = taskOf.get(node)!;
      if (from === to) continue;
      deps.get(to)!.add(from);
      if (!options.isPersisted(input)) {
        const c = crossings.get(input) ?? { from, to: new Set<string>(), consumer: node };
        c.to.add(to);
        crossings.set(input, c);
      }
    }
  }
  const problems: KmlfError[] = [...crossings].map(([dataset, c]) =>
    new ConfigError(
      "export/memory-dataset",
      `Cannot export ${options.pipeline}: dataset "${dataset}" is kept in memory, but task "${c.from}" produces ` +
        `it and task${c.to.size > 1 ? "s" : ""} ${[...c.to].map((t) => `"${t}"`).join(", ")} read${
          c.to.size > 1 ? "" : "s"
        } it in another process`,
      {
        source: options.catalogSource?.(dataset) ?? c.consumer.inputSource(dataset, "inputs"),
        hint: `persist it with a catalog entry (${options.catalogFile ?? "conf/base/catalog.yml"}), e.g. ` +
          `${dataset}: {type: pickle, filepath: data/02_intermediate/${dataset}.pkl}, ` +
          `or group the nodes that share it into one task (--group-by namespace|tag)`,
      },
    )
  );
  if (pipeline.nodes.length === 0) {
    // An Airflow DAG of only the start and end tasks would end the run before (or while) starting it.
    problems.push(
      new ConfigError(
        "export/empty-pipeline",
        `Cannot export ${options.pipeline}: it has no nodes to schedule`,
        {
          // `__default__` has no file of its own in most projects: it is every pipeline together.
          hint: options.pipeline === "__default__"
            ? "__default__ is every pipeline in pipelines/ together (or pipelines/__default__.yml): add nodes to " +
              "one (`kmlf pipeline create <name>` makes one), or export another pipeline (--pipeline)"
            : `add nodes to pipelines/${options.pipeline}.yml, or export another pipeline (--pipeline)`,
        },
      ),
    );
  }
  const order = topologicalTasks(deps);
  if (!order) {
    problems.push(
      new ConfigError(
        "export/task-cycle",
        `Cannot export ${options.pipeline} grouped by ${options.groupBy}: the groups depend on each other in a loop (` +
          cycleOf(deps).join(" → ") + ")",
        { hint: taskCycleHint(pipeline, options.groupBy) },
      ),
    );
  }
  throwIfAny(problems, `Cannot export ${options.pipeline}`);
  const byName = new Map([...groups].map(([key, nodes]) => [names.get(key)!, nodes]));
  return {
    pipeline: options.pipeline,
    env: options.env,
    ...(options.params ? { params: options.params } : {}),
    tracked: options.tracked ?? true,
    tasks: order!.map((name) => ({
      name,
      nodes: byName.get(name)!.map((n) => n.name),
      dependencies: [...deps.get(name)!].sort(),
    })),
  };
}

// Kahn's algorithm, keeping the first-run order among ready tasks; undefined when there is a loop.
function topologicalTasks(deps: Map<string, Set<string>>): string[] | undefined {
  const done = new Set<string>();
  const order: string[] = [];
  while (order.length < deps.size) {
    const next = [...deps.keys()].find((t) => !done.has(t) && [...deps.get(t)!].every((d) => done.has(d)));
    if (next === undefined) return undefined;
    done.add(next);
    order.push(next);
  }
  return order;
}

function cycleOf(deps: Map<string, Set<string>>): string[] {
  const stack: string[] = [];
  const visit = (t: string): string[] | undefined => {
    const at = stack.indexOf(t);
    if (at >= 0) return [...stack.slice(at), t];
    stack.push(t);
    for (const d of deps.get(t)!) {
      const found = visit(d);
      if (found) return found;
    }
    stack.pop();
    return undefined;
  };
  for (const t of deps.keys()) {
    const found = visit(t);
    if (found) return found.reverse();
  }
  return [];
}
