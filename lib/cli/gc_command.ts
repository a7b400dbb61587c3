/**
 * `kmlf gc`: MLflow 2.17.2's `mlflow gc` — permanently deletes runs in the `deleted` lifecycle stage (their
 * artifacts, then their rows or folders) and deleted experiments with their runs, from a SQLite,
 * PostgreSQL or file store. Inside a project without `--backend-store-uri` it collects the project's
 * store (the env's mlflow.yml, as `kmlf mlflow ui` picks it); outside, MLflow's default `./mlruns`. All
 * arguments are checked (`gc_args.ts`, `gc_plan.ts`) before anything is deleted.
 *
 * @module
 */
import { TrackingError, UsageError } from "../errors.ts";
import { join, resolve } from "../path.ts";
import { isFile, statIfAny } from "../fs_utils.ts";
import { maskUriCredentials } from "../uri_credentials.ts";
import { findProjectRoot } from "../config/mod.ts";
import {
  openStore,
  parseTrackingUri,
  type TrackingStore,
  writtenLocalLocationProblem,
} from "../tracking/mod.ts";
import { EXIT } from "./exit_codes.ts";
import { projectTracking } from "./project_tracking.ts";
import { err, out, style } from "./terminal.ts";
import { type GcFlags, parseGcArgs } from "./gc_args.ts";
import { planGc } from "./gc_plan.ts";
import { keepRegisteredFiles, versionsInCollectedRuns } from "./gc_registered.ts";
import { type ArtifactTarget, artifactTarget, type ProxyAccess } from "./gc_artifacts.ts";

interface StoreChoice {
  uri: string;
  baseDir: string;
  /** How the store was chosen, for messages. */
  source: string;
}

async function chooseStore(flags: GcFlags): Promise<StoreChoice> {
  const cwd = Deno.cwd();
  if (flags.backendStoreUri !== undefined) {
    return {
      uri: flags.backendStoreUri,
      baseDir: cwd,
      source: `--backend-store-uri '${maskUriCredentials(flags.backendStoreUri)}'`,
    };
  }
  if (findProjectRoot(resolve(flags.project ?? cwd))) {
    const { trackingUri, baseDir } = await projectTracking({ project: flags.project, env: flags.env });
    return { uri: trackingUri, baseDir, source: "the project's store (the env's mlflow.yml)" };
  }
  return { uri: "./mlruns", baseDir: cwd, source: "MLflow's default ./mlruns" };
}

const STORE_HINT = "name the store holding the deleted runs: --backend-store-uri sqlite:///mlflow.db, " +
  "--backend-store-uri ./mlruns or --backend-store-uri postgresql://<user>:<password>@<host>:<port>/<db>";

// An existing file store: `.trash` or an experiment's `<digits>/meta.yaml` (MLflow's own test for mlruns data).
function isMlruns(path: string): boolean {
  if (!statIfAny(path)?.isDirectory) return false;
  if (statIfAny(join(path, ".trash"))?.isDirectory) return true;
  for (const e of Deno.readDirSync(path)) {
    if (e.isDirectory && /^\d+$/.test(e.name) && isFile(join(path, e.name, "meta.yaml"))) return true;
  }
  return false;
}

// gc never creates a store: a missing SQLite file or mlruns folder is a wrong argument.
async function openChosenStore(choice: StoreChoice): Promise<TrackingStore> {
  const target = parseTrackingUri(choice.uri, { baseDir: choice.baseDir });
  const shown = maskUriCredentials(choice.uri);
  if (target.kind === "rest") {
    throw new UsageError(
      "cli/gc-rest-store",
      `Cannot collect garbage through an MLflow server (${shown}, ${choice.source}): the REST API has no ` +
        "hard delete, so `mlflow gc` refuses it too",
      {
        hint: "run kmlf gc where the server runs, with --backend-store-uri <the server's store> " +
          "(and --tracking-uri <the server's URL> for its proxied artifacts)",
      },
    );
  }
  if (target.kind === "sqlite" && (target.path === ":memory:" || !isFile(target.path))) {
    throw new UsageError(
      "cli/gc-no-store",
      `Cannot find the store of ${choice.source}: ${target.path} does not exist`,
      {
        hint: STORE_HINT,
      },
    );
  }
  if (target.kind === "file" && !isMlruns(target.path)) {
    throw new UsageError(
      "cli/gc-no-store",
      `Cannot find the store of ${choice.source}: ${target.path} is not an mlruns folder` +
        (isFile(resolve(choice.baseDir, "mlflow.db")) ? " (but mlflow.db is here)" : ""),
      { hint: STORE_HINT },
    );
  }
  try {
    return await openStore(choice.uri, { baseDir: choice.baseDir });
  } catch (error) {
    if (!(error instanceof TrackingError)) throw error;
    throw new UsageError("cli/gc-store-unreachable", `Cannot open ${choice.source}: ${error.message}`, {
      hint: error.hint ?? STORE_HINT,
      cause: error,
    });
  }
}

