/**
 * Opening an MLflow SQLite database for a store: the connection, MLflow's schema created or checked, and
 * experiment 0 "Default" created when the database has none, as MLflow does. This is the part of
 * `SqliteStore.open` that can fail, and it loads a handful of modules where the whole store loads ~60:
 * `kmlf server` runs it before it listens and builds the store once it listens (`prepareStore`).
 *
 * @module
 */
import { dirname, isAbsolute, join, pathToFileUri, resolve } from "../../../path.ts";
import { appendToUri } from "../sql/rows.ts";
import { resolveArtifactRoot, type TrackingTarget } from "../tracking_uri.ts";
import { openError, SqliteDb } from "./db.ts";
import { checkLocalArtifactLocation } from "../../artifacts/local_uri.ts";
import { ensureSchema, type SchemaInfo } from "./schema.ts";

/** Options of {@link openSqliteDb}. */
export interface SqliteDbOpenOptions {
  /**
   * Where new experiments put artifacts: a path or a URI. Relative paths are resolved against the
   * database's directory. Default `<directory of the database>/mlartifacts` (a temp dir for `:memory:`).
   */
  artifactRoot?: string;
  /** How long a writer waits for another process's lock, in ms (default 20000). */
  busyTimeoutMs?: number;
  /** Read through a memory map: for long-running servers (`SqliteDbOptions.memoryMap`; default false). */
  memoryMap?: boolean;
  /** The tracking URI to report as `store.uri` (default `sqlite:///<absolute path>`). */
  uri?: string;
}

/** A database {@link openSqliteDb} opened and checked, ready for a `SqliteStore`. */
export interface OpenedSqliteDb {
  readonly db: SqliteDb;
  readonly schema: SchemaInfo;
  /** Absolute path of the database file, or `:memory:`. */
  readonly path: string;
  /** The tracking URI the store reports. */
  readonly uri: string;
  /** Artifact root URI for new experiments. */
  readonly artifactRoot: string;
  /**
   * The temp folder a `:memory:` database's artifacts default to: the store owns it and removes it when
   * it closes, as the database itself goes then.
   */
  readonly tempDir?: string;
}

const HAS_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]+:/;

/**
 * A path or URI as an artifact root URI (`file:///abs/path` for paths), without a trailing slash.
 *
 * @example
 * ```ts
 * artifactRootUri("mlartifacts", "/project"); // "file:///project/mlartifacts"
 * ```
 */
export function artifactRootUri(root: string, baseDir: string): string {
  if (HAS_SCHEME.test(root)) return root.replace(/\/+$/, "");
  return pathToFileUri(isAbsolute(root) ? root : resolve(baseDir, root)).replace(/\/+$/, "");
}

/**
 * Opens (creating if needed) the database at `path` (`:memory:` for a throwaway one) and checks its
 * schema; errors name the file and what is wrong with it.
 *
 * @example
 * ```ts
 * const opened = openSqliteDb("/tmp/mlflow.db");
 * const store = SqliteStore.fromOpened(opened);
 * ```
 */
export function openSqliteDb(path: string, options: SqliteDbOpenOptions = {}): OpenedSqliteDb {
  const memory = path === ":memory:";
  const absolute = memory ? path : resolve(path);
  // A throwaway database needs a folder only when its artifact root is not given as a place of its own.
  const given = options.artifactRoot;
  // A root of no folder here (`file:`, `file://host/x`, `C:\x`) would give every experiment such a location.
  if (given !== undefined) checkLocalArtifactLocation(given);
  const needsTemp = memory && (given === undefined || (!HAS_SCHEME.test(given) && !isAbsolute(given)));
  const tempDir = needsTemp ? Deno.makeTempDirSync({ prefix: "kmlf-artifacts-" }) : undefined;
  const baseDir = memory ? tempDir ?? "/" : dirname(absolute);
  const artifactRoot = artifactRootUri(given ?? join(baseDir, "mlartifacts"), baseDir);
  let db: SqliteDb;
  try {
    db = new SqliteDb(absolute, { busyTimeoutMs: options.busyTimeoutMs, memoryMap: options.memoryMap });
  } catch (error) {
    if (tempDir) Deno.removeSync(tempDir, { recursive: true });
    throw error;
  }
  try {
    const schema = ensureSchema(db);
    ensureDefaultExperiment(db, artifactRoot, Date.now());
    return {
      db,
      schema,
      path: absolute,
      uri: options.uri ?? (memory ? "sqlite://" : `sqlite:///${absolute}`),
      artifactRoot,
      tempDir,
    };
  } catch (error) {
    db.close();
    if (tempDir) Deno.removeSync(tempDir, { recursive: true });
    throw openError(error, absolute);
  }
}

/**
 * Opens the database a parsed tracking URI names, as `openStore` does: its folder is created, a relative
 * `artifactRoot` resolves against `baseDir`.
 *
 * @example
 * ```ts
 * const target = parseTrackingUri("sqlite:///mlflow.db", { baseDir: "/project" });
 * if (target.kind === "sqlite") openSqliteTarget(target, { baseDir: "/project" });
 * ```
 */
export function openSqliteTarget(
  target: Extract<TrackingTarget, { kind: "sqlite" }>,
  options: { baseDir: string; artifactRoot?: string; busyTimeoutMs?: number; memoryMap?: boolean },
): OpenedSqliteDb {
  if (target.path !== ":memory:") Deno.mkdirSync(dirname(target.path), { recursive: true });
  return openSqliteDb(target.path, {
    uri: target.uri,
    artifactRoot: resolveArtifactRoot(options.artifactRoot, options.baseDir),
    busyTimeoutMs: options.busyTimeoutMs,
    memoryMap: options.memoryMap,
  });
}

// Experiment 0 "Default" when the database has no experiment at all (as MLflow does).
function ensureDefaultExperiment(db: SqliteDb, artifactRoot: string, now: number): void {
  if (db.get("SELECT 1 AS one FROM experiments LIMIT 1")) return;
  db.write(() => {
    if (db.get("SELECT 1 AS one FROM experiments LIMIT 1")) return;
    db.run(
      "INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, " +
        "last_update_time) VALUES (0, 'Default', ?, 'active', ?, ?)",
      appendToUri(artifactRoot, "0"),
      now,
      now,
    );
  });
}
