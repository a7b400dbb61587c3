/**
 * Kedro's two-letter short flags of `kedro run` (`-ns`, `-lv`). Commander only knows one-letter short
 * flags (it reads `-ns x` as `-n s` plus a stray `x`), so they are rewritten to their long form before
 * parsing, and shown in `kmlf run --help` through the option's help flags.
 */
import type { Option } from "./_commander/index.js";
import { UsageError } from "../errors.ts";

/** Kedro's multi-letter short flags of `kedro run` and the long option each stands for. */
export const KEDRO_SHORT_FLAGS: Readonly<Record<string, string>> = {
  "-ns": "--namespaces",
  "-lv": "--load-versions",
};

/**
 * Rewrites `-ns x` / `-ns=x` (and `-lv`) after the `run` command into their long forms; everything after
 * a `--` is left alone.
 *
 * @example
 * ```ts
 * expandKedroShortFlags(["run", "-ns", "data_science"]); // ["run", "--namespaces", "data_science"]
 * ```
 */
export function expandKedroShortFlags(argv: readonly string[]): string[] {
  const run = argv.indexOf("run");
  if (run < 0) return [...argv];
  const end = argv.indexOf("--", run);
  return argv.map((arg, i) => {
    if (i <= run || (end >= 0 && i >= end)) return arg;
    const [flag, ...value] = arg.split("=");
    const long = KEDRO_SHORT_FLAGS[flag];
    if (long === undefined) return arg;
    return value.length > 0 ? `${long}=${value.join("=")}` : long;
  });
}

/**
 * Shows the Kedro short flag in help (`-ns, --namespaces <namespaces>`); parsing is unaffected.
 *
 * @example
 * ```ts
 * withKedroShortFlag(new Option("--namespaces <namespaces>", "run only nodes in these namespaces"));
 * ```
 */
export function withKedroShortFlag(option: Option): Option {
  const short = Object.entries(KEDRO_SHORT_FLAGS).find(([, long]) => long === option.long)?.[0];
  if (short !== undefined) option.flags = `${short}, ${option.flags}`;
  return option;
}

/**
 * Option parser of a comma-separated list flag given more than once: `--nodes a --nodes b` is
 * `--nodes a,b` (click, under Kedro, keeps only the last and silently runs less).
 *
 * @example
 * ```ts
 * program.option("-n, --nodes <names>", "run only these nodes", appendList);
 * ```
 */
export function appendList(value: string, previous: string | undefined): string {
  return previous === undefined ? value : `${previous},${value}`;
}

/**
 * Option parser of a single-valued flag: given twice with different values is a `cli/repeated-flag`
 * error (click keeps the last one silently); the same value twice is fine.
 *
 * @example
 * ```ts
 * program.option("-e, --env <env>", "configuration environment", onceFlag("--env"));
 * ```
 */
export function onceFlag(flag: string, hint?: string): (value: string, previous: unknown) => string {
  return (value, previous) => {
    if (previous !== undefined && previous !== value) {
      throw new UsageError("cli/repeated-flag", `${flag} was given twice: "${previous}" and "${value}"`, {
        hint: hint ?? `give ${flag} once`,
      });
    }
    return value;
  };
}
