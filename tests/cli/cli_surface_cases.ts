/** The invocations tests/cli/cli_surface_test.ts records: bad ones of every error class, good ones per command. */
import type { Command } from "../../lib/cli/_commander/index.js";

/** A command or option of the tree, as the test reads it. */
// deno-lint-ignore no-explicit-any
export type Leaf = any;

/** Every command under `program` (itself first) with its path of names. */
export function commandPaths(program: Command, path: string[] = []): { path: string[]; command: Command }[] {
  return [
    { path, command: program },
    ...program.commands.flatMap((c) => commandPaths(c, [...path, c.name()])),
  ];
}

const KEDRO_MISSING = [
  "jupyter",
  "ipython",
  "package",
  "starter",
  "viz",
  "airflow",
  "docker",
  "lint",
  "test",
];

/** Bad (and odd) invocations, one or more per class of error commander reports. */
export const BAD_INVOCATIONS: string[][] = [
  // no command, a group without its subcommand
  [],
  ["catalog"],
  ["mlflow"],
  ["export"],
  // unknown options, with and without a suggestion
  ["run", "--nodse", "a"],
  ["run", "--zzzz"],
  ["--zzzz"],
  ["-x"],
  ["--pro", "p", "run"],
  ["catalog", "list", "--pipelin", "x"],
  ["catalog", "--zzzz"],
  ["run", "-Z"],
  ["run", "-qZ"],
  ["run", "--no-async"],
  ["--debug=1"],
  ["mlflow", "init", "--force=yes"],
  ["run", "-V"],
  ["catalog", "--version"],
  ["run", "--project"],
  // unknown commands, with and without a suggestion, and Kedro's kmlf lacks
  ["catalgo", "list"],
  ["zzzz"],
  ["catalog", "lsit"],
  ["catalog", "zzzz"],
  ["mlflow", "uii"],
  ["--project", "p", "zzzz"],
  ...KEDRO_MISSING.map((name) => [name]),
  ["catalog", "jupyter"],
  // missing required arguments, option values and options
  ["pipeline", "create"],
  ["models", "alias", "x"],
  ["run", "--env"],
  ["run", "-e"],
  ["run", "-ns"],
  ["new", "-tc"],
  ["mlflow", "ui", "-h"],
  ["--project"],
  ["run", "-e", "--debug"],
  ["models", "register", "-n", "x"],
  ["mlflow", "end-run"],
  ["mlflow", "end-run", "--run-id", "r"],
  ["experiments", "create"],
  ["runs", "list"],
  // too many arguments
  ["registry", "list", "extra"],
  ["catalog", "list", "a", "b"],
  ["run", "a", "b"],
  ["info", "x"],
  ["registry", "describe", "a", "b"],
  ["models", "alias", "a", "b", "c", "d"],
  // invalid choice; an option parser's error
  ["completion", "tcsh"],
  ["run", "-e", "a", "-e", "b"],
  ["run", "-p", "a", "--pipeline", "b"],
  ["run", "a", "-p", "b"],
  // help in odd places, the implicit help command, the version
  ["help"],
  ["help", "catalog"],
  ["help", "catalog", "list"],
  ["catalog", "help", "list"],
  ["catalog", "help"],
  ["help", "zzzz"],
  ["help", "--help"],
  ["run", "--zzzz", "--help"],
  ["run", "--help", "--zzzz"],
  ["--help", "run"],
  ["run", "training", "--help"],
  ["-h", "catalog"],
  ["catalog", "list", "-h", "x", "y"],
  ["server", "-h"],
  ["models", "serve", "-h"],
  ["-V"],
  ["--version"],
  ["-V", "run"],
  ["--debug", "--version"],
];

// A value for an option: its attribute name, so the recorded options show which flag set what.
const value = (o: Leaf, n = "") => `${o.attributeName()}${n}`;

