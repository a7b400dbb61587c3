/**
 * The tracking store of `kmlf runs|experiments|artifacts`, chosen as MLflow's CLI chooses it:
 * `MLFLOW_TRACKING_URI` (relative paths from the working directory); without it, inside a kmlf project,
 * the project's store (its env's `mlflow.yml`, as `kmlf run` and `kmlf mlflow ui` use it); else
 * `mlflow.db` in the working directory. Also MLflow's `--view` words and its exit codes.
 */
import { KmlfAggregateError, KmlfError, TrackingError } from "../errors.ts";
import { statIfAny } from "../fs_utils.ts";
import type { MlflowClient, TrackingTarget, ViewType } from "../tracking/mod.ts";
import { maskUriCredentials } from "../uri_credentials.ts";
import { EXIT, reportError } from "./exit_codes.ts";
import { projectTracking } from "./project_tracking.ts";

/** Options every store command accepts (the global ones). */
export interface StoreCommandOptions {
  project?: string;
  debug?: boolean;
}

/** What a store command works with. */
export interface CliStore {
  client: MlflowClient;
  /** The store for messages: its URI (credentials masked) and where it was chosen from. */
  where: string;
}

/**
 * Runs `fn` over the selected store, closes it, and turns a failure into MLflow's exit code: MLflow's
 * CLI exits 1 on every error raised while a command runs (an unknown id, a name taken, a bad `--view`,
 * a missing file) and 2 only on click's usage errors (a missing or unknown flag: the command tree's).
 * kmlf's own configuration errors (a broken `mlflow.yml`) keep kmlf's 2. Only a command that `creates` (as
 * `experiments create`) makes a new local store; the others refuse a SQLite file or mlruns folder that is
 * not there, so a mistyped URI is an error rather than a new empty store.
 *
 * @example
 * ```ts
 * state.exitCode = await withCliStore(options, async ({ client }) => { … });
 * ```
 */
export async function withCliStore(
  options: StoreCommandOptions,
  fn: (store: CliStore) => Promise<void>,
  { creates = false }: { creates?: boolean } = {},
): Promise<number> {
  try {
    const [{ MlflowClient, openStore, parseTrackingUri }, location] = await Promise.all([
      import("../tracking/mod.ts"),
      storeLocation(options),
    ]);
    if (!creates) {
      refuseMissingStore(parseTrackingUri(location.uri, { baseDir: location.baseDir }), location.source);
    }
    const client = new MlflowClient(await openStore(location.uri, { baseDir: location.baseDir }));
    try {
      await fn({ client, where: `${maskUriCredentials(location.uri)} (${location.source})` });
    } finally {
      await client.store.close();
    }
    return EXIT.ok;
  } catch (error) {
    const code = await reportError(error, { debug: options.debug ?? false });
    return isRuntimeFailure(error) ? EXIT.runFailed : code;
  }
}

// Inside a project, the store `kmlf run` writes and `kmlf mlflow ui` serves (mlflow.yml, then
// MLFLOW_TRACKING_URI, then mlflow.db at the root), so these commands never show another store than the
// project's runs; outside one, MLflow's CLI rule: MLFLOW_TRACKING_URI, else the default.
/**
 * The store a command reads: its URI, the folder relative paths resolve against, and where it came from.
 *
 * @example
 * ```ts
 * const { uri, baseDir, source } = await storeLocation({ project: undefined });
 * ```
 */
export async function storeLocation(
  options: { project?: string; env?: string },
): Promise<{ uri: string; baseDir: string; source: string }> {
  const envUri = Deno.env.get("MLFLOW_TRACKING_URI") || undefined;
  const tracking = await projectTracking({ project: options.project, env: options.env });
  if (!tracking.root) {
    return envUri ? { uri: envUri, baseDir: Deno.cwd(), source: "from MLFLOW_TRACKING_URI" } : {
      uri: tracking.trackingUri,
      baseDir: tracking.baseDir,
      source: "the default outside a project; set MLFLOW_TRACKING_URI for another store",
    };
  }
  const source = tracking.config?.server.trackingUri
    ? "the project's store, from its mlflow.yml"
    : envUri
    ? "the project's store, from MLFLOW_TRACKING_URI (its mlflow.yml names none)"
    : "the project's default store";
  return { uri: tracking.trackingUri, baseDir: tracking.baseDir, source };
}

/**
 * Refuses a local store that does not exist (a SQLite file, an mlruns folder) for a command that only reads
 * or changes what is there: opening it would create it, and a typo would leave an empty store behind.
 * MLflow fails too when the SQLite file's folder is missing.
 *
 * @example
 * ```ts
 * refuseMissingStore(parseTrackingUri(uri, { baseDir }), "from MLFLOW_TRACKING_URI");
 * ```
 */
