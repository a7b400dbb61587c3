/**
 * Atomic file and folder writes: a crash never leaves a half-written dataset behind, and no temp file or
 * folder outlives its save. A temp is named `.<name>.<pid>-<random>.tmp` beside the target; the ones still being
 * written can be removed synchronously when the process exits ({@link removeTempFilesInFlight}, which the
 * session calls on exit and on Ctrl-C), and the ones a killed process left behind (SIGKILL, power loss)
 * are swept by the next save of the same dataset.
 *
 * @module
 */
import { basename, dirname, join } from "../path.ts";
import { lstatIfAny, processAlive, realPathOrUndefined, statOrUndefined } from "../fs_utils.ts";
import { writeFile, writeTextFile } from "../file_io.ts";

/** Temp files being written right now, by this process. */
const inFlight = new Set<string>();

/** A temp file not touched for this long is stale even when its process cannot be checked. */
const STALE_AFTER_MS = 60 * 60 * 1000;

/** `.<name>.<pid>-<random>.tmp` (and the older `.<name>.<random>.tmp`) beside a target. */
function tempPattern(name: string): RegExp {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^\\.${escaped}\\.(?:(\\d+)-)?[0-9a-f]{8}\\.tmp$`);
}

/**
 * Removes the temp files a dead process left beside `path` (its own, or written by a process that no
 * longer runs, or untouched for an hour); a temp file another live process is writing is left alone.
 *
 * @example
 * ```ts
 * await sweepStaleTempFiles("data/06_models/model.pkl");
 * ```
 */
export async function sweepStaleTempFiles(path: string): Promise<string[]> {
  const dir = dirname(path);
  const pattern = tempPattern(basename(path));
  const removed: string[] = [];
  const candidates = tempCandidates(dir);
  for (const entry of candidates ?? []) {
    const m = entry.name.match(pattern);
    const tmp = join(dir, entry.name);
    if (!m || inFlight.has(tmp)) continue;
    const pid = m[1] === undefined ? undefined : Number(m[1]);
    // This process's own temp files that are not being written are leftovers of a failed save.
    const alive = pid === undefined ? undefined : pid === Deno.pid ? false : processAlive(pid);
    if (alive === true) continue;
    if (alive === undefined) {
      const info = statOrUndefined(tmp);
      if (!info?.mtime || Date.now() - info.mtime.getTime() < STALE_AFTER_MS) continue;
    }
    await Deno.remove(tmp, { recursive: entry.isDirectory }).then(() => removed.push(tmp), () => {});
  }
  if (removed.length) listings.delete(dir);
  return removed;
}

/**
 * Per folder: the hidden `*.tmp` entries of its last listing, and its mtime when this process last
 * looked or changed it. Listing a folder for every save made saving N files into one folder O(N²) (a
 * 10,000-partition dataset took minutes); a listing is now reused while the folder's mtime shows no
 * change by anyone else (a temp another process creates in the same clock tick as this process's
 * last write is seen at the next change of the folder, or by the next process).
 */
const listings = new Map<string, { mtime: number; temps: Deno.DirEntry[] }>();

// The temp-file candidates of `dir` (undefined: no folder yet), listed again only when it changed.
function tempCandidates(dir: string): Deno.DirEntry[] | undefined {
  const mtime = statOrUndefined(dir)?.mtime?.getTime();
  const known = listings.get(dir);
  if (known && mtime !== undefined && known.mtime === mtime) return known.temps;
  let temps: Deno.DirEntry[];
  try {
    temps = Array.from(Deno.readDirSync(dir)).filter((e) =>
      (e.isFile || e.isDirectory) && e.name.startsWith(".") && e.name.endsWith(".tmp")
    );
  } catch {
    listings.delete(dir);
    return undefined; // no folder yet: nothing to sweep
  }
  if (mtime === undefined) listings.delete(dir);
  else listings.set(dir, { mtime, temps });
  return temps;
}

// After this process changed `dir` (a rename, a removal), its listing is still current: only the mtime moved.
function noteOwnChange(dir: string): void {
  const known = listings.get(dir);
  const mtime = known && statOrUndefined(dir)?.mtime?.getTime();
  if (known && mtime !== undefined) known.mtime = mtime;
  else listings.delete(dir);
}

/**
 * Synchronously removes the temp files of saves still in progress (for exit and signal handlers, which
 * cannot wait). Returns the removed paths.
 *
 * @example
 * ```ts
 * globalThis.addEventListener("unload", () => removeTempFilesInFlight());
 * ```
 */
export function removeTempFilesInFlight(): string[] {
  const removed: string[] = [];
  for (const tmp of inFlight) {
    try {
      Deno.removeSync(tmp, { recursive: true });
      removed.push(tmp);
    } catch { /* already renamed or removed */ }
  }
  inFlight.clear();
  return removed;
}

/**
 * Writes `data` to a temporary file next to `path`, then renames it over `path`. Stale temp files of
 * the same target (from a process that was killed) are swept first.
 *
 * @example
 * ```ts
 * await atomicWrite("data/out.json", new TextEncoder().encode("{}"));
 * ```
 */
export async function atomicWrite(target: string, data: Uint8Array | string): Promise<void> {
  const path = writablePath(target);
  if (path === undefined) {
    // A device or a pipe (/dev/stdout, a FIFO): written in place, as there is nothing to replace.
    if (typeof data === "string") await writeTextFile(target, data);
    else await writeFile(target, data);
    return;
  }
  const dir = dirname(path);
  Deno.mkdirSync(dir, { recursive: true });
  await sweepStaleTempFiles(path);
  const tmp = tempPathFor(path);
  inFlight.add(tmp);
  try {
    if (typeof data === "string") await writeTextFile(tmp, data);
    else await writeFile(tmp, data);
    Deno.renameSync(tmp, path);
    noteOwnChange(dir);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw error;
  } finally {
    inFlight.delete(tmp);
  }
}

/**
 * Replaces the folder `target` with one `fill` writes into a fresh temp folder beside it: a failed `fill`
 * leaves the previous folder as it was, and a kill at any point leaves temps the next save sweeps.
 *
 * @example
 * ```ts
 * await atomicFolder("data/06_models/model", (tmp) => Deno.writeTextFile(`${tmp}/MLmodel`, text));
 * ```
 */
export async function atomicFolder<T>(target: string, fill: (tmp: string) => Promise<T>): Promise<T> {
  Deno.mkdirSync(dirname(target), { recursive: true });
  await sweepStaleTempFiles(target);
  const tmp = tempPathFor(target);
  const aside = tempPathFor(target);
  inFlight.add(tmp);
  inFlight.add(aside);
  try {
    Deno.mkdirSync(tmp);
    const result = await fill(tmp);
    if (pathExists(target)) {
      Deno.renameSync(target, aside);
      Deno.renameSync(tmp, target);
      await Deno.remove(aside, { recursive: true });
    } else Deno.renameSync(tmp, target);
    noteOwnChange(dirname(target));
    return result;
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    inFlight.delete(tmp);
    inFlight.delete(aside);
  }
}

// `.<name>.<pid>-<random>.tmp` beside `path` (the pattern sweepStaleTempFiles recognizes).
function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${Deno.pid}-${crypto.randomUUID().slice(0, 8)}.tmp`);
}

