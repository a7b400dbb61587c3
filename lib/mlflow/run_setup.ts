/**
 * Setting up a tracked run: the run named by configuration (MLFLOW_RUN_ID, tracking.run.id), the tags
 * every kmlf run carries (its experiment is experiment_setup.ts') and the credentials it exports.
 *
 * @module
 */
import { ConfigError, KmlfError, type SourceLocation } from "../errors.ts";
import type { RunParams } from "../hooks/mod.ts";
import { currentUser } from "./experiment_setup.ts";
import { type GitInfo, gitInfo } from "./git_info.ts";
import { processTags } from "./orphaned_runs.ts";
import { paramValueToString } from "../mlflow_conventions.ts";
import type { RunRef, TrackingPort } from "./tracking_port.ts";

/**
 * A run named by configuration (MLFLOW_RUN_ID, tracking.run.id): when it does not exist or has been deleted,
 * say who named it.
 *
 * @example
 * ```ts
 * await namedRun(client, id, { what: `MLFLOW_RUN_ID=${id}`, hint: "unset MLFLOW_RUN_ID" });
 * ```
 */
export async function namedRun(
  client: TrackingPort,
  runId: string,
  options: { what: string; hint: string; source?: SourceLocation },
): Promise<RunRef> {
  let run: RunRef;
  try {
    run = await client.getRun(runId);
  } catch (error) {
    if (
      !(error instanceof KmlfError) ||
      !["RESOURCE_DOES_NOT_EXIST", "INVALID_PARAMETER_VALUE"].includes(error.code)
    ) {
      throw error;
    }
    throw new ConfigError(
      "mlflow/unknown-run",
      `${options.what} names no run of the tracking store: ${error.message}`,
      {
        source: options.source,
        hint: options.hint,
        cause: error,
      },
    );
  }
  // MLflow's start_run refuses it too: nothing can be logged to a deleted run, nor its status set.
  if (run.info.lifecycleStage === "deleted") {
    throw new ConfigError(
      "mlflow/run-deleted",
      `${options.what} names a deleted run`,
      {
        source: options.source,
        hint: `restore it (the UI's deleted runs, or MlflowClient.restoreRun), or ${options.hint}`,
      },
    );
  }
  return run;
}

/**
 * The tags every kmlf run carries: MLflow's (user, source), the run's parameters and filters, its process
 * (host, pid) and the project's git state (`git`: a lookup already under way, else one is started).
 *
 * @example
 * ```ts
 * const tags = await runTags(runParams, { kmlfVersion: "0.1.0", projectRoot: "/p" });
 * ```
 */
export async function runTags(
  runParams: RunParams,
  options: {
    kmlfVersion: string;
    projectRoot: string;
    git?: Promise<GitInfo | undefined>;
    /** Told which values were cut to MLflow's tag limit. */
    notify?: (message: string) => void;
  },
): Promise<Record<string, string>> {
  const tags: Record<string, string> = {
    "mlflow.user": await currentUser(),
    "mlflow.source.name": runParams.commandLine.split(" ")[0] || "kmlf",
    "mlflow.source.type": "LOCAL",
    kmlf_command: runParams.commandLine,
    kmlf_version: options.kmlfVersion,
    run_id: runParams.runId,
    project_path: runParams.projectPath,
    env: runParams.env,
    pipeline_names: runParams.pipelineNames.join(","),
    runner: runParams.runner,
    // Which process runs it: a run left RUNNING by a process gone is found and named (orphaned_runs.ts).
    ...await processTags(),
  };
  const lists: [string, string[]][] = [
    ["tags", runParams.tags],
    ["node_names", runParams.nodeNames],
    ["from_nodes", runParams.fromNodes],
    ["to_nodes", runParams.toNodes],
    ["from_inputs", runParams.fromInputs],
    ["to_outputs", runParams.toOutputs],
    ["namespaces", runParams.namespaces],
  ];
  for (const [key, values] of lists) if (values.length > 0) tags[key] = values.join(",");
  if (Object.keys(runParams.loadVersions).length > 0) {
    tags.load_versions = Object.entries(runParams.loadVersions).map(([k, v]) => `${k}:${v}`).join(",");
  }
  if (Object.keys(runParams.runtimeParams).length > 0) {
    // JSON, with `--params lr=1.0` written 1.0 as the params are logged.
    tags.runtime_params = paramValueToString(runParams.runtimeParams);
  }
  if (runParams.onlyMissingOutputs) tags.only_missing_outputs = "true";
  const git = await (options.git ?? gitInfo(options.projectRoot));
  if (git) {
    tags["mlflow.source.git.commit"] = git.commit;
    if (git.branch) tags["mlflow.source.git.branch"] = git.branch;
    if (git.repoUrl) tags["mlflow.source.git.repoURL"] = tagValue(git.repoUrl);
    tags["kmlf.git.dirty"] = String(git.dirty);
    if (git.dirty) tags["kmlf.git.changed_files"] = tagValue(git.changed.join(","));
  }
  // A long command line or runtime param must not keep the run from starting (MLflow refuses the whole
  // batch, as kedro-mlflow's set_tags would fail): each value is cut to the limit, and the user told.
  const cut = Object.keys(tags).filter((key) => tagValue(tags[key]) !== tags[key]);
  for (const key of cut) tags[key] = tagValue(tags[key]);
  if (cut.length > 0) {
    options.notify?.(
      `Run tags cut to MLflow's 8000 characters: ${cut.join(", ")} (the params each node reads are ` +
        "logged in full, or by mlflow.yml's long_params_strategy)",
    );
  }
  return tags;
}

/**
 * Exports mlflow.yml's `server.credentials` to the environment for the run only, remembering the previous
 * values in `previous` (the run's end puts them back).
 *
 * @example
 * ```ts
 * const previous = new Map<string, string | undefined>();
 * exportCredentials({ AWS_ACCESS_KEY_ID: "minio" }, previous);
 * ```
 */
export function exportCredentials(
  credentials: Record<string, unknown> | undefined,
  previous: Map<string, string | undefined>,
): void {
  for (const [key, value] of Object.entries(credentials ?? {})) {
    if (!previous.has(key)) previous.set(key, Deno.env.get(key));
    Deno.env.set(key, String(value));
  }
}

/**
 * `text` cut to MLflow's limit for a run tag's value: 8000 characters as Python counts them (code points),
 * so an emoji at the cut is kept or dropped whole, never split into U+FFFD.
 *
 * @example
 * ```ts
 * tagValue("😀".repeat(9000)).length; // 16000 (8000 emoji)
 * ```
 */
export function tagValue(text: string): string {
  const limit = 8000;
  if (text.length <= limit) return text;
  const chars = [...text];
  return chars.length <= limit ? text : chars.slice(0, limit).join("");
}
