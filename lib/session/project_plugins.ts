/**
 * Third-party plugins declared in kmlf.yml `plugins:` — kmlf's equivalent of Kedro finding plugins by
 * entry point. Each module export is a {@link Plugin} object, or a {@link PluginFactory} called once
 * per session. Everything is checked before a run, and all problems are reported together.
 */
import type { PluginRef } from "../config/mod.ts";
import { ConfigError, didYouMean, type KmlfError, throwIfAny } from "../errors.ts";
import type { Plugin, PluginFactory } from "../plugin.ts";
import { importFailure } from "../import_failure.ts";

const MEMBERS = ["name", "hooks", "hooksDisabled", "registerDatasets", "resolvers"] as const;
const FUNCTIONS = ["hooks", "hooksDisabled", "registerDatasets"];
const NAME = /^[A-Za-z0-9@][\w.@/-]*$/;

/**
 * Imports and checks the plugins of kmlf.yml, in order. `taken` holds names already in use (the
 * built-in `kmlf-mlflow`); a plugin may not reuse one.
 *
 * @example
 * ```ts
 * const plugins = await importPlugins(settings.plugins, { kmlfVersion: "0.1.0", projectRoot, taken: ["kmlf-mlflow"] });
 * ```
 */
export async function importPlugins(
  refs: readonly PluginRef[],
  options: { kmlfVersion: string; projectRoot: string; taken?: readonly string[] },
): Promise<Plugin[]> {
  const plugins: Plugin[] = [];
  const problems: KmlfError[] = [];
  const names = new Set(options.taken ?? []);
  for (const ref of refs) {
    try {
      const plugin = await importOne(ref, options);
      if (names.has(plugin.name)) {
        throw fail(ref, "plugins/duplicate-name", `Plugin name "${plugin.name}" is already used`, {
          hint: "give each plugin its own name (it is what disable_hooks_for_plugins refers to)",
        });
      }
      names.add(plugin.name);
      plugins.push(plugin);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(error);
    }
  }
  throwIfAny(problems, "Cannot load the plugins of kmlf.yml");
  return plugins;
}

async function importOne(
  ref: PluginRef,
  options: { kmlfVersion: string; projectRoot: string },
): Promise<Plugin> {
  let mod: Record<string, unknown>;
  try {
    mod = await import(ref.specifier);
  } catch (error) {
    const failure = importFailure(error, {
      module: ref.specifier,
      missingHint:
        "paths in kmlf.yml plugins: are relative to kmlf.yml; check the path and the file extension",
    });
    throw fail(ref, "plugins/import-failed", `Cannot import plugin "${ref.written}": ${failure.reason}`, {
      cause: failure.cause,
      userCode: failure.userCode,
      hint: failure.hint,
    });
  }
  if (!(ref.exportName in mod)) {
    const exports = Object.keys(mod);
    const guess = didYouMean(ref.exportName, exports);
    throw fail(
      ref,
      "plugins/unknown-export",
      `Plugin module "${ref.written}" has no export "${ref.exportName}"`,
      {
        hint: guess
          ? `did you mean "${guess}"? (write "${ref.written.split("#")[0]}#${guess}")`
          : `export the plugin as \`plugin\`, or name the export: "${
            ref.written.split("#")[0]
          }#<export>" (exports: ${exports.join(", ") || "none"})`,
      },
    );
  }
  let value = mod[ref.exportName];
  if (typeof value === "function") {
    try {
      value = await (value as PluginFactory)({
        kmlfVersion: options.kmlfVersion,
        projectRoot: options.projectRoot,
      });
    } catch (cause) {
      throw fail(
        ref,
        "plugins/factory-failed",
        `Plugin factory "${ref.written}" failed: ${(cause as Error)?.message}`,
        {
          cause,
          hint: "fix the plugin, or remove it from kmlf.yml plugins:",
        },
      );
    }
  }
  return checkPlugin(value, ref);
}

function checkPlugin(value: unknown, ref: PluginRef): Plugin {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw fail(ref, "plugins/not-a-plugin", `Plugin "${ref.written}" is not a plugin object`, {
      hint:
        'export `{ name: "my-plugin", hooks?, registerDatasets?, resolvers? }` or a function returning one',
    });
  }
  const plugin = value as Record<string, unknown>;
  for (const key of Object.keys(plugin)) {
    if ((MEMBERS as readonly string[]).includes(key)) continue;
    const guess = didYouMean(key, [...MEMBERS]);
    throw fail(ref, "plugins/unknown-member", `Plugin "${ref.written}" has an unknown member "${key}"`, {
      hint: `${guess ? `did you mean "${guess}"? ` : ""}a plugin has: ${MEMBERS.join(", ")}`,
    });
  }
  if (typeof plugin.name !== "string" || !NAME.test(plugin.name)) {
    throw fail(ref, "plugins/bad-name", `Plugin "${ref.written}" needs a name (a string without spaces)`, {
      hint: 'add name: "my-plugin" (disable_hooks_for_plugins refers to it)',
    });
  }
  for (const key of FUNCTIONS) {
    if (plugin[key] !== undefined && typeof plugin[key] !== "function") {
      throw fail(ref, "plugins/bad-member", `Plugin "${plugin.name}": ${key} must be a function`, {
        hint: `make ${key} a method of the plugin object`,
      });
    }
  }
  const resolvers = plugin.resolvers;
  if (
    resolvers !== undefined &&
    (typeof resolvers !== "object" || resolvers === null ||
      Object.values(resolvers).some((r) => typeof r !== "function"))
  ) {
    throw fail(ref, "plugins/bad-member", `Plugin "${plugin.name}": resolvers must map names to functions`, {
      hint: 'e.g. resolvers: { "my.now": () => new Date().toISOString() }, used as ${my.now:}',
    });
  }
  return plugin as unknown as Plugin;
}

function fail(
  ref: PluginRef,
  code: string,
  message: string,
  options: { hint: string; cause?: unknown; userCode?: boolean },
): ConfigError {
  return new ConfigError(code, message, { source: ref.source, ...options });
}
