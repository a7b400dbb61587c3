/**
 * `openStore`: the one factory turning a tracking URI into a `TrackingStore`.
 *
 * @module
 */
import { dirname, isAbsolute, resolve } from "node:path";
import { TrackingError } from "../errors.ts";
import { FileStore } from "./file/file_store.ts";
import { SqliteStore } from "./sqlite/sqlite_store.ts";
import type { TrackingStore } from "./store.ts";
import { parseTrackingUri } from "./tracking_uri.ts";

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** Relative paths in the URI and in `artifactRoot` resolve against this directory (the project root). */
  baseDir: string;
  /** Artifact root for new experiments of local stores (default: `mlartifacts` beside a SQLite file). */
  artifactRoot?: string;
  /** SQLite: how long a writer waits for another process's lock, in ms (default 20000). */
  busyTimeoutMs?: number;
  /** Truncate over-long param/tag values instead of failing (MLflow server behaviour). */
  truncateLongValues?: boolean;
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
    // The REST store (http(s):// URIs) is tracked in the tracking-engine issue; until it lands, say so.
    case "rest":
      throw new TrackingError(
        "tracking/store-unavailable",
        `Cannot open ${uri}: the REST store is not available yet`,
        {
          hint: "use a SQLite tracking URI for now, e.g. sqlite:///mlflow.db",
        },
      );
  }
}
