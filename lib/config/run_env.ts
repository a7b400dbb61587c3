/**
 * Which configuration environment a run uses: `--env`, then `$KMLF_ENV` / Kedro's `$KEDRO_ENV`, then kmlf.yml's
 * `default_env`, and which of them named it (for messages about that env).
 *
 * @module
 */
import { ConfigError, type SourceLocation } from "../errors.ts";

/** What {@link resolveEnv} reads of the project's settings (`ProjectSettings` has both). */
export interface EnvSettings {
  /** kmlf.yml's `default_env`. */
  defaultEnv: string;
  /** Where a kmlf.yml key is. */
  locate(path: readonly (string | number)[]): SourceLocation | undefined;
}

/** An environment's name: a folder under conf/ (letters, digits, `_ . -`, not starting with a dot). */
export const ENV_NAME = /^[\w-][\w.-]*$/;

/**
 * The run environment: `--env`, then `envVar` (the CLI passes `KMLF_ENV`, else `KEDRO_ENV`), then kmlf.yml
 * `default_env`.
 *
 * @example
 * ```ts
 * resolveEnv({ flag: undefined, envVar: "prod", settings }); // "prod"
 * ```
 */
export function resolveEnv(options: { flag?: string; envVar?: string; settings: EnvSettings }): string {
  const { flag, envVar, settings } = options;
  const [env, from] = flag
    ? [flag, "--env"]
    : envVar
    ? [envVar, envVariableHolding(envVar)]
    : [settings.defaultEnv, "default_env"];
  if (!ENV_NAME.test(env)) {
    const variable = from.endsWith("_ENV") ? from : undefined;
    throw new ConfigError(
      "config/bad-env",
      `Environment name "${env}" (from ${variable ? `${variable}=${env}` : from}) is not valid`,
      {
        source: from === "default_env" ? settings.locate(["default_env"]) : undefined,
        hint: (variable ? `unset ${variable} or set it to ` : "use ") +
          "a folder name under conf/ made of letters, digits, _ . - (not starting with a dot)",
      },
    );
  }
  return env;
}

/**
 * The environment `--env` falls back to: `$KMLF_ENV`, else Kedro's `$KEDRO_ENV` (what a Kedro project's
 * deployments set; `kedro run` reads it, so ignoring it would run another env's config). Empty is unset.
 *
 * @example
 * ```ts
 * const envVar = envFromVariables(); // "prod" when KEDRO_ENV=prod and KMLF_ENV is unset
 * ```
 */
export function envFromVariables(): string | undefined {
  return Deno.env.get("KMLF_ENV") || Deno.env.get("KEDRO_ENV") || undefined;
}

/**
 * Which environment variable named the run's env (`KEDRO_ENV=prod`), for messages about that env; undefined
 * when `--env` or kmlf.yml's `default_env` named it.
 *
 * @example
 * ```ts
 * envVariableOrigin({ flag: undefined, envVar: "prod" }); // "KEDRO_ENV=prod" when only KEDRO_ENV=prod is set
 * ```
 */
export function envVariableOrigin(options: { flag?: string; envVar?: string }): string | undefined {
  if (options.flag || !options.envVar) return undefined;
  const name = envVariableHolding(options.envVar);
  return name.endsWith("_ENV") ? `${name}=${options.envVar}` : undefined;
}

// Which variable the CLI read `envVar` from (KMLF_ENV wins over KEDRO_ENV); a script's own value names the
// option it came through.
function envVariableHolding(value: string): string {
  for (const name of ["KMLF_ENV", "KEDRO_ENV"]) {
    try {
      const set = Deno.env.get(name);
      if (set) return set === value ? name : "the envVar option";
    } catch {
      return "KMLF_ENV or KEDRO_ENV"; // no --allow-env: which one cannot be told
    }
  }
  return "the envVar option";
}
