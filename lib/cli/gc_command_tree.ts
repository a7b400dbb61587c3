/** `kmlf gc` in the `kmlf` command tree: MLflow's `mlflow gc`, with its flags and help. */
import type { Command } from "./_commander/index.js";
import type { CommandContext } from "./command_modules.ts";

// Loaded on use only, so `kmlf --help` stays fast (an entry point of the bundle, like command_modules.ts').
const gcModule = (): Promise<typeof import("./gc_command.ts")> =>
  import(new URL("./gc_command.ts", import.meta.url).href);

/**
 * Adds `kmlf gc` to `program`.
 *
 * @example
 * ```ts
 * addGcCommand(program, { argv, state });
 * ```
 */
export function addGcCommand(program: Command, ctx: CommandContext): void {
  program.command("gc")
    .summary("Permanently delete runs in the `deleted` lifecycle stage (like `mlflow gc`)")
    .description(
      "Permanently delete runs in the `deleted` lifecycle stage, with their artifacts, and deleted " +
        "experiments with all their runs, like `mlflow gc`. Inside a project the store is the env's " +
        "mlflow.yml (as `kmlf mlflow ui` uses it); outside one, --backend-store-uri (default ./mlruns). " +
        "Every argument is checked before anything is deleted. A run whose artifacts hold a registered " +
        "model version's files is kept until the version is deleted.",
    )
    .option(
      "--older-than <duration>",
      "only runs (and experiments) deleted longer ago than this: #d#h#m#s, floats allowed, e.g. 30d, 1d2h3m4s, 1.5h",
    )
    .option(
      "--backend-store-uri <uri>",
      "store to collect: sqlite:///path.db, an mlruns folder (file:///abs/path) or postgresql://… " +
        "(default: the project's store, else ./mlruns)",
    )
    .option(
      "--artifacts-destination <uri>",
      "where a server's proxied (mlflow-artifacts:/) artifacts are, e.g. s3://bucket/prefix or a folder " +
        "(default: $MLFLOW_ARTIFACTS_DESTINATION, else ./mlartifacts as kmlf server uses it)",
    )
    .option(
      "--run-ids <ids>",
      "comma-separated runs to delete (each must be deleted); default: every deleted run",
    )
    .option(
      "--experiment-ids <ids>",
      "comma-separated deleted experiments to delete with all their runs; default: every deleted experiment",
    )
    .option(
      "--tracking-uri <url>",
      "http(s) URL of the tracking server whose artifact proxy serves mlflow-artifacts:/ artifacts " +
        "(default: $MLFLOW_TRACKING_URI when it is one; without it they are removed from the destination)",
    )
    .option("-e, --env <env>", "configuration environment (whose mlflow.yml names the project's store)")
    .action(async (options, command) => {
      const { gcCommand } = await gcModule();
      ctx.state.exitCode = await gcCommand({ ...command.optsWithGlobals(), ...options });
    });
}
