/**
 * `kmlf server` in the command tree, with `mlflow server`'s flags: the same names and short forms
 * (`-h` is the host, as in MLflow: help is `--help` only), the tuning flags of gunicorn/waitress that
 * kmlf accepts and says it does not need, and MLflow's other flags declared so they get an error
 * saying what kmlf does instead of commander's "unknown option". Values are resolved (with MLflow's
 * environment variables) in `server_command.ts`.
 */
import type { Command } from "./_commander/index.js";
import { type CommandContext, modules } from "./command_modules.ts";
import { addServeArtifactsOptions } from "./serve_artifacts_flags.ts";

/**
 * Adds `kmlf server` to `program`.
 *
 * @example
 * ```ts
 * addServerCommand(program, { argv, state });
 * ```
 */
export function addServerCommand(program: Command, ctx: CommandContext): void {
  addServeArtifactsOptions(
    program.command("server").description("Serve a tracking store outside a project, like `mlflow server`")
      .helpOption("--help", "display help for command")
      .option(
        "--backend-store-uri <uri>",
        "tracking store: sqlite:///path.db, a .db path, an mlruns folder or postgresql://user:pass@host/db " +
          "(default: $MLFLOW_BACKEND_STORE_URI, else mlflow.db)",
      )
      .option(
        "--registry-store-uri <uri>",
        "model registry store: kmlf keeps it in the backend store (only that URI is taken; " +
          "also $MLFLOW_REGISTRY_STORE_URI)",
      ),
    "mlflow-server",
  )
    .option("-h, --host <host>", "address to bind (default: $MLFLOW_HOST, else 127.0.0.1)")
    .option("-p, --port <port>", "port (default: $MLFLOW_PORT, else 5000)")
    .option(
      "--static-prefix <prefix>",
      "serve everything under this path, e.g. /mlflow behind a reverse proxy (also $MLFLOW_STATIC_PREFIX)",
    )
    .option(
      "-w, --workers <n>",
      "accepted for mlflow server's scripts: kmlf answers requests concurrently in one process " +
        "(also $MLFLOW_WORKERS)",
    )
    .option("--gunicorn-opts <opts>", "accepted for mlflow server's scripts: kmlf runs no gunicorn")
    .option("--waitress-opts <opts>", "accepted for mlflow server's scripts: kmlf runs no waitress")
    .option("--dev", "accepted for mlflow server's scripts: kmlf has no auto-reload mode")
    .option("--expose-prometheus <dir>", "not supported by kmlf (refused with the reason)")
    .option("--app-name <name>", "not supported by kmlf (refused with the reason)")
    .action(async (options) => {
      const { serverCommand } = await modules.server();
      ctx.state.exitCode = await serverCommand(options);
    });
}
