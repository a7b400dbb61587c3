/**
 * The tracking store a project command uses: the env's `mlflow.yml` (`server.mlflow_tracking_uri`), else
 * `MLFLOW_TRACKING_URI`, else `mlflow.db` at the project root — or, outside a project, `MLFLOW_TRACKING_URI`
 * else `mlflow.db` in the working directory (like `kmlf server`).
 */
import { resolve } from "../path.ts";
import {
  ConfigLoader,
  envFromVariables,
  envVariableOrigin,
  findProjectRoot,
  loadProjectSettings,
  parseRuntimeParams,
  resolveEnv,
} from "../config/mod.ts";
// mlflow.yml alone, not the kedro-mlflow layer (tests/layers.ts, START_UP_ENTRIES): `kmlf models serve`.
import { type MlflowConfig, readMlflowConfig } from "../mlflow/mlflow_config.ts";
import { checkRegistryUri, resolveTrackingUri } from "../mlflow/tracking_uri_rules.ts";
import { randomRunName } from "../mlflow_conventions.ts";

/** Where a command's runs live. */
export interface ProjectTracking {
  /** The project root, when the command runs inside a project. */
  root?: string;
  /** The resolved tracking URI. */
  trackingUri: string;
  /** Relative paths of the URI resolve against it. */
  baseDir: string;
  /** The parsed mlflow.yml, when the project has one. */
  config?: MlflowConfig;
  /** The project's name (kmlf.yml), when the command runs inside a project. */
  projectName?: string;
}

/**
 * Finds the project (optional) and its tracking URI. `params` (`--params`) feed mlflow.yml's
 * `${runtime_params:…}` in the commands that take them (`takesParams`: those a run's `--params` must reach,
 * `kmlf mlflow modelify|start-run|end-run`); the others' hints offer a default instead of the flag.
 *
 * @example
 * ```ts
 * const { trackingUri, baseDir } = await projectTracking({ project: undefined, params: "store=mlflow.db" });
 * ```
 */
export async function projectTracking(
  options: { project?: string; env?: string; params?: string; takesParams?: boolean },
): Promise<ProjectTracking> {
  // An empty variable is unset, as MLflow reads it (not the project root as a file store).
  const envUri = Deno.env.get("MLFLOW_TRACKING_URI") || undefined;
  const root = findProjectRoot(resolve(options.project ?? Deno.cwd()));
  if (!root) return { trackingUri: envUri || "mlflow.db", baseDir: Deno.cwd() };
  const settings = await loadProjectSettings(root);
  const envVar = envFromVariables();
  const env = resolveEnv({ flag: options.env, envVar, settings });
  const loader = await ConfigLoader.create({
    confSource: settings.confSource,
    env,
    envOrigin: envVariableOrigin({ flag: options.env, envVar }),
    baseEnv: settings.baseEnv,
    mergeStrategy: settings.mergeStrategy,
    patterns: settings.configPatterns,
    // mlflow.yml may read ${runtime_params:…} too: an exported workflow's start and end tasks pass --params.
    ...(options.params ? { runtimeParams: parseRuntimeParams(options.params, "--params") } : {}),
    resolvers: { "km.random_name": () => randomRunName() },
    runtimeParamsFlag: options.takesParams ? "--params" : null,
  });
  const loaded = await loader.get("mlflow");
  const config = loaded.files.length
    ? await readMlflowConfig(loaded, { projectName: settings.name, projectRoot: root })
    : undefined;
  const trackingUri = resolveTrackingUri(config?.server.trackingUri ?? null, { projectRoot: root, envUri });
  if (config) checkRegistryUri(config, trackingUri, root);
  return { root, trackingUri, baseDir: root, config, projectName: settings.name };
}
