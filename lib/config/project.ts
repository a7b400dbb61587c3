/** The project settings file `kmlf.yml`: reading and validating its settings. */
import { ENV_NAME } from "./run_env.ts";
import { isAbsolute, join, pathToFileURL, resolve } from "../path.ts";
import { deferredIn, type LaterOutput, laterSchema } from "../zod/on_demand.ts";
import {
  ConfigError,
  didYouMean,
  KmlfAggregateError,
  KmlfError,
  type SourceLocation,
  throwIfAny,
} from "../errors.ts";
import { type KeyPath, readYamlFile, type YamlSource } from "../yaml/parse_yaml.ts";
import { DEFAULT_PATTERNS } from "./files.ts";
import { validateLater } from "../yaml/validate.ts";
import { kedroSettingHint } from "./kedro_settings.ts";
import { realPathOrUndefined, statIfAny } from "../fs_utils.ts";
import { createHint, folderHint, SETTINGS_FILE } from "./project_root.ts";
import { foreignSettingsPaths } from "./settings_paths.ts";
import { isRecord } from "../is_record.ts";
import { isSourceFloat } from "../source_keys.ts";

/**
 * A project hook declared in kmlf.yml as `./path/module.ts#exportName` (relative to kmlf.yml).
 *
 * @example
 * ```ts
 * const [hook] = (await loadProjectSettings(root)).hooks; // { module: "/p/hooks.ts", exportName: "timing", source }
 * ```
 */
export interface HookRef {
  /** Absolute path of the module. */
  module: string;
  /** The export holding the hooks. */
  exportName: string;
  /** Where kmlf.yml lists it. */
  source: SourceLocation;
}

/**
 * A plugin declared in kmlf.yml `plugins:` — a module (a path relative to kmlf.yml, or a specifier the
 * project's deno.json maps, e.g. an npm package) and the export holding the plugin (default `plugin`).
 *
 * @example
 * ```ts
 * const [ref] = (await loadProjectSettings(root)).plugins; // { specifier: "file:///p/plugins/timing.ts", exportName: "plugin", source }
 * ```
 */
export interface PluginRef {
  /** A file URL for paths, else the specifier as written (resolved through the import map). */
  specifier: string;
  /** The export holding the plugin (default `plugin`). */
  exportName: string;
  /** As written in kmlf.yml. */
  written: string;
  /** Where kmlf.yml lists it. */
  source: SourceLocation;
}

/**
 * kmlf.yml, validated, camelCased and with paths made absolute; `locate` points into kmlf.yml.
 *
 * @example
 * ```ts
 * const settings: ProjectSettings = await loadProjectSettings(root);
 * settings.locate(["default_env"]); // { file: "/p/kmlf.yml", line: 2, column: 14, keyPath: "default_env" }
 * ```
 */
export interface ProjectSettings {
  /** Absolute path of the project root. */
  root: string;
  /** Absolute path of kmlf.yml. */
  file: string;
  /** The project's name (`name:`). */
  name: string;
  /** The environment used when none is given (`default_env:`, default `local`). */
  defaultEnv: string;
  /** The environment every other one overlays (`base_env:`, default `base`). */
  baseEnv: string;
  /** Absolute. */
  confSource: string;
  /** Absolute. */
  pipelinesDir: string;
  /** The project's hook modules (`hooks:`). */
  hooks: HookRef[];
  /** Third-party plugins (`plugins:`). */
  plugins: PluginRef[];
  /** Plugins whose hooks are not registered (`disable_hooks_for_plugins:`). */
  disableHooksForPlugins: string[];
  /**
   * Kedro's `merge_strategy:` per config type: `soft` merges keys across environments, `destructive` replaces
   * top-level keys.
   */
  mergeStrategy: Record<string, "soft" | "destructive">;
  /** `config_patterns:` — Kedro's setting: extra config types, or other globs for a default one. */
  configPatterns: Record<string, string[]>;
  /** `runner:` — the default runner of `kmlf run` (flags override it); the session resolves the name. */
  runner?: RunnerSetting;
  /** Where a key path of kmlf.yml is written (file, line, column). */
  locate(path: KeyPath): SourceLocation;
}

/**
 * kmlf.yml's `runner:`, either a name (`runner: parallel`) or `{type, max_workers, async}`.
 *
 * @example
 * ```ts
 * settings.runner; // { type: "parallel", maxWorkers: 4, isAsync: false, typeKey: ["runner", "type"] }
 * ```
 */
export interface RunnerSetting {
  /** The runner's name as written (`parallel`, `ParallelRunner`, …). */
  type: string;
  /** `max_workers:`. */
  maxWorkers?: number;
  /** `async:`. */
  isAsync?: boolean;
  /** Where `type` is written, for errors. */
  typeKey: KeyPath;
}

