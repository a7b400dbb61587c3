/**
 * An Argo Workflows `Workflow` (or `WorkflowTemplate`) for an export plan: a DAG template with a task
 * per plan task after an `mlflow-start-run` task, each running `kmlf run --nodes …` in the image with
 * `MLFLOW_RUN_ID` set to the run the first task started; an exit handler ends that run with the
 * workflow's status (`Succeeded` → FINISHED, otherwise FAILED). Valid against Argo's v4.1.2 schema.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import { pyyamlDump } from "../yaml/pyyaml_dump.ts";
import { endRunArgs, startRunArgs, taskArgs } from "./commands.ts";
import { type ExportPlan, taskSlug } from "./plan.ts";

/** Options of {@link argoWorkflow}. */
export interface ArgoOptions {
  /** Container image holding kmlf and the project (its working directory is the project root). */
  image: string;
  /** `Workflow` (run once: generateName) or `WorkflowTemplate` (named, submitted later). */
  kind: "Workflow" | "WorkflowTemplate";
  /** Base name of the workflow (default `<project>-<pipeline>`). */
  name: string;
  /** Kubernetes namespace (metadata.namespace). */
  namespace?: string;
  /** A Kubernetes Secret whose keys become every task's environment (tracking URI, database and S3 credentials). */
  secret?: string;
  /** A PersistentVolumeClaim mounted in every task, `<claim>:<mount path>`, so tasks share the data folder. */
  volume?: string;
  /** The kmlf executable in the image (default `kmlf`). */
  command?: string;
}

/**
 * `--volume <claim>:<mount path>` as its parts, or a usage error.
 *
 * @example
 * ```ts
 * parseVolume("iris-data:/app/data"); // { claim: "iris-data", mountPath: "/app/data" }
 * ```
 */
export function parseVolume(volume: string): { claim: string; mountPath: string } {
  const m = volume.match(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?):(\/.*)$/);
  if (!m) {
    throw new UsageError(
      "cli/invalid-option",
      `--volume must be <claim>:<absolute mount path>, got "${volume}"`,
      {
        hint: "e.g. --volume iris-data:/app/data (a PersistentVolumeClaim holding the project's data folder)",
      },
    );
  }
  return { claim: m[1], mountPath: m[3] };
}

/**
 * A `--namespace` (a DNS-1123 label) or `--secret` (a DNS-1123 subdomain) as Kubernetes accepts it, or a
 * usage error naming the option (Argo's schema does not check names; `argo submit` would refuse them).
 *
 * @example
 * ```ts
 * checkKubernetesName("--namespace", "ml-prod"); // "ml-prod"
 * ```
 */
export function checkKubernetesName(option: "--namespace" | "--secret", value: string): string {
  const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
  const ok = option === "--namespace"
    ? label.test(value) && value.length <= 63
    : value.length <= 253 && value.split(".").every((part) => label.test(part));
  if (ok) return value;
  throw new UsageError(
    "cli/invalid-option",
    `${option} must be a Kubernetes name (lowercase letters, digits and -${
      option === "--secret" ? ", dot-separated" : ""
    }; at most ${
      option === "--namespace" ? 63 : 253
    }, starting and ending with a letter or digit), got "${value}"`,
    { hint: option === "--namespace" ? "e.g. --namespace ml-prod" : "e.g. --secret iris-tracking" },
  );
}

/**
 * Refuses text Argo would read as a template tag: Argo resolves every `{{…}}` in a workflow's templates
 * (and refuses one it cannot resolve), with no way to escape it, so a pipeline name or `--params` value
 * holding `{{` cannot be passed to `kmlf run` literally (`{{workflow.name}}` would run with the name).
 */
function checkNoArgoTags(plan: ExportPlan): void {
  if (plan.params?.includes("{{")) {
    throw new UsageError(
      "export/argo-template-tag",
      `Cannot export --params "${plan.params}" to Argo: Argo Workflows reads "{{" in a task's arguments as one ` +
        "of its template tags, and the tasks would run with what it substitutes",
      { hint: 'give the value without "{{" (or set it in the project\'s parameters.yml)' },
    );
  }
  if (plan.env.includes("{{")) {
    throw new UsageError(
      "export/argo-template-tag",
      `Cannot export --env "${plan.env}" to Argo: Argo Workflows reads "{{" in a task's arguments as one of its ` +
        "template tags",
      { hint: `rename the folder conf/${plan.env} so that its name holds no "{{", and pass that to --env` },
    );
  }
  // Node names travel in each task's `nodes` parameter, which Argo substitutes like the arguments.
  const nodes = plan.tasks.flatMap((t) => t.nodes).filter((n) => n.includes("{{"));
  if (nodes.length > 0) {
    throw new UsageError(
      "export/argo-template-tag",
      `Cannot export pipeline "${plan.pipeline}" to Argo: node${nodes.length > 1 ? "s" : ""} ` +
        `${
          nodes.map((n) => `"${n}"`).join(", ")
        } hold "{{", which Argo Workflows reads as one of its template tags`,
      {
        hint: `rename the node${
          nodes.length > 1 ? "s" : ""
        } (name: in pipelines/${plan.pipeline}.yml) without "{{"`,
      },
    );
  }
  if (!plan.pipeline.includes("{{")) return;
  throw new UsageError(
    "export/argo-template-tag",
    `Cannot export pipeline "${plan.pipeline}" to Argo: Argo Workflows reads "{{" in a task's arguments as one of ` +
      `its template tags`,
    {
      hint:
        `rename pipelines/${plan.pipeline}.yml (a pipeline is named after its file) so that its name holds no "{{"`,
    },
  );
}

