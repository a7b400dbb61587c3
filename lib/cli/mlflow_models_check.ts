/**
 * Checking `mlflow models`' environment flags (declared in `mlflow_models_flags.ts`): a value MLflow
 * refuses is refused with the flag's name, MLServer is refused with the reason, and flags asking for
 * a Python environment get one note saying kmlf makes none.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import { ENV_MANAGERS, type MlflowModelsFlags } from "./mlflow_models_flags.ts";
import { err, style } from "./terminal.ts";

/**
 * Checks the flags; prints a note naming those that change nothing for a kmlf model.
 *
 * @example
 * ```ts
 * checkMlflowModelsFlags({ envManager: "local" }); // nothing to say
 * ```
 */
export function checkMlflowModelsFlags(
  flags: MlflowModelsFlags,
  env: Record<string, string | undefined> = Deno.env.toObject(),
): void {
  if (flags.envManager !== undefined && !(ENV_MANAGERS as readonly string[]).includes(flags.envManager)) {
    throw new UsageError(
      "cli/env-manager",
      `--env-manager: invalid value '${flags.envManager}' (MLflow takes ${ENV_MANAGERS.join(", ")})`,
      {
        hint: "leave it out to give the model the packages its code/deno.json pins (any manager but local " +
          "does), or pass --env-manager local to predict with this kmlf's own",
      },
    );
  }
  if (flags.conda === false && flags.envManager !== undefined && flags.envManager !== "local") {
    throw new UsageError(
      "cli/env-manager",
      `--no-conda and --env-manager ${flags.envManager} contradict each other`,
      { hint: "give one of them (--no-conda is --env-manager local)" },
    );
  }
  if (flags.enableMlserver) {
    throw new UsageError(
      "cli/unsupported-flag",
      "--enable-mlserver: kmlf serves models itself, not through MLServer",
      {
        hint: "leave it out: kmlf answers MLflow's scoring protocol (POST /invocations)",
      },
    );
  }
  const workers = flags.workers ?? (env.MLFLOW_MODELS_WORKERS || undefined);
  const workersSource = flags.workers !== undefined ? "--workers" : "MLFLOW_MODELS_WORKERS (for --workers)";
  if (workers !== undefined && !/^[1-9][0-9]*$/.test(workers.trim())) {
    throw new UsageError(
      "cli/workers",
      `${workersSource} must be a positive number, got '${workers}'`,
      {
        hint: "e.g. --workers 2, or leave it out: one kmlf process answers requests concurrently",
      },
    );
  }
  const ignored = [
    flags.installMlflow ? "--install-mlflow" : "",
    flags.pipRequirementsOverride !== undefined ? "--pip-requirements-override" : "",
    flags.workers !== undefined ? "--workers" : "",
  ].filter(Boolean);
  if (ignored.length > 0) {
    err(style.yellow(
      `Note: ${ignored.join(", ")} ignored: a kmlf model runs in kmlf itself (no Python environment, ` +
        "one process answering requests concurrently).",
    ));
  }
}