/** Good invocations of every leaf command: each option in each of its spellings, before and after arguments. */
export function GOOD_INVOCATIONS(program: Command): string[][] {
  const invocations: string[][] = [];
  for (const { path, command } of commandPaths(program)) {
    if (command.commands.length > 0 || path.length === 0) continue;
    const options: readonly Leaf[] = command.options;
    const args = command.registeredArguments.map((a: Leaf) => `arg-${a.name()}`);
    const required = command.registeredArguments.filter((a: Leaf) => a.required).map((a: Leaf) =>
      `arg-${a.name()}`
    );
    const long = options.flatMap((o) => o.negate || o.isBoolean() ? [o.long] : [o.long, value(o)]);
    const equals = options.flatMap((o) => o.negate || o.isBoolean() ? [o.long] : [`${o.long}=${value(o)}`]);
    const short = options.filter((o) => o.short).flatMap((o) =>
      o.isBoolean() ? [o.short] : [`${o.short}${value(o, "-s")}`]
    );
    const twice = options.filter((o) => !o.isBoolean() && !o.negate).flatMap((o) => [
      o.long,
      value(o, "-1"),
      o.short ?? o.long,
      value(o, "-2"),
    ]);
    const booleans = options.filter((o) => o.short && o.isBoolean()).map((o) => o.short.slice(1)).join("");
    invocations.push(
      [...path, ...required],
      [...path, ...args],
      [...path, ...long, ...required],
      [...path, ...required, ...long],
      [...path, ...equals, ...args],
      [...path, ...short, ...required],
      [...path, ...required, ...twice],
      ["--project", "p", "--debug", ...path, ...required],
      [...path, "--project=p", ...required, "--debug"],
      [...path, "--", ...required, "-x"],
      [...path, ...required, "--", "--project"],
    );
    if (booleans.length > 1) invocations.push([...path, `-${booleans}`, ...required]);
    const valued = options.find((o) => o.short && !o.isBoolean());
    if (valued && booleans) {
      invocations.push(
        [...path, `-${booleans}${valued.short.slice(1)}`, "v", ...required],
        [...path, `-${booleans}${valued.short.slice(1)}v`, ...required],
        [...path, `-${booleans}${valued.short.slice(1)}=v`, ...required],
        [...path, `${valued.short}=v`, ...required],
      );
    }
  }
  return [
    ...invocations,
    ["run", "-ns", "a", "-lv", "d:v", "-ns=b", "-lv=e:w", "training"],
    ["run", "-e=local", "-qe=local", "--nodes", "a,b", "-n", "c"],
    ["run", "-", "-e", "-"],
    ["new", "x", "-tc", "y"],
    ["new", "x", "-tc=n", "--name=N", "-nM"],
    ["new", "x", "--no-example"],
    ["new", "x", "--example", "n", "--no-example"],
    ["new", "x", "--no-example", "--example", "y"],
    ["server", "--serve-artifacts", "--no-serve-artifacts"],
    ["server", "--no-serve-artifacts", "--serve-artifacts"],
    ["server", "-h", "0.0.0.0", "-p", "80"],
    ["mlflow", "ui", "-h", "0.0.0.0", "-e", "local"],
    ["models", "predict", "-m", "m", "--no-conda"],
    ["models", "register", "-m", "m", "-n", "n", "--tag", "a=1", "--tag", "b=2"],
    ["mlflow", "init", "-fs", "-e", "dev"],
    ["mlflow", "init", "-fse", "dev"],
    ["catalog", "describe-datasets", "-p", "a", "-p", "b"],
    ["catalog", "resolve-patterns"],
    ["catalog", "list-patterns"],
    ["catalog", "rank", "-e", "x"],
    ["completion"],
    ["completion", "zsh"],
    ["registry", "describe"],
    ["run", "--params", "a=1", "--params", "b=2", "--load-versions", "x:1", "--load-versions", "y:2"],
    ["--debug", "--debug", "run", "--project", "a", "--project", "b"],
    ["run", "--debug"],
    ["catalog", "list", "--project", "p"],
  ];
}
