/**
 * kedro-mlflow's `modelify` flags that only mean something to a Python model (`--code-paths`, 0.x's
 * `--code-path`, `--conda-env`, `--pip-requirements`, `--extra-pip-requirements`), its 0.x `--artifact-path`
 * (taken as `--model-name`), 0.x's `-r/--run-id` and `--run-name` (kmlf logs in that run / names its run) and
 * `--await-registration-for`. Declared here (light: the command tree loads it for
 * `kmlf --help`); the Python ones are refused with what kmlf does instead, not commander's bare "unknown
 * option", as a pipeline file's `inference.log_model` refuses the same keys.
 */
import { type Command, Option } from "./_commander/index.js";
import { UsageError } from "../errors.ts";
import { appendList } from "./kedro_flags.ts";

/** The flags as commander hands them over. */
export interface ModelifyKedroFlags {
  codePaths?: string;
  condaEnv?: string;
  pipRequirements?: string;
  extraPipRequirements?: string;
  codePath?: string;
  /** kedro-mlflow 0.x–1.x's name of `--model-name`. */
  artifactPath?: string;
  modelName?: string;
  /** kedro-mlflow 0.x: log the model in this existing run instead of a new one. */
  runId?: string;
  /** kedro-mlflow 0.11.8–1.x: the new run's name. */
  runName?: string;
  awaitRegistrationFor?: string;
}

const PYTHON_ENVIRONMENT = [
  "--code-paths",
  "--code-path", // kedro-mlflow 0.x
  "--conda-env",
  "--pip-requirements",
  "--extra-pip-requirements",
];

/**
 * Adds kedro-mlflow's Python-model flags (hidden) and `--await-registration-for` to `kmlf mlflow modelify`.
 *
 * @example
 * ```ts
 * addModelifyKedroFlags(mlflow.command("modelify"));
 * ```
 */
export function addModelifyKedroFlags(command: Command): Command {
  for (const flag of PYTHON_ENVIRONMENT) {
    command.addOption(new Option(`${flag} <value>`).hideHelp().argParser(appendList));
  }
  return command.addOption(new Option("--artifact-path <path>").hideHelp())
    .option("-r, --run-id <id>", "log the model in this existing run (kedro-mlflow 0.x) instead of a new one")
    .option("--run-name <name>", "name of the new run (default: modelify-<pipeline>)")
    .option(
      "--await-registration-for <seconds>",
      "accepted for kedro-mlflow's command lines: kmlf registers the version at once",
    );
}

/**
 * Refuses the Python-model flags naming the flag and the pairs that contradict each other, and checks
 * `--await-registration-for` as MLflow does (whole seconds).
 *
 * @example
 * ```ts
 * checkModelifyKedroFlags({ condaEnv: "conda.yml" }); // throws cli/unsupported-flag
 * ```
 */
export function checkModelifyKedroFlags(flags: ModelifyKedroFlags): void {
  const values = [
    flags.codePaths,
    flags.codePath,
    flags.condaEnv,
    flags.pipRequirements,
    flags.extraPipRequirements,
  ];
  const at = values.findIndex((v) => v !== undefined);
  if (at >= 0) {
    throw new UsageError(
      "cli/unsupported-flag",
      `${PYTHON_ENVIRONMENT[at]} ${values[at]}: a kmlf model has no Python environment or code paths`,
      {
        hint:
          "leave it out: a kmlf model copies its inference code and pins its npm packages in code/deno.json",
      },
    );
  }
  if (flags.artifactPath !== undefined && flags.modelName !== undefined) {
    throw new UsageError(
      "cli/usage",
      `--artifact-path ${flags.artifactPath} and --model-name ${flags.modelName}: two spellings of one option`,
      { hint: "keep --model-name (kedro-mlflow 2.0 renamed --artifact-path to it)" },
    );
  }
  if (flags.runId !== undefined && flags.runName !== undefined) {
    // MLflow's start_run ignores run_name when it resumes a run: say so rather than drop the name.
    throw new UsageError(
      "cli/usage",
      `--run-id ${flags.runId} and --run-name ${flags.runName}: the model goes in the existing run, which keeps its name`,
      { hint: "give --run-id to log in that run, or --run-name to name a new one, not both" },
    );
  }
  const wait = flags.awaitRegistrationFor;
  if (wait !== undefined && !/^\d+$/.test(wait.trim())) {
    throw new UsageError(
      "cli/usage",
      `--await-registration-for takes whole seconds, not "${wait}"`,
      { hint: "e.g. --await-registration-for 300, or leave it out: kmlf registers at once" },
    );
  }
}
