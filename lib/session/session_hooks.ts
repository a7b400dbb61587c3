/**
 * A session's hook manager: each plugin's hooks (or its `hooksDisabled` notice when kmlf.yml's
 * `disable_hooks_for_plugins` names it), then the project's own hooks from kmlf.yml.
 */
import type { ProjectSettings } from "../config/mod.ts";
import {
  ConfigError,
  didYouMeanHint,
  KmlfAggregateError,
  KmlfError,
  RunError,
  throwIfAny,
  thrownMessage,
} from "../errors.ts";
import type { Catalog } from "../catalog/catalog.ts";
import { HookManager, importHooks, type RunParams } from "../hooks/mod.ts";
import type { Pipeline } from "../pipeline/mod.ts";
import type { Plugin, PluginContext } from "../plugin.ts";
import { raisedError } from "../runner/run_error.ts";
import { pluginCall } from "./project_plugins.ts";

/**
 * Registers the plugins' hooks, then the project's hooks (kmlf.yml `hooks:`).
 *
 * @example
 * ```ts
 * const hooks = await buildHookManager(plugins, settings, context);
 * ```
 */
export async function buildHookManager(
  plugins: readonly Plugin[],
  settings: ProjectSettings,
  context: PluginContext,
): Promise<HookManager> {
  const manager = new HookManager();
  const disabled = new Set(settings.disableHooksForPlugins);
  checkDisabledPlugins(plugins, settings);
  for (const plugin of plugins) {
    if (disabled.has(plugin.name)) {
      await pluginCall(plugin, "hooksDisabled", () => plugin.hooksDisabled?.(context));
      continue;
    }
    // Inside the call: a hook set the manager refuses is the plugin's error, located at its kmlf.yml entry.
    await pluginCall(plugin, "hooks", async () => {
      const hooks = await plugin.hooks?.(context);
      if (hooks) manager.register(hooks, { name: plugin.name, kind: "plugin" });
    });
  }
  for (const imported of await importHooks(settings.hooks)) {
    manager.register(imported.hooks, { name: imported.name, module: imported.module, kind: "project" });
  }
  return manager;
}

// Kedro ignores a name in DISABLE_HOOKS_FOR_PLUGINS that matches no plugin; then the hooks meant to be off
// (tracking, typically) would run, so a name that is no plugin's is refused.
function checkDisabledPlugins(plugins: readonly Plugin[], settings: ProjectSettings): void {
  const names = plugins.map((p) => p.name);
  throwIfAny(
    settings.disableHooksForPlugins.flatMap((name, i) => {
      if (names.includes(name)) return [];
      const kedro = /^kedro[-_]mlflow$/i.test(name) && names.includes("kmlf-mlflow")
        ? `kedro-mlflow's hooks are those of the plugin "kmlf-mlflow" here`
        : "";
      return [
        new ConfigError(
          "plugins/unknown-disabled",
          `disable_hooks_for_plugins names "${name}", which is no plugin of this project`,
          {
            source: settings.locate(["disable_hooks_for_plugins", i]),
            hint: `${kedro || didYouMeanHint(name, names) || "remove it"} (plugins: ${
              names.join(", ") || "none"
            })`,
          },
        ),
      ];
    }),
    "Cannot apply disable_hooks_for_plugins",
  );
}

/**
 * Fires onPipelineError and returns the error to throw: the run's own error, or, when a hook could not
 * handle it either (tracking could not end the run), both together, the run's error first.
 *
 * @example
 * ```ts
 * throw await pipelineError(hooks, error, { runParams, pipeline, catalog });
 * ```
 */
export async function pipelineError(
  hooks: HookManager,
  error: unknown,
  args: { runParams: RunParams; pipeline: Pipeline; catalog: Catalog },
): Promise<unknown> {
  // Hooks get what was raised (Kedro's `error`) and the located error kmlf prints (`failure`).
  const failure = error instanceof KmlfError
    ? error
    : new RunError("run/failed", thrownMessage(error), { cause: error });
  try {
    await hooks.call("onPipelineError", { error: raisedError(error), failure, ...args });
    return error;
  } catch (hookError) {
    if (!(error instanceof KmlfError) || !(hookError instanceof KmlfError)) return error;
    return new KmlfAggregateError([error, hookError], "The run failed, and so did ending it");
  }
}
