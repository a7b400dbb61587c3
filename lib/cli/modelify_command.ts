/**
 * `kmlf mlflow modelify` (kedro-mlflow 2.0): logs an existing pipeline as a model from the project's
 * persisted data, without running training — in a new run of the project's experiment (or, with
 * kedro-mlflow 0.x's `--run-id`, an existing run), since MLflow 2.17's model format lives under a run.
 * Prints the model URI.
 */
import { KmlfError, throwIfAny, UsageError } from "../errors.ts";
import {
  checkInferenceEntry,
  type InferenceEntryValue,
  type InferenceSpec,
  inferenceSpec,
  isParameter,
} from "../pipeline/mod.ts";
import type { KmlfSession } from "../session/mod.ts";
import type { MlflowClient, Run } from "../tracking/mod.ts";
import { EXIT } from "./exit_codes.ts";
import { projectTracking } from "./project_tracking.ts";
import { openProjectSession } from "./project_session.ts";
import { err, out, shellQuote, style } from "./terminal.ts";
import { isFile } from "../fs_utils.ts";
import { checkModelifyKedroFlags, type ModelifyKedroFlags } from "./modelify_flags.ts";

/** Options of `kmlf mlflow modelify` (kedro-mlflow's names). */
export interface ModelifyOptions extends ModelifyKedroFlags {
  pipeline: string;
  inputName: string;
  inferSignature?: boolean;
  inferInputExample?: boolean;
  copyMode: string;
  registeredModelName?: string;
  env?: string;
  /** `--params`, as `kmlf run` takes them: what the config's `${runtime_params:…}` read. */
  params?: string;
  project?: string;
}

/**
 * Logs `--pipeline` as a model fed by `--input-name`.
 *
 * @example
 * ```ts
 * await modelify({ pipeline: "inference", inputName: "instances", copyMode: "deepcopy" }, ["mlflow", "modelify"]);
 * ```
 */
export async function modelify(options: ModelifyOptions, argv: string[]): Promise<number> {
  checkModelifyKedroFlags(options);
  if (!["assign", "copy", "deepcopy"].includes(options.copyMode)) {
    throw new UsageError(
      "cli/bad-copy-mode",
      `--copy-mode must be assign, copy or deepcopy, got "${options.copyMode}"`,
      {
        hint: "kedro-mlflow's default for modelify is deepcopy",
      },
    );
  }
  const entry = await checkedEntry({
    pipeline: options.pipeline,
    input_name: options.inputName,
    log_model: {
      name: options.modelName ?? options.artifactPath ?? `model-${options.pipeline}`,
      signature: options.inferSignature ? "auto" : null,
      input_example: options.inferInputExample ? "auto" : null,
      registered_model_name: options.registeredModelName ?? null,
    },
    copy_mode: options.copyMode,
  });
  const session = await openProjectSession(options);
  const root = session.settings.root;
  const pipeline = await session.pipeline([options.pipeline]);
  const catalog = await session.catalog({ registry: session.registry(), hooks: false });
  const spec: InferenceSpec = inferenceSpec(entry, {
    pipeline,
    file: pipelineFile(session, options.pipeline),
    declaredIn: "--pipeline",
    locate: () => undefined,
  });
  const inputs = [...pipeline.inputs()].sort();
  if (!inputs.includes(options.inputName)) {
    throw new UsageError(
      "cli/bad-input-name",
      `"${options.inputName}" is not a valid --input-name: it must be an input of pipeline "${options.pipeline}"`,
      {
        hint: `inputs of ${options.pipeline}: ${inputs.join(", ")}`,
      },
    );
  }
  // No training pipeline here: what the model carries must already be on disk.
  const { inferenceCatalogProblems } = await import("../session/mod.ts");
  const problems = inferenceCatalogProblems(pipeline, spec, catalog)
    .filter((p) => p.code !== "pipeline/inference-free-inputs");
  for (
    const name of inputs.filter((i) => i !== options.inputName && !isParameter(i) && !catalog.isEphemeral(i))
  ) {
    if (!(await catalog.exists(name))) {
      problems.push(
        new KmlfError("model/input-missing", `Inference input "${name}" has no data yet`, {
          hint: `run the pipeline that produces "${name}" first (kmlf run <training pipeline>)`,
        }),
      );
    }
  }
  throwIfAny(problems, `Cannot modelify pipeline ${options.pipeline}`);
  const where = await projectTracking({
    project: root,
    env: options.env,
    params: options.params,
    takesParams: true,
  });
  const { MlflowClient, openStore } = await import("../tracking/mod.ts");
  const { logInferenceModel, processTags, registerLoggedModel } = await import("../mlflow/mod.ts");
  const client = new MlflowClient(await openStore(where.trackingUri, { baseDir: root }));
  try {
    const tags = {
      kmlf_command: ["kmlf", ...argv].map(shellQuote).join(" "),
      "kmlf.modelify": options.pipeline,
      // The run is this process's until it ends it: a kill (OOM logging a large model) is named later.
      ...await processTags(),
    };
    const run = options.runId === undefined
      ? await client.createRun(
        (await client.getOrCreateExperiment(where.config?.tracking.experiment.name ?? session.settings.name))
          .experimentId,
        { runName: options.runName ?? `modelify-${options.pipeline}`, tags },
      )
      : await reopenRun(client, options.runId, tags);
    // Once the run has ended FINISHED, a later failure (printing the URI) must not turn it FAILED.
    let ended = false;
    try {
      const logged = await logInferenceModel({
        client,
        runId: run.info.runId,
        spec,
        catalog,
        projectRoot: root,
        kmlfVersion: (await import("../version.ts")).KMLF_VERSION,
      });
      for (const note of logged.notes) err(style.dim(`Model note: ${note}`));
      err(
        `Model '${spec.logModel.name}' logged in run ${run.info.runId} (serve it: kmlf models serve -m ${
          shellQuote(logged.uri)
        })`,
      );
      const name = spec.logModel.registeredModelName;
      const version = name ? await registerLoggedModel(client, logged.uri, name) : undefined;
      await client.setTerminated(run.info.runId, "FINISHED");
      ended = true;
      if (version) {
        err(
          `Model registered: "${version.name}" version ${version.version} (serve it: kmlf models serve -m ${
            shellQuote(`models:/${version.name}/${version.version}`)
          })`,
        );
      }
      out(logged.uri);
    } catch (error) {
      if (!ended) await client.setTerminated(run.info.runId, "FAILED");
      throw error;
    }
  } finally {
    await client.store.close();
  }
  return EXIT.ok;
}

