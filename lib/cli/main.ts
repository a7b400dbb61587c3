/**
 * The `kmlf` command tree. Only this file and the per-command files read argv or decide exit codes.
 * Commands import their implementation lazily so `kmlf --help` and `--version` stay fast.
 */
import { Command, CommanderError, Option } from "./_commander/index.js";
import { KMLF_VERSION } from "../version.ts";
import { EXIT, reportError } from "./exit_codes.ts";
import { expandKedroShortFlags, withKedroShortFlag } from "./kedro_flags.ts";

// Command modules are imported by computed URLs: Deno reads, checks and resolves every module a literal
// `import()` reaches as soon as the importing module loads, so literal imports here made every command
// (even `--help`) read all of kmlf's ~300 modules first. `deno task compile` --include's each one
// (tests/cli/compiled_workers_test.ts checks).
const modules = {
  catalog: (): Promise<typeof import("./catalog_command.ts")> =>
    import(new URL("./catalog_command.ts", import.meta.url).href),
  completion: (): Promise<typeof import("./completion_command.ts")> =>
    import(new URL("./completion_command.ts", import.meta.url).href),
  export: (): Promise<typeof import("./export_command.ts")> =>
    import(new URL("./export_command.ts", import.meta.url).href),
  info: (): Promise<typeof import("./info_command.ts")> =>
    import(new URL("./info_command.ts", import.meta.url).href),
  mlflowInit: (): Promise<typeof import("./mlflow_init_command.ts")> =>
    import(new URL("./mlflow_init_command.ts", import.meta.url).href),
  mlflowRun: (): Promise<typeof import("./mlflow_run_command.ts")> =>
    import(new URL("./mlflow_run_command.ts", import.meta.url).href),
  mlflowUi: (): Promise<typeof import("./mlflow_ui_command.ts")> =>
    import(new URL("./mlflow_ui_command.ts", import.meta.url).href),
  modelify: (): Promise<typeof import("./modelify_command.ts")> =>
    import(new URL("./modelify_command.ts", import.meta.url).href),
  models: (): Promise<typeof import("./models_command.ts")> =>
    import(new URL("./models_command.ts", import.meta.url).href),
  modelsRegistry: (): Promise<typeof import("./models_registry_command.ts")> =>
    import(new URL("./models_registry_command.ts", import.meta.url).href),
  new: (): Promise<typeof import("./new_command.ts")> =>
    import(new URL("./new_command.ts", import.meta.url).href),
  pipeline: (): Promise<typeof import("./pipeline_command.ts")> =>
    import(new URL("./pipeline_command.ts", import.meta.url).href),
  registry: (): Promise<typeof import("./registry_command.ts")> =>
    import(new URL("./registry_command.ts", import.meta.url).href),
  run: (): Promise<typeof import("./run_command.ts")> =>
    import(new URL("./run_command.ts", import.meta.url).href),
  runConfigFile: (): Promise<typeof import("./run_config_file.ts")> =>
    import(new URL("./run_config_file.ts", import.meta.url).href),
  server: (): Promise<typeof import("./server_command.ts")> =>
    import(new URL("./server_command.ts", import.meta.url).href),
  terminal: (): Promise<typeof import("./terminal.ts")> =>
    import(new URL("./terminal.ts", import.meta.url).href),
};

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
    .addOption(
      withKedroShortFlag(new Option("--namespaces <namespaces>", "run only nodes in these namespaces")),
    )
    .option("--params <pairs>", 'runtime parameters: "a=1,b.c:x,d=true" (values parsed as YAML scalars)')
    .addOption(withKedroShortFlag(
      new Option(
        "--load-versions <pairs>",
        'pin versions of versioned datasets: "name:YYYY-MM-DDThh.mm.ss.sssZ,..."',
      ),
    ))
    .option("--conf-source <dir>", "configuration folder to use instead of kmlf.yml's conf_source")
    .option("-c, --config <file>", "YAML file whose `run:` section gives defaults for these options")
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
      const [{ runCommand }, { consoleToStderr, out }] = await Promise.all([
        modules.run(),
        modules.terminal(),
      ]);
      if (options.config) {
        options = await (await modules.runConfigFile()).applyRunConfigFile(options.config, command);
      }
      // Under --json stdout carries exactly one JSON document: what user code prints goes to stderr,
      // and an error before the run starts (bad config, unknown pipeline) is a document too.
      const restoreConsole = options.json ? consoleToStderr() : undefined;
      try {
        state.exitCode = await runCommand(pipeline, options, command.optsWithGlobals(), argv);
      } catch (error) {
        if (options.json) {
          const code = (error as { code?: unknown })?.code;
          out(JSON.stringify({ status: "error", error: (error as Error)?.message ?? String(error), code }));
        }
        throw error;
      } finally {
        restoreConsole?.();
      }
    });

  const registry = program.command("registry").description("Inspect registered pipelines");
  registry.command("list").description("List pipeline names").action(async (_o, command) => {
    const { registryList } = await modules.registry();
    state.exitCode = await registryList(command.optsWithGlobals());
  });
  registry.command("describe").description("List the nodes of a pipeline in run order")
    .argument("[name]", "pipeline name", "__default__")
    .action(async (name, _o, command) => {
      const { registryDescribe } = await modules.registry();
      state.exitCode = await registryDescribe(name, command.optsWithGlobals());
    });

  const pipeline = program.command("pipeline").description(
    "Create or delete a pipeline (like kedro pipeline)",
  );
  pipeline.command("create").description(
    "Scaffold pipelines/<name>.yml, its nodes, a test and its parameters",
  )
    .argument("<name>", "pipeline name (letters, digits, _)")
    .option("-e, --env <env>", "environment folder for parameters_<name>.yml (default: base)")
    .option("--skip-config", "do not create parameters_<name>.yml")
    .action(async (name, options, command) => {
      const { pipelineCreate } = await modules.pipeline();
      const { skipConfig, ...rest } = { ...command.optsWithGlobals(), ...options };
      state.exitCode = await pipelineCreate(name, { ...rest, config: !skipConfig });
    });
  pipeline.command("delete").description("Delete the files `pipeline create` made for <name>")
    .argument("<name>", "pipeline name")
    .option("-e, --env <env>", "environment folder of parameters_<name>.yml (default: base)")
    .option("-y, --yes", "delete without asking")
    .action(async (name, options, command) => {
      const { pipelineDelete } = await modules.pipeline();
      state.exitCode = await pipelineDelete(name, { ...command.optsWithGlobals(), ...options });
    });

  const catalog = program.command("catalog").description("Inspect the data catalog");
  catalog.command("list").description("Datasets used by pipelines, grouped by type and origin")
    .option("-e, --env <env>", "configuration environment")
    .option("-p, --pipeline <names>", "comma-separated pipelines (default: all)")
    .action(async (options, command) => {
      const { catalogList } = await modules.catalog();
      state.exitCode = await catalogList({ ...command.optsWithGlobals(), ...options });
    });
  catalog.command("resolve").description("Print each dataset's configuration after factory patterns")
    .option("-e, --env <env>", "configuration environment")
    .option("-p, --pipeline <names>", "comma-separated pipelines (default: all)")
    .action(async (options, command) => {
      const { catalogResolve } = await modules.catalog();
      state.exitCode = await catalogResolve({ ...command.optsWithGlobals(), ...options });
    });
  catalog.command("validate")
    .description("Build every catalog entry (or those the pipelines use) and report all problems")
    .option("-e, --env <env>", "configuration environment")
    .option("-p, --pipeline <names>", "comma-separated pipelines: check what they use (default: everything)")
    .action(async (options, command) => {
      const { catalogValidate } = await modules.catalog();
      state.exitCode = await catalogValidate({ ...command.optsWithGlobals(), ...options });
    });
  catalog.command("patterns").description("List dataset factory patterns in matching order")
    .option("-e, --env <env>", "configuration environment")
    .action(async (options, command) => {
      const { catalogPatterns } = await modules.catalog();
      state.exitCode = await catalogPatterns({ ...command.optsWithGlobals(), ...options });
    });

  const mlflow = program.command("mlflow").description(
    "kedro-mlflow commands: configure run tracking (init), browse runs (ui), log a pipeline as a model (modelify)",
  );
  mlflow.command("init").description("Write a commented conf/<env>/mlflow.yml")
    .option("-e, --env <env>", "environment folder to write to", "local")
    .option("-f, --force", "overwrite an existing mlflow.yml")
    .option("-s, --silent", "print nothing on success")
    .action(async (options, command) => {
      const { mlflowInit } = await modules.mlflowInit();
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
      const { mlflowUi } = await modules.mlflowUi();
      state.exitCode = await mlflowUi({ ...command.optsWithGlobals(), ...options });
    });

  mlflow.command("modelify").description(
    "Log an existing pipeline as an MLflow Model from the project's persisted data (no training run)",
  )
    .requiredOption("-p, --pipeline <name>", "the (inference) pipeline to log")
    .requiredOption("-i, --input-name <dataset>", "the input each prediction request fills")
    .option("--infer-signature", "infer the signature from --input-name's data")
    .option("--infer-input-example", "save the first rows of --input-name as the input example")
    .option("--copy-mode <mode>", "assign, copy or deepcopy", "deepcopy")
    .option("--model-name <name>", "artifact path of the model (default: model-<pipeline>)")
    .option(
      "--registered-model-name <name>",
      "register the logged model as the next version of this registered model",
    )
    .option("-e, --env <env>", "configuration environment")
    .action(async (options, command) => {
      const { modelify } = await modules.modelify();
      state.exitCode = await modelify({ ...command.optsWithGlobals(), ...options }, argv);
    });

  mlflow.command("start-run").description(
    "Start the one MLflow run of an exported workflow and print its id (its first task)",
  )
    .option("-p, --pipeline <name>", "the pipeline the workflow runs", "__default__")
    .option("-e, --env <env>", "configuration environment (whose mlflow.yml names the store)")
    .option("--workflow <engine>", "the orchestrator, recorded as tag kmlf.workflow", "workflow")
    .option("--run-id-file <path>", "also write the run id to this file")
    .action(async (options, command) => {
      const { mlflowStartRun } = await modules.mlflowRun();
      state.exitCode = await mlflowStartRun({ ...command.optsWithGlobals(), ...options }, argv);
    });
  mlflow.command("end-run").description("End an exported workflow's MLflow run (its exit handler)")
    .requiredOption("--run-id <id>", "the run kmlf mlflow start-run printed")
    .requiredOption("--status <status>", "FINISHED, FAILED or KILLED (Argo's Succeeded/Failed/Error too)")
    .option("-e, --env <env>", "configuration environment (whose mlflow.yml names the store)")
    .action(async (options, command) => {
      const { mlflowEndRun } = await modules.mlflowRun();
      state.exitCode = await mlflowEndRun({ ...command.optsWithGlobals(), ...options });
    });

  const exporter = program.command("export").description(
    "Export a pipeline to an orchestrator: one task per node (or group), one MLflow run for the workflow",
  );
  const exportOptions = (cmd: Command) =>
    cmd.option("-p, --pipeline <name>", "pipeline to export", "__default__")
      .option("-e, --env <env>", "configuration environment the tasks run with")
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

  const models = program.command("models").description(
    "Use models logged by kmlf: batch predictions, serving, registering and aliases",
  );
  models.command("predict").description("Predict a CSV or JSON file with a logged model")
    .requiredOption("-m, --model-uri <uri>", "runs:/<run_id>/model, models:/<name>/<version>, a folder, …")
    .requiredOption(
      "-i, --input-path <file>",
      "CSV (with a header) or JSON (MLflow's formats or a list of records)",
    )
    .option("-o, --output-path <file>", "write here instead of stdout (.csv → CSV rows, else JSON)")
    .option("-t, --content-type <type>", "json or csv (default: from the file extension)")
    .option("-e, --env <env>", "configuration environment (whose mlflow.yml names the store)")
    .action(async (options, command) => {
      const { modelsPredict } = await modules.models();
      state.exitCode = await modelsPredict({ ...command.optsWithGlobals(), ...options });
    });
  models.command("serve").description(
    "Serve a logged model with MLflow's scoring protocol (POST /invocations)",
  )
    .requiredOption("-m, --model-uri <uri>", "runs:/<run_id>/model, models:/<name>/<version>, a folder, …")
    .option("-p, --port <port>", "port", "5001")
    .option("--host <host>", "address to bind", "127.0.0.1")
    .option("--max-body-size <MiB>", "largest request body; larger ones get 413", "16")
    .option("--timeout <seconds>", "a prediction taking longer gets 504", "60")
    .option("-e, --env <env>", "configuration environment (whose mlflow.yml names the store)")
    .action(async (options, command) => {
      const { modelsServe } = await modules.models();
      state.exitCode = await modelsServe({ ...command.optsWithGlobals(), ...options });
    });

  models.command("register").description(
    "Register a logged model as the next version of a registered model (MLflow's register_model)",
  )
    .requiredOption("-m, --model-uri <uri>", "runs:/<run_id>/model, models:/<name>/<version>, …")
    .requiredOption("-n, --name <name>", "registered model name (created when new)")
    .option(
      "--tag <key=value>",
      "a tag of the new version (repeatable)",
      (v, all: string[] = []) => [...all, v],
    )
    .option("--description <text>", "description of the new version")
    .option("-e, --env <env>", "configuration environment (whose mlflow.yml names the store)")
    .action(async (options, command) => {
      const { modelsRegister } = await modules.modelsRegistry();
      state.exitCode = await modelsRegister({ ...command.optsWithGlobals(), ...options });
    });
  models.command("alias").description(
    "Point an alias (champion, challenger, …) of a registered model at a version, or remove it",
  )
    .argument("<name>", "registered model name")
    .argument("<alias>", "alias name")
    .argument("[version]", "version number, or latest")
    .option("--delete", "remove the alias")
    .option("-e, --env <env>", "configuration environment (whose mlflow.yml names the store)")
    .action(async (name, alias, version, options, command) => {
      const { modelsAlias } = await modules.modelsRegistry();
      state.exitCode = await modelsAlias({ ...command.optsWithGlobals(), ...options, name, alias, version });
    });

  program.command("server").description("Serve a tracking store outside a project, like `mlflow server`")
    .option(
      "--backend-store-uri <uri>",
      "tracking store: sqlite:///path.db, a .db path, an mlruns folder or postgresql://user:pass@host/db",
      "mlflow.db",
    )
    .option(
      "--artifacts-destination <dir>",
      "where proxied artifacts are stored: a folder or s3://bucket/prefix",
      "mlartifacts",
    )
    .option("--default-artifact-root <uri>", "artifact root of new experiments", "mlflow-artifacts:/")
    .option("-p, --port <port>", "port", "5000")
    .option("--host <host>", "address to bind", "127.0.0.1")
    .action(async (options) => {
      const { serverCommand } = await modules.server();
      state.exitCode = await serverCommand(options);
    });

  program.command("new").description("Create a new kmlf project")
    .argument("<dir>", "directory to create")
    .option("--name <name>", "project name (default: the directory name)")
    .addOption(new Option("--no-example", "create an empty project without the iris example"))
    .action(async (dir, options) => {
      const { newCommand } = await modules.new();
      state.exitCode = await newCommand(dir, options);
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
    await program.parseAsync(expandKedroShortFlags(argv), { from: "user" });
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
