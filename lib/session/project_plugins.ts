/**
 * Third-party plugins declared in kmlf.yml `plugins:` — kmlf's equivalent of Kedro finding plugins by
 * entry point. Each module export is a {@link Plugin} object, or a {@link PluginFactory} called once
 * per session. Everything is checked before a run, and all problems are reported together.
 */
import { type PluginRef, RESERVED_RESOLVERS, type Resolver } from "../config/mod.ts";
import {
  ConfigError,
  didYouMean,
  KmlfError,
  type SourceLocation,
  throwIfAny,
  thrownMessage,
} from "../errors.ts";
import type { Plugin, PluginContext, PluginFactory } from "../plugin.ts";
import { builtinRegistry } from "../catalog/builtin_types.ts";
import type { DatasetRegistry } from "../catalog/mod.ts";
import { explainFailedImport } from "../failed_import.ts";

const MEMBERS = ["name", "hooks", "hooksDisabled", "registerDatasets", "resolvers"] as const;
const FUNCTIONS = ["hooks", "hooksDisabled", "registerDatasets"];
const NAME = /^[A-Za-z0-9@][\w.@/-]*$/;
// Where kmlf.yml lists each imported plugin: errors found once it joined the session point there.
const LISTED_AT = new WeakMap<Plugin, SourceLocation>();

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
      LISTED_AT.set(plugin, ref.source);
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
    const failure = await explainFailedImport(error, {
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

/**
 * Calls one of a plugin's functions (`hooks`, `hooksDisabled`, `registerDatasets`); what it throws becomes a
 * `plugins/failed` error naming the plugin and the function, with the plugin's own frames (a kmlf error it
 * raised on purpose is kept as it is).
 *
 * @example
 * ```ts
 * const hooks = await pluginCall(plugin, "hooks", () => plugin.hooks?.(context));
 * ```
 */
export async function pluginCall<T>(
  plugin: Plugin,
  member: "hooks" | "hooksDisabled" | "registerDatasets",
  call: () => T | Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (cause) {
    throw pluginFailure(plugin, member, cause);
  }
}

function pluginFailure(plugin: Plugin, member: string, cause: unknown): unknown {
  if (cause instanceof KmlfError) return listedAt(plugin, cause);
  return listedAt(
    plugin,
    new ConfigError(
      "plugins/failed",
      `Plugin "${plugin.name}" failed in ${member}(): ${thrownMessage(cause)}`,
      {
        cause,
        userCode: true,
        hint: `fix the plugin, or remove it from kmlf.yml plugins:${
          member === "hooks" ? ` (or turn its hooks off: disable_hooks_for_plugins: [${plugin.name}])` : ""
        }`,
      },
    ),
  );
}

// A plugin's error without a location of its own (a dataset type another plugin took, a plugin function
// that threw) points at the kmlf.yml entry listing the plugin; kmlf's built-in plugin has none.
function listedAt(plugin: Plugin, error: KmlfError): KmlfError {
  const source = LISTED_AT.get(plugin);
  if (error.source || !source || !(error instanceof ConfigError)) return error;
  const { code, message, hint, cause, userCode } = error;
  return new ConfigError(code, message, { source, hint, cause, userCode });
}

/**
 * A dataset registry with kmlf's built-in types and every plugin's (`context` is the project's when a
 * catalog is built for one). A plugin may not take a type name kmlf or another plugin has
 * (`plugins/duplicate-dataset-type`); a plugin that throws is named (`plugins/failed`).
 *
 * @example
 * ```ts
 * const registry = pluginRegistry(plugins, context);
 * ```
 */
export function pluginRegistry(plugins: readonly Plugin[], context?: PluginContext): DatasetRegistry {
  const registry = builtinRegistry();
  for (const plugin of plugins) {
    const register = plugin.registerDatasets;
    if (!register) continue;
    try {
      registry.registerFor(plugin.name, (r) => register.call(plugin, r, context));
    } catch (cause) {
      throw pluginFailure(plugin, "registerDatasets", cause);
    }
  }
  return registry;
}

/**
 * Every plugin's config resolvers together. Two plugins may not add one name (OmegaConf refuses a second
 * registration, and Kedro keeps the first without a word), nor a name interpolation has itself
 * (`runtime_params`, `oc.select`, …: the plugin's would never be called); `oc.env` may be given, as
 * Kedro's custom_resolvers allow, to read environment variables in every config file.
 *
 * @example
 * ```ts
 * pluginResolvers([{ name: "clock", resolvers: { "clock.now": () => Date.now() } }]); // { "clock.now": … }
 * ```
 */
export function pluginResolvers(plugins: readonly Plugin[]): Record<string, Resolver> {
  const resolvers: Record<string, Resolver> = {};
  const owners = new Map<string, string>();
  const problems: KmlfError[] = [];
  for (const plugin of plugins) {
    for (const [name, resolver] of Object.entries(plugin.resolvers ?? {})) {
      const owner = owners.get(name);
      if (owner !== undefined || RESERVED_RESOLVERS.includes(name)) {
        problems.push(listedAt(
          plugin,
          new ConfigError(
            "plugins/duplicate-resolver",
            `Plugin "${plugin.name}" adds the resolver "${name}", ${
              owner === undefined
                ? "which config interpolation has built in"
                : `which plugin "${owner}" adds too`
            }`,
            {
              hint: `give the resolver a name of its own in plugin "${plugin.name}" (a prefix such as "${
                plugin.name.replace(/[^\w]+/g, "_")
              }.${name.split(".").pop()}")${
                owner === undefined ? "" : ", or list only one of the two plugins in kmlf.yml plugins:"
              }`,
            },
          ),
        ));
        continue;
      }
      owners.set(name, plugin.name);
      resolvers[name] = resolver;
    }
  }
  throwIfAny(problems, "Cannot add the plugins' config resolvers");
  return resolvers;
}
