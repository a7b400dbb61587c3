/**
 * The file store's lock for check-then-write sequences that must not interleave (an experiment name is
 * checked free, then taken): one file, `<root>/.kmlf-lock`, created exclusively, so processes sharing a
 * store take turns; calls inside one process queue in memory first, so they do not spin on the file.
 * MLflow lists only folders of the store, so the lock file is invisible to it.
 *
 * A lock left by a process that died holding it (its pid is gone, or it is older than
 * {@link STALE_LOCK_MS}) is broken.
 *
 * @module
 */
import { join } from "node:path";
import { TrackingError } from "../../../errors.ts";
import { processAlive } from "../../../fs_utils.ts";

/** A lock held longer than this is from a process that died (holders keep it for milliseconds). */
export const STALE_LOCK_MS = 30_000;
/** How long a writer waits for the lock before giving up. */
const WAIT_MS = 60_000;

const queues = new Map<string, Promise<unknown>>();

async function breakIfStale(path: string): Promise<void> {
  let text: string;
  let age: number;
  try {
    text = await Deno.readTextFile(path);
    age = Date.now() - ((await Deno.stat(path)).mtime?.getTime() ?? Date.now());
  } catch {
    return; // released meanwhile
  }
  const pid = Number(text.split(" ")[0]);
  const dead = Number.isInteger(pid) && pid > 0 ? processAlive(pid) === false : false;
  if (!dead && age < STALE_LOCK_MS) return;
  // Move it aside first: of several writers breaking the same lock, one wins the rename.
  const aside = `${path}.stale-${crypto.randomUUID().slice(0, 8)}`;
  try {
    if ((await Deno.readTextFile(path)) !== text) return; // a new holder took it
    await Deno.rename(path, aside);
    await Deno.remove(aside);
  } catch { /* someone else broke it */ }
}

async function acquire(path: string): Promise<void> {
  const started = Date.now();
  for (let wait = 1;; wait = Math.min(wait * 2, 50)) {
    try {
      await Deno.writeTextFile(path, `${Deno.pid} ${Date.now()}`, { createNew: true });
      return;
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
    if (Date.now() - started > WAIT_MS) {
      throw new TrackingError(
        "tracking/store-locked",
        `The file store has been locked by another process for over ${WAIT_MS / 1000} s`,
        { hint: "if no other kmlf process uses this store, delete its .kmlf-lock file" },
      );
    }
    await breakIfStale(path);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/**
 * Runs `fn` while holding the store's lock.
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
  const path = join(root, ".kmlf-lock");
  const previous = queues.get(path) ?? Promise.resolve();
  const run = previous.then(async () => {
    await acquire(path);
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