// Kedro's ParallelRunner(max_workers=2.0) fails in Python: a count written as a float is refused, as
// --max-workers 2.0 is, though JavaScript (and the schema's int check) reads `2.0` as 2.
function floatCountProblems(src: YamlSource): ConfigError[] {
  const runner = (src.value as Record<string, unknown> | null)?.runner;
  if (!isRecord(runner) || typeof runner.max_workers !== "number") return [];
  if (!isSourceFloat(runner, "max_workers", runner.max_workers)) return [];
  return [
    new ConfigError(
      "settings/invalid",
      `runner.max_workers must be a whole number of at least 1, got ${runner.max_workers}.0`,
      {
        source: src.locate(["runner", "max_workers"]),
        hint: "write it without a fraction, e.g. max_workers: 4",
      },
    ),
  ];
}

const NAME = /^[A-Za-z][\w.-]*$/;
// An env is a folder under conf/: no separators, not hidden, not "..".
const ENV_MESSAGE = "must be a folder name under conf/ (letters, digits, _ . -, not starting with a dot)";
const HOOK_REF = /^(.+\.(?:ts|js|mts|mjs))#([A-Za-z_$][\w$]*)$/;
// kedro-mlflow's hooks as its docs have settings.py declare them (MlflowHook; 0.7's MlflowNodeHook, …).
const KEDRO_MLFLOW_HOOK = /^kedro[-_]mlflow(\.|$)|^Mlflow\w*Hook(\(\))?$/;
// A Python class path (`my_package.hooks.ProjectHooks`, `ProjectHooks()`), as Kedro's settings.py names hooks.
// The class name is capitalised, so a module path without its export (`hooks.ts`) is not one.
const PYTHON_PATH = /^([A-Za-z_]\w*\.)+[A-Z]\w*(\(\))?$|^[A-Z]\w*\(\)$/;
// `./plugins/timing.ts`, `./x.ts#myPlugin`, `kmlf-plugin-foo`, `npm:@org/plugin@1#plugin`.
const PLUGIN_REF = /^([^\s#]+?)(?:#([A-Za-z_$][\w$]*))?$/;

const Settings = laterSchema("settings", (z) =>
  z.strictObject({
    name: z.string().check(z.regex(NAME, "must start with a letter and use letters, digits, _ . -")),
    default_env: z._default(z.string().check(z.regex(ENV_NAME, ENV_MESSAGE)), "local"),
    base_env: z._default(z.string().check(z.regex(ENV_NAME, ENV_MESSAGE)), "base"),
    conf_source: z._default(z.string().check(z.minLength(1)), "conf"),
    pipelines_dir: z._default(z.string().check(z.minLength(1)), "pipelines"),
    hooks: z._default(
      z.nullable(z.array(
        z.string().check(z.refine((s) => HOOK_REF.test(s), {
          error: (issue) =>
            KEDRO_MLFLOW_HOOK.test(String(issue.input))
              ? "kedro-mlflow's hooks are built into kmlf (its kmlf-mlflow plugin tracks runs when conf/<env>/mlflow.yml exists): remove this entry"
              : PYTHON_PATH.test(String(issue.input))
              ? 'is a Python path (Kedro\'s settings.py HOOKS); kmlf hooks are TypeScript: write "./hooks.ts#myHooks" ' +
                "(the module, relative to kmlf.yml, then its export)"
              : 'must look like "./hooks.ts#myHooks"',
        })),
      )),
      [],
    ),
    // The settings below are deferred (built when kmlf.yml gives them): `kmlf new` writes none of them.
    plugins: z._default(
      deferredIn(z, () =>
        z.nullable(z.array(
          z.string().check(
            z.regex(
              PLUGIN_REF,
              'must look like "./plugins/my_plugin.ts", "./x.ts#myPlugin" or a package name',
            ),
            z.refine((s) => !KEDRO_MLFLOW_HOOK.test(s), {
              error:
                "kedro-mlflow is built into kmlf (its kmlf-mlflow plugin tracks runs when conf/<env>/mlflow.yml " +
                "exists): remove this entry",
            }),
          ),
        ))),
      [],
    ),
    disable_hooks_for_plugins: z._default(deferredIn(z, () => z.nullable(z.array(z.string()))), []),
    merge_strategy: z._default(
      deferredIn(z, () => z.nullable(z.record(z.string(), z.enum(["soft", "destructive"])))),
      {},
    ),
    config_patterns: z._default(
      deferredIn(z, () =>
        z.nullable(z.record(
          z.string(),
          z.array(z.string().check(z.minLength(1))).check(
            z.minLength(
              1,
              'must list glob patterns relative to each env folder, e.g. ["spark*", "spark*/**"]',
            ),
          ),
        ))),
      {},
    ),
    runner: z.optional(deferredIn(z, () =>
      z.union([
        z.string().check(z.minLength(1)),
        z.strictObject({
          type: z.string().check(z.minLength(1, "must name a runner (sequential, parallel, thread)")),
          max_workers: z.optional(z.int().check(z.gte(1, "must be a whole number of at least 1"))),
          async: z.optional(z.boolean()),
        }),
      ], {
        error: "must be a runner name (sequential, parallel, thread) or a mapping {type, max_workers, async}",
      }))),
  }));

// merge_strategy and config_patterns may name plugin config types, but a near miss of a built-in type is a
// typo.
function configTypeProblems(section: string, types: unknown, src: YamlSource): ConfigError[] {
  if (typeof types !== "object" || types === null || Array.isArray(types)) return [];
  const builtIn = Object.keys(DEFAULT_PATTERNS);
  return Object.keys(types).flatMap((type) => {
    const guess = builtIn.includes(type) ? undefined : didYouMean(type, builtIn);
    if (guess === undefined) return [];
    return [
      new ConfigError(
        "settings/invalid",
        `Unknown config type "${type}" in ${SETTINGS_FILE} ${section}`,
        {
          source: src.locateKey([section, type]),
          hint: `did you mean "${guess}"? (config types: ${builtIn.join(", ")})`,
        },
      ),
    ];
  });
}

/**
 * Reads and validates `<root>/kmlf.yml`; the settings' `root` is the project's real folder (symbolic links
 * resolved, as Kedro's session resolves its project path).
 *
 * @example
 * ```ts
 * const settings = await loadProjectSettings("/home/me/project");
 * settings.confSource; // "/home/me/project/conf"
 * ```
 */
export async function loadProjectSettings(projectRoot: string): Promise<ProjectSettings> {
  // Kedro's session resolves the project path: `../x` in kmlf.yml, the catalog and mlflow.yml is taken from
  // the folder a symbolic link names, not from the link's parent.
  const root = realPathOrUndefined(resolve(projectRoot)) ?? resolve(projectRoot);
  const file = join(root, SETTINGS_FILE);
  const stat = statIfAny(file);
  if (stat && !stat.isFile) {
    throw new ConfigError("project/not-found", `${SETTINGS_FILE} in ${root} is a folder, not a file`, {
      source: { file },
      hint: folderHint(file),
    });
  }
  if (!stat?.isFile) {
    throw new ConfigError("project/not-found", `No ${SETTINGS_FILE} found in ${root}`, {
      source: { file },
      hint: createHint(root),
    });
  }
  // Source keys: a float the file wrote (`max_workers: 2.0`) is told from an int (floatCountProblems).
  const src = await readYamlFile(file, { sourceKeys: true });
  // Checked on the raw value too, so that a misspelt type is reported with every schema problem at once.
  const typeProblems = ["merge_strategy", "config_patterns"].flatMap((section) =>
    configTypeProblems(section, (src.value as Record<string, unknown> | null)?.[section], src)
  );
  let raw: LaterOutput<typeof Settings>;
  try {
    raw = await validateLater(Settings, src.value ?? {}, src, {
      code: "settings/invalid",
      what: SETTINGS_FILE,
      notInterpolated: true,
      unknownKeyHint: kedroSettingHint,
    });
  } catch (error) {
    if (!(error instanceof KmlfError) || typeProblems.length === 0) throw error;
    const schemaProblems = error instanceof KmlfAggregateError ? error.errors : [error];
    throw new KmlfAggregateError([...schemaProblems, ...typeProblems], `Invalid ${SETTINGS_FILE}`);
  }
  throwIfAny(
    [...typeProblems, ...foreignSettingsPaths(raw, src.locate), ...floatCountProblems(src)],
    `Invalid ${SETTINGS_FILE}`,
  );
  const hooks = (raw.hooks ?? []).map((ref, i): HookRef => {
    const [, module, exportName] = ref.match(HOOK_REF)!;
    return { module: resolve(root, module), exportName, source: src.locate(["hooks", i]) };
  });
  const plugins = (raw.plugins ?? []).map((ref, i): PluginRef => {
    const [, module, exportName] = ref.match(PLUGIN_REF)!;
    const isPath = /^\.{1,2}\//.test(module) || isAbsolute(module);
    return {
      specifier: isPath ? pathToFileURL(resolve(root, module)).href : module,
      exportName: exportName ?? "plugin",
      written: ref,
      source: src.locate(["plugins", i]),
    };
  });
  return {
    root,
    file,
    name: raw.name,
    defaultEnv: raw.default_env,
    baseEnv: raw.base_env,
    confSource: resolve(root, raw.conf_source),
    pipelinesDir: resolve(root, raw.pipelines_dir),
    hooks,
    plugins,
    disableHooksForPlugins: raw.disable_hooks_for_plugins ?? [],
    mergeStrategy: raw.merge_strategy ?? {},
    configPatterns: raw.config_patterns ?? {},
    runner: typeof raw.runner === "string" ? { type: raw.runner, typeKey: ["runner"] } : raw.runner && {
      type: raw.runner.type,
      maxWorkers: raw.runner.max_workers,
      isAsync: raw.runner.async,
      typeKey: ["runner", "type"],
    },
    locate: (path) => src.locate(path),
  };
}

export { envFromVariables, envVariableOrigin, resolveEnv } from "./run_env.ts";
