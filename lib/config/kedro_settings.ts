/**
 * Kedro's own setting names (pyproject.toml's `[tool.kedro]`, settings.py) that a Kedro user writes into
 * kmlf.yml: each says where its kmlf counterpart is, or that kmlf has none, instead of a bare "unknown key".
 */
import type { KeyPath } from "../yaml/parse_yaml.ts";

const LOADER_ARGS = "its keys go at the top of kmlf.yml: base_env, default_env (Kedro's default_run_env), " +
  "config_patterns, merge_strategy; custom resolvers come from a plugin";
const KEDRO_METADATA = "kmlf.yml holds no Kedro project metadata: remove it (pyproject.toml may stay as is)";

const KEDRO_KEYS: Readonly<Record<string, string>> = {
  package_name: "kmlf.yml's name is the package name: write name: <package_name> (and remove package_name)",
  project_name:
    "kmlf.yml's name is the package name (name: my_project); the project's title is not a setting",
  repo_name: KEDRO_METADATA,
  kedro_init_version: KEDRO_METADATA,
  tools: KEDRO_METADATA,
  example_pipeline: KEDRO_METADATA,
  source_dir: "node modules are found from each pipeline YAML's func: paths under pipelines_dir (default " +
    "pipelines/): remove it",
  default_run_env: "write default_env: <env> (kmlf's name for it)",
  config_loader_args: LOADER_ARGS,
  config_loader_class: "kmlf has one config loader (OmegaConfigLoader's rules): remove it",
  custom_resolvers:
    "a plugin adds resolvers (its resolvers: {name: fn}), listed in kmlf.yml plugins:; see the README's Plugins section",
  hooks: "write hooks: [./hooks.ts#ProjectHooks] (TypeScript modules, relative to kmlf.yml)",
  disable_hooks_for_plugins: "write disable_hooks_for_plugins: [kmlf-mlflow] (lower case, as the other keys)",
  conf_source: "write conf_source: <folder or archive> (lower case)",
  context_class: "kmlf has no KedroContext subclassing: hooks and plugins do that work; remove it",
  session_store_class: "kmlf keeps no session store: remove it",
  session_store_args: "kmlf keeps no session store: remove it",
  data_catalog_class:
    "kmlf has one catalog class: remove it (your own dataset types go in type: ./x.ts#MyDataset)",
};

/**
 * The hint for a top-level kmlf.yml key Kedro spells (in any case: settings.py's are upper case), if it is one.
 *
 * @example
 * ```ts
 * kedroSettingHint(["CONFIG_LOADER_ARGS"]); // "its keys go at the top of kmlf.yml: …"
 * ```
 */
export function kedroSettingHint(keyPath: KeyPath): string | undefined {
  if (keyPath.length !== 1) return undefined;
  const key = String(keyPath[0]).toLowerCase();
  return Object.hasOwn(KEDRO_KEYS, key) ? `Kedro's ${String(keyPath[0])}: ${KEDRO_KEYS[key]}` : undefined;
}
