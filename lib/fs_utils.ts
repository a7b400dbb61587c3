/**
 * File-system helpers shared across layers, where "missing" is an answer rather than an error.
 *
 * @module
 */
import { dirname } from "./path.ts";

/**
 * `Deno.stat`, with undefined for a missing path (or one below a file) (other errors, e.g. permissions, still throw).
 *
 * @example
 * ```ts
 * const info = await statOrUndefined("/tmp/maybe.txt");
 * if (info?.isFile) console.log(info.size);
 * ```
 */
export async function statOrUndefined(path: string): Promise<Deno.FileInfo | undefined> {
  try {
    return await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) return undefined;
    throw error;
  }
}

/**
 * `Deno.realPath`, with undefined for a missing path (or one below a file).
 *
 * @example
 * ```ts
 * await realPathOrUndefined("/tmp/link"); // "/tmp/target" or undefined
 * ```
 */
export async function realPathOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await Deno.realPath(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) return undefined;
    throw error;
  }
}

/**
 * Whether `target` (a path lexically below `rootDir`) stays inside `rootDir` once symlinks are resolved.
 * For a path that does not exist yet, its deepest existing ancestor is checked (that is where a write
 * would land). Use it after the path rules, which already refuse `..` and absolute paths.
 *
 * @example
 * ```ts
 * await resolvesInside("/srv/mlruns/0/run/metrics", "/srv/mlruns/0/run/metrics/loss"); // true
 * await resolvesInside("/srv/art", "/srv/art/link-to-etc/passwd"); // false
 * ```
 */
export async function resolvesInside(rootDir: string, target: string): Promise<boolean> {
  try {
    const realRoot = (await realPathOrUndefined(rootDir)) ?? rootDir;
    let probe = target;
    let real = await realPathOrUndefined(probe);
    while (real === undefined && probe !== rootDir && probe !== dirname(probe)) {
      probe = dirname(probe);
      real = await realPathOrUndefined(probe);
    }
    return real === undefined || real === realRoot ||
      real.startsWith(realRoot === "/" ? "/" : `${realRoot}/`);
  } catch (error) {
    if (error instanceof Deno.errors.FilesystemLoop) return false; // a symlink loop leads nowhere safe
    throw error;
  }
}

/**
 * Whether process `pid` is running, when it can be told (Linux's /proc, which Deno opens only with
 * --allow-all); undefined otherwise. Used to tell a lock or temp file of a dead process from a live one.
 *
 * @example
 * ```ts
 * processAlive(Deno.pid); // true on Linux
 * ```
 */
export function processAlive(pid: number): boolean | undefined {
  if (Deno.build.os !== "linux") return pid === Deno.pid ? true : undefined;
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch (error) {
    // Deno lets only --allow-all processes look into /proc: without it, "cannot tell".
    return error instanceof Deno.errors.NotFound ? false : undefined;
  }
}
