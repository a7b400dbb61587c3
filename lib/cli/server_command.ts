/**
 * `kmlf server`: the tracking server outside a project, like `mlflow server`: a backend store URI,
 * artifacts served through the `mlflow-artifacts` proxy from `--artifacts-destination` (the
 * artifact-serving options are `serve_artifacts_options.ts`, shared with `kmlf mlflow ui`).
 */
import { parsePort, serveTracking, type ServeTrackingOptions } from "./serve_tracking.ts";
import type { ServeArtifactsFlags } from "./serve_artifacts_flags.ts";
import { resolveServeArtifacts } from "./serve_artifacts_options.ts";

/** Options of `kmlf server`. */
export interface ServerOptions extends ServeArtifactsFlags {
  backendStoreUri?: string;
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
  const trackingUri = options.backendStoreUri ?? "mlflow.db";
  const artifacts = resolveServeArtifacts(options, {
    cwd,
    trackingUri,
    storeSource: options.backendStoreUri === undefined
      ? undefined
      : `--backend-store-uri (got '${options.backendStoreUri}')`,
    defaultRoot: "mlflow-server",
  });
  return await serveTracking({
    trackingUri,
    baseDir: cwd,
    host: options.host ?? "127.0.0.1",
    port: parsePort(options.port ?? 5000, "--port"),
    ...artifacts,
    ...serveOptions,
  });
}
