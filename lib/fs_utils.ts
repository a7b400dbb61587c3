/**
 * File-system helpers shared across layers, where "missing" is an answer rather than an error.
 *
 * @module
 */

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