/**
 * Where an atomic write of `target` goes: through a symlink to the file it names (the link stays), or
 * undefined for a device or pipe (written in place). A folder is refused (EISDIR) before any temp file
 * is written beside it.
 */
function writablePath(target: string): string | undefined {
  let path = target;
  const link = lstatIfAny(target);
  if (link?.isSymlink) path = realPathOrUndefined(target) ?? target;
  const info = link?.isSymlink ? statOrUndefined(path) : link;
  if (info?.isDirectory) {
    throw new Deno.errors.IsADirectory(`Is a directory (os error 21): ${target}`);
  }
  if (info && !info.isFile) return undefined;
  return path;
}

/**
 * Whether a path exists (file or directory); other errors (permissions) are thrown.
 *
 * @example
 * ```ts
 * if (pathExists("data/01_raw/iris.csv")) console.log("raw data present");
 * ```
 */
export function pathExists(path: string): boolean {
  return statUnlessMissing(path) !== undefined;
}

/**
 * Whether a regular file is at `path` (symlinks followed); a missing path is false, other errors
 * (permissions, a file where a folder should be) are thrown.
 *
 * @example
 * ```ts
 * if (fileExists("data/06_models/model.pkl")) console.log("model saved");
 * ```
 */
export function fileExists(path: string): boolean {
  return statUnlessMissing(path)?.isFile ?? false;
}

function statUnlessMissing(path: string): Deno.FileInfo | undefined {
  try {
    return Deno.statSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}
