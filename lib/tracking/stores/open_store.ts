/**
 * `openStore`: the one factory turning a tracking URI into a `TrackingStore`. The SQLite store (the
 * default) is part of this module's graph; the others are imported by computed URLs when their kind is
 * used (a literal `import()` would make Deno read their modules with this one; the bundle makes each an
 * entry point), so a SQLite run never loads the file, REST or PostgreSQL stores.
 *
 * @module
 */
import type { HeaderSource } from "../http_client.ts";
import { artifactRootUri, openSqliteTarget } from "./sqlite/open_db.ts";
import { SqliteStore } from "./sqlite/sqlite_store.ts";
import type { TrackingStore } from "./store.ts";
import { parseTrackingUri, resolveArtifactRoot } from "./tracking_uri.ts";

const storeModules = {
  file: (): Promise<typeof import("./file/file_store.ts")> =>
    import(new URL("./file/file_store.ts", import.meta.url).href),
  rest: (): Promise<typeof import("./rest/rest_store.ts")> =>
    import(new URL("./rest/rest_store.ts", import.meta.url).href),
  // Loaded only for PostgreSQL URIs: SQLite runs and `kmlf --help` never load the driver.
  postgresql: (): Promise<typeof import("./postgres/postgres_store.ts")> =>
    import(new URL("./postgres/postgres_store.ts", import.meta.url).href),
};

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
  /**
   * SQLite: read through a memory map, for a long-running server's searches (~12% faster on large stores);
   * default false, since a one-shot command pays megabytes of peak memory for it.
   */
  memoryMap?: boolean;
  /**
   * Cut param values over 6,000 and tag values over 8,000 characters instead of refusing them, as an MLflow
   * server does with `MLFLOW_TRUNCATE_LONG_VALUES=true`; a function also gets the warning for each value cut.
   * Default false: an over-long value is MLflow's length error.
   */
  truncateLongValues?: boolean | ((warning: string) => void);
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
export async function openStore(
  uri: string,
  given: OpenStoreOptions = { baseDir: Deno.cwd() },
): Promise<TrackingStore> {
  // Relative paths resolve against the working directory when a script gives no baseDir.
  const options = { ...given, baseDir: given?.baseDir ?? Deno.cwd() };
  const target = parseTrackingUri(uri, options);
  const artifactRoot = resolveArtifactRoot(options.artifactRoot, options.baseDir);
  switch (target.kind) {
    case "sqlite":
      return SqliteStore.fromOpened(openSqliteTarget(target, options), {
        truncateLongValues: options.truncateLongValues,
      });
    case "file": {
      const { FileStore } = await storeModules.file();
      return await FileStore.open(target.path, {
        artifactRoot,
        truncateLongValues: options.truncateLongValues,
      });
    }
    case "postgresql": {
      const { PostgresStore } = await storeModules.postgresql();
      return await PostgresStore.open(target.url, {
        // Like `mlflow server` with a database backend: artifacts default to ./mlartifacts (kmlf's name).
        artifactRoot: artifactRootUri(artifactRoot ?? "mlartifacts", options.baseDir),
        truncateLongValues: options.truncateLongValues,
        poolSize: options.poolSize,
        maxRetries: options.maxRetries,
        backoffMs: options.backoffMs,
      });
    }
    case "rest": {
      const { RestStore } = await storeModules.rest();
      return new RestStore(target.url, {
        headers: options.headers,
        env: options.env,
        maxRetries: options.maxRetries,
        backoffMs: options.backoffMs,
        timeoutMs: options.timeoutMs,
      });
    }
  }
}