// kedro-mlflow 0.x's `--run-id`: MLflow's start_run(run_id) — the run must exist and not be deleted; it is
// RUNNING again while the model is logged, then ends FINISHED (FAILED if logging fails), as under MLflow.
async function reopenRun(client: MlflowClient, runId: string, tags: Record<string, string>): Promise<Run> {
  let run: Run;
  try {
    run = await client.getRun(runId);
  } catch (error) {
    if (!(error instanceof KmlfError) || error.code !== "RESOURCE_DOES_NOT_EXIST") throw error;
    throw new UsageError("cli/usage", `--run-id ${runId}: no such run in the project's tracking store`, {
      hint: "give the id of a run of this store (kmlf runs list --experiment-id <id>), " +
        "or leave --run-id out to log in a new run",
    });
  }
  if (run.info.lifecycleStage === "deleted") {
    throw new UsageError("cli/usage", `--run-id ${runId}: the run is deleted`, {
      hint:
        `restore it first (kmlf runs restore --run-id ${runId}), or leave --run-id out to log in a new run`,
    });
  }
  await client.updateRun(runId, { status: "RUNNING" });
  await client.setTags(runId, tags);
  return run;
}

const FLAGS: Record<string, string> = {
  "log_model.name": "--model-name",
  "log_model.registered_model_name": "--registered-model-name",
};

// The flags go through the rules of a pipeline file's inference: block (an artifact path for the model's
// name, MLflow's registry rules for the registered name) before a run is created for them.
async function checkedEntry(entry: Record<string, unknown>): Promise<InferenceEntryValue> {
  const { value: parsed, issue } = await checkInferenceEntry(entry);
  if (parsed) return parsed;
  const key = issue!.path.join(".");
  const flag = FLAGS[key] ?? key;
  const value = issue!.path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown>)?.[k], entry);
  throw new UsageError("cli/bad-option", `${flag} ${JSON.stringify(value)}: ${issue!.message}`, {
    hint: flag === "--model-name"
      ? "the model's folder in the run, e.g. --model-name model-inference"
      : "e.g. --registered-model-name iris-classifier",
  });
}

function pipelineFile(session: KmlfSession, name: string): string {
  for (const ext of [".yml", ".yaml"]) {
    const file = `${session.settings.pipelinesDir}/${name}${ext}`;
    if (isFile(file)) return file;
  }
  return `${session.settings.pipelinesDir}/${name}.yml`;
}
