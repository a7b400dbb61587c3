/**
 * `openStore`: the one factory turning a tracking URI into a `TrackingStore`, and `prepareStore`, the
 * same in two steps. Each store's code is imported by a computed URL when its kind is used (a literal
 * `import()` would make Deno read every store's modules with this one; `deno task compile` --include's
 * them): a SQLite run never loads the file, REST or PostgreSQL stores.
 *
 * @module
 */
import { dirname, isAbsolute, resolve } from "node:path";
import type { HeaderSource } from "../http_client.ts";
import { artifactRootUri, openSqliteDb } from "./sqlite/open_db.ts";
import type { TrackingStore } from "./store.ts";
import { parseTrackingUri } from "./tracking_uri.ts";

const storeModules = {
  sqlite: (): Promise<typeof import("./sqlite/sqlite_store.ts")> =>
    import(new URL("./sqlite/sqlite_store.ts", import.meta.url).href),
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
  return await (await prepareStore(uri, options)).open();
}

/** A store {@link prepareStore} checked. */
export interface PreparedStore {
  /** Builds the store (once; later calls return the same store). */
  open(): Promise<TrackingStore>;
  /** Closes the store, built or not. */
  close(): Promise<void>;
}

/**
 * {@link openStore} in two steps. `prepareStore` does everything that can fail with the user's store —
 * for SQLite, opening the file and checking (or creating) MLflow's schema, with a handful of modules;
 * other stores are opened whole — and `open()` loads the store's code (~60 modules for SQLite) and builds
 * it. `kmlf server` listens in between, and answers `/health` meanwhile.
 *
 * @example
 * ```ts
 * const prepared = await prepareStore("sqlite:///mlflow.db", { baseDir: Deno.cwd() }); // errors here
 * const store = await prepared.open();
 * ```
 */
export async function prepareStore(uri: string, options: OpenStoreOptions): Promise<PreparedStore> {
  const target = parseTrackingUri(uri, options);
  const artifactRoot =
    options.artifactRoot === undefined || /^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(options.artifactRoot) ||
      isAbsolute(options.artifactRoot)
      ? options.artifactRoot
      : resolve(options.baseDir, options.artifactRoot);
  switch (target.kind) {
    case "sqlite": {
      if (target.path !== ":memory:") await Deno.mkdir(dirname(target.path), { recursive: true });
      const opened = openSqliteDb(target.path, {
        uri: target.uri,
        artifactRoot,
        busyTimeoutMs: options.busyTimeoutMs,
      });
      let store: Promise<TrackingStore> | undefined;
      return {
        open: () =>
          store ??= storeModules.sqlite().then(
            ({ SqliteStore }) =>
              SqliteStore.fromOpened(opened, { truncateLongValues: options.truncateLongValues }),
            (error) => {
              opened.db.close();
              throw error;
            },
          ),
        close: async () => {
          if (store) await (await store.catch(() => undefined))?.close();
          else opened.db.close();
        },
      };
    }
    case "file": {
      const { FileStore } = await storeModules.file();
      return ready(
        await FileStore.open(target.path, {
          artifactRoot,
          truncateLongValues: options.truncateLongValues,
        }),
      );
    }
    case "postgresql": {
      const { PostgresStore } = await storeModules.postgresql();
      return ready(
        await PostgresStore.open(target.url, {
          // Like `mlflow server` with a database backend: artifacts default to ./mlartifacts (kmlf's name).
          artifactRoot: artifactRootUri(artifactRoot ?? "mlartifacts", options.baseDir),
          truncateLongValues: options.truncateLongValues,
          poolSize: options.poolSize,
          maxRetries: options.maxRetries,
          backoffMs: options.backoffMs,
        }),
      );
    }
    case "rest": {
      const { RestStore } = await storeModules.rest();
      return ready(
        new RestStore(target.url, {
          headers: options.headers,
          env: options.env,
          maxRetries: options.maxRetries,
          backoffMs: options.backoffMs,
          timeoutMs: options.timeoutMs,
        }),
      );
    }
  }
}

function ready(store: TrackingStore): PreparedStore {
  return { open: () => Promise.resolve(store), close: () => store.close() };
}
