/** Finding the project for commands that need one. */
import { join, resolve } from "../path.ts";
import { requireProjectRoot } from "../config/mod.ts";
import { useValidationCache } from "../validation_cache.ts";
import { BUILD_ID } from "./bundle_info.ts";

/**
 * The project root from `--project` or by walking up from the working directory; outside a project,
 * config's `project/not-found` error says how to create one. The project's validation cache
 * (`.kmlf/cache/validated.json`, lib/validation_cache.ts) is turned on for the rest of the command.
 *
 * @example
 * ```ts
 * const root = requireProject({ project: undefined });
 * ```
 */
export function requireProject(options: { project?: string }): string {
  const root = requireProjectRoot(resolve(options.project ?? Deno.cwd()));
  useValidationCache(join(root, ".kmlf", "cache"), BUILD_ID);
  return root;
}
