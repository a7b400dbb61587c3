/** The project commands of the `kmlf` command tree: run, registry, pipeline and catalog. */
import { type Command, Option } from "./_commander/index.js";
import { type CommandContext, modules } from "./command_modules.ts";
import { appendList, onceFlag, withKedroShortFlag } from "./kedro_flags.ts";

/**
 * Adds `kmlf run` to `program`.
 *
 * @example
 * ```ts
 * addRunCommand(program, { argv, state });
 * ```
 */
export function addRunCommand(program: Command, ctx: CommandContext): void {
  const { argv, state } = ctx;
  program.command("run")
    .description("Run a pipeline (default: __default__, the union of all pipelines)")
    .argument("[pipeline]", "pipeline name (same as --pipeline)")
    .option(
      "-p, --pipeline <name>",
      "pipeline to run",
      onceFlag("--pipeline", "use --pipelines a,b to run several"),
    )
    .option("--pipelines <names>", "comma-separated pipelines to run together", appendList)
    .option(
      "-e, --env <env>",
      "configuration environment (default: $KMLF_ENV, else $KEDRO_ENV, then kmlf.yml default_env)",
      onceFlag("--env"),
    )
    .option("-n, --nodes <names>", "run only these nodes (comma-separated)", appendList)
    .option("--from-nodes <names>", "run from these nodes downstream", appendList)
    .option("--to-nodes <names>", "run up to these nodes", appendList)
    .option("--from-inputs <datasets>", "run from the nodes consuming these datasets downstream", appendList)
    .option("--to-outputs <datasets>", "run up to the nodes producing these datasets", appendList)
    .option("-t, --tags <tags>", "run only nodes with any of these tags", appendList)
    .addOption(
      withKedroShortFlag(
        new Option("--namespaces <namespaces>", "run only nodes in these namespaces").argParser(appendList),
        "run",
      ),
    )
    .option(
      "--params <pairs>",
      'runtime parameters: "a=1,b.c:x,d=true" (values parsed as YAML scalars)',
      appendList,
    )
    .addOption(withKedroShortFlag(
      new Option(
        "--load-versions <pairs>",
        'pin versions of versioned datasets: "name:YYYY-MM-DDThh.mm.ss.sssZ,..."',
      ).argParser(appendList),
      "run",
    ))
    .option(
      "--conf-source <dir>",
      "configuration folder to use instead of kmlf.yml's conf_source",
      onceFlag("--conf-source"),
    )
    .option(
      "-c, --config <file>",
      "YAML file whose `run:` section gives defaults for these options",
      onceFlag("--config"),
    )
    .option("--only-missing-outputs", "skip nodes whose persisted outputs already exist")
    .option(
      "-r, --runner <name>",
      "sequential (default), parallel (Web Workers) or thread (concurrent async)",
      onceFlag("--runner"),
    )
    .option(
      "--max-workers <n>",
      "nodes at once with --runner parallel (default: CPU cores) or thread (32)",
      onceFlag("--max-workers"),
    )
    .option("--async", "load a node's inputs and save its outputs concurrently")
    .option(
      "--runner-params <pairs>",
      'Kedro\'s runner arguments: "max_workers=4,is_async=true" (the same as --max-workers, --async)',
      appendList,
    )
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
}

/**
 * Adds `kmlf registry …`, `kmlf pipeline …` and `kmlf catalog …` to `program`.
 *
 * @example
 * ```ts
 * addProjectCommands(program, { argv, state });
 * ```
 */
export function addProjectCommands(program: Command, ctx: CommandContext): void {
  const { state } = ctx;
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
    .addOption(new Option("-t, --template <dir>").hideHelp()) // Kedro's cookiecutter folder: refused
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

  // Kedro 1.x names these describe-datasets, resolve-patterns and list-patterns (0.19: list, resolve, rank).
  const catalog = program.command("catalog").description("Inspect the data catalog");
  catalog.command("list").alias("describe-datasets")
    .description("Datasets used by pipelines, grouped by type and origin")
    .option("-e, --env <env>", "configuration environment", onceFlag("--env"))
    .option("--params <pairs>", "runtime parameters for the config's ${runtime_params:…}", appendList)
    .option("-p, --pipeline <names>", "comma-separated pipelines (default: all)", appendList)
    .action(async (options, command) => {
      const { catalogList } = await modules.catalog();
      state.exitCode = await catalogList({ ...command.optsWithGlobals(), ...options });
    });
  catalog.command("resolve").alias("resolve-patterns")
    .description("Print each dataset's configuration after factory patterns")
    .option("-e, --env <env>", "configuration environment", onceFlag("--env"))
    .option("--params <pairs>", "runtime parameters for the config's ${runtime_params:…}", appendList)
    .option("-p, --pipeline <names>", "comma-separated pipelines (default: all)", appendList)
    .action(async (options, command) => {
      const { catalogResolve } = await modules.catalog();
      state.exitCode = await catalogResolve({ ...command.optsWithGlobals(), ...options });
    });
  catalog.command("validate")
    .description("Build every catalog entry (or those the pipelines use) and report all problems")
    .option("-e, --env <env>", "configuration environment", onceFlag("--env"))
    .option("--params <pairs>", "runtime parameters for the config's ${runtime_params:…}", appendList)
    .option(
      "-p, --pipeline <names>",
      "comma-separated pipelines: check what they use (default: everything)",
      appendList,
    )
    .action(async (options, command) => {
      const { catalogValidate } = await modules.catalog();
      state.exitCode = await catalogValidate({ ...command.optsWithGlobals(), ...options });
    });
  catalog.command("patterns").aliases(["list-patterns", "rank"])
    .description("List dataset factory patterns in matching order")
    .option("-e, --env <env>", "configuration environment", onceFlag("--env"))
    .option("--params <pairs>", "runtime parameters for the config's ${runtime_params:…}", appendList)
    .action(async (options, command) => {
      const { catalogPatterns } = await modules.catalog();
      state.exitCode = await catalogPatterns({ ...command.optsWithGlobals(), ...options });
    });
}
