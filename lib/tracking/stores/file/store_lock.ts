/**
 * The file store's one lock mechanism, for check-then-write sequences that must not interleave (an
 * experiment name is checked free, then taken; a registered model's meta.yaml is read, changed and
 * written): a lock file created exclusively, so processes sharing a store take turns; calls inside one
 * process queue in memory first, so they do not spin on the file. The file holds `<pid> <ms>`.
 *
 * Two locks are taken with it: the store's (`<root>/.kmlf-lock`, {@link withStoreLock}) and one per
 * registered model (`<root>/models/<name>/.kmlf-lock`, the registry's `withModelLock`). MLflow lists only
 * folders and `meta.yaml`, so the lock files are invisible to it.
 *
 * A lock left by a process that died holding it (its pid is gone, or it is older than
 * {@link STALE_LOCK_MS}) is broken.
 *
 * @module
 */
import { join } from "../../../path.ts";
import { TrackingError } from "../../../errors.ts";
import { processAlive } from "../../../fs_utils.ts";
import { readTextFile, writeTextFile } from "../../../file_io.ts";

/** The lock file's name, in the store's root and in each registered model's folder. */
export const LOCK_FILE = ".kmlf-lock";
/** A lock held longer than this is from a process that died (holders keep it for milliseconds). */
export const STALE_LOCK_MS = 30_000;

/** Options of {@link withFileLock}. */
export interface FileLockOptions {
  /** How long to wait for another holder before giving up (default 60 s). */
  waitMs?: number;
  /** The error when the lock's folder does not exist (default: the file system's NotFound). */
  missingFolder?: () => Error;
  /** The error when the wait ran out. */
  busy: (waitedMs: number) => Error;
}

const queues = new Map<string, Promise<unknown>>();

async function breakIfStale(path: string): Promise<void> {
  let text: string;
  let age: number;
  try {
    text = await readTextFile(path);
    age = Date.now() - (Deno.statSync(path).mtime?.getTime() ?? Date.now());
  } catch {
    return; // released meanwhile
  }
  // An empty file is being written right now, or was left by an older kmlf: only its age tells.
  const pid = Number(text.split(" ")[0]);
  const dead = Number.isInteger(pid) && pid > 0 ? processAlive(pid) === false : false;
  if (!dead && age < STALE_LOCK_MS) return;
  // Move it aside first: of several writers breaking the same lock, one wins the rename.
  const aside = `${path}.stale-${crypto.randomUUID().slice(0, 8)}`;
  try {
    if ((await readTextFile(path)) !== text) return; // a new holder took it
    Deno.renameSync(path, aside);
    await Deno.remove(aside);
  } catch { /* someone else broke it */ }
}

async function acquire(path: string, options: FileLockOptions): Promise<void> {
  const started = Date.now();
  const waitMs = options.waitMs ?? 60_000;
  for (let wait = 1;; wait = Math.min(wait * 2, 50)) {
    try {
      await writeTextFile(path, `${Deno.pid} ${Date.now()}`, { createNew: true });
      return;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound && options.missingFolder) throw options.missingFolder();
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
    if (Date.now() - started > waitMs) throw options.busy(waitMs);
    await breakIfStale(path);
    // A little jitter, so processes that collided do not retry in lockstep.
    await new Promise((resolve) => setTimeout(resolve, wait + Math.random() * 3));
  }
}

/**
 * Runs `fn` while holding the lock file `path` (created exclusively; removed when `fn` settles).
 *
 * @example
 * ```ts
 * await withFileLock(join(modelFolder, LOCK_FILE), async () => { … }, {
 *   missingFolder: () => registeredModelNotFound("iris"),
 *   busy: () => new TrackingError("TEMPORARILY_UNAVAILABLE", "iris is locked"),
 * });
 * ```
 */
export function withFileLock<T>(path: string, fn: () => Promise<T>, options: FileLockOptions): Promise<T> {
  const previous = queues.get(path) ?? Promise.resolve();
  const run = previous.then(async () => {
    await acquire(path, options);
    try {
      return await fn();
    } finally {
      await Deno.remove(path).catch(() => {});
    }
  });
  const settled = run.catch(() => {});
  queues.set(path, settled);
  settled.then(() => {
    if (queues.get(path) === settled) queues.delete(path);
  });
  return run;
}

/**
 * Runs `fn` while holding the store's lock (`<root>/.kmlf-lock`).
 *
 * @example
 * ```ts
 * await withStoreLock(root, async () => {
 *   if (await nameTaken(name)) throw experimentExists(name);
 *   await writeExperiment(name);
 * });
 * ```
 */
export function withStoreLock<T>(root: string, fn: () => Promise<T>): Promise<T> {
  const path = join(root, LOCK_FILE);
  return withFileLock(path, fn, {
    busy: (waited) =>
      new TrackingError(
        "tracking/store-locked",
        `The file store has been locked by another process for over ${waited / 1000} s`,
        { hint: `if no other kmlf process uses this store, delete ${path}` },
      ),
  });
}
