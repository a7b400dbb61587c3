/**
 * `openStore`: the one factory turning a tracking URI into a `TrackingStore`.
 *
 * @module
 */
import { dirname, isAbsolute, resolve } from "node:path";
import { FileStore } from "./file/file_store.ts";
import type { HeaderSource } from "../http_client.ts";
import { RestStore } from "./rest/rest_store.ts";
import { artifactRootUri, SqliteStore } from "./sqlite/sqlite_store.ts";
import type { TrackingStore } from "./store.ts";
import { parseTrackingUri } from "./tracking_uri.ts";

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** Relative paths in the URI and in `artifactRoot` resolve against this directory (the project root). */
  baseDir: string;
  /** Artifact root for new experiments of local stores (default: `mlartifacts` beside a SQLite file). */
  artifactRoot?: string;
  /** PostgreSQL: most connections open at once (default 4; `kmlf server` opens 10). */
  poolSize?: number;
  /** SQLite: how long a writer waits for another process's lock, in ms (default 20000). */
  busyTimeoutMs?: number;
  /** Truncate over-long param/tag values instead of failing (MLflow server behaviour). */
  truncateLongValues?: boolean;
  /**
   * REST: extra request headers, or a function returning them for each request (kedro-mlflow's
   * `request_header_provider`). They win over the Authorization header derived from
   * `MLFLOW_TRACKING_TOKEN` / `MLFLOW_TRACKING_USERNAME` + `MLFLOW_TRACKING_PASSWORD`.
   */
  headers?: HeaderSource;
  /** REST: where credentials are read from (default: the process environment). */
  env?: (name: string) => string | undefined;
  /**
   * REST: retries of 408/429/5xx answers and connection errors (default `MLFLOW_HTTP_REQUEST_MAX_RETRIES`,
   * else 5). PostgreSQL: retries of a dropped or refused connection (default 5).
   */
  maxRetries?: number;
  /** REST / PostgreSQL: delay before the first retry in ms, doubled for each further retry (default 500 / 200). */
  backoffMs?: number;
  /** REST: per-request timeout in ms (default `MLFLOW_HTTP_REQUEST_TIMEOUT` seconds, else 120 s). */
  timeoutMs?: number;
}

/**
 * Opens the store a tracking URI names (see `parseTrackingUri` for the accepted forms).
 *
 * @example
 * ```ts
 * const store = await openStore("sqlite:///mlflow.db", { baseDir: "/path/to/project" });
 * ```
 */
export async function openStore(uri: string, options: OpenStoreOptions): Promise<TrackingStore> {
  const target = parseTrackingUri(uri, options);
  const artifactRoot =
    options.artifactRoot === undefined || /^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(options.artifactRoot) ||
      isAbsolute(options.artifactRoot)
      ? options.artifactRoot
      : resolve(options.baseDir, options.artifactRoot);
  switch (target.kind) {
    case "sqlite":
      if (target.path !== ":memory:") await Deno.mkdir(dirname(target.path), { recursive: true });
      return SqliteStore.open(target.path, {
        uri: target.uri,
        artifactRoot,
        busyTimeoutMs: options.busyTimeoutMs,
        truncateLongValues: options.truncateLongValues,
      });
    case "file":
      return await FileStore.open(target.path, {
        artifactRoot,
        truncateLongValues: options.truncateLongValues,
      });
    case "postgresql": {
      // Loaded only for PostgreSQL URIs: SQLite runs and `kmlf --help` never load the driver.
      const { PostgresStore } = await import("./postgres/postgres_store.ts");
      return await PostgresStore.open(target.url, {
        // Like `mlflow server` with a database backend: artifacts default to ./mlartifacts (kmlf's name).
        artifactRoot: artifactRootUri(artifactRoot ?? "mlartifacts", options.baseDir),
        truncateLongValues: options.truncateLongValues,
        poolSize: options.poolSize,
        maxRetries: options.maxRetries,
        backoffMs: options.backoffMs,
      });
    }
    case "rest":
      return new RestStore(target.url, {
        headers: options.headers,
        env: options.env,
        maxRetries: options.maxRetries,
        backoffMs: options.backoffMs,
        timeoutMs: options.timeoutMs,
      });
  }
}
