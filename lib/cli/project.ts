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

/**
 * The environment `--env` falls back to: `$KMLF_ENV`, else Kedro's `$KEDRO_ENV` (what a Kedro project's
 * deployments set; `kedro run` reads it, so ignoring it would run another env's config). Empty is unset.
 *
 * @example
 * ```ts
 * const envVar = envFromVariables(); // "prod" when KEDRO_ENV=prod and KMLF_ENV is unset
 * ```
 */
export function envFromVariables(): string | undefined {
  return Deno.env.get("KMLF_ENV") || Deno.env.get("KEDRO_ENV") || undefined;
}
