/**
 * MLflow's file layout of the model registry (`mlflow/store/model_registry/file_store.py`), under
 * `<mlruns>/models/`:
 *
 * ```
 * models/<name>/meta.yaml              aliases, creation_timestamp, description, last_updated_timestamp, name
 * models/<name>/tags/<key>             the tag's value
 * models/<name>/aliases/<alias>        the version number it points at
 * models/<name>/version-<n>/meta.yaml  aliases, creation_timestamp, current_stage, description, …, version
 * models/<name>/version-<n>/tags/<key>
 * ```
 *
 * meta.yaml files are written as PyYAML does (sorted keys, block style) with the keys MLflow's
 * entities read. Writers of one model take a lock file in its folder (`.kmlf-lock`, which MLflow
 * ignores; `store_lock.ts`' mechanism), so concurrent processes neither lose updates nor hand out one version number twice.
 *
 * @module
 */
import { dirname, join } from "../../../path.ts";
import { TrackingError } from "../../../errors.ts";
import type { ModelVersion, ModelVersionStatus, RegisteredModel } from "../../registry/entities.ts";
import { latestPerStage } from "../../registry/entities.ts";
import { registeredModelNotFound, validateModelName, validateNewModelName } from "../../registry/rules.ts";
import { mlflowError } from "../../tracking_errors.ts";
import { keyFile, readKeyFiles, readMeta, writeMeta } from "./file_format.ts";
import { LOCK_FILE, withFileLock } from "./store_lock.ts";
import { leadsOutOf } from "./folder_links.ts";
import { writeTextFile } from "../../../file_io.ts";

/**
 * Where a model's folder is. Names that cannot be one folder name are refused as MLflow's file store
 * refuses them (`/`, `%`); when only looking a model up, a name no folder can have (a NUL, over 255
 * bytes) is simply not found.
 */
export function modelDir(root: string, name: string, options: { creating?: boolean } = {}): string {
  if (options.creating) validateNewModelName(name);
  else validateModelName(name);
  if (name.includes("/") || name.includes("\\") || name === "." || name === "..") {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Invalid name: '${name}'. Registered model name cannot contain path separator`,
      "the file store keeps each model in a folder named after it; use a name without '/'",
    );
  }
  if (name.includes("%")) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Invalid name: '${name}'. Registered model name cannot contain '%' character`,
    );
  }
  const tooLong = new TextEncoder().encode(name).length > 255;
  if (!options.creating && (tooLong || name.includes("\u0000"))) throw registeredModelNotFound(name);
  if (tooLong) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Invalid name: '${name.slice(0, 250)}…'. The file store keeps a model in a folder named after it, ` +
        "and folder names are limited to 255 bytes",
      "use a shorter name, or a SQLite tracking store",
    );
  }
  // `models` (or the model's folder) planted as a link out of the store: no model is there, none is made there.
  if (leadsOutOf(root, `models/${name}`)) {
    if (!options.creating) throw registeredModelNotFound(name);
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Cannot create registered model '${name}': the store's models folder is a symbolic link leading out of the store.`,
      "the store never follows links out of its folder; remove the link or move its target in",
    );
  }
  return join(root, "models", name);
}

/** The folder of version `n` of a model. */
export function versionDir(dir: string, version: number): string {
  return join(dir, `version-${version}`);
}

/** A model's meta.yaml fields, as MLflow's `RegisteredModel` entity holds them. */
export interface ModelMeta {
  name: string;
  creation_timestamp: number | null;
  last_updated_timestamp: number | null;
  description: string | null;
}

/** A version's meta.yaml fields, as MLflow's `FileModelVersion` entity holds them. */
export type VersionMeta = {
  name: string;
  version: number;
  creation_timestamp: number | null;
  last_updated_timestamp: number | null;
  description: string | null;
  user_id: string | null;
  current_stage: string;
  source: string | null;
  run_id: string | null;
  run_link: string | null;
  status: string;
  status_message: string | null;
  storage_location: string | null;
};

