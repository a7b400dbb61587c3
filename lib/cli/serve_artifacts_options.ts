/**
 * `mlflow server`'s artifact-serving options, shared by `kmlf server` and `kmlf mlflow ui` (MLflow's
 * `mlflow ui` is an alias of `mlflow server`, and kedro-mlflow's `kedro mlflow ui` runs it): the
 * flags, MLflow's environment variables behind them (`MLFLOW_SERVE_ARTIFACTS`, `MLFLOW_ARTIFACTS_ONLY`,
 * `MLFLOW_ARTIFACTS_DESTINATION`, `MLFLOW_DEFAULT_ARTIFACT_ROOT` — the only way a kedro-mlflow user
 * passes them through `kedro mlflow ui`) — a flag beating its variable as in click — and the
 * combinations that cannot work refused before the server starts. The flags themselves are declared in
 * `serve_artifacts_flags.ts` (kept light for `kmlf --help`).
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import { resolve } from "../path.ts";
import { fileUriPath, readLocalUri } from "../local_uri_reading.ts";
import { ALLOWED_ARTIFACT_ROOTS_ENV, isRemoteDestination } from "../server/server_options.ts";
import { parseTrackingUri } from "../tracking/stores/tracking_uri.ts";
import { writtenLocalLocationProblem } from "../tracking/artifacts/local_uri.ts";
import type { ServeTrackingOptions } from "./serve_tracking.ts";
import type { DefaultRootRule, ServeArtifactsFlags } from "./serve_artifacts_flags.ts";

/** What the server is given: its mode, the proxy's destination and new experiments' artifact root. */
export interface ServeArtifactsSettings {
  mode: NonNullable<ServeTrackingOptions["mode"]>;
  /** An absolute folder, or a remote store (`s3://bucket/prefix`). */
  artifactsDestination: string;
  /** Undefined: the store's own default. */
  defaultArtifactRoot?: string;
  /** Absolute local folders clients may name as experiment artifact locations, besides the server's own. */
  allowedArtifactRoots: string[];
  /** `--cors-allowed-origins`, else MLFLOW_SERVER_CORS_ALLOWED_ORIGINS; undefined: the server's default. */
  corsAllowedOrigins?: string;
}

/** How a command resolves the settings. */
export interface ServeArtifactsContext {
  /** Relative destinations resolve against this directory. */
  cwd: string;
  trackingUri: string;
  /**
   * Where the store came from when it was chosen explicitly (`--backend-store-uri`, the project's
   * mlflow.yml): `--artifacts-only` serves no store and refuses one, as `mlflow server` does.
   */
  storeSource?: string;
  /** Where new experiments keep artifacts when no root is given (see `DefaultRootRule`). */
  defaultRoot: DefaultRootRule;
  /** The environment (MLflow's variables); default: the process's. */
  env?: Record<string, string | undefined>;
}

/**
 * The settings from flags, then MLflow's variables, then `mlflow server`'s defaults; a usage error
 * for a variable that is not a boolean and for the combinations that cannot work.
 *
 * @example
 * ```ts
 * resolveServeArtifacts({ serveArtifacts: false }, { cwd, trackingUri: "mlflow.db", defaultRoot: "mlflow-server" });
 * ```
 */
export function resolveServeArtifacts(
  flags: ServeArtifactsFlags,
  ctx: ServeArtifactsContext,
): ServeArtifactsSettings {
  const env = ctx.env ?? Deno.env.toObject();
  const serveArtifacts = flags.serveArtifacts ??
    envBool(env, "MLFLOW_SERVE_ARTIFACTS", "--serve-artifacts") ??
    true;
  const artifactsOnly = flags.artifactsOnly ?? envBool(env, "MLFLOW_ARTIFACTS_ONLY", "--artifacts-only") ??
    false;
  checkModes(serveArtifacts, artifactsOnly, ctx.storeSource);
  const explicitRoot = flags.defaultArtifactRoot ?? nonEmpty(env.MLFLOW_DEFAULT_ARTIFACT_ROOT);
  if (explicitRoot !== undefined) {
    checkLocalRoot(
      explicitRoot,
      flags.defaultArtifactRoot !== undefined
        ? "--default-artifact-root"
        : "MLFLOW_DEFAULT_ARTIFACT_ROOT (for --default-artifact-root)",
    );
  }
  return {
    mode: { serveArtifacts, artifactsOnly },
    artifactsDestination: destination(
      flags.artifactsDestination ?? nonEmpty(env.MLFLOW_ARTIFACTS_DESTINATION) ?? "mlartifacts",
      ctx.cwd,
      flags.artifactsDestination !== undefined
        ? "--artifacts-destination"
        : "MLFLOW_ARTIFACTS_DESTINATION (for --artifacts-destination)",
    ),
    defaultArtifactRoot: explicitRoot ??
      (ctx.defaultRoot === "mlflow-server"
        ? serverDefaultRoot(serveArtifacts, ctx.trackingUri, ctx.cwd)
        : undefined),
    allowedArtifactRoots: (flags.allowedArtifactRoots ?? nonEmpty(env[ALLOWED_ARTIFACT_ROOTS_ENV]) ?? "")
      .split(",").map((dir) => dir.trim()).filter((dir) => dir !== "")
      .map((dir) =>
        isRemoteDestination(dir) ? dir : localPath(
          dir,
          ctx.cwd,
          flags.allowedArtifactRoots !== undefined
            ? "--allowed-artifact-roots"
            : `${ALLOWED_ARTIFACT_ROOTS_ENV} (for --allowed-artifact-roots)`,
        )
      ),
    corsAllowedOrigins: flags.corsAllowedOrigins ?? nonEmpty(env.MLFLOW_SERVER_CORS_ALLOWED_ORIGINS),
  };
}

