/** The logged-model commands of the `kmlf` command tree: `kmlf models predict|serve|register|alias`. */
import type { Command } from "./_commander/index.js";
import { type CommandContext, modules } from "./command_modules.ts";
import { addMlflowModelsFlags } from "./mlflow_models_flags.ts";

/**
 * Adds `kmlf models` and its subcommands to `program`.
 *
 * @example
 * ```ts
 * addModelsCommands(program, { argv, state });
 * ```
 */
export function addModelsCommands(program: Command, ctx: CommandContext): void {
  const { state } = ctx;
  const models = program.command("models").description(
    "Use models logged by kmlf: batch predictions, serving, registering and aliases",
  );
  const predict = models.command("predict").description("Predict a CSV or JSON file with a logged model")
    .requiredOption("-m, --model-uri <uri>", "runs:/<run_id>/model, models:/<name>/<version>, a folder, …")
    .option(
      "-i, --input-path <file>",
      "CSV (with a header) or JSON (MLflow's formats or a list of records); default: stdin",
    )
    .option("-o, --output-path <file>", "write here instead of stdout (.csv → CSV rows, else JSON)")
    .option("-t, --content-type <type>", "json or csv (default: from the file extension)")
    .option("-e, --env <env>", "configuration environment (whose mlflow.yml names the store)");
  addMlflowModelsFlags(predict, "predict")
    .action(async (options, command) => {
      const { modelsPredict } = await modules.models();
      state.exitCode = await modelsPredict({ ...command.optsWithGlobals(), ...options, argv: ctx.argv });
    });
  const serve = models.command("serve").description(
    "Serve a logged model with MLflow's scoring protocol (POST /invocations)",
  )
    // As in `mlflow models serve`, -h is the host: help is --help only.
    .helpOption("--help", "display help for command")
    .requiredOption("-m, --model-uri <uri>", "runs:/<run_id>/model, models:/<name>/<version>, a folder, …")
    .option("-p, --port <port>", "port (default: $MLFLOW_PORT, else 5001)")
    .option("-h, --host <host>", "address to bind (default: $MLFLOW_HOST, else 127.0.0.1)")
    .option("--max-body-size <MiB>", "largest request body; larger ones get 413", "16")
    .option(
      "-t, --timeout <seconds>",
      "a prediction taking longer gets 504 (default: $MLFLOW_SCORING_SERVER_REQUEST_TIMEOUT, else 60)",
    )
    .option(
      "--cors-allowed-origins <origins>",
      "comma-separated origins (https://app.example, https://*.corp.example, * for any) whose web pages may " +
        "call the model besides the server's own (default: $MLFLOW_SERVER_CORS_ALLOWED_ORIGINS, else localhost ones)",
    )
    .option("-e, --env <env>", "configuration environment (whose mlflow.yml names the store)");
  addMlflowModelsFlags(serve, "serve")
    .action(async (options, command) => {
      const { modelsServe } = await modules.models();
      state.exitCode = await modelsServe({ ...command.optsWithGlobals(), ...options, argv: ctx.argv });
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
}
