/**
 * Setting up a tracked run: its experiment (created once, even when several runs start at once), the run
 * named by configuration (MLFLOW_RUN_ID, tracking.run.id), and the tags every kmlf run carries.
 *
 * @module
 */
import { ConfigError, KmlfError, type SourceLocation } from "../errors.ts";
import type { RunParams } from "../hooks/mod.ts";
import { type GitInfo, gitInfo } from "./git_info.ts";
import type { MlflowConfig } from "./mlflow_config.ts";
import type { RunRef, TrackingPort } from "./tracking_port.ts";

/**
 * A run named by configuration (MLFLOW_RUN_ID, tracking.run.id): when it does not exist, say who named it.
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
  try {
    return await client.getRun(runId);
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
}

export async function experimentFor(client: TrackingPort, config: MlflowConfig): Promise<string> {
  const { name, artifactLocation, tags, restoreIfDeleted } = config.tracking.experiment;
  const existing = await client.getExperimentByName(name);
  if (!existing) {
    try {
      return await client.createExperiment(name, { artifactLocation: artifactLocation ?? undefined, tags });
    } catch (error) {
      // Another run (another process) created it a moment ago: use that one.
      const created = error instanceof KmlfError && error.code === "RESOURCE_ALREADY_EXISTS"
        ? await client.getExperimentByName(name)
        : undefined;
      if (!created) throw error;
      return created.experimentId;
    }
  }
  if (existing.lifecycleStage === "deleted") {
    if (!restoreIfDeleted) {
      throw new ConfigError("mlflow/experiment-deleted", `Experiment "${name}" is deleted`, {
        source: config.locate(["tracking", "experiment", "restore_if_deleted"]),
        hint:
          "set tracking.experiment.restore_if_deleted: true, restore it in the UI, or choose another experiment name",
      });
    }
    await client.restoreExperiment(existing.experimentId);
  }
  return existing.experimentId;
}

/**
 * The tags every kmlf run carries: MLflow's (user, source), the run's parameters and filters, and the
 * project's git state (`git`: a lookup already under way, else one is started).
 *
 * @example
 * ```ts
 * const tags = await runTags(runParams, { kmlfVersion: "0.1.0", projectRoot: "/p" });
 * ```
 */
export async function runTags(
  runParams: RunParams,
  options: { kmlfVersion: string; projectRoot: string; git?: Promise<GitInfo | undefined> },
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
    tags.runtime_params = JSON.stringify(runParams.runtimeParams);
  }
  if (runParams.onlyMissingOutputs) tags.only_missing_outputs = "true";
  const git = await (options.git ?? gitInfo(options.projectRoot));
  if (git) {
    tags["mlflow.source.git.commit"] = git.commit;
    if (git.branch) tags["mlflow.source.git.branch"] = git.branch;
    tags["kmlf.git.dirty"] = String(git.dirty);
    if (git.dirty) tags["kmlf.git.changed_files"] = git.changed.join(",").slice(0, 8000);
  }
  return tags;
}

// Like MLflow (Python's getpass.getuser): LOGNAME, USER, LNAME or USERNAME, else the login name of the
// process owner (node:os is loaded only then: it costs every run a few ms).
async function currentUser(): Promise<string> {
  for (const name of ["LOGNAME", "USER", "LNAME", "USERNAME"]) {
    const value = Deno.env.get(name);
    if (value) return value;
  }
  try {
    return (await import("node:os")).userInfo().username;
  } catch {
    return "unknown";
  }
}
