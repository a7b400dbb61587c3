/** The checks every part of a logging configuration shares: each problem located, all reported together. */
import { ConfigError, didYouMeanHint, type KmlfError, throwIfAny } from "../../errors.ts";
import { relative } from "../../path.ts";
import type { KeyPath, YamlSource } from "../../yaml/parse_yaml.ts";

/** Python's level names (`logging._nameToLevel`). */
export const LEVEL_NAMES: Record<string, number> = {
  CRITICAL: 50,
  FATAL: 50,
  ERROR: 40,
  WARN: 30,
  WARNING: 30,
  INFO: 20,
  DEBUG: 10,
  NOTSET: 0,
};

const SHOW_FIX = "fix it in the logging configuration (Python's logging.config.dictConfig format)";

/**
 * Collects located problems of one file (`fail`) and checks values, answering a default for a bad one so
 * the check goes on.
 *
 * @example
 * ```ts
 * const check = new ConfigChecker(src, Deno.cwd());
 * const level = check.level(src.value, ["root", "level"]);
 * check.throwIfAny();
 * ```
 */
export class ConfigChecker {
  readonly problems: KmlfError[] = [];

  constructor(private readonly src: YamlSource, private readonly cwd: string) {}

  /** Records a problem at `path` (at its key with `atKey`). */
  fail = (code: string, path: KeyPath, message: string, hint: string, atKey = false): void => {
    const source = atKey ? this.src.locateKey(path) : this.src.locate(path);
    this.problems.push(new ConfigError(code, message, { source, hint }));
  };

  /** Keys of `value` not in `known`: `()` (a factory) and `filters` are refused with their own codes. */
  unknownKeys = (value: Record<string, unknown>, path: KeyPath, known: string[], what: string): void => {
    for (const key of Object.keys(value)) {
      if (known.includes(key)) continue;
      if (key === "()") {
        this.fail(
          "logging/factory-refused",
          [...path, key],
          `Cannot use "()" in ${what}: Kedro refuses factories in logging configuration, and so does kmlf`,
          `write \`class:\` with one of the classes kmlf knows instead of "()"`,
          true,
        );
      } else if (key === "filters") {
        this.fail(
          "logging/unsupported",
          [...path, key],
          `Cannot use filters in ${what}: kmlf's logging has none`,
          "remove `filters:`; set `level:` on a logger or handler to choose what is logged",
          true,
        );
      } else {
        this.fail(
          "logging/invalid",
          [...path, key],
          `Unknown key "${key}" in ${what}`,
          hints(`the keys here: ${known.join(", ")}`, didYouMeanHint(key, known)),
          true,
        );
      }
    }
  };

  /** A mapping, undefined when absent (or not one: a problem). */
  mapping = (value: unknown, path: KeyPath, what: string): Record<string, unknown> | undefined => {
    if (value === undefined || value === null) return undefined;
    if (typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
    this.fail("logging/invalid", path, `${what} must be a mapping`, SHOW_FIX);
    return undefined;
  };
  /** Python's `_checkLevel`: a level name in capitals or a number. */
  level = (value: unknown, path: KeyPath): number | undefined => {
    if (value === undefined || value === null) return undefined;
    if (typeof value === "number" && Number.isInteger(value) && value >= 0) return value;
    if (typeof value === "string" && Object.hasOwn(LEVEL_NAMES, value)) return LEVEL_NAMES[value];
    const upper = typeof value === "string" && Object.hasOwn(LEVEL_NAMES, value.toUpperCase());
    this.fail(
      "logging/bad-level",
      path,
      `Unknown level ${JSON.stringify(value)}`,
      upper
        ? `write it in capitals, as Python requires: ${(value as string).toUpperCase()}`
        : `use one of ${Object.keys(LEVEL_NAMES).join(", ")}, or a number`,
    );
    return undefined;
  };
  /** `value` when `ok`, else `dflt` (and a problem unless absent). */
  typed = <T>(value: unknown, path: KeyPath, ok: (v: unknown) => boolean, what: string, dflt: T): T => {
    if (value === undefined) return dflt;
    if (ok(value)) return value as T;
    this.fail(
      "logging/invalid",
      path,
      `${path.at(-1)} must be ${what}, not ${JSON.stringify(value)}`,
      SHOW_FIX,
    );
    return dflt;
  };

  /** Throws every problem together. */
  throwIfAny(): void {
    const shown = relative(this.cwd, this.src.file);
    const file = shown.startsWith("..") ? this.src.file : shown;
    throwIfAny(this.problems, `Found ${this.problems.length} problems in the logging configuration ${file}`);
  }
}

/** {@link ConfigChecker.fail}. */
export type Fail = ConfigChecker["fail"];

/** A `class:` kmlf does not carry out (Kedro too takes only logging's own). */
export function unknownClass(fail: Fail, path: KeyPath, value: unknown, known: string[], what: string): void {
  fail(
    "logging/unknown-class",
    path,
    `Cannot use ${what} class ${JSON.stringify(value)}: kmlf knows only ${known.join(", ")}`,
    hints(
      "Kedro takes only logging's own classes here, and kmlf carries out these",
      typeof value === "string" ? didYouMeanHint(value, known) : "",
    ),
  );
}

/** A formatter or handler name nothing defines. */
export function undefinedName(
  fail: Fail,
  path: KeyPath,
  name: string,
  what: string,
  defined: string[],
): void {
  fail(
    "logging/undefined-name",
    path,
    `No ${what} named "${name}"`,
    defined.length > 0
      ? hints(`the ${what}s defined: ${defined.join(", ")}`, didYouMeanHint(name, defined))
      : `define it under \`${what}s:\``,
  );
}

const hints = (...parts: string[]) => parts.filter((p) => p !== "").join("; ");
