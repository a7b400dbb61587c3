/**
 * `kmlf server`: the tracking server outside a project, like `mlflow server`: a backend store URI,
 * artifacts served through the `mlflow-artifacts` proxy from `--artifacts-destination`.
 */
import { fileURLToPath, resolve } from "../path.ts";
import { isRemoteDestination } from "../server/server_options.ts";
import { parsePort, serveTracking, type ServeTrackingOptions } from "./serve_tracking.ts";

/** Options of `kmlf server`. */
export interface ServerOptions {
  backendStoreUri?: string;
  artifactsDestination?: string;
  defaultArtifactRoot?: string;
  host?: string;
  port?: string;
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
  return await serveTracking({
    trackingUri: options.backendStoreUri ?? "mlflow.db",
    baseDir: cwd,
    host: options.host ?? "127.0.0.1",
    port: parsePort(options.port ?? 5000, "--port"),
    artifactsDestination: destination(options.artifactsDestination ?? "mlartifacts", cwd),
    defaultArtifactRoot: options.defaultArtifactRoot ?? "mlflow-artifacts:/",
    ...serveOptions,
  });
}

// A remote store (s3://bucket/prefix) is used as given; a folder or file:// URI becomes an absolute path.
function destination(value: string, cwd: string): string {
  if (isRemoteDestination(value)) return value;
  return /^file:/i.test(value) ? fileURLToPath(value) : resolve(cwd, value);
}
