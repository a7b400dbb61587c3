/**
 * Command-line paths written for another machine (see lib/foreign_path.ts): `--project C:\work\p`,
 * `--conf-source=~/conf` (the shell expands `~` only at the start of a word, so after `=` it arrives as
 * written), `kmlf new projects\demo`, `-o out\dag.py`. Off Windows each would name a folder or file no user
 * meant (a folder named `~` or `C:\work\p` in the current one), so kmlf refuses it before the command runs.
 * main.ts loads this module only when a path-valued argument is given.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import { foreignPath, localPathOf } from "../foreign_path.ts";

/** A path-valued argument as given: `--conf-source` or `<dir>`, and its value. */
export interface PathArgument {
  /** The option (`--conf-source`) or the argument (`<dir>`) as `kmlf --help` shows it. */
  name: string;
  /** As given (a URI such as `s3://…` or `file:///…` is judged by its path, or not at all). */
  value: string;
}

/**
 * Throws `cli/foreign-path` for the first argument whose path was written for another machine.
 *
 * @example
 * ```ts
 * checkPathArguments([{ name: "--conf-source", value: "~/conf" }]); // throws: ~ is not expanded after =
 * checkPathArguments([{ name: "--project", value: "../demo" }]); // passes
 * ```
 */
export function checkPathArguments(args: readonly PathArgument[]): void {
  for (const { name, value } of args) {
    const path = localPathOf(value);
    const foreign = path === undefined ? undefined : foreignPath(path, {
      tilde: "by kmlf: the shell expands it only at the start of a word (not after --option=)",
      relative: "one relative to the current folder",
    });
    if (!foreign) continue;
    const option = name.startsWith("--");
    throw new UsageError("cli/foreign-path", `Cannot use ${name} ${value}: ${foreign.problem}`, {
      hint: path!.startsWith("~/") && option
        ? `write ${name} ${value} (a space, not =, so that the shell expands ~) or the full path`
        : foreign.hint,
    });
  }
}
