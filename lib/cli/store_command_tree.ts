/**
 * MLflow 2.17.2's store commands in the `kmlf` command tree, with MLflow's flags and defaults:
 * `kmlf runs list|describe|delete|restore`, `kmlf experiments create|search|delete|restore|rename|csv`,
 * `kmlf artifacts list|download|log-artifact|log-artifacts`.
 */
import type { Command } from "./_commander/index.js";
import { type CommandContext, modules } from "./command_modules.ts";

// The order cli_store.ts resolves: a project's mlflow.yml wins over MLFLOW_TRACKING_URI, as for `kmlf run`.
const STORE_NOTE = "Store: the project's (its mlflow.yml's, else MLFLOW_TRACKING_URI, else its mlflow.db); " +
  "outside a project MLFLOW_TRACKING_URI, else ./mlflow.db.";

/**
 * Adds `kmlf runs`, `kmlf experiments` and `kmlf artifacts` to `program`.
 *
 * @example
 * ```ts
 * addStoreCommands(program, { argv, state });
 * ```
 */
export function addStoreCommands(program: Command, ctx: CommandContext): void {
  const { state } = ctx;
  const act =
    <M, O>(load: () => Promise<M>, pick: (m: M) => (options: O) => Promise<number>) =>
    async (options: O, command: Command) => {
      state.exitCode = await pick(await load())({ ...command.optsWithGlobals(), ...options } as O);
    };
  const view = "'active_only' (default), 'deleted_only' or 'all'";

  const runs = program.command("runs").summary("Manage runs, like `mlflow runs`")
    .description(`Manage runs, like \`mlflow runs\`. ${STORE_NOTE}`);
  runs.command("list").description("List the runs of an experiment (newest first)")
    .option(
      "--experiment-id <id>",
      "the experiment (default: $MLFLOW_EXPERIMENT_ID)",
      Deno.env.get("MLFLOW_EXPERIMENT_ID"),
    )
    .option("-v, --view <view>", `runs to show: ${view}`, "active_only")
    .action(async (options, command) => {
      if (options.experimentId === undefined) {
        command.error("error: required option '--experiment-id <id>' not specified");
      }
      await act(modules.runs, (m) => m.runsList)(options, command);
    });
  runs.command("describe").description("Print a run (info, data, inputs) as JSON")
    .requiredOption("--run-id <id>", "the run").action(act(modules.runs, (m) => m.runsDescribe));
  runs.command("delete").description("Mark a run deleted (kmlf runs restore undoes it)")
    .requiredOption("--run-id <id>", "the run").action(act(modules.runs, (m) => m.runsDelete));
  runs.command("restore").description("Restore a deleted run")
    .requiredOption("--run-id <id>", "the run").action(act(modules.runs, (m) => m.runsRestore));

  const exp = program.command("experiments").summary("Manage experiments, like `mlflow experiments`")
    .description(
      `Manage experiments, like \`mlflow experiments\`. ${STORE_NOTE}`,
    );
  exp.command("create").description("Create an experiment")
    .requiredOption("-n, --experiment-name <name>", "its name")
    .option("-l, --artifact-location <uri>", "where its runs store artifacts (default: the store's choice)")
    .action(act(modules.experiments, (m) => m.experimentsCreate));
  exp.command("search").description("List experiments")
    .option("-v, --view <view>", `experiments to show: ${view}`, "active_only")
    .action(act(modules.experiments, (m) => m.experimentsSearch));
  exp.command("delete").description("Mark an experiment and its runs deleted (restorable)")
    .requiredOption("-x, --experiment-id <id>", "the experiment")
    .action(act(modules.experiments, (m) => m.experimentsDelete));
  exp.command("restore").description("Restore a deleted experiment and its runs")
    .requiredOption("-x, --experiment-id <id>", "the experiment")
    .action(act(modules.experiments, (m) => m.experimentsRestore));
  exp.command("rename").description("Rename an active experiment")
    .requiredOption("-x, --experiment-id <id>", "the experiment")
    .requiredOption("--new-name <name>", "its new name")
    .action(act(modules.experiments, (m) => m.experimentsRename));
  exp.command("csv").description("Export the experiment's runs as CSV (MLflow's columns)")
    .requiredOption("-x, --experiment-id <id>", "the experiment")
    .option("-o, --filename <file>", "write here instead of stdout")
    .action(act(modules.experiments, (m) => m.experimentsCsv));

  const art = program.command("artifacts")
    .summary("Upload, list and download run artifacts, like `mlflow artifacts`").description(
      `Upload, list and download run artifacts, like \`mlflow artifacts\`. ${STORE_NOTE}`,
    );
  const into = "log into this sub-directory of the run's artifacts";
  art.command("log-artifact").description("Log a local file as an artifact of a run")
    .requiredOption("-l, --local-file <file>", "the file")
    .requiredOption("-r, --run-id <id>", "the run")
    .option("-a, --artifact-path <path>", into)
    .action(act(modules.artifacts, (m) => m.artifactsLog));
  art.command("log-artifacts").description("Log the files of a local directory as artifacts of a run")
    .requiredOption("-l, --local-dir <dir>", "the directory")
    .requiredOption("-r, --run-id <id>", "the run")
    .option("-a, --artifact-path <path>", into)
    .action(act(modules.artifacts, (m) => m.artifactsLog));
  art.command("list").description("List a run's artifacts (one level) as JSON")
    .requiredOption("-r, --run-id <id>", "the run")
    .option("-a, --artifact-path <path>", "a directory of the run's artifacts to list")
    .action(act(modules.artifacts, (m) => m.artifactsList));
  art.command("download").description("Download an artifact file or directory; print its local path")
    .option("-r, --run-id <id>", "the run")
    .option("-a, --artifact-path <path>", "with --run-id: the file or directory (default: all)")
    .option("-u, --artifact-uri <uri>", "instead of --run-id: runs:/<run_id>/<path> or an artifact URI")
    .option(
      "-d, --dest-path <dir>",
      "where to put it (default: a local artifact's own path, else a temp folder)",
    )
    .action(act(modules.artifacts, (m) => m.artifactsDownload));
}
