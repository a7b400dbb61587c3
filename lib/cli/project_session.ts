/** The session of the project a command works on, with kmlf's built-in plugins (kmlf-mlflow). */
import { envFromVariables, parseRuntimeParams } from "../config/mod.ts";
import { KmlfSession } from "../session/mod.ts";
import { builtinPlugins } from "./plugins.ts";
import { requireProject } from "./project.ts";

/**
 * Opens the project found from `--project` (or the working directory) in environment `--env`, else
 * KMLF_ENV (or KEDRO_ENV), else the project's default, with `--params` for the config's
 * `${runtime_params:…}`. `kmlf run` builds its own: it passes run options too.
 *
 * @example
 * ```ts
 * const session = await openProjectSession({ project: undefined, env: "local" });
 * ```
 */
export async function openProjectSession(
  options: { project?: string; env?: string; params?: string },
): Promise<KmlfSession> {
  return await KmlfSession.create({
    projectRoot: requireProject(options),
    env: options.env,
    ...(options.params ? { runtimeParams: parseRuntimeParams(options.params, "--params") } : {}),
    runtimeParamsFlag: "--params", // hints name the flag, not the session's option
    envVar: envFromVariables(),
    plugins: builtinPlugins(),
  });
}