const num = (x: unknown) => (x === null || x === undefined ? null : Number(x));
const text = (x: unknown) => (x === null || x === undefined ? null : String(x));

/** A model's meta.yaml (undefined when the folder has none, e.g. while it is being created). */
export async function readModelMeta(dir: string): Promise<ModelMeta | undefined> {
  const meta = await readMeta(join(dir, "meta.yaml"));
  if (!meta) return undefined;
  return {
    name: String(meta.name),
    creation_timestamp: num(meta.creation_timestamp),
    last_updated_timestamp: num(meta.last_updated_timestamp),
    description: text(meta.description),
  };
}

/** Writes a model's meta.yaml with its current aliases, as MLflow does. */
export async function writeModelMeta(dir: string, meta: ModelMeta): Promise<void> {
  const aliases = await readKeyFiles(join(dir, "aliases"));
  await writeMeta(join(dir, "meta.yaml"), { ...meta, aliases });
}

/** Every version folder's meta (deleted versions included), by number. */
export async function readVersionMetas(dir: string): Promise<VersionMeta[]> {
  const out: VersionMeta[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(dir)];
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  for (const e of entries) {
    const m = e.isDirectory ? e.name.match(/^version-(\d+)$/) : null;
    if (!m) continue;
    const meta = await readVersionMeta(join(dir, e.name));
    if (meta) out.push(meta);
  }
  return out.sort((a, b) => a.version - b.version);
}

/** Every version number that has a folder, including one being created right now. */
export function versionNumbers(dir: string): number[] {
  const out: number[] = [];
  for (const e of Deno.readDirSync(dir)) {
    const m = e.isDirectory ? e.name.match(/^version-(\d+)$/) : null;
    if (m) out.push(Number(m[1]));
  }
  return out;
}

/** One version folder's meta.yaml. */
export async function readVersionMeta(dir: string): Promise<VersionMeta | undefined> {
  const meta = await readMeta(join(dir, "meta.yaml"));
  if (!meta) return undefined;
  return {
    name: String(meta.name),
    version: Number(meta.version),
    creation_timestamp: num(meta.creation_timestamp),
    last_updated_timestamp: num(meta.last_updated_timestamp),
    description: text(meta.description),
    user_id: text(meta.user_id),
    current_stage: String(meta.current_stage ?? "None"),
    source: text(meta.source),
    run_id: text(meta.run_id),
    run_link: text(meta.run_link),
    status: String(meta.status ?? "READY"),
    status_message: text(meta.status_message),
    storage_location: text(meta.storage_location),
  };
}

/** Writes a version's meta.yaml with the aliases pointing at it, as MLflow does. */
export async function writeVersionMeta(modelFolder: string, meta: VersionMeta): Promise<void> {
  const aliases = Object.entries(await readKeyFiles(join(modelFolder, "aliases")))
    .filter(([, v]) => Number(v) === meta.version).map(([a]) => a);
  await writeMeta(join(versionDir(modelFolder, meta.version), "meta.yaml"), { ...meta, aliases });
}

/** A version entity from its meta, tags and the model's aliases. */
export async function versionEntity(
  modelFolder: string,
  meta: VersionMeta,
  aliases: Record<string, string>,
): Promise<ModelVersion> {
  return {
    name: meta.name,
    version: String(meta.version),
    creationTimestamp: meta.creation_timestamp,
    lastUpdatedTimestamp: meta.last_updated_timestamp,
    description: meta.description,
    userId: meta.user_id,
    currentStage: meta.current_stage,
    source: meta.source,
    runId: meta.run_id,
    runLink: meta.run_link,
    status: meta.status as ModelVersionStatus,
    statusMessage: meta.status_message,
    tags: await readKeyFiles(join(versionDir(modelFolder, meta.version), "tags")),
    aliases: Object.entries(aliases).filter(([, v]) => Number(v) === meta.version).map(([a]) => a),
  };
}

