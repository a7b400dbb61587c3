/**
 * The artifact-serving flags of `kmlf server` and `kmlf mlflow ui` (`mlflow server`'s), declared once;
 * resolved with MLflow's environment variables by `serve_artifacts_options.ts`. Light on imports: the
 * command tree loads it for `kmlf --help`.
 *
 * @module
 */
import type { Command } from "./_commander/index.js";

/** The artifact-serving flags as commander hands them over (undefined: not given). */
export interface ServeArtifactsFlags {
  artifactsDestination?: string;
  defaultArtifactRoot?: string;
  /** `--serve-artifacts` (true) / `--no-serve-artifacts` (false). */
  serveArtifacts?: boolean;
  artifactsOnly?: boolean;
  /** `--allowed-artifact-roots`: comma-separated local folders clients may name as experiment locations. */
  allowedArtifactRoots?: string;
  /** `--cors-allowed-origins`: comma-separated origins whose pages may call the API (MLflow 3.5's flag). */
  corsAllowedOrigins?: string;
}

/**
 * Where new experiments keep artifacts when no root is given: `mlflow-server` as `mlflow server`
 * (the proxy's `mlflow-artifacts:/`, else ./mlruns), `store` the store's own root (a project's, which
 * `kmlf run` must reach without the server).
 */
export type DefaultRootRule = "mlflow-server" | "store";

/**
 * Adds the artifact-serving options to a command.
 *
 * @example
 * ```ts
 * addServeArtifactsOptions(program.command("server"), "mlflow-server");
 * ```
 */
export function addServeArtifactsOptions(command: Command, defaultRoot: DefaultRootRule): Command {
  return command
    .option(
      "--artifacts-destination <dir>",
      "where proxied artifacts are stored: a folder or s3://bucket/prefix " +
        "(default: $MLFLOW_ARTIFACTS_DESTINATION, else ./mlartifacts)",
    )
    .option(
      "--default-artifact-root <uri>",
      "artifact root of new experiments (default: $MLFLOW_DEFAULT_ARTIFACT_ROOT, else " +
        (defaultRoot === "mlflow-server"
          ? "mlflow-artifacts:/, or ./mlruns with --no-serve-artifacts)"
          : "the store's own, where kmlf run writes)"),
    )
    .option(
      "--serve-artifacts",
      "serve artifacts through the mlflow-artifacts proxy (the default; also $MLFLOW_SERVE_ARTIFACTS)",
    )
    .option(
      "--no-serve-artifacts",
      "turn the mlflow-artifacts proxy off (clients write to the artifact root)",
    )
    .option(
      "--artifacts-only",
      "serve the mlflow-artifacts proxy alone, no tracking API (also $MLFLOW_ARTIFACTS_ONLY)",
    )
    .option(
      "--allowed-artifact-roots <dirs>",
      "comma-separated folders or s3:// prefixes (relative: to " +
        (defaultRoot === "store" ? "the project" : "this directory") +
        ") where the server reads and writes run artifacts for its clients, besides the artifacts " +
        "destination, the default artifact root and the store's own run folders. Runs anywhere else (an " +
        "experiment a client pointed at another folder or bucket, a database's runs in a folder not given " +
        "here) answer 403 naming the value to add; clients may create experiments with local locations only " +
        "inside these (also $KMLF_ALLOWED_ARTIFACT_ROOTS)",
    )
    .option(
      "--cors-allowed-origins <origins>",
      "comma-separated origins (https://app.example, https://*.corp.example, * for any) whose web pages may " +
        "change runs here besides the server's own (default: $MLFLOW_SERVER_CORS_ALLOWED_ORIGINS, else localhost ones)",
    );
}
