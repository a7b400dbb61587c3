/**
 * The tracking URI a project uses and the checks made on it before a run: mlflow.yml's
 * `server.mlflow_tracking_uri`, else `MLFLOW_TRACKING_URI`, else the project's `mlflow.db`; where it came from
 * (for errors); a registry URI naming another store and a path of the wrong kind are refused.
 *
 * @module
 */
import { isAbsolute, pathToFileUri, resolve } from "../path.ts";
import { foreignPath, MLFLOW_PATHS } from "../foreign_path.ts";
import { fileUriPath, readLocalUri } from "../local_uri_reading.ts";
import { ConfigError, type SourceLocation } from "../errors.ts";
import { statIfAny } from "../fs_utils.ts";
import { maskUriCredentials } from "../uri_credentials.ts";
import type { MlflowConfig } from "./mlflow_config.ts";

/**
 * The tracking URI to use: `mlflow.yml`, else `MLFLOW_TRACKING_URI`, else the project's `mlflow.db`
 * (like MLflow ≥ 3.7). Relative paths (and `sqlite:///rel.db`) resolve against the project root.
 *
 * @example
 * ```ts
 * resolveTrackingUri(null, { projectRoot: "/p", envUri: undefined }); // "sqlite:////p/mlflow.db"
 * ```
 */
export function resolveTrackingUri(
  configured: string | null,
  options: { projectRoot: string; envUri?: string },
): string {
  const uri = configured ?? options.envUri ?? "mlflow.db";
  if (/^sqlite:\/\/\//.test(uri)) {
    const path = uri.slice("sqlite:///".length);
    return path.startsWith("/") || foreignPath(path, MLFLOW_PATHS)
      ? uri
      : `sqlite:///${resolve(options.projectRoot, path)}`;
  }
  // A URI, or a path no user means literally (`~/…`, `C:\\…`): as written, for the store to refuse. As in
  // kedro-mlflow's _validate_uri, "databricks" and "databricks-uc" are MLflow's names, not folders.
  if (/^[a-z][\w+.-]*:/i.test(uri) || /^databricks(-uc)?$/i.test(uri) || foreignPath(uri, MLFLOW_PATHS)) {
    return uri;
  }
  const abs = isAbsolute(uri) ? uri : resolve(options.projectRoot, uri);
  return abs.endsWith(".db") ? `sqlite:///${abs}` : pathToFileUri(abs);
}

/**
 * kmlf keeps the model registry in the tracking store (`store.registry`), as MLflow does by default: a
 * `server.mlflow_registry_uri` naming another store is refused rather than ignored.
 *
 * @example
 * ```ts
 * checkRegistryUri(config, "sqlite:////p/mlflow.db", "/p"); // ok when unset or the same store
 * ```
 */
export function checkRegistryUri(config: MlflowConfig, trackingUri: string, projectRoot: string): void {
  const configured = config.server.registryUri;
  if (configured === null || resolveTrackingUri(configured, { projectRoot }) === trackingUri) return;
  throw new ConfigError(
    "mlflow/registry-uri",
    `mlflow.yml server.mlflow_registry_uri "${
      maskUriCredentials(configured)
    }" names another store than the ` +
      `tracking URI (${maskUriCredentials(trackingUri)})`,
    {
      source: config.locate(["server", "mlflow_registry_uri"]),
      hint: "kmlf keeps registered models in the tracking store: set mlflow_registry_uri to null",
    },
  );
}

/** Where a tracking URI came from, for errors about it. */
export interface TrackingUriOrigin {
  /** `mlflow.yml server.mlflow_tracking_uri`, `the MLFLOW_TRACKING_URI variable`, or the default. */
  what: string;
  source?: SourceLocation;
}

/**
 * Where the tracking URI in use comes from: mlflow.yml, else `MLFLOW_TRACKING_URI`, else the default.
 *
 * @example
 * ```ts
 * trackingUriOrigin(config, undefined).what; // "mlflow.yml server.mlflow_tracking_uri" when it is set
 * ```
 */
export function trackingUriOrigin(config: MlflowConfig, envUri: string | undefined): TrackingUriOrigin {
  if (config.server.trackingUri !== null) {
    return {
      what: "mlflow.yml server.mlflow_tracking_uri",
      source: config.locate(["server", "mlflow_tracking_uri"]),
    };
  }
  if (envUri !== undefined) {
    return { what: "the MLFLOW_TRACKING_URI variable", source: { keyPath: "MLFLOW_TRACKING_URI" } };
  }
  return { what: "the default tracking URI (mlflow.db at the project root)" };
}

/**
 * Refuses, before a run starts, a local tracking URI whose path is the wrong kind of thing: a SQLite
 * store's `.db` that is a folder, or a file store's folder that is a file (opening them later fails with
 * an operating-system message, or creates `<file>/.trash`).
 *
 * @example
 * ```ts
 * checkTrackingTarget("sqlite:////p/mlflow.db", { what: "mlflow.yml server.mlflow_tracking_uri" });
 * ```
 */
export function checkTrackingTarget(uri: string, origin: TrackingUriOrigin): void {
  const sqlite = uri.match(/^sqlite:\/\/\/(.+)$/);
  // A file:// URI of this machine (`localhost`, `127.0.0.1` too: lib/local_uri_reading.ts).
  const file = /^file:\/\//.test(uri) ? fileUriPath(readLocalUri(uri)!) : undefined;
  const path = sqlite ? sqlite[1] : file && "path" in file ? file.path : undefined;
  if (path === undefined) return;
  const stat = statIfAny(path);
  if (!stat || (sqlite ? !stat.isDirectory : stat.isDirectory)) return;
  throw new ConfigError(
    "mlflow/bad-tracking-uri",
    `Cannot use tracking URI "${uri}" (from ${origin.what}): ${path} is a ${
      sqlite ? "folder" : "file"
    }, but ${sqlite ? "a SQLite store is one file" : "a file store is a folder"}`,
    {
      source: origin.source,
      hint: sqlite
        ? "name a new or existing SQLite file (*.db), or the folder without .db for MLflow's file store"
        : "name a folder (MLflow's mlruns file store) or a *.db file (SQLite store), or move that file away",
    },
  );
}
