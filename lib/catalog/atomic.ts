/** Atomic file writes: a crash never leaves a half-written dataset behind. */
import { basename, dirname, join } from "node:path";

/**
 * Writes `data` to a temporary file next to `path`, then renames it over `path`.
 *
 * @example
 * ```ts
 * await atomicWrite("data/out.json", new TextEncoder().encode("{}"));
 * ```
 */
export async function atomicWrite(path: string, data: Uint8Array | string): Promise<void> {
  const dir = dirname(path);
  await Deno.mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${crypto.randomUUID().slice(0, 8)}.tmp`);
  try {
    if (typeof data === "string") await Deno.writeTextFile(tmp, data);
    else await Deno.writeFile(tmp, data);
    await Deno.rename(tmp, path);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
}

/**
 * Whether a path exists (file or directory); other errors (permissions) are thrown.
 *
 * @example
 * ```ts
 * if (await pathExists("data/01_raw/iris.csv")) console.log("raw data present");
 * ```
 */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
