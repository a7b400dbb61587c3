/**
 * `kedro new`'s flags on `kmlf new`: `-n/--name` and `-e/--example y|n` work as in Kedro, a project
 * directory can come from the name alone, and the flags of Kedro's cookiecutter starters and tools are
 * refused with what kmlf does instead (not commander's bare "unknown option").
 */
import { UsageError } from "../errors.ts";

/** `kmlf new`'s options as commander parses them (Kedro's spellings included). */
export interface KedroNewFlags {
  name?: string;
  /** `true`/`false` from `--no-example`, or Kedro's `--example y|n` text. */
  example?: boolean | string;
  tools?: string;
  starter?: string;
  checkout?: string;
  directory?: string;
  config?: string;
  telemetry?: string;
}

/**
 * The directory and options `kmlf new` goes on with, after Kedro's flags are read or refused.
 *
 * @example
 * ```ts
 * kedroNewOptions(undefined, { name: "My-Project", example: "n" }); // { dir: "my-project", name: "My-Project", example: false }
 * ```
 */
export function kedroNewOptions(
  dir: string | undefined,
  flags: KedroNewFlags,
): { dir: string; name?: string; example: boolean } {
  if (flags.starter !== undefined || flags.checkout !== undefined || flags.directory !== undefined) {
    const flag = flags.starter !== undefined
      ? "--starter"
      : flags.checkout !== undefined
      ? "--checkout"
      : "--directory";
    throw new UsageError("cli/unsupported-flag", `kmlf new has no Kedro starters (${flag})`, {
      hint: "`kmlf new <dir>` writes the iris example (`--example n` for an empty project); " +
        'to bring a starter\'s Kedro project over, see README "Moving a Kedro project over"',
    });
  }
  if (flags.config !== undefined) {
    throw new UsageError(
      "cli/unsupported-flag",
      `kmlf new does not read a kedro new config file (--config)`,
      {
        hint: "give the directory and the flags instead: `kmlf new <dir> --name <name> --example y|n`",
      },
    );
  }
  const tools = (flags.tools ?? "none").trim().toLowerCase();
  if (tools !== "none" && tools !== "") {
    throw new UsageError("cli/unsupported-flag", `kmlf new has no Kedro tools (--tools ${flags.tools})`, {
      hint:
        "leave --tools out (or give none): `deno lint`, `deno fmt` and `deno test` work in a kmlf project " +
        "without setup, and there is no PySpark or Sphinx template",
    });
  }
  if (flags.telemetry !== undefined) yesNo(flags.telemetry, "--telemetry"); // kmlf sends no telemetry
  const example = typeof flags.example === "string"
    ? yesNo(flags.example, "--example")
    : flags.example !== false;
  if (dir === undefined) {
    if (flags.name === undefined) {
      throw new UsageError("cli/usage", "kmlf new needs the project's directory or --name", {
        hint:
          "`kmlf new my-project`, or `kmlf new --name my-project` (the directory is the name, lower case)",
      });
    }
    // Kedro's repo_name: the project name in lower case, spaces and '_' as '-'.
    return { dir: flags.name.trim().toLowerCase().replace(/[\s_]+/g, "-"), name: flags.name, example };
  }
  return { dir, name: flags.name, example };
}

// Kedro's yes/no answers (`y`, `yes`, `n`, `no`, any case).
function yesNo(value: string, flag: string): boolean {
  const answer = value.trim().toLowerCase();
  if (answer === "y" || answer === "yes") return true;
  if (answer === "n" || answer === "no") return false;
  throw new UsageError("cli/usage", `${flag} takes yes or no, not "${value}"`, {
    hint: `${flag} y or ${flag} n`,
  });
}
