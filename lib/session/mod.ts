/**
 * Sessions tie a project together: settings, config, catalog, pipelines, hooks and the runner.
 *
 * @module
 */
export { KmlfSession } from "./session.ts";
export { type SessionOptions, setBuiltinPlugins } from "./session_setup.ts";
export type { SessionRunOptions } from "./session_run.ts";
export type { RunnerFlags } from "./runner_choice.ts";
export type { Plugin, PluginContext, PluginFactory } from "../plugin.ts";
export { inferenceCatalogProblems } from "./inference_checks.ts";
export { importPlugins, pluginRegistry } from "./project_plugins.ts";
export { locateMissingConfFolders, locateMissingPipelinesDir } from "./settings_folders.ts";
