/**
 * The `kmlf` command tree; groups of commands are defined in the `*_command_tree.ts` files it composes.
 * Only these files and the per-command files read argv or decide exit codes.
 * Commands import their implementation lazily so `kmlf --help` and `--version` stay fast.
 */
import { Command, CommanderError, Option } from "./_commander/index.js";
import { KMLF_VERSION } from "../version.ts";
import { EXIT, reportError } from "./exit_codes.ts";
import { appendList, expandKedroShortFlags, withKedroShortFlag } from "./kedro_flags.ts";
import { missingKedroCommand } from "./kedro_commands.ts";
import { type CommandContext, modules } from "./command_modules.ts";
import { addMlflowCommands } from "./mlflow_command_tree.ts";
import { addModelsCommands } from "./models_command_tree.ts";
import { addProjectCommands, addRunCommand } from "./project_command_tree.ts";
import { addGcCommand } from "./gc_command_tree.ts";
import { addStoreCommands } from "./store_command_tree.ts";
import { addServerCommand } from "./server_command_tree.ts";

/** Options every project command accepts. */
export interface GlobalOptions {
  project?: string;
  debug?: boolean;
}

// The top-level commands by the function that adds them, in the order `kmlf --help` lists them.
const COMMANDS: [names: string[], add: (program: Command, ctx: CommandContext) => void][] = [
  [["run"], addRunCommand],
  [["registry", "pipeline", "catalog"], addProjectCommands],
  [["mlflow"], addMlflowCommands],
  [["export"], addExportCommands],
  [["models"], addModelsCommands],
  [["runs", "experiments", "artifacts"], addStoreCommands],
  [["gc"], addGcCommand],
  [["server"], addServerCommand],
  [["new", "info", "completion"], addOtherCommands],
];

/**
 * Builds the command tree (exported so `kmlf completion` can walk it). With `only`, a top-level command's
 * name, just the commands that define it: building all of them (~100 commands and options) is a few ms of
 * every start, and commander dispatches on that name anyway. A name no entry has builds the whole tree.
 *
 * @example
 * ```ts
 * buildProgram([]).commands.map((c) => c.name()); // ["run", "registry", …]
 * buildProgram(["run", "training"], undefined, "run").commands.length; // 1
 * ```
 */
export function buildProgram(
  argv: string[],
  state: { exitCode: number } = { exitCode: 0 },
  only?: string,
): Command {
  const program = new Command("kmlf")
    .description("Kedro-style pipelines with MLflow-compatible tracking, in one fast binary.")
    .version(KMLF_VERSION, "-V, --version", "print the kmlf version")
    .option("--project <dir>", "project directory (default: found by walking up from the current directory)")
    .option("--debug", "show kmlf's own stack traces on errors")
    .showSuggestionAfterError(true)
    .configureOutput({ outputError: (text, write) => write(formatUsageError(text)) })
    // Commander leaves descriptions unwrapped when a long option or command name leaves them under 40
    // columns (`models predict --help` ran 150 wide); wrapped into 24 they still read, as the others do.
    .configureHelp({ minWidthToWrap: 24 })
    .exitOverride()
    .hook("preAction", (_program, action) => checkPaths(action));
  const ctx = { argv, state };
  const wanted = COMMANDS.filter(([names]) => only !== undefined && names.includes(only));
  for (const [, add] of wanted.length > 0 ? wanted : COMMANDS) add(program, ctx);
  return program;
}

/**
 * The top-level command argv names, when only kmlf's own options (`--project`, `--debug`) come before it;
 * undefined otherwise (no command, `--help`, an unknown option: commander then needs the whole tree).
 *
 * @example
 * ```ts
 * namedCommand(["--project", "p", "run", "training"]); // "run"
 * namedCommand(["--help"]); // undefined
 * ```
 */
export function namedCommand(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--project") i++;
    else if (arg !== "--debug" && !arg.startsWith("--project=")) return arg.startsWith("-") ? undefined : arg;
  }
  return undefined;
}

function addExportCommands(program: Command, { state }: CommandContext): void {
  const exporter = program.command("export").description(
    "Export a pipeline to an orchestrator: one task per node (or group), one MLflow run for the workflow",
  );
  const exportOptions = (cmd: Command) =>
    cmd.option("-p, --pipeline <name>", "pipeline to export", "__default__")
      .option("-e, --env <env>", "configuration environment the tasks run with")
      .option("--params <pairs>", "runtime parameters the tasks run with (kmlf run --params)", appendList)
      .option("--group-by <how>", "one task per node, per top-level namespace, or per first tag", "node")
      .option("-o, --output <file>", "write here instead of stdout");
  exportOptions(exporter.command("argo").description("An Argo Workflows Workflow with a DAG template"))
    .option("--image <image>", "container image with kmlf and the project (default <project>:latest)")
    .option("--kind <kind>", "Workflow or WorkflowTemplate", "Workflow")
    .option("--name <name>", "workflow name (default <project>-<pipeline>)")
    .option("--namespace <namespace>", "Kubernetes namespace")
    .option(
      "--secret <name>",
      "Kubernetes Secret exported as every task's environment (tracking URI, credentials)",
    )
    .option(
      "--volume <claim:path>",
      "a PersistentVolumeClaim mounted in every task, so tasks share data files",
    )
    .action(async (options, command) => {
      const { exportArgo } = await modules.export();
      state.exitCode = await exportArgo({ ...command.optsWithGlobals(), ...options });
    });
  exportOptions(exporter.command("airflow").description("An Airflow 2 DAG file (like kedro-airflow)"))
    .option("--dag-id <id>", "DAG id (default <project>-<pipeline>)")
    .option("--project-path <dir>", "the project directory on the Airflow workers (default: this project)")
    .action(async (options, command) => {
      const { exportAirflow } = await modules.export();
      state.exitCode = await exportAirflow({ ...command.optsWithGlobals(), ...options });
    });
}

