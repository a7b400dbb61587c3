/**
 * `kmlf server`: the tracking server outside a project, like `mlflow server`: a backend store URI,
 * artifacts served through the `mlflow-artifacts` proxy from `--artifacts-destination`.
 */
import { UsageError } from "../errors.ts";
import { fileURLToPath, resolve } from "../path.ts";
import { isRemoteDestination } from "../server/server_options.ts";
import { parseTrackingUri } from "../tracking/stores/tracking_uri.ts";
import { parsePort, serveTracking, type ServeTrackingOptions } from "./serve_tracking.ts";

/** Options of `kmlf server`. */
export interface ServerOptions {
  backendStoreUri?: string;
  artifactsDestination?: string;
  defaultArtifactRoot?: string;
  host?: string;
  port?: string;
  /** `--serve-artifacts` (default) / `--no-serve-artifacts`: whether the `mlflow-artifacts` proxy answers. */
  serveArtifacts?: boolean;
  /** `--artifacts-only`: serve the proxy alone, every tracking and registry call answers 503. */
  artifactsOnly?: boolean;
}

/**
 * Serves a store until Ctrl-C.
 *
 * @example
 * ```ts
 * await serverCommand({ backendStoreUri: "sqlite:///mlflow.db", port: "5000" });
 * ```
 */
export async function serverCommand(
  options: ServerOptions,
  serveOptions: Pick<ServeTrackingOptions, "onListening" | "signal"> = {},
): Promise<number> {
  const cwd = Deno.cwd();
  const serveArtifacts = options.serveArtifacts ?? true;
  const artifactsOnly = options.artifactsOnly ?? false;
  checkModes(options, serveArtifacts, artifactsOnly);
  const trackingUri = options.backendStoreUri ?? "mlflow.db";
  return await serveTracking({
    trackingUri,
    baseDir: cwd,
    host: options.host ?? "127.0.0.1",
    port: parsePort(options.port ?? 5000, "--port"),
    artifactsDestination: destination(options.artifactsDestination ?? "mlartifacts", cwd),
    defaultArtifactRoot: options.defaultArtifactRoot ??
      defaultArtifactRoot(serveArtifacts, trackingUri, cwd),
    mode: { serveArtifacts, artifactsOnly },
    ...serveOptions,
  });
}

// The combinations `mlflow server` refuses (an explicit store with --artifacts-only), and the one it
// starts but that could answer nothing (--artifacts-only --no-serve-artifacts).
function checkModes(options: ServerOptions, serveArtifacts: boolean, artifactsOnly: boolean): void {
  if (!artifactsOnly) return;
  if (!serveArtifacts) {
    throw new UsageError(
      "cli/server-modes",
      "--artifacts-only and --no-serve-artifacts together leave the server nothing to answer",
      {
        hint:
          "drop one: --artifacts-only serves the artifact proxy alone, --no-serve-artifacts everything but it",
      },
    );
  }
  if (options.backendStoreUri !== undefined) {
    throw new UsageError(
      "cli/server-modes",
      `--artifacts-only serves artifacts alone and takes no --backend-store-uri (got '${options.backendStoreUri}')`,
      {
        hint: "drop --backend-store-uri, or drop --artifacts-only to serve the tracking API from that store",
      },
    );
  }
}

// As `mlflow server`: new experiments upload through the proxy when it is served; without it, a file
// store keeps artifacts beside its runs and a database under ./mlruns.
function defaultArtifactRoot(serveArtifacts: boolean, trackingUri: string, cwd: string): string | undefined {
  if (serveArtifacts) return "mlflow-artifacts:/";
  return parseTrackingUri(trackingUri, { baseDir: cwd }).kind === "file" ? undefined : resolve(cwd, "mlruns");
}

// A remote store (s3://bucket/prefix) is used as given; a folder or file:// URI becomes an absolute path.
function destination(value: string, cwd: string): string {
  if (isRemoteDestination(value)) return value;
  return /^file:/i.test(value) ? fileURLToPath(value) : resolve(cwd, value);
}
