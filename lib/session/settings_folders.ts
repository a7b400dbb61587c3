/**
 * A folder that kmlf.yml names (`conf_source`, `default_env`, `base_env`, `pipelines_dir`) and that is
 * missing: the error points at the kmlf.yml key that named it, since that is what the user fixes (a folder
 * that does not exist has no line to point at). Loaded on the error path only.
 *
 * @module
 */
import { dirname, join } from "../path.ts";
import {
  ConfigError,
  didYouMeanHint,
  KmlfAggregateError,
  KmlfError,
  type SourceLocation,
} from "../errors.ts";
import { statIfAny } from "../fs_utils.ts";
import type { ProjectSettings } from "../config/mod.ts";

/** Where each folder came from: the kmlf.yml key, or a flag / variable (then the error stays as it is). */
export interface FolderOrigins {
  /** True when the conf folder is kmlf.yml's `conf_source` (not `--conf-source`). */
  confSourceFromSettings: boolean;
  /** True when the env is kmlf.yml's `default_env` (not `--env` / `KMLF_ENV`). */
  envFromSettings: boolean;
}

/**
 * `config/missing-env` errors of `ConfigLoader.create`, located at the kmlf.yml key that named the folder;
 * a missing conf folder is one error at `conf_source` instead of one per env folder.
 *
 * @example
 * ```ts
 * try {
 *   await ConfigLoader.create({ confSource: settings.confSource, env: settings.defaultEnv });
 * } catch (error) {
 *   throw locateMissingConfFolders(error, settings, { confSourceFromSettings: true, envFromSettings: true });
 * }
 * ```
 */
export function locateMissingConfFolders(
  error: unknown,
  settings: ProjectSettings,
  origins: FolderOrigins,
): unknown {
  const problems = error instanceof KmlfAggregateError ? error.errors : [error];
  if (!problems.some((p) => p instanceof KmlfError && p.code === "config/missing-env")) return error;
  const conf = settings.confSource;
  if (origins.confSourceFromSettings && !statIfAny(conf)) {
    const relative = conf.startsWith(settings.root + "/") ? conf.slice(settings.root.length + 1) : conf;
    return new ConfigError(
      "config/missing-conf-source",
      `Configuration folder ${conf} (conf_source in kmlf.yml) does not exist`,
      {
        source: at(settings, "conf_source"),
        hint: `fix conf_source in ${settings.file}${siblingGuess(conf)}, or create ${relative}/` +
          `${settings.baseEnv} and ${relative}/${settings.defaultEnv}`,
      },
    );
  }
  const located = problems.map((p) => {
    if (!(p instanceof KmlfError) || p.code !== "config/missing-env" || !p.source?.file) return p;
    const folder = p.source.file;
    const key = folder === join(conf, settings.baseEnv) && settings.baseEnv !== "base"
      ? "base_env"
      : origins.envFromSettings && folder === join(conf, settings.defaultEnv) &&
          folder !== join(conf, settings.baseEnv)
      ? "default_env"
      : undefined;
    if (!key) return p;
    return new ConfigError(p.code, `${p.message} (${key} in kmlf.yml)`, {
      source: at(settings, key),
      hint: `fix ${key} in ${settings.file}, or ${p.hint ?? `create ${folder}`}`,
    });
  });
  return located.length === 1
    ? located[0]
    : new KmlfAggregateError(located as KmlfError[], error instanceof Error ? error.message : undefined);
}

/**
 * `pipeline/no-dir` located at kmlf.yml's `pipelines_dir` (when the key is written there).
 *
 * @example
 * ```ts
 * try {
 *   pipelineNames(settings.pipelinesDir);
 * } catch (error) {
 *   throw locateMissingPipelinesDir(error, settings);
 * }
 * ```
 */
export function locateMissingPipelinesDir(error: unknown, settings: ProjectSettings): unknown {
  if (!(error instanceof KmlfError) || error.code !== "pipeline/no-dir" || error.source?.line) return error;
  const Type = error.constructor as new (code: string, message: string, options: object) => KmlfError;
  return new Type(error.code, `${error.message} (pipelines_dir in kmlf.yml)`, {
    source: at(settings, "pipelines_dir"),
    hint: `fix pipelines_dir in ${settings.file}${siblingGuess(settings.pipelinesDir)}, or create ` +
      `${settings.pipelinesDir} with one <name>.yml per pipeline`,
  });
}

/** The key's value in kmlf.yml, or just the file when the key is not written (its default applies). */
function at(settings: ProjectSettings, key: string): SourceLocation {
  const located = settings.locate([key]);
  return located.keyPath === key && located.line !== undefined && isWritten(settings, key)
    ? located
    : { file: settings.file, keyPath: key };
}

function isWritten(settings: ProjectSettings, key: string): boolean {
  try {
    return new RegExp(`^${key}\\s*:`, "m").test(Deno.readTextFileSync(settings.file));
  } catch {
    return false;
  }
}

/** ` (did you mean "…"?)` among the folders next to a missing one. */
function siblingGuess(path: string): string {
  const parent = dirname(path);
  const folders: string[] = [];
  try {
    for (const e of Deno.readDirSync(parent)) {
      if (e.isDirectory && !e.name.startsWith(".")) folders.push(e.name);
    }
  } catch { /* the parent is missing too: no guess */ }
  const guess = didYouMeanHint(path.slice(parent.length + 1), folders);
  return guess ? ` (${guess})` : "";
}