/** A model entity from its folder (undefined while the folder has no meta.yaml yet). */
export async function modelEntity(dir: string): Promise<RegisteredModel | undefined> {
  const meta = await readModelMeta(dir);
  if (!meta) return undefined;
  const aliases = await readKeyFiles(join(dir, "aliases"));
  const versions = await Promise.all(
    latestPerStage(await readVersionMetas(dir), (v) => ({ stage: v.current_stage, version: v.version }))
      .map((v) => versionEntity(dir, v, aliases)),
  );
  return {
    name: meta.name,
    creationTimestamp: meta.creation_timestamp,
    lastUpdatedTimestamp: meta.last_updated_timestamp,
    description: meta.description,
    latestVersions: versions,
    tags: await readKeyFiles(join(dir, "tags")),
    aliases,
  };
}

/**
 * Writes the file of tag or alias `key` in `folder` (a model's or version's `tags`, a model's `aliases`) with
 * `value`, or removes it (undefined; a missing file is fine). Refused like a run's keys when a link on the
 * way — `folder` itself included — leads out of the model's folder (`keyFile`).
 */
export async function writeKeyFile(
  folder: string,
  key: string,
  value: string | undefined,
  kind: "tag" | "alias" = "tag",
): Promise<void> {
  const path = keyFile(folder, key, kind);
  if (value !== undefined) {
    // The temp file has a short name of its own: a 250-character key plus a suffix would exceed the
    // file system's 255-byte limit. Readers skip `*.tmp` files.
    Deno.mkdirSync(dirname(path), { recursive: true });
    const tmp = join(dirname(path), `.kmlf-${crypto.randomUUID().slice(0, 8)}.tmp`);
    await writeTextFile(tmp, value);
    return Deno.renameSync(tmp, path);
  }
  await removeIfPresent(path);
}

async function removeIfPresent(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/**
 * Removes a model's lock file (`.kmlf-lock`) if it is there, as a writer that moved or removed the folder
 * holding it does.
 *
 * @example
 * ```ts
 * await removeModelLock(join(root, "models", "iris"));
 * ```
 */
export async function removeModelLock(modelFolder: string): Promise<void> {
  await removeIfPresent(join(modelFolder, LOCK_FILE));
}

const LOCK = LOCK_FILE;
const LOCK_WAIT_MS = 20_000;

/**
 * Runs `fn` holding the model's lock (`.kmlf-lock` in its folder; the file store's one lock mechanism,
 * `withFileLock`). A missing folder is RESOURCE_DOES_NOT_EXIST for `name`; a lock held past 20 s is
 * TEMPORARILY_UNAVAILABLE.
 *
 * @example
 * ```ts
 * await withModelLock(dir, "iris", async () => { … });
 * ```
 */
export function withModelLock<T>(dir: string, name: string, fn: () => Promise<T>): Promise<T> {
  const lock = join(dir, LOCK);
  return withFileLock(lock, fn, {
    waitMs: LOCK_WAIT_MS,
    missingFolder: () => registeredModelNotFound(name),
    busy: () =>
      new TrackingError(
        "TEMPORARILY_UNAVAILABLE",
        `Cannot change registered model '${name}': another process has held its lock (${lock}) for 20 s`,
        { hint: `retry; if no kmlf process is running, delete ${lock}` },
      ),
  });
}

/**
 * Removes a model's folder while its lock is held: everything but the lock first, then the lock and
 * the folder (retried, since a waiting writer may re-create the lock in between; it then finds no
 * meta.yaml and gives up with "not found").
 */
export async function removeModelFolder(dir: string): Promise<void> {
  for (const e of Deno.readDirSync(dir)) {
    if (e.name !== LOCK) await Deno.remove(join(dir, e.name), { recursive: true });
  }
  for (let attempt = 0;; attempt++) {
    await removeModelLock(dir);
    try {
      return await Deno.remove(dir);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return;
      if (attempt >= 50) throw error;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
