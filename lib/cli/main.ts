/**
 * The `kmlf` command tree. Only this file and the per-command files read argv or decide exit codes.
 * Commands import their implementation lazily so `kmlf --help` and `--version` stay fast.
 */
import { Command, CommanderError, Option } from "commander";
import { KMLF_VERSION } from "../version.ts";
import { EXIT, reportError } from "./exit_codes.ts";

/** Options every project command accepts. */
export interface GlobalOptions {
  project?: string;
  debug?: boolean;
}

/** Builds the command tree (exported so `kmlf completion` can walk it). */
export function buildProgram(argv: string[], state: { exitCode: number } = { exitCode: 0 }): Command {
  const program = new Command("kmlf")
    .description("Kedro-style pipelines with MLflow-compatible tracking, in one fast binary.")
    .version(KMLF_VERSION, "-V, --version", "print the kmlf version")
    .option("--project <dir>", "project directory (default: found by walking up from the current directory)")
    .option("--debug", "show kmlf's own stack traces on errors")
    .showSuggestionAfterError(true)
    .configureOutput({ outputError: (text, write) => write(formatUsageError(text)) })
    .exitOverride();

  program.command("run")
    .description("Run a pipeline (default: __default__, the union of all pipelines)")
    .argument("[pipeline]", "pipeline name (same as --pipeline)")
    .option("-p, --pipeline <name>", "pipeline to run")
    .option("--pipelines <names>", "comma-separated pipelines to run together")
    .option("-e, --env <env>", "configuration environment (default: $KMLF_ENV, then kmlf.yml default_env)")
    .option("-n, --nodes <names>", "run only these nodes (comma-separated)")
    .option("--from-nodes <names>", "run from these nodes downstream")
    .option("--to-nodes <names>", "run up to these nodes")
    .option("--from-inputs <datasets>", "run from the nodes consuming these datasets downstream")
    .option("--to-outputs <datasets>", "run up to the nodes producing these datasets")
    .option("-t, --tags <tags>", "run only nodes with any of these tags")
    .option("--namespaces <namespaces>", "run only nodes in these namespaces")
    .option("--params <pairs>", 'runtime parameters: "a=1,b.c=x,d=true" (values parsed as YAML scalars)')
    .option(
      "--load-versions <pairs>",
      'pin versions of versioned datasets: "name:YYYY-MM-DDThh.mm.ss.sssZ,..."',
    )
    .option("--only-missing-outputs", "skip nodes whose persisted outputs already exist")
    .option(
      "-r, --runner <name>",
      "sequential (default), parallel (Web Workers) or thread (concurrent async)",
    )
    .option("--max-workers <n>", "nodes at once with --runner parallel (default: CPU cores) or thread (32)")
    .option("--async", "load a node's inputs and save its outputs concurrently")
    .option("-q, --quiet", "print only errors and the final summary")
    .option("--json", "print one JSON summary object instead of progress lines")
    .action(async (pipeline, options, command) => {
      const { runCommand } = await import("./run_command.ts");
      state.exitCode = await runCommand(pipeline, options, command.optsWithGlobals(), argv);
    });

  const registry = program.command("registry").description("Inspect registered pipelines");
  registry.command("list").description("List pipeline names").action(async (_o, command) => {
    const { registryList } = await import("./registry_command.ts");
    state.exitCode = await registryList(command.optsWithGlobals());
  });
  registry.command("describe").description("List the nodes of a pipeline in run order")
    .argument("[name]", "pipeline name", "__default__")
    .action(async (name, _o, command) => {
      const { registryDescribe } = await import("./registry_command.ts");
      state.exitCode = await registryDescribe(name, command.optsWithGlobals());
    });

  const catalog = program.command("catalog").description("Inspect the data catalog");
  catalog.command("list").description("Datasets used by pipelines, grouped by type and origin")
    .option("-e, --env <env>", "configuration environment")
    .option("-p, --pipeline <names>", "comma-separated pipelines (default: all)")
    .action(async (options, command) => {
      const { catalogList } = await import("./catalog_command.ts");
      state.exitCode = await catalogList({ ...command.optsWithGlobals(), ...options });
    });
  catalog.command("resolve").description("Print each dataset's configuration after factory patterns")
    .option("-e, --env <env>", "configuration environment")
    .option("-p, --pipeline <names>", "comma-separated pipelines (default: all)")
    .action(async (options, command) => {
      const { catalogResolve } = await import("./catalog_command.ts");
      state.exitCode = await catalogResolve({ ...command.optsWithGlobals(), ...options });
    });
  catalog.command("patterns").description("List dataset factory patterns in matching order")
    .option("-e, --env <env>", "configuration environment")
    .action(async (options, command) => {
      const { catalogPatterns } = await import("./catalog_command.ts");
      state.exitCode = await catalogPatterns({ ...command.optsWithGlobals(), ...options });
    });

  const mlflow = program.command("mlflow").description(
    "kedro-mlflow commands: configure run tracking (init), browse runs (ui)",
  );
  mlflow.command("init").description("Write a commented conf/<env>/mlflow.yml")
    .option("-e, --env <env>", "environment folder to write to", "local")
    .option("-f, --force", "overwrite an existing mlflow.yml")
    .option("-s, --silent", "print nothing on success")
    .action(async (options, command) => {
      const { mlflowInit } = await import("./mlflow_init_command.ts");
      state.exitCode = await mlflowInit({ ...command.optsWithGlobals(), ...options });
    });

  mlflow.command("ui").description("Serve the project's runs: web UI + MLflow-compatible REST API")
    .option(
      "-e, --env <env>",
      "environment whose mlflow.yml names the store (default: $KMLF_ENV, then default_env)",
    )
    .option("-p, --port <port>", "port (default: mlflow.yml ui.port, else 5000)")
    .option("--host <host>", "address to bind (default: mlflow.yml ui.host, else 127.0.0.1)")
    .action(async (options, command) => {
      const { mlflowUi } = await import("./mlflow_ui_command.ts");
      state.exitCode = await mlflowUi({ ...command.optsWithGlobals(), ...options });
    });

  program.command("server").description("Serve a tracking store outside a project, like `mlflow server`")
    .option(
      "--backend-store-uri <uri>",
      "tracking store: sqlite:///path.db, a .db path or an mlruns folder",
      "mlflow.db",
    )
    .option("--artifacts-destination <dir>", "where proxied artifacts are stored", "mlartifacts")
    .option("--default-artifact-root <uri>", "artifact root of new experiments", "mlflow-artifacts:/")
    .option("-p, --port <port>", "port", "5000")
    .option("--host <host>", "address to bind", "127.0.0.1")
    .action(async (options) => {
      const { serverCommand } = await import("./server_command.ts");
      state.exitCode = await serverCommand(options);
    });

  program.command("new").description("Create a new kmlf project")
    .argument("<dir>", "directory to create")
    .option("--name <name>", "project name (default: the directory name)")
    .addOption(new Option("--no-example", "create an empty project without the iris example"))
    .action(async (dir, options) => {
      const { newCommand } = await import("./new_command.ts");
      state.exitCode = await newCommand(dir, options);
    });

  program.command("info").description("Show kmlf, runtime and project information").action(
    async (_o, command) => {
      const { infoCommand } = await import("./info_command.ts");
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
      const { completionCommand } = await import("./completion_command.ts");
      state.exitCode = completionCommand(shell, buildProgram(argv));
    });

  return program;
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
  const program = buildProgram(argv, state);
  try {
    await program.parseAsync(argv, { from: "user" });
    return state.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return EXIT.ok;
      if (error.code === "commander.help") return EXIT.ok;
      return EXIT.usage;
    }
    return reportError(error, { debug: argv.includes("--debug") });
  }
}

// Commander's "error: unknown option '--node'\n(Did you mean --nodes?)" in kmlf's error format.
function formatUsageError(text: string): string {
  const message = text.replace(/^error: /, "").replace(/\n?\(Did you mean (.+)\?\)\s*$/s, "").trim();
  const guess = text.match(/\(Did you mean (.+)\?\)/)?.[1];
  const hint = guess ? `did you mean ${guess}? ` : "";
  return `error[cli/usage]: ${message}\n  hint: ${hint}see \`kmlf --help\` or \`kmlf <command> --help\`\n`;
}
