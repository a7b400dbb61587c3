/**
 * Where a repository's `downloadArtifacts` writes: the caller's folder, or a temp folder the download
 * makes and owns. A failed download removes the temp folder it made (nobody else knows its name, so it
 * would stay in the temp dir forever); a caller's folder is left as it is (each file in it is written
 * beside its target and renamed, so none is half-written).
 *
 * @module
 */
import { makeTempFolder } from "../../temp_folder.ts";

/**
 * Runs `fill` on `dstDir`, or on a new temp folder named `<prefix>…` that is removed if `fill` fails (an
 * unusable temp root is `io/temp-folder-unusable`).
 *
 * @example
 * ```ts
 * const path = await downloadInto(undefined, "kmlf-artifacts-", async (dir) => {
 *   await Deno.writeTextFile(`${dir}/notes.txt`, "hi");
 *   return `${dir}/notes.txt`;
 * });
 * ```
 */
export async function downloadInto<T>(
  dstDir: string | undefined,
  prefix: string,
  fill: (dir: string) => Promise<T>,
): Promise<T> {
  if (dstDir !== undefined) return await fill(dstDir);
  const dir = await makeTempFolder(prefix);
  try {
    return await fill(dir);
  } catch (error) {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw error;
  }
}
