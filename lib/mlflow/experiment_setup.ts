/**
 * Setting up where a tracked run goes, shared by the tracking hook and `kmlf mlflow start-run`: the
 * experiment from mlflow.yml (created, or restored when allowed) and the check that its artifact
 * location works before anything runs.
 *
 * @module
 */
import { ConfigError, KmlfError } from "../errors.ts";
import type { MlflowConfig } from "./mlflow_config.ts";
import type { ExperimentRef, TrackingPort } from "./tracking_port.ts";
import { readTextFile } from "../file_io.ts";

/** The tag marking a run started for an exported workflow (`kmlf mlflow start-run`); its value is the engine. */
export const WORKFLOW_TAG = "kmlf.workflow";

/**
 * Where one task of a workflow run records its nodes (`kmlf/workflow/<kmlf run id>-<random>.json`);
 * `kmlf mlflow end-run` joins them into `kmlf/pipeline.json`. The kmlf run id is a millisecond
 * timestamp: two parallel tasks may share it, so a random part keeps one record from replacing another.
 */
export function workflowRecordPath(kmlfRunId: string): string {
  return `kmlf/workflow/${kmlfRunId.replace(/[^A-Za-z0-9._-]/g, "_")}-${
    crypto.randomUUID().slice(0, 8)
  }.json`;
}

/**
 * Fails with mlflow.yml's key and the fix when artifacts cannot be stored at `artifactUri`.
 *
 * @example
 * ```ts
 * await checkArtifacts(client, config, experiment.artifactLocation);
 * ```
 */
export async function checkArtifacts(
  client: TrackingPort,
  config: MlflowConfig,
  artifactUri: string,
): Promise<void> {
  try {
    await client.checkArtifactLocation(artifactUri);
  } catch (error) {
    const configured = config.tracking.experiment.artifactLocation;
    throw new ConfigError(
      "mlflow/artifact-location",
      `Cannot track this run: its artifacts cannot be stored at ${artifactUri}`,
      {
        cause: error,
        source: configured
          ? config.locate(["tracking", "experiment", "create_experiment_kwargs", "artifact_location"])
          : undefined,
        hint: "nothing ran and no run was started; fix the cause below, or point " +
          "tracking.experiment.create_experiment_kwargs.artifact_location (a new experiment) at a location that works",
      },
    );
  }
}

/**
 * The run's experiment (mlflow.yml `tracking.experiment`), created when missing, restored when deleted
 * and `restore_if_deleted` allows it.
 *
 * @example
 * ```ts
 * const { experimentId, artifactLocation } = await experimentFor(client, config);
 * ```
 */
export async function experimentFor(client: TrackingPort, config: MlflowConfig): Promise<ExperimentRef> {
  const { name, artifactLocation, tags, restoreIfDeleted } = config.tracking.experiment;
  const existing = await client.getExperimentByName(name);
  if (!existing) {
    try {
      await client.createExperiment(name, { artifactLocation: artifactLocation ?? undefined, tags });
    } catch (error) {
      // Another run (another process) created it a moment ago: use that one.
      if (!(error instanceof KmlfError && error.code === "RESOURCE_ALREADY_EXISTS")) throw error;
    }
    return (await client.getExperimentByName(name))!;
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
  return existing;
}

/**
 * Like MLflow (Python's getpass.getuser): LOGNAME, USER, LNAME or USERNAME, else the login name of the
 * process owner: its line of /etc/passwd, or node:os where that has none (users from LDAP and the like;
 * Windows). Containers often set none of the variables, and loading node:os costs a run ~5 ms.
 *
 * @example
 * ```ts
 * const user = await currentUser();
 * ```
 */
export async function currentUser(): Promise<string> {
  for (const name of ["LOGNAME", "USER", "LNAME", "USERNAME"]) {
    const value = Deno.env.get(name);
    if (value) return value;
  }
  try {
    const uid = Deno.uid();
    const fromPasswd = uid === null
      ? undefined
      : passwdUserName(await readTextFile("/etc/passwd").catch(() => ""), uid);
    return fromPasswd ?? (await import("node:os")).userInfo().username;
  } catch {
    return "unknown";
  }
}

/**
 * The name on the first line of an /etc/passwd text whose user id is `uid` (as getpwuid reads the file).
 *
 * @example
 * ```ts
 * passwdUserName("root:x:0:0:root:/root:/bin/bash\n", 0); // "root"
 * ```
 */
export function passwdUserName(passwd: string, uid: number): string | undefined {
  for (const line of passwd.split("\n")) {
    const fields = line.split(":");
    if (fields.length >= 3 && fields[0] !== "" && !fields[0].startsWith("#") && fields[2] === String(uid)) {
      return fields[0];
    }
  }
  return undefined;
}