export function refuseMissingStore(target: TrackingTarget, source: string): void {
  if (target.kind !== "sqlite" && target.kind !== "file") return;
  if (target.path === ":memory:") return;
  const found = statIfAny(target.path);
  const kind = target.kind === "sqlite" ? "SQLite file" : "mlruns folder";
  if (target.kind === "sqlite" ? found?.isFile : found?.isDirectory) return;
  const what = found ? `is not a${target.kind === "sqlite" ? " file" : " folder"}` : "does not exist";
  throw new KmlfError(
    "cli/mlflow-no-store",
    `No tracking store at ${maskUriCredentials(target.uri)} (${source}): the ${kind} ${target.path} ${what}`,
    {
      // A project nothing has been tracked in yet has no store: not a typo.
      hint: source === "the project's default store" && !found
        ? "nothing has been tracked in this project yet: `kmlf run` creates the store (and its first run)"
        : "check the URI for a typo (or run from the project that holds the runs); " +
          "`kmlf run` and `kmlf experiments create` create a new store",
    },
  );
}

// What MLflow's CLI fails on after parsing its flags (exit 1): the store's and artifact repositories'
// errors, the file system's (Python's OSError), and the checks these commands make as MLflow does.
function isRuntimeFailure(error: unknown): boolean {
  if (error instanceof KmlfAggregateError) return error.errors.every(isRuntimeFailure);
  if (error instanceof TrackingError) return true;
  if (error instanceof KmlfError) {
    return error.code.startsWith("cli/mlflow-") || error.code === "cli/output-unwritable";
  }
  return true;
}

const VIEWS: Record<string, ViewType> = {
  active_only: "ACTIVE_ONLY",
  deleted_only: "DELETED_ONLY",
  all: "ALL",
};

/**
 * MLflow's `ViewType.from_string` for `--view` (exit 1 on an unknown word, as MLflow's MlflowException).
 *
 * @example
 * ```ts
 * viewType("deleted_only"); // "DELETED_ONLY"
 * ```
 */
export function viewType(view: string | undefined): ViewType {
  if (view === undefined || view === "") return "ACTIVE_ONLY";
  const found = VIEWS[view];
  if (found) return found;
  throw new KmlfError("cli/mlflow-bad-view", `Unrecognized view type '${view}' (--view)`, {
    hint: `use one of ${Object.keys(VIEWS).join(", ")} (lower case, as MLflow's CLI takes them)`,
  });
}

/**
 * The store's "not found" for a run id, naming the flag the user gave it with (`--run-id`, or
 * `--artifact-uri runs:/…` whose first segment is the id), the store searched, and how to find the id.
 *
 * @example
 * ```ts
 * const run = await client.getRun(id).catch((e) => { throw runIdNotFound(e, id, where); });
 * await client.getRun(id).catch((e) => { throw runIdNotFound(e, id, where, "--artifact-uri runs:/x/m"); });
 * ```
 */
export function runIdNotFound(error: unknown, runId: string, where: string, flag = "--run-id"): unknown {
  if (runId.trim() === "" && error instanceof TrackingError) {
    // The client's own words speak to code (MlflowClient.getRun): the flag is what the user gave.
    return new TrackingError("INVALID_PARAMETER_VALUE", `${flag} is empty: it takes a run's id`, {
      hint: "find the id with `kmlf runs list --experiment-id <id>` (experiments: `kmlf experiments search`)",
    });
  }
  if ((error as TrackingError)?.code !== "RESOURCE_DOES_NOT_EXIST") return error;
  return new TrackingError(
    "RESOURCE_DOES_NOT_EXIST",
    `Run with id=${runId} not found (${flag}) in ${where}`,
    {
      cause: error,
      hint:
        "find the id with `kmlf runs list --experiment-id <id>` (experiments: `kmlf experiments search`), " +
        "or point MLFLOW_TRACKING_URI at the store that holds the run",
    },
  );
}

/**
 * The store's "not found" for `--experiment-id`, naming the flag, the store and how to find the id.
 *
 * @example
 * ```ts
 * await client.getExperiment(id).catch((e) => { throw experimentIdNotFound(e, id, where); });
 * ```
 */
export function experimentIdNotFound(error: unknown, experimentId: string, where: string): unknown {
  if (experimentId.trim() === "" && error instanceof TrackingError) {
    return new TrackingError(
      "INVALID_PARAMETER_VALUE",
      "--experiment-id is empty: it takes an experiment's id",
      {
        hint: "list the experiments with `kmlf experiments search --view all` (Default is 0)",
      },
    );
  }
  if ((error as TrackingError)?.code !== "RESOURCE_DOES_NOT_EXIST") return error;
  return new TrackingError(
    "RESOURCE_DOES_NOT_EXIST",
    `No Experiment with id=${experimentId} exists (--experiment-id) in ${where}`,
    {
      cause: error,
      hint: "list the experiments with `kmlf experiments search --view all`, " +
        "or point MLFLOW_TRACKING_URI at the store that holds it",
    },
  );
}