/** Where the start task writes the run id inside its container, read back as its output parameter. */
export const RUN_ID_FILE = "/tmp/kmlf-run-id";

/**
 * The workflow as YAML.
 *
 * @example
 * ```ts
 * argoWorkflow(plan, { image: "ghcr.io/acme/iris:1.0", kind: "Workflow", name: "iris-training" });
 * ```
 */
export function argoWorkflow(plan: ExportPlan, options: ArgoOptions): string {
  checkNoArgoTags(plan);
  if (options.namespace !== undefined) checkKubernetesName("--namespace", options.namespace);
  if (options.secret !== undefined) checkKubernetesName("--secret", options.secret);
  const command = [options.command ?? "kmlf"];
  const envFrom = options.secret ? { envFrom: [{ secretRef: { name: options.secret } }] } : {};
  const volume = options.volume ? parseVolume(options.volume) : undefined;
  const mounts = volume ? { volumeMounts: [{ name: "data", mountPath: volume.mountPath }] } : {};
  const container = (args: string[], env?: { name: string; value: string }[]) => ({
    image: options.image,
    command,
    args,
    ...(env ? { env } : {}),
    ...envFrom,
    ...mounts,
  });
  const name = taskSlug(options.name);
  const tracked = plan.tracked;
  const runIdParam = { name: "run-id", value: "{{tasks.mlflow-start-run.outputs.parameters.run-id}}" };
  const workflow = {
    apiVersion: "argoproj.io/v1alpha1",
    kind: options.kind,
    metadata: {
      ...(options.kind === "Workflow" ? { generateName: `${name}-` } : { name }),
      ...(options.namespace ? { namespace: options.namespace } : {}),
      labels: { "app.kubernetes.io/managed-by": "kmlf" },
      annotations: { "kmlf/pipeline": plan.pipeline, "kmlf/env": plan.env },
    },
    spec: {
      entrypoint: "pipeline",
      // Untracked (no mlflow.yml, or disable_tracking.pipelines): no run to open or end.
      ...(tracked ? { onExit: "mlflow-end-run" } : {}),
      ...(volume ? { volumes: [{ name: "data", persistentVolumeClaim: { claimName: volume.claim } }] } : {}),
      templates: [
        {
          name: "pipeline",
          dag: {
            tasks: [
              ...(tracked ? [{ name: "mlflow-start-run", template: "mlflow-start-run" }] : []),
              ...plan.tasks.map((task) => ({
                name: task.name,
                template: "kmlf-run",
                ...(task.dependencies.length
                  ? { dependencies: task.dependencies }
                  : tracked
                  ? { dependencies: ["mlflow-start-run"] }
                  : {}),
                arguments: {
                  parameters: [
                    { name: "nodes", value: task.nodes.join(",") },
                    ...(tracked ? [runIdParam] : []),
                  ],
                },
              })),
            ],
          },
        },
        ...(tracked
          ? [{
            name: "mlflow-start-run",
            container: container(startRunArgs(plan, "argo", RUN_ID_FILE)),
            outputs: {
              parameters: [{ name: "run-id", valueFrom: { path: RUN_ID_FILE }, globalName: "kmlf-run-id" }],
            },
          }]
          : []),
        {
          name: "kmlf-run",
          inputs: { parameters: [{ name: "nodes" }, ...(tracked ? [{ name: "run-id" }] : [])] },
          container: container(
            taskArgs(plan, { name: "", nodes: ["{{inputs.parameters.nodes}}"], dependencies: [] }),
            tracked ? [{ name: "MLFLOW_RUN_ID", value: "{{inputs.parameters.run-id}}" }] : undefined,
          ),
        },
        ...(tracked
          ? [{
            name: "mlflow-end-run",
            container: container(
              endRunArgs(plan, "{{workflow.outputs.parameters.kmlf-run-id}}", "{{workflow.status}}"),
            ),
          }]
          : []),
      ],
    },
  };
  return `# Argo Workflows ${options.kind} for kmlf pipeline "${plan.pipeline}" (env "${plan.env}"), ` +
    `written by \`kmlf export argo\`.\n` +
    (tracked
      ? `# One MLflow run for the whole workflow: mlflow-start-run opens it, every task logs into it ` +
        `(MLFLOW_RUN_ID), the exit handler ends it.\n`
      : `# MLflow tracking is off for this pipeline in env "${plan.env}": the tasks run untracked.\n`) +
    // Keys in the order written (apiVersion and kind first), no folding, non-ASCII as it is.
    pyyamlDump(workflow, { sortKeys: false, width: Infinity, allowUnicode: true, quote: goYamlTypes });
}

/**
 * Whether Kubernetes' YAML reader (sigs.k8s.io/yaml's go-yaml: YAML 1.1's `y`/`n` booleans, Go's number
 * syntax) reads plain `text` as other than a string where PyYAML does not: `y`, `N`, `0o17`, `0X1F`, `1e3`.
 * Such a name in a string field (a node named `y`, `--secret n`) would make kubectl refuse the workflow.
 */
function goYamlTypes(text: string): boolean {
  if (/^[yYnN]$/.test(text)) return true;
  const plain = text.replaceAll("_", "");
  return /^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)$/.test(plain) ||
    /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(plain);
}
