/**
 * `mlflow models serve|predict` flags that pick a Python environment for the model (`--env-manager`,
 * `--no-conda`, `--install-mlflow`, `--pip-requirements-override`) or tune MLflow's servers
 * (`--workers`, `--enable-mlserver`). A kmlf model runs inside kmlf, with no Python environment: the
 * flags are accepted so MLflow's command lines keep working, checked as MLflow checks them, and what
 * they would change is said once on stderr. `--env-manager` keeps its meaning for the model's Deno
 * packages: `local` predicts with this kmlf's, any other with those the model pins
 * (`model_environment.ts`). Declared here (light: the command tree loads it for
 * `kmlf --help`), checked by `checkMlflowModelsFlags` when the command runs.
 *
 * @module
 */
import type { Command } from "./_commander/index.js";

/** The flags as commander hands them over. */
export interface MlflowModelsFlags {
  envManager?: string;
  /** `--no-conda` sets it to false. */
  conda?: boolean;
  installMlflow?: boolean;
  pipRequirementsOverride?: string;
  workers?: string;
  enableMlserver?: boolean;
}

/** The environment managers MLflow's `--env-manager` takes. */
export const ENV_MANAGERS = ["local", "virtualenv", "conda", "uv"] as const;

/**
 * Adds MLflow's environment flags to `kmlf models serve` or `predict`.
 *
 * @example
 * ```ts
 * addMlflowModelsFlags(models.command("predict"), "predict");
 * ```
 */
export function addMlflowModelsFlags(command: Command, which: "serve" | "predict"): Command {
  command
    .option(
      "--env-manager <manager>",
      "local: predict with this kmlf's packages; virtualenv (default), conda, uv: with the packages the " +
        "model's code/deno.json pins (kmlf starts itself again with them when it maps other versions)",
    )
    .option("--no-conda", "same as --env-manager local, as in MLflow")
    .option(
      "--install-mlflow",
      "accepted for MLflow's command lines: no environment is made to install into",
    );
  if (which === "predict") {
    command.option(
      "-r, --pip-requirements-override <requirements>",
      "accepted for MLflow's command lines: a kmlf model has no pip requirements",
    );
  } else {
    command
      .option(
        "-w, --workers <n>",
        "accepted for MLflow's command lines: one kmlf process answers requests concurrently " +
          "(also $MLFLOW_MODELS_WORKERS)",
      )
      .option("--enable-mlserver", "not supported by kmlf (refused with the reason)");
  }
  return command;
}
