/**
 * Serving a tracking store until Ctrl-C: shared by `kmlf mlflow ui` and `kmlf server`.
 * Checks the store, listens and prints the URL; kmlf's MLflow-compatible API and web UI load on the
 * first request that needs them. On SIGINT/SIGTERM it stops accepting requests, lets open ones finish
 * and closes the store.
 *
 * Start-up loads only what can fail before the server listens — the options, the store's file and
 * schema, the socket — so `/health` answers in about half the time; the API's ~150 modules (~50 ms)
 * load once, for the first request that is not `/health`. They are imported by computed URLs (entry
 * points of the bundle): Deno reads every module a literal `import()` reaches before the importing module
 * runs.
 */
import { KmlfError, TrackingError, UsageError } from "../errors.ts";
import { authEnabled, serverAuthFromEnv } from "../server/auth.ts";
import {
  type Handler,
  healthFirst,
  type RunningServer,
  startServer,
  withStaticPrefix,
} from "../server/serve.ts";
import { isRemoteDestination, loopbackHostsFor } from "../server/server_options.ts";
import { ALLOWED_HOSTS_ENV, allowedHostsFor } from "../allowed_hosts.ts";
import { checkLocalArtifactRoot } from "../tracking/artifacts/local_access.ts";
import { prepareStore } from "../tracking/stores/prepare_store.ts";
import { maskUriCredentials } from "../uri_credentials.ts";
import { isAbsolute, pathToFileUri, resolve } from "../path.ts";
import type { RunSearcher } from "../mlflow/orphaned_runs.ts";
import type { TrackingStore } from "../tracking/mod.ts";
import { EXIT } from "./exit_codes.ts";
import { err, out, style } from "./terminal.ts";

const serverModule = (): Promise<typeof import("../server/mod.ts")> =>
  import(new URL("../server/mod.ts", import.meta.url).href);
const trackingModule = (): Promise<typeof import("../tracking/mod.ts")> =>
  import(new URL("../tracking/mod.ts", import.meta.url).href);

/**
 * A destination that cannot take uploads stops the server before it accepts a single one: a remote one
 * that cannot be reached (or an unsupported scheme), a local folder below a file or not writable.
 */
async function checkDestination(destination: string): Promise<void> {
  if (isRemoteDestination(destination)) {
    const { artifactRepositoryFor } = await trackingModule();
    await artifactRepositoryFor(destination).checkAccess?.();
    return;
  }
  try {
    checkLocalArtifactRoot(destination);
  } catch (error) {
    if (!(error instanceof KmlfError)) throw error;
    throw new TrackingError(error.code, error.message, {
      cause: error.cause,
      hint: `${error.hint}; the server's is --artifacts-destination (or MLFLOW_ARTIFACTS_DESTINATION)`,
    });
  }
}

/** What to serve and where. */
export interface ServeTrackingOptions {
  trackingUri: string;
  /** Relative paths in the URI resolve against this directory. */
  baseDir: string;
  host: string;
  port: number;
  /** Local directory (or `s3://bucket/prefix`) behind the `mlflow-artifacts` proxy. */
  artifactsDestination: string;
  /** Artifact root for new experiments (`mlflow-artifacts:/` makes clients upload through the proxy). */
  defaultArtifactRoot?: string;
  /** Local folders clients may name as experiment artifact locations, besides the server's own roots. */
  allowedArtifactRoots?: string[];
  /** Comma-separated origins whose pages may change runs (`--cors-allowed-origins`); default: localhost ones. */
  corsAllowedOrigins?: string;
  /** `--static-prefix`: every route served under this path (`/mlflow`), checked by `checkStaticPrefix`. */
  staticPrefix?: string;
  /** `--no-serve-artifacts` / `--artifacts-only` (default: everything served). */
  mode?: { serveArtifacts: boolean; artifactsOnly: boolean };
  /** Resolves once the server is listening (tests use it to learn the port); default: wait for a signal. */
  onListening?(url: string): void;
  /** Stops the server when aborted (tests); signals do the same for users. */
  signal?: AbortSignal;
  /**
   * The experiment a bare URL opens (`kmlf mlflow ui`: the project's), created when `create` is set and
   * it does not exist yet, as kedro-mlflow does.
   */
  experiment?: {
    name: string;
    create: boolean;
    /** A path or URI; a relative path is the project's (`baseDir`), as `kmlf run` resolves mlflow.yml's. */
    artifactLocation?: string | null;
    tags?: Record<string, string>;
    /** Told the experiment's runs searcher once the store is open (`kmlf mlflow ui`'s notes). */
    opened?(runs: RunSearcher, experimentId: string): Promise<void>;
  };
}

