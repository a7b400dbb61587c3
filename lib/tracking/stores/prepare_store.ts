/**
 * `prepareStore`: {@link openStore} in two steps, for `kmlf server`, which answers `/health` as soon as
 * it listens. The first step does everything that can fail with the user's store — for SQLite, opening
 * the file and checking (or creating) MLflow's schema, with a handful of modules; other stores are
 * opened whole — and `open()` then loads the store's code (~60 modules for SQLite) and builds it. The
 * server listens in between. Both are imported by computed URLs (entry points of the bundle).
 *
 * @module
 */
import type { OpenStoreOptions } from "./open_store.ts";
import { openSqliteTarget } from "./sqlite/open_db.ts";
import type { TrackingStore } from "./store.ts";
import { parseTrackingUri } from "./tracking_uri.ts";

const openStoreModule = (): Promise<typeof import("./open_store.ts")> =>
  import(new URL("./open_store.ts", import.meta.url).href);
const sqliteStoreModule = (): Promise<typeof import("./sqlite/sqlite_store.ts")> =>
  import(new URL("./sqlite/sqlite_store.ts", import.meta.url).href);

/** A store {@link prepareStore} checked. */
export interface PreparedStore {
  /** Builds the store (once; later calls return the same store). */
  open(): Promise<TrackingStore>;
  /** Closes the store, built or not. */
  close(): Promise<void>;
}

/**
 * Checks the store a tracking URI names, and returns how to build it.
 *
 * @example
 * ```ts
 * const prepared = await prepareStore("sqlite:///mlflow.db", { baseDir: Deno.cwd() }); // errors here
 * const store = await prepared.open();
 * ```
 */
export async function prepareStore(uri: string, options: OpenStoreOptions): Promise<PreparedStore> {
  const target = parseTrackingUri(uri, options);
  if (target.kind !== "sqlite") {
    const store = await (await openStoreModule()).openStore(uri, options);
    return { open: () => Promise.resolve(store), close: () => store.close() };
  }
  const opened = openSqliteTarget(target, options);
  // What the store owns, let go of when it is never built: the connection, and an in-memory database's
  // temp artifact folder (a server stopped before its first API request).
  const discard = () => {
    opened.db.close();
    if (opened.tempDir) Deno.removeSync(opened.tempDir, { recursive: true });
  };
  let store: Promise<TrackingStore> | undefined;
  return {
    open: () =>
      store ??= sqliteStoreModule().then(
        ({ SqliteStore }) =>
          SqliteStore.fromOpened(opened, { truncateLongValues: options.truncateLongValues }),
        (error) => {
          discard();
          throw error;
        },
      ),
    close: async () => {
      if (store) await (await store.catch(() => undefined))?.close();
      else discard();
    },
  };
}
