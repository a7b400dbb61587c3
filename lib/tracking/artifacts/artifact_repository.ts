/**
 * The artifact repository interface (one per artifact root, e.g. a run's `artifact_uri`) and the
 * path-safety check every implementation applies to artifact paths.
 *
 * @module
 */
import type { FileInfo } from "../entities.ts";
import { compareCodePoints } from "../../code_points.ts";
import { mlflowError } from "../tracking_errors.ts";

/** Options of {@link ArtifactRepository.listArtifacts}. */
export interface ListArtifactsOptions {
  /** Also list the contents of sub-directories (depth first, each directory before its contents). */
  recursive?: boolean;
}

/** Reads and writes the artifacts under one root URI. Paths are relative, `/`-separated. */
export interface ArtifactRepository {
  /** The root URI, e.g. `file:///abs/mlartifacts/1/<run>/artifacts`. */
  readonly rootUri: string;
  /** Copies one local file to `<artifactPath>/<file name>`. */
  logArtifact(localFile: string, artifactPath?: string): Promise<void>;
  /** Copies the contents of a local directory under `artifactPath`. */
  logArtifacts(localDir: string, artifactPath?: string): Promise<void>;
  /**
   * Lets `fill` write a folder of artifacts straight where `artifactPath` goes (local repositories: a
   * temp folder beside it, renamed into place), instead of writing it elsewhere and copying it in.
   */
  buildArtifacts?<T>(artifactPath: string, fill: (dir: string) => Promise<T>): Promise<T>;
  /** Writes bytes or text to the artifact file `artifactFile` (e.g. `reports/summary.json`). */
  writeArtifact(artifactFile: string, data: Uint8Array | string): Promise<void>;
  /** Reads one artifact file. */
  readArtifact(artifactFile: string): Promise<Uint8Array>;
  /**
   * Entries directly under `path` (or the root), sorted by path; paths are relative to the root.
   * A file path or a missing path gives an empty list.
   */
  listArtifacts(path?: string, options?: ListArtifactsOptions): Promise<FileInfo[]>;
  /**
   * Makes `artifactPath` (a file or a directory) available locally and returns its local path:
   * copied under `dstDir` when given, else (local repositories) the path where it already is.
   */
  downloadArtifacts(artifactPath: string, dstDir?: string): Promise<string>;
  /** Deletes `artifactPath` (or everything) — used by garbage collection. */
  deleteArtifacts(artifactPath?: string): Promise<void>;
  /**
   * Streams one artifact file out, with its size and validators when known (remote repositories); with
   * `range`, only bytes `[start, end)` (a download answering an HTTP `Range`).
   */
  readArtifactStream?(
    artifactFile: string,
    range?: { start: number; end: number },
  ): Promise<{ body: ReadableStream<Uint8Array>; size?: number; etag?: string; lastModified?: Date }>;
  /**
   * One artifact file's size and validators without its bytes, or undefined when there is no such
   * file (remote repositories that can serve byte ranges).
   */
  statArtifact?(
    artifactFile: string,
  ): Promise<{ size: number; etag?: string; lastModified?: Date } | undefined>;
  /** Streams bytes into `artifactFile` without holding them in memory (remote repositories). */
  writeArtifactStream?(artifactFile: string, stream: ReadableStream<Uint8Array>): Promise<void>;
  /**
   * Checks the location can take artifacts before any work is done: a remote one answers and accepts these
   * credentials, a local one is a writable folder (or can become one).
   */
  checkAccess?(): Promise<void>;
}

/** `path` percent-decoded until it stops changing (at most 10 times), as MLflow's `_decode` does. */
function fullyDecoded(path: string): string {
  let current = path;
  for (let i = 0; i < 10; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return current; // not valid percent-encoding: the path is taken literally
    }
    if (next === current) break;
    current = next;
  }
  return current;
}

/**
 * Normalizes a relative artifact path and refuses unsafe ones like MLflow's `validate_path_is_safe`:
 * absolute paths (`/x`, `C:\x`, `file:` URIs), `..` segments, backslashes, `#` and NUL, also once
 * percent-decoded (`%2e%2e/`, double-encoded). Returns "" for the root. The message names the path as
 * given, never a folder of the machine.
 *
 * @example
 * ```ts
 * safeArtifactPath("sub/dir/"); // "sub/dir"
 * safeArtifactPath("../etc/passwd"); // throws TrackingError INVALID_PARAMETER_VALUE
 * ```
 */
export function safeArtifactPath(path: string | undefined): string {
  if (path === undefined || path === "" || path === ".") return "";
  const refuse = (why: string) =>
    mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Invalid artifact path: '${JSON.stringify(path).slice(1, -1)}'. ${why}`,
      "use a relative path inside the run's artifact root, e.g. 'plots/loss.png'",
    );
  for (const form of new Set([path, fullyDecoded(path)])) {
    if (form.includes("\0")) throw refuse("NUL characters are not allowed.");
    if (form.includes("\\")) throw refuse("Backslashes are not allowed.");
    if (form.includes("#")) throw refuse("'#' is not allowed.");
    if (form.startsWith("/") || /^[a-zA-Z]:/.test(form) || /^file:/i.test(form)) {
      throw refuse("Absolute paths are not allowed.");
    }
    if (form.split("/").includes("..")) throw refuse("'..' is not allowed.");
  }
  return path.split("/").filter((p) => p !== "" && p !== ".").join("/");
}

/**
 * A directory listing in repository order: sorted by path, and with `recursive` each directory followed by
 * its contents (listed through `listChildren`). Shared by every repository so listings agree.
 *
 * @example
 * ```ts
 * return await completeListing(entries, options, (path) => this.listArtifacts(path, options));
 * ```
 */
export async function completeListing(
  entries: FileInfo[],
  options: ListArtifactsOptions,
  listChildren: (path: string) => Promise<FileInfo[]>,
): Promise<FileInfo[]> {
  entries.sort((a, b) => compareCodePoints(a.path, b.path));
  if (!options.recursive) return entries;
  const all: FileInfo[] = [];
  for (const e of entries) {
    all.push(e);
    if (e.isDir) { for (const child of await listChildren(e.path)) all.push(child); // no spread: huge folders
     }
  }
  return all;
}
