/**
 * File-system helpers shared across layers, where "missing" is an answer rather than an error.
 *
 * @module
 */
import { dirname } from "./path.ts";

/**
 * `Deno.statSync`, with undefined for a missing path (or one below a file) (other errors, e.g. permissions,
 * still throw). kmlf's metadata calls are synchronous: the system call takes microseconds, where Deno's
 * asynchronous version is a hop to its blocking-thread pool and back (~0.1 ms, the first ~0.9 ms); see
 * lib/file_io.ts for the price.
 *
 * @example
 * ```ts
 * const info = statOrUndefined("/tmp/maybe.txt");
 * if (info?.isFile) console.log(info.size);
 * ```
 */
export function statOrUndefined(path: string): Deno.FileInfo | undefined {
  try {
    return Deno.statSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) return undefined;
    throw error;
  }
}

/**
 * `Deno.realPathSync`, with undefined for a missing path (or one below a file).
 *
 * @example
 * ```ts
 * realPathOrUndefined("/tmp/link"); // "/tmp/target" or undefined
 * ```
 */
export function realPathOrUndefined(path: string): string | undefined {
  try {
    return Deno.realPathSync(path);
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
 * resolvesInside("/srv/mlruns/0/run/metrics", "/srv/mlruns/0/run/metrics/loss"); // true
 * resolvesInside("/srv/art", "/srv/art/link-to-etc/passwd"); // false
 * ```
 */
export function resolvesInside(rootDir: string, target: string): boolean {
  try {
    const realRoot = realPathOrUndefined(rootDir) ?? rootDir;
    let probe = deepestPresent(rootDir, target);
    let real = realPathOrUndefined(probe);
    while (real === undefined && probe !== rootDir && probe !== dirname(probe)) {
      probe = dirname(probe);
      real = realPathOrUndefined(probe);
    }
    return real === undefined || real === realRoot ||
      real.startsWith(realRoot === "/" ? "/" : `${realRoot}/`);
  } catch (error) {
    if (error instanceof Deno.errors.FilesystemLoop) return false; // a symlink loop leads nowhere safe
    throw error;
  }
}

// The deepest of `target` and its folders below `rootDir` that exists (without following its last link),
// found from the root down. Climbing from the target with realpath instead costs cubic time in the depth
// (glibc's realpath is itself quadratic): a client that made a 1,000-folder path could hold a server for
// seconds per request on one deeper than it.
function deepestPresent(rootDir: string, target: string): string {
  const base = rootDir.replace(/\/+$/, "");
  if (!target.startsWith(`${base}/`)) return target;
  let present = base;
  for (const name of target.slice(base.length + 1).split("/")) {
    if (name === "") continue;
    const next = `${present}/${name}`;
    const info = lstatIfAny(next);
    if (!info) break;
    present = next;
    if (info.isFile) break;
  }
  return present;
}

/**
 * `Deno.statSync`, or undefined when it fails for any reason (missing, unreadable, a file in the way).
 *
 * @example
 * ```ts
 * if (statIfAny("conf/local")?.isDirectory) console.log("local settings");
 * ```
 */
export function statIfAny(path: string | URL): Deno.FileInfo | undefined {
  try {
    return Deno.statSync(path);
  } catch {
    return undefined;
  }
}

/**
 * `Deno.lstatSync` (a symlink as itself), or undefined when it fails for any reason.
 *
 * @example
 * ```ts
 * if (lstatIfAny("data/model.pkl")?.isSymlink) console.log("a link");
 * ```
 */
export function lstatIfAny(path: string | URL): Deno.FileInfo | undefined {
  try {
    return Deno.lstatSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Whether `path` is a regular file (symlinks followed); false when it cannot be looked at.
 *
 * @example
 * ```ts
 * if (!isFile("pipelines/iris/nodes.ts")) throw new Error("no node module");
 * ```
 */
export function isFile(path: string | URL): boolean {
  return statIfAny(path)?.isFile ?? false;
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