// `kmlf new`, `kmlf info` and `kmlf completion`.
function addOtherCommands(program: Command, { argv, state }: CommandContext): void {
  program.command("new").description("Create a new kmlf project")
    .argument("[dir]", "directory to create (default: from --name, as Kedro's repo_name: my-project)")
    .option("-n, --name <name>", 'project name, e.g. "My Project" (default: the directory name)')
    .option("-e, --example <y|n>", "with the iris example (default: y)")
    .addOption(new Option("--no-example", "create an empty project without the iris example"))
    // Kedro's starter and tool flags, refused with what kmlf does instead.
    .addOption(new Option("-s, --starter <starter>").hideHelp())
    .addOption(new Option("--checkout <ref>").hideHelp())
    .addOption(new Option("--directory <dir>").hideHelp())
    .addOption(new Option("-t, --tools <tools>").hideHelp())
    .option("-c, --config <file>", "Kedro's kedro new config file: project_name, repo_name, output_dir, …")
    .addOption(
      withKedroShortFlag(
        new Option("--telemetry <y|n>", "accepted for Kedro's sake: kmlf sends no telemetry"),
        "new",
      ),
    )
    .action(async (dir, options) => {
      const { newCommand, kedroNewOptions } = await modules.new();
      const { dir: target, ...rest } = await kedroNewOptions(dir, options);
      state.exitCode = await newCommand(target, rest);
    });

  program.command("info").description("Show kmlf, runtime and project information").action(
    async (_o, command) => {
      const { infoCommand } = await modules.info();
      state.exitCode = await infoCommand(command.optsWithGlobals());
    },
  );

  program.command("completion").description("Print a shell completion script")
    .addArgument(
      new Command().createArgument("[shell]", "bash, zsh or fish").choices(["bash", "zsh", "fish"]).default(
        "bash",
      ),
    )
    .action(async (shell) => {
      const { completionCommand } = await modules.completion();
      state.exitCode = completionCommand(shell, buildProgram(argv));
    });
}

// Options and arguments naming a local file or folder (`--conf-source <dir>`, `-o, --output <file>`,
// `[dir]`); an artifact path and the project's path on Airflow workers name no file of this machine.
const PATH_PLACEHOLDER = /<(?:file|dir|path)>/;
const NOT_LOCAL = new Set(["--artifact-path", "--project-path"]);
const PATH_ARGUMENT = new Set(["dir", "file", "path"]);
// Every path foreign_path.ts refuses holds a `~`, a `\` or a drive's `X:`: other values (most) skip loading it.
const MAYBE_FOREIGN = /[~\\]|[a-zA-Z]:/;

// Refuses a path written for another machine (`C:\x`, `~/x` after `=`: path_arguments.ts) in any command's
// arguments, before the command runs; the check is loaded only when such an argument is given.
async function checkPaths(action: Command): Promise<void> {
  const given: { name: string; value: string }[] = [];
  for (let cmd: Command | null = action; cmd; cmd = cmd.parent) {
    for (const option of cmd.options) {
      if (!PATH_PLACEHOLDER.test(option.flags) || NOT_LOCAL.has(option.long ?? "")) continue;
      const value = cmd.getOptionValue(option.attributeName());
      if (typeof value === "string" && MAYBE_FOREIGN.test(value)) {
        given.push({ name: option.long ?? option.flags, value });
      }
    }
    cmd.registeredArguments.forEach((argument, i) => {
      const value = cmd!.processedArgs[i];
      if (PATH_ARGUMENT.has(argument.name()) && typeof value === "string" && MAYBE_FOREIGN.test(value)) {
        given.push({ name: `<${argument.name()}>`, value });
      }
    });
  }
  if (given.length === 0) return;
  const { checkPathArguments } = await import(
    new URL("./path_arguments.ts", import.meta.url).href
  ) as typeof import("./path_arguments.ts");
  checkPathArguments(given);
}

/**
 * Runs the CLI and returns the exit code.
 *
 * @example
 * ```ts
 * Deno.exit(await main(["run", "training"]));
 * ```
 */
export async function main(argv: string[]): Promise<number> {
  const state = { exitCode: EXIT.ok as number };
  const program = buildProgram(argv, state, namedCommand(argv));
  try {
    await program.parseAsync(expandKedroShortFlags(argv, program), { from: "user" });
    return state.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return EXIT.ok;
      if (error.code === "commander.help") return EXIT.ok;
      return EXIT.usage;
    }
    return await reportError(error, { debug: argv.includes("--debug") });
  }
}

// Commander's "error: unknown option '--node'\n(Did you mean --nodes?)" in kmlf's error format.
function formatUsageError(text: string): string {
  const missing = missingKedroCommand(text.match(/^error: unknown command '([^']*)'/)?.[1] ?? "");
  if (missing) return `error[cli/not-in-kmlf]: ${missing.message}\n  hint: ${missing.hint}\n`;
  const message = text.replace(/^error: /, "").replace(/\n?\(Did you mean (.+)\?\)\s*$/s, "").trim();
  const guess = text.match(/\(Did you mean (.+)\?\)/)?.[1];
  const hint = guess ? `did you mean ${guess}? ` : "";
  return `error[cli/usage]: ${message}\n  hint: ${hint}see \`kmlf --help\` or \`kmlf <command> --help\`\n`;
}
