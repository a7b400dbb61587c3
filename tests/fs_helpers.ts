/** Temp-directory helpers for tests that build small projects on disk. */
import { dirname, join } from "node:path";

/**
 * Writes `files` (relative path → content) under a new temp dir and returns its path.
 *
 * @example
 * ```ts
 * const dir = await writeTree({ "conf/base/catalog.yml": "{}\n" });
 * ```
 */
export async function writeTree(files: Record<string, string>, dir?: string): Promise<string> {
  const root = dir ?? await Deno.makeTempDir({ prefix: "kmlf-unit-" });
  for (const [path, content] of Object.entries(files)) {
    await Deno.mkdir(dirname(join(root, path)), { recursive: true });
    await Deno.writeTextFile(join(root, path), content);
  }
  return root;
}

/** Runs `fn` with a fresh temp tree and removes it afterwards. */
export async function withTree<T>(
  files: Record<string, string>,
  fn: (dir: string) => Promise<T> | T,
): Promise<T> {
  const dir = await writeTree(files);
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
