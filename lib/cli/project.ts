/** Finding the project for commands that need one. */
import { resolve } from "node:path";
import { findProjectRoot } from "../config/mod.ts";
import { ConfigError } from "../errors.ts";

/**
 * The project root from `--project` or by walking up from the working directory.
 *
 * @example
 * ```ts
 * const root = await requireProject({ project: undefined });
 * ```
 */
export async function requireProject(options: { project?: string }): Promise<string> {
  const start = resolve(options.project ?? Deno.cwd());
  const root = await findProjectRoot(start);
  if (!root) {
    throw new ConfigError(
      "project/not-found",
      `No kmlf project found in ${start} or its parents (no kmlf.yml)`,
      {
        hint: "run this command inside a project, pass --project <dir>, or create one with `kmlf new <dir>`",
      },
    );
  }
  return root;
}
