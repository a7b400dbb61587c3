/**
 * Reading, writing and copying whole files, as `Deno.readFile`/`readTextFile`/`writeFile`/`writeTextFile`/
 * `copyFile` do (same options, same errors), at a CLI's pace:
 *
 * - **Small regular files are read, written and copied synchronously.** Each asynchronous file operation is a hop to
 *   Deno's blocking-thread pool and back, ~0.1 ms here (the first one ~0.9 ms, as the pool starts), while the
 *   system call itself takes microseconds; a run reads and writes dozens of small files (settings, pipelines,
 *   datasets, a model's folder). Files above {@link SYNC_IO_BYTES}, pipes and devices keep the asynchronous
 *   calls, so a large read or write never holds up the event loop (Ctrl-C, concurrent saves, the server).
 * - **No web streams.** `Deno.writeFile`/`writeTextFile` first check whether the data is a `ReadableStream`,
 *   and that check makes Deno load its web streams, ~3 ms of every command that writes a file.
 *
 * kmlf's modules use these instead of Deno's, and look at the file system (stat, lstat, mkdir, realPath,
 * rename, readDir) with Deno's synchronous calls only (a test checks both). The price, accepted: a listing or
 * search over thousands of files holds the event loop for its duration (~10 µs a file here, where the
 * asynchronous calls took ten times that in all), so the server answers such a request before the next one,
 * as it always has with its SQLite store; and a hung network mount holds the process, Ctrl-C included,
 * where an asynchronous call held one pool thread.
 *
 * @module
 */

/** Files up to this size (1 MiB) are read, written and copied synchronously: see the module's documentation. */
export const SYNC_IO_BYTES = 1024 * 1024;

/** The options of `Deno.writeFile` that kmlf uses. */
export interface WriteFileOptions {
  /** Add to the end of the file instead of replacing it. */
  append?: boolean;
  /** Create the file if it is missing (default true). */
  create?: boolean;
  /** Fail with `AlreadyExists` if the file exists. */
  createNew?: boolean;
  /** Permissions of a file this creates (before the umask). */
  mode?: number;
}

/**
 * Reads a whole file, like `Deno.readFile`.
 *
 * @example
 * ```ts
 * const bytes = await readFile("data/06_models/model.pkl");
 * ```
 */
export async function readFile(path: string | URL): Promise<Uint8Array> {
  return smallFile(path) ? Deno.readFileSync(path) : await Deno.readFile(path);
}

/**
 * Reads a whole file as UTF-8 text, like `Deno.readTextFile`.
 *
 * @example
 * ```ts
 * const yaml = await readTextFile("conf/base/catalog.yml");
 * ```
 */
export async function readTextFile(path: string | URL): Promise<string> {
  return smallFile(path) ? Deno.readTextFileSync(path) : await Deno.readTextFile(path);
}

/**
 * Copies a file, like `Deno.copyFile` (permissions included).
 *
 * @example
 * ```ts
 * await copyFile("data/06_models/model.pkl", "mlartifacts/1/abc/artifacts/model/data/model.pkl");
 * ```
 */
export async function copyFile(from: string | URL, to: string | URL): Promise<void> {
  if (smallFile(from) && !existsAsNonFile(to)) Deno.copyFileSync(from, to);
  else await Deno.copyFile(from, to);
}

/** A pipe, a device or a folder at `path` (a folder is refused by the asynchronous call, in Deno's words). */
function existsAsNonFile(path: string | URL): boolean {
  try {
    return !Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** A regular file small enough to read synchronously; anything else (a failed stat too) takes Deno's call. */
function smallFile(path: string | URL): boolean {
  try {
    const info = Deno.statSync(path);
    return info.isFile && info.size <= SYNC_IO_BYTES;
  } catch {
    return false; // Deno.readFile reports the error in its own words
  }
}

/**
 * Writes bytes to a file, replacing it (or appending), like `Deno.writeFile`.
 *
 * @example
 * ```ts
 * await writeFile("data/06_models/model.pkl", bytes);
 * ```
 */
export async function writeFile(
  path: string | URL,
  data: Uint8Array,
  options: WriteFileOptions = {},
): Promise<void> {
  const openOptions: Deno.OpenOptions = {
    write: true,
    append: options.append ?? false,
    truncate: !options.append,
    create: options.create ?? true,
    createNew: options.createNew ?? false,
    mode: options.mode,
  };
  if (data.length <= SYNC_IO_BYTES && !existsAsNonFile(path)) {
    const file = Deno.openSync(path, openOptions);
    try {
      for (let written = 0; written < data.length;) written += file.writeSync(data.subarray(written));
    } finally {
      file.close();
    }
    return;
  }
  const file = await Deno.open(path, openOptions);
  try {
    for (let written = 0; written < data.length;) written += await file.write(data.subarray(written));
  } finally {
    file.close();
  }
}

const encoder = new TextEncoder();

/**
 * Writes text as UTF-8, like `Deno.writeTextFile`.
 *
 * @example
 * ```ts
 * await writeTextFile("conf/base/mlflow.yml", yaml, { createNew: true });
 * ```
 */
export function writeTextFile(
  path: string | URL,
  text: string,
  options: WriteFileOptions = {},
): Promise<void> {
  return writeFile(path, encoder.encode(text), options);
}
