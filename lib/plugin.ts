/**
 * The plugin contract: how built-in layers (the MLflow layer) and third-party plugins listed in
 * kmlf.yml `plugins:` join a session.
 */
import type { DatasetRegistry } from "./catalog/mod.ts";
import type { Hooks } from "./hooks/mod.ts";

/** What a plugin can see of the project when a session starts. */
export interface PluginContext {
  /** Absolute path of the project root. */
  projectRoot: string;
  /** The project's name (kmlf.yml's `name`). */
  projectName: string;
  /** The configuration environment of the session. */
  env: string;
  /** Loads one config type (e.g. "mlflow") through the config loader: env overlay + interpolation. */
  loadConfig(
    type: string,
  ): Promise<
    {
      data: Record<string, unknown>;
      files: string[];
      locate(
        path: readonly (string | number)[],
      ): { file?: string; line?: number; column?: number; keyPath?: string } | undefined;
    }
  >;
  /** The merged credentials config (for plugins that export credentials as environment variables). */
  loadCredentials(): Promise<Record<string, unknown>>;
  /** The registered pipelines' names, `__default__` included (read from file names; nothing is imported). */
  pipelineNames?(): string[];
}

/**
 * A plugin registers dataset types, hook implementations and/or config resolvers. A module listed in
 * kmlf.yml `plugins:` exports one (as `plugin`, or the export named after `#`), or a
 * {@link PluginFactory}. Registered built-in plugins first, then kmlf.yml's in order; hooks are called
 * last registered first (pluggy's LIFO), plugins' before the project's `hooks:`. `disable_hooks_for_plugins` in
 * kmlf.yml disables a plugin's hooks by name (its dataset types and resolvers stay, as in Kedro).
 *
 * @example
 * ```ts
 * const timing: Plugin = { name: "timing", hooks: () => ({ afterNodeRun: ({ node }) => console.log(node.name) }) };
 * ```
 */
export interface Plugin {
  /** The plugin's name: shown in errors, matched by `disable_hooks_for_plugins`. */
  name: string;
  /** `${name:args}` resolvers the plugin adds to config interpolation (e.g. `km.random_name`). */
  resolvers?: Record<string, (args: unknown[]) => unknown>;
  /** Adds dataset types; `context` is the project's when the catalog is built for one (not for `kmlf info`). */
  registerDatasets?(registry: DatasetRegistry, context?: PluginContext): void;
  /** The hooks the plugin adds to the session (undefined: none). */
  hooks?(context: PluginContext): Hooks | undefined | Promise<Hooks | undefined>;
  /** Called instead of `hooks` when kmlf.yml's `disable_hooks_for_plugins` names this plugin. */
  hooksDisabled?(context: PluginContext): void | Promise<void>;
}

/**
 * A function a plugin module may export instead of a plugin object; kmlf calls it once per session.
 *
 * @example
 * ```ts
 * export const plugin: PluginFactory = ({ kmlfVersion }) => ({ name: "timing", hooks: () => timingHooks(kmlfVersion) });
 * ```
 */
export type PluginFactory = (
  options: { kmlfVersion: string; projectRoot: string },
) => Plugin | Promise<Plugin>;
