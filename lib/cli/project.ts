/** Finding the project for commands that need one. */
import { resolve } from "../path.ts";
import { requireProjectRoot } from "../config/mod.ts";

/**
 * The project root from `--project` or by walking up from the working directory; outside a project,
 * config's `project/not-found` error says how to create one.
 *
 * @example
 * ```ts
 * const root = requireProject({ project: undefined });
 * ```
 */
export function requireProject(options: { project?: string }): string {
  return requireProjectRoot(resolve(options.project ?? Deno.cwd()));
}