/**
 * A `--port` value as a port number, or a usage error naming where the value came from: the flag, or the
 * environment variable that stands for it (`variable`, e.g. MLFLOW_PORT).
 *
 * @example
 * ```ts
 * parsePort("5002", "--port"); // 5002
 * parsePort(Deno.env.get("MLFLOW_PORT")!, "--port", "MLFLOW_PORT");
 * ```
 */
export function parsePort(value: string | number, flag: string, variable?: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(
      "cli/invalid-port",
      `${
        variable ? `${variable} (for ${flag})` : flag
      } must be a port number between 0 and 65535, got "${value}"`,
      {
        hint: variable
          ? `set ${variable} to a port number (e.g. 5002), unset it, or pass ${flag}`
          : `e.g. ${flag} 5002`,
      },
    );
  }
  return port;
}

const TRUNCATE_ENV = "MLFLOW_TRUNCATE_LONG_VALUES";

/**
 * What the server does with a param value over 6000 or a tag value over 8000 characters, from
 * MLflow's `MLFLOW_TRUNCATE_LONG_VALUES` (read as MLflow reads a boolean: true/false/1/0, any case):
 * by default it cuts the value, as MLflow's server does, and says so on stderr (never silently);
 * `false` refuses it with MLflow's length error.
 *
 * @example
 * ```ts
 * longValuesRule("false"); // false: over-long values are refused
 * ```
 */
export function longValuesRule(raw: string | undefined): false | ((warning: string) => void) {
  const value = raw?.toLowerCase();
  if (value === "false" || value === "0") return false;
  if (value !== undefined && value !== "true" && value !== "1") {
    throw new UsageError("cli/bad-env", `${TRUNCATE_ENV}=${JSON.stringify(raw)} is not a boolean`, {
      hint:
        `set ${TRUNCATE_ENV} to true (cut over-long param and tag values) or false (refuse them), or unset it`,
    });
  }
  return (warning) => err(`${style.yellow("warning")} ${warning}`);
}

/**
 * Serves the store until interrupted; returns the exit code.
 *
 * @example
 * ```ts
 * await serveTracking({ trackingUri: "sqlite:///mlflow.db", baseDir: root, host: "127.0.0.1", port: 5000, artifactsDestination: "mlartifacts" });
 * ```
 */