// click reads an unset or empty variable as not given.
const nonEmpty = (value: string | undefined) => value ? value : undefined;

// A boolean variable as click reads one (1/true/t/yes/y/on, 0/false/f/no/n/off, any case).
function envBool(env: Record<string, string | undefined>, name: string, flag: string): boolean | undefined {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return undefined;
  const value = raw.trim().toLowerCase();
  if (["1", "true", "t", "yes", "y", "on"].includes(value)) return true;
  if (["0", "false", "f", "no", "n", "off"].includes(value)) return false;
  throw new UsageError(
    "cli/server-modes",
    `${name}=${JSON.stringify(raw)} is not a boolean (it sets ${flag})`,
    { hint: `set ${name} to true or false, or unset it` },
  );
}

// The combinations `mlflow server` refuses (an explicit store with --artifacts-only), and the one it
// starts but that could answer nothing (--artifacts-only --no-serve-artifacts).
function checkModes(serveArtifacts: boolean, artifactsOnly: boolean, storeSource: string | undefined): void {
  if (!artifactsOnly) return;
  if (!serveArtifacts) {
    throw new UsageError(
      "cli/server-modes",
      "--artifacts-only and --no-serve-artifacts together leave the server nothing to answer",
      {
        hint:
          "drop one: --artifacts-only serves the artifact proxy alone, --no-serve-artifacts everything but it " +
          "(check MLFLOW_ARTIFACTS_ONLY and MLFLOW_SERVE_ARTIFACTS too)",
      },
    );
  }
  if (storeSource !== undefined) {
    throw new UsageError(
      "cli/server-modes",
      `--artifacts-only serves artifacts alone and takes no ${storeSource}`,
      {
        hint: storeSource.startsWith("--backend-store-uri")
          ? "drop --backend-store-uri, or drop --artifacts-only to serve the tracking API from that store"
          : "serve artifacts alone with `kmlf server --artifacts-only`, or drop --artifacts-only " +
            "(and MLFLOW_ARTIFACTS_ONLY) to serve the project's runs",
      },
    );
  }
}

// As `mlflow server`: new experiments upload through the proxy when it is served; without it, a file
// store keeps artifacts beside its runs and a database under ./mlruns.
function serverDefaultRoot(serveArtifacts: boolean, trackingUri: string, cwd: string): string | undefined {
  if (serveArtifacts) return "mlflow-artifacts:/";
  return parseTrackingUri(trackingUri, { baseDir: cwd }).kind === "file" ? undefined : resolve(cwd, "mlruns");
}

// A remote store (s3://bucket/prefix) is used as given; a folder or file:// URI becomes an absolute path.
function destination(value: string, cwd: string, flag: string): string {
  if (isRemoteDestination(value)) return value;
  return localPath(value, cwd, flag);
}

// A folder, or a file: URI of this machine; one naming no folder here (file://server/share, file:, C:\x, ~/x)
// is the flag's error, by the rule experiments' locations follow (lib/tracking/artifacts/local_uri.ts).
function localPath(value: string, cwd: string, flag: string): string {
  checkLocalRoot(value, flag);
  // Checked above: a file: URI here names a folder of this machine (`file://127.0.0.1/x` too).
  const read = /^file:/.test(value) ? fileUriPath(readLocalUri(value)!) : undefined;
  return read && "path" in read ? read.path : resolve(cwd, value);
}

function checkLocalRoot(value: string, flag: string): void {
  const unusable = writtenLocalLocationProblem(value);
  if (!unusable) return;
  throw new UsageError("cli/bad-option", `${flag} ${JSON.stringify(value)}: ${unusable.problem}`, {
    hint: unusable.hint,
  });
}
