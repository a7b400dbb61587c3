/**
 * What the launcher (project_runtime.ts) reads of kmlf's arguments before commander parses them: the command
 * and `--project`, and whether help is asked for.
 *
 * @module
 */

/**
 * Whether `argv` asks for help: `--help`, or `-h` everywhere but in `mlflow ui`, where it names the host as
 * in kedro-mlflow.
 *
 * @example
 * ```ts
 * asksForHelp(["run", "-h"]); // true
 * asksForHelp(["mlflow", "ui", "-h", "0.0.0.0"]); // false
 * ```
 */
export function asksForHelp(argv: readonly string[]): boolean {
  const words = argv.filter((a) => !a.startsWith("-"));
  const hostFlag = words[0] === "mlflow" && words[1] === "ui";
  return argv.some((a) => a === "--help" || (a === "-h" && !hostFlag));
}

/**
 * The subcommand (the first word that is not an option) and `--project`, which may come anywhere.
 *
 * @example
 * ```ts
 * commandOf(["--project", "p", "run", "training"]); // { command: "run", project: "p" }
 * ```
 */
export function commandOf(argv: readonly string[]): { command?: string; project?: string } {
  let project: string | undefined;
  let command: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") break;
    if (a === "--project") project = argv[++i];
    else if (a.startsWith("--project=")) project = a.slice("--project=".length);
    else if (command === undefined && !a.startsWith("-")) command = a;
  }
  return { command, project };
}
