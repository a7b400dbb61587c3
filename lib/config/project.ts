/** The project settings file `kmlf.yml`: finding the project root and reading its settings. */
import { dirname, join, resolve } from "node:path";
import { z } from "zod";
import { ConfigError, type SourceLocation } from "../errors.ts";
import { type KeyPath, readYamlFile } from "../yaml/parse_yaml.ts";
import { validateWith } from "../yaml/validate.ts";

/** The settings file name that marks a project root. */
export const SETTINGS_FILE = "kmlf.yml";

/** A project hook declared in kmlf.yml as `./path/module.ts#exportName`. */
export interface HookRef {
  /** Absolute path of the module. */
  module: string;
  exportName: string;
  source: SourceLocation;
}

/** kmlf.yml, validated and with paths made absolute. */
export interface ProjectSettings {
  root: string;
  file: string;
  name: string;
  defaultEnv: string;
  baseEnv: string;
  confSource: string;
  pipelinesDir: string;
  hooks: HookRef[];
  disableHooksForPlugins: string[];
  mergeStrategy: Record<string, "soft" | "destructive">;
  locate(path: KeyPath): SourceLocation;
}

const NAME = /^[A-Za-z][\w.-]*$/;
const HOOK_REF = /^(.+\.(?:ts|js|mts|mjs))#([A-Za-z_$][\w$]*)$/;

const SettingsSchema = z.strictObject({
  name: z.string().regex(NAME, "must start with a letter and use letters, digits, _ . -"),
  default_env: z.string().min(1).default("local"),
  base_env: z.string().min(1).default("base"),
  conf_source: z.string().min(1).default("conf"),
  pipelines_dir: z.string().min(1).default("pipelines"),
  hooks: z.array(z.string().regex(HOOK_REF, 'must look like "./hooks.ts#myHooks"')).nullable().default([]),
  disable_hooks_for_plugins: z.array(z.string()).nullable().default([]),
  merge_strategy: z.record(z.string(), z.enum(["soft", "destructive"])).nullable().default({}),
});

/**
 * Walks up from `start` to the first directory holding kmlf.yml.
 *
 * @example
 * ```ts
 * const root = await findProjectRoot(Deno.cwd()); // "/home/me/project" or undefined
 * ```
 */
export async function findProjectRoot(start: string): Promise<string | undefined> {
  let dir = resolve(start);
  for (;;) {
    const stat = await Deno.stat(join(dir, SETTINGS_FILE)).catch(() => undefined);
    if (stat?.isFile) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Reads and validates `<root>/kmlf.yml`.
 *
 * @example
 * ```ts
 * const settings = await loadProjectSettings("/home/me/project");
 * settings.confSource; // "/home/me/project/conf"
 * ```
 */
export async function loadProjectSettings(root: string): Promise<ProjectSettings> {
  const file = join(root, SETTINGS_FILE);
  const stat = await Deno.stat(file).catch(() => undefined);
  if (!stat?.isFile) {
    throw new ConfigError("project/not-found", `No kmlf project at ${root}: ${SETTINGS_FILE} is missing`, {
      hint: `create ${file} with at least "name: my-project", or run \`kmlf new <dir>\``,
    });
  }
  const src = await readYamlFile(file);
  const raw = validateWith(SettingsSchema, src.value ?? {}, src, {
    code: "settings/invalid",
    what: SETTINGS_FILE,
  });
  const hooks = (raw.hooks ?? []).map((ref, i): HookRef => {
    const [, module, exportName] = ref.match(HOOK_REF)!;
    return { module: resolve(root, module), exportName, source: src.locate(["hooks", i]) };
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
    disableHooksForPlugins: raw.disable_hooks_for_plugins ?? [],
    mergeStrategy: raw.merge_strategy ?? {},
    locate: (path) => src.locate(path),
  };
}

/**
 * The run environment: `--env`, then `KMLF_ENV`, then kmlf.yml `default_env`.
 *
 * @example
 * ```ts
 * resolveEnv({ flag: undefined, envVar: "prod", settings }); // "prod"
 * ```
 */
export function resolveEnv(options: { flag?: string; envVar?: string; settings: ProjectSettings }): string {
  const env = options.flag || options.envVar || options.settings.defaultEnv;
  if (!/^[\w.-]+$/.test(env)) {
    throw new ConfigError("config/bad-env", `Environment name "${env}" is not valid`, {
      hint: "use a folder name under conf/ made of letters, digits, _ . -",
    });
  }
  return env;
}
