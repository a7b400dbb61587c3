/**
 * Configuration: the project settings file (kmlf.yml) and `conf/<env>` loading with Kedro's
 * merge and interpolation rules.
 *
 * @module
 */
export { ConfigLoader, type ConfigLoaderOptions, type LoadedConfig } from "./loader.ts";
export {
  envFromVariables,
  envVariableOrigin,
  type HookRef,
  loadProjectSettings,
  type PluginRef,
  type ProjectSettings,
  resolveEnv,
  type RunnerSetting,
} from "./project.ts";
export { findProjectRoot, requireProjectRoot, SETTINGS_FILE } from "./project_root.ts";
export { parseRuntimeParams, runtimeParamsFromMapping } from "./runtime_params.ts";
export type { KeyPath } from "../yaml/parse_yaml.ts";
export { clonePlain, deepMerge, isRecord } from "./merge.ts";
export { RESERVED_RESOLVERS, type Resolver } from "./interpolate.ts";
export { DEFAULT_PATTERNS, isArchivePath } from "./files.ts";