export async function serveTracking(given: ServeTrackingOptions): Promise<number> {
  const options = withProjectLocation(given);
  const exposed = loopbackHostsFor(options.host) === undefined;
  const allowedHosts = allowedHostsFor(options.host, Deno.env.get(ALLOWED_HOSTS_ENV));
  if (options.mode?.serveArtifacts ?? true) await checkDestination(options.artifactsDestination);
  const prepared = await prepareStore(options.trackingUri, {
    baseDir: options.baseDir,
    artifactRoot: options.defaultArtifactRoot,
    truncateLongValues: longValuesRule(Deno.env.get(TRUNCATE_ENV)),
    // A database server (PostgreSQL) answers concurrent requests on up to 10 pooled connections.
    poolSize: 10,
    // A server's searches repeat over the life of the process: SQLite reads through a memory map.
    memoryMap: true,
  });
  const auth = serverAuthFromEnv(Deno.env.toObject());
  let startPage: string | undefined;
  const loadApi = async (): Promise<Handler> => {
    // One module graph at a time: the server's holds the store's code, which open() then finds loaded.
    const server = await serverModule();
    return server.createRequestHandler(await prepared.open(), {
      artifactsDestination: options.artifactsDestination,
      // Relative client locations, and the flag values refusals name, resolve as the flags do.
      cwd: options.baseDir,
      // The project's configured experiment location is the operator's choice too.
      allowedArtifactRoots: [
        ...(options.allowedArtifactRoots ?? []),
        ...(options.experiment?.artifactLocation ? [options.experiment.artifactLocation] : []),
      ],
      auth,
      allowedHosts,
      corsAllowedOrigins: server.corsOriginsFrom(options.corsAllowedOrigins),
      mode: options.mode,
      ui: startPage ? server.uiWithStartPage(startPage) : undefined,
    });
  };
  let server: RunningServer;
  try {
    // `kmlf mlflow ui` opens on its experiment, created first if need be: it needs the store at once.
    // `kmlf server` does not: its store's code (~20 bundle files) loads with the API, for the first
    // request that is not `/health` (tests/cli/server_start_path_test.ts).
    if (options.experiment) startPage = await openOnExperiment(await prepared.open(), options.experiment);
    const handler = healthFirst(loadApi);
    server = startServer(options.staticPrefix ? withStaticPrefix(options.staticPrefix, handler) : handler, {
      hostname: options.host,
      port: options.port,
    });
  } catch (error) {
    await prepared.close();
    throw error;
  }
  // Listening for Ctrl-C before saying "listening on", so a signal sent on that line stops cleanly.
  const stop = () => server.shutdown();
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
  for (const s of signals) Deno.addSignalListener(s, stop);
  options.signal?.addEventListener("abort", stop);
  // Server logs are kept and shared (a pod's log): the store's password never goes there.
  out(`kmlf tracking server for ${style.bold(maskUriCredentials(options.trackingUri))}`);
  const url = options.staticPrefix ? new URL(`${options.staticPrefix}/`, server.url).href : server.url;
  out(`  listening on ${style.bold(url)}  (Ctrl-C to stop)`);
  if (startPage) {
    out(`  opens on experiment "${options.experiment!.name}": ${new URL(startPage, url).href}`);
  }
  if (exposed) {
    err(
      style.yellow(
        `⚠ Listening on ${options.host}: anyone who can reach this machine can read and change your runs. ` +
          (authEnabled(auth)
            ? "Requests need the credentials from KMLF_SERVER_TOKEN / KMLF_SERVER_USERNAME."
            : "Set KMLF_SERVER_TOKEN (or KMLF_SERVER_USERNAME and KMLF_SERVER_PASSWORD) to require credentials."),
      ),
    );
  }
  options.onListening?.(url);
  try {
    await server.finished;
  } finally {
    for (const s of signals) Deno.removeSignalListener(s, stop);
    await prepared.close();
  }
  out("Server stopped.");
  return EXIT.ok;
}

// A relative experiment location is the project's (as `kmlf run` resolves mlflow.yml's with
// resolveArtifactLocation), not the server's working folder: the experiment is created there and the
// server reads and writes it.
function withProjectLocation(options: ServeTrackingOptions): ServeTrackingOptions {
  const location = options.experiment?.artifactLocation;
  if (!location || /^[a-z][\w+.-]*:/i.test(location)) return options;
  const artifactLocation = pathToFileUri(
    isAbsolute(location) ? location : resolve(options.baseDir, location),
  );
  return { ...options, experiment: { ...options.experiment!, artifactLocation } };
}

// The UI route of the experiment, after telling `opened` its runs; undefined when it cannot be shown.
async function openOnExperiment(
  store: TrackingStore,
  experiment: NonNullable<ServeTrackingOptions["experiment"]>,
): Promise<string | undefined> {
  const experimentId = await experimentOf(store, experiment);
  if (!experimentId) return undefined;
  await experiment.opened?.({
    searchRuns: (id, o) => store.searchRuns({ experimentIds: [id], ...o }),
  }, experimentId);
  return `#/experiments/${experimentId}`;
}

// The id of the experiment (created if asked and missing); undefined when it cannot be shown.
async function experimentOf(
  store: {
    getExperimentByName(name: string): Promise<{ experimentId: string; lifecycleStage: string } | undefined>;
    createExperiment(
      name: string,
      o?: { artifactLocation?: string; tags?: Record<string, string> },
    ): Promise<string>;
  },
  experiment: NonNullable<ServeTrackingOptions["experiment"]>,
): Promise<string | undefined> {
  const found = await store.getExperimentByName(experiment.name);
  if (found?.lifecycleStage === "active") return found.experimentId;
  if (found || !experiment.create) return undefined;
  const id = await store.createExperiment(experiment.name, {
    artifactLocation: experiment.artifactLocation ?? undefined,
    tags: experiment.tags,
  });
  return id;
}
