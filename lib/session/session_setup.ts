/**
 * What a session starts from: its options, the built-in plugins, and kmlf.yml, the plugins and the config
 * loader that `KmlfSession.create` loads from them.
 */
import {
  ConfigLoader,
  envVariableOrigin,
  loadProjectSettings,
  type ProjectSettings,
  resolveEnv,
} from "../config/mod.ts";
import { UsageError } from "../errors.ts";
import type { CatalogWarning } from "../catalog/mod.ts";
import { KMLF_VERSION } from "../version.ts";
import type { Plugin } from "../plugin.ts";
import { importPlugins, pluginResolvers } from "./project_plugins.ts";
import { checkCreateOptions } from "./call_options.ts";
import { RUNTIME_PARAMS_OPTION } from "../runtime_params_hint.ts";

let builtinPlugins: () => Plugin[] = () => [];

/**
 * Sets the plugins every session starts with, as Kedro loads installed plugins: the entry points (the CLI,
 * `mod.ts`) register kmlf's built-in kmlf-mlflow, which this layer cannot import.
 *
 * @example
 * ```ts
 * setBuiltinPlugins(() => [mlflowPlugin({ kmlfVersion, openClient })]);
 * ```
 */
export function setBuiltinPlugins(factory: () => Plugin[]): void {
  builtinPlugins = factory;
}

/** Options of {@link KmlfSession.create}. */
export interface SessionOptions {
  /** The project's root folder (holding kmlf.yml). */
  projectRoot: string;
  /** `--env`; falls back to `envVar` (KMLF_ENV, else KEDRO_ENV), then kmlf.yml `default_env`. */
  env?: string;
  /** The value of `KMLF_ENV`, else `KEDRO_ENV` (the CLI passes it); used when `env` is not given. */
  envVar?: string;
  /** `--params`: values that override `parameters.yml`, as {@link parseRuntimeParams} returns them. */
  runtimeParams?: Record<string, unknown>;
  /**
   * The flag `runtimeParams` came from (`--params`: the CLI sets it), for hints about a parameter to pass;
   * without it they name this option, `runtimeParams`, which is how a script passes them.
   */
  runtimeParamsFlag?: string;
  /** Plugins added to the built-in ones and kmlf.yml's `plugins:`. */
  plugins?: Plugin[];
  /** The exact command line, recorded in run params (and by tracking as a tag). */
  commandLine?: string;
  /** `--conf-source`: the config folder instead of kmlf.yml's `conf_source`. */
  confSource?: string;
  /**
   * Told about each broken catalog entry the run does not use (the run goes on without it), each entry
   * built with a note where Kedro warns (credentials set twice; a plugin type's `ctx.warn`), and each
   * `--load-versions` pin of a dataset the run also saves (a `note` says why the run goes on).
   */
  onCatalogWarning?: (warning: CatalogWarning) => void;
}

/** What a session is made of: kmlf.yml, the config loader of its environment and its plugins. */
export interface SessionSetup {
  settings: ProjectSettings;
  config: ConfigLoader;
  plugins: Plugin[];
}

/**
 * Checks the options, loads kmlf.yml (and the plugins it lists) and checks the environment folders exist.
 *
 * @example
 * ```ts
 * const { settings, config, plugins } = await loadSessionSetup({ projectRoot: "." });
 * ```
 */
export async function loadSessionSetup(options: SessionOptions): Promise<SessionSetup> {
  if (typeof options?.projectRoot !== "string") {
    throw new UsageError(
      "session/no-project-root",
      `KmlfSession.create needs { projectRoot }, got ${
        typeof options === "string" ? "a string" : String(options)
      }`,
      {
        hint: 'pass the project folder (the one holding kmlf.yml): KmlfSession.create({ projectRoot: "." })',
      },
    );
  }
  checkCreateOptions(options as unknown as Record<string, unknown>);
  const settings = await loadProjectSettings(options.projectRoot);
  const env = resolveEnv({ flag: options.env, envVar: options.envVar, settings });
  // Built-in plugins come first, as `kmlf run` has them; a given plugin of the same name replaces one.
  const given = [
    ...builtinPlugins().filter((b) => !(options.plugins ?? []).some((p) => p.name === b.name)),
    ...options.plugins ?? [],
  ];
  const plugins = [
    ...given,
    ...await importPlugins(settings.plugins, {
      kmlfVersion: KMLF_VERSION,
      projectRoot: settings.root,
      taken: given.map((p) => p.name),
    }),
  ];
  const config = await ConfigLoader.create({
    confSource: options.confSource ?? settings.confSource,
    env,
    envOrigin: envVariableOrigin({ flag: options.env, envVar: options.envVar }),
    baseEnv: settings.baseEnv,
    runtimeParams: options.runtimeParams ?? {},
    runtimeParamsFlag: options.runtimeParamsFlag ?? RUNTIME_PARAMS_OPTION,
    mergeStrategy: settings.mergeStrategy,
    patterns: settings.configPatterns,
    resolvers: pluginResolvers(plugins),
  }).catch(async (error) => {
    throw (await import("./settings_folders.ts")).locateMissingConfFolders(error, settings, {
      confSourceFromSettings: options.confSource === undefined,
      envFromSettings: !options.env && !options.envVar,
    });
  });
  return { settings, config, plugins };
}
