/** The kedro-mlflow commands of the `kmlf` command tree: `kmlf mlflow init|ui|modelify|start-run|end-run`. */
import type { Command } from "./_commander/index.js";
import { type CommandContext, modules } from "./command_modules.ts";
import { addServeArtifactsOptions } from "./serve_artifacts_flags.ts";
import { addModelifyKedroFlags } from "./modelify_flags.ts";
import { appendList } from "./kedro_flags.ts";

/**
 * Adds `kmlf mlflow` and its subcommands to `program`.
 *
 * @example
 * ```ts
 * addMlflowCommands(program, { argv, state });
 * ```
 */
export function addMlflowCommands(program: Command, ctx: CommandContext): void {
  const { argv, state } = ctx;
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

  addServeArtifactsOptions(
    mlflow.command("ui").description("Serve the project's runs: web UI + MLflow-compatible REST API")
      // kedro-mlflow's `ui` takes -h for the host (click gives help no short flag): help is --help here.
      .helpOption("--help", "display help for command")
      .option(
        "-e, --env <env>",
        "environment whose mlflow.yml names the store (default: $KMLF_ENV, else $KEDRO_ENV, then default_env)",
      )
      .option("-p, --port <port>", "port (default: mlflow.yml ui.port, else 5000)")
      .option("-h, --host <host>", "address to bind (default: mlflow.yml ui.host, else 127.0.0.1)"),
    // `mlflow ui` (what kedro-mlflow runs) is `mlflow server`: the same switches, read from the same
    // variables; new experiments keep the project store's root so `kmlf run` can write them.
    "store",
  )
    .action(async (options, command) => {
      const { mlflowUi } = await modules.mlflowUi();
      state.exitCode = await mlflowUi({ ...command.optsWithGlobals(), ...options });
    });

  addModelifyKedroFlags(
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
      .option("-e, --env <env>", "configuration environment"),
  )
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
    .option("--params <pairs>", "runtime parameters for the config's ${runtime_params:…}", appendList)
    .action(async (options, command) => {
      const { mlflowStartRun } = await modules.mlflowRun();
      state.exitCode = await mlflowStartRun({ ...command.optsWithGlobals(), ...options }, argv);
    });
  mlflow.command("end-run").description(
    "End an MLflow run: an exported workflow's (its exit handler), or one a killed kmlf left RUNNING",
  )
    .requiredOption(
      "--run-id <id>",
      "the run kmlf mlflow start-run printed, or a run kmlf named as left RUNNING",
    )
    .requiredOption("--status <status>", "FINISHED, FAILED or KILLED (Argo's Succeeded/Failed/Error too)")
    .option("-e, --env <env>", "configuration environment (whose mlflow.yml names the store)")
    .option("--params <pairs>", "runtime parameters for mlflow.yml's ${runtime_params:…}", appendList)
    .action(async (options, command) => {
      const { mlflowEndRun } = await modules.mlflowRun();
      state.exitCode = await mlflowEndRun({ ...command.optsWithGlobals(), ...options });
    });
}