function proxyAccess(flags: GcFlags, trackingUri: string | undefined, baseDir: string): ProxyAccess {
  const given = flags.artifactsDestination ?? (Deno.env.get("MLFLOW_ARTIFACTS_DESTINATION") || undefined);
  // The server's rule for its destination: a folder of no machine here is the flag's (variable's) error,
  // not a warning for every run whose artifacts are then left.
  const unusable = given === undefined ? undefined : writtenLocalLocationProblem(given);
  if (unusable) {
    const flag = flags.artifactsDestination !== undefined
      ? "--artifacts-destination"
      : "MLFLOW_ARTIFACTS_DESTINATION (for --artifacts-destination)";
    throw new UsageError("cli/bad-option", `${flag} ${JSON.stringify(given)}: ${unusable.problem}`, {
      hint: unusable.hint,
    });
  }
  const destination = given === undefined || /^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(given)
    ? given ?? resolve(baseDir, "mlartifacts")
    : resolve(baseDir, given);
  return { trackingUri, destination };
}

async function deleteArtifacts(runId: string, target: ArtifactTarget): Promise<void> {
  if ("none" in target) return;
  if ("skip" in target) {
    err(style.yellow(`warning: the artifacts of run ${runId} are left where they are: ${target.skip}`));
    err(style.yellow("  the gc continues without them; delete them yourself if they still exist"));
    return;
  }
  try {
    await target.repo.deleteArtifacts();
  } catch (error) {
    throw new UsageError(
      "cli/gc-artifacts",
      `Cannot delete the artifacts of run ${runId} at ${target.where}: ${
        error instanceof Error ? error.message : String(error)
      }`,
      {
        hint: "the run was left as it was (runs listed above are gone): fix access to the artifact store " +
          "(or --tracking-uri / --artifacts-destination) and run kmlf gc again",
        cause: error,
      },
    );
  }
}

/**
 * Runs `kmlf gc` and returns the exit code.
 *
 * @example
 * ```ts
 * await gcCommand({ backendStoreUri: "sqlite:///mlflow.db", olderThan: "30d" });
 * ```
 */
export async function gcCommand(flags: GcFlags): Promise<number> {
  const args = parseGcArgs(flags, (name) => Deno.env.get(name));
  const choice = await chooseStore(flags);
  const store = await openChosenStore(choice);
  try {
    if (!store.hardDeletes) {
      throw new UsageError("cli/gc-rest-store", `${choice.source} cannot hard-delete runs`, {
        hint: STORE_HINT,
      });
    }
    const plan = await planGc(store, args, Date.now());
    const proxy = proxyAccess(flags, args.trackingUri, choice.baseDir);
    if (plan.runs.length === 0 && plan.experimentIds.length === 0) {
      out(
        `Nothing to delete: no run or experiment in the deleted lifecycle stage${
          args.olderThan ? ` older than ${args.olderThan.text}` : ""
        } (${maskUriCredentials(choice.uri)}).`,
      );
      return EXIT.ok;
    }
    const kept = keepRegisteredFiles(plan, args, await versionsInCollectedRuns(store, plan.runs));
    if (plan.runs.length === 0 && plan.experimentIds.length === 0) {
      out(`Nothing deleted: ${kept} deleted run(s) keep the files of registered model versions (see above).`);
      return EXIT.ok;
    }
    const targets = plan.runs.map((r) => artifactTarget(store, r.runId, r.artifactUri, proxy));
    for (const [i, run] of plan.runs.entries()) {
      await deleteArtifacts(run.runId, targets[i]);
      await store.hardDeletes.hardDeleteRun(run.runId);
      out(`Run with ID ${run.runId} has been permanently deleted.`);
    }
    for (const id of plan.experimentIds) {
      await store.hardDeletes.hardDeleteExperiment(id);
      out(`Experiment with ID ${id} has been permanently deleted.`);
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
