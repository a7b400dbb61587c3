/**
 * Logging the inference pipeline as an MLflow Model at the end of a tracked training run (kedro-mlflow's
 * `after_pipeline_run` with a PipelineML): the bundle, its signature and input example, `MLmodel`, the
 * upload under the run's artifacts, and the run's `mlflow.log-model.history` tag.
 */
import type { Catalog } from "../catalog/mod.ts";
import { KmlfError, TrackingError } from "../errors.ts";
import type { InferenceSpec } from "../pipeline/mod.ts";
import { appendLogModelHistory } from "../tracking/models/mlmodel.ts";
import { isRowList, writeMlmodel, writeRowsInputExample } from "../tracking/models/model_folder.ts";
import { inferColumns, inferParams, signatureToStrings } from "../tracking/models/signature.ts";
import { floatColumns } from "../source_keys.ts";
import { writeBundle } from "./model_bundle.ts";
import type { ModelVersionRef, TrackingPort } from "./tracking_port.ts";

/** What {@link logInferenceModel} needs. */
export interface LogModelOptions {
  client: TrackingPort;
  runId: string;
  spec: InferenceSpec;
  catalog: Catalog;
  projectRoot: string;
  kmlfVersion: string;
}

/** A logged model. */
export interface LoggedModel {
  /** `runs:/<run_id>/<name>`. */
  uri: string;
  modelUuid: string;
  /** What was left out (no signature, params that cannot be declared, …), for the user. */
  notes: string[];
}

/**
 * Builds the model folder and logs it to the run under `log_model.name` (written in place when the run's
 * artifacts are local, else in a temporary directory then uploaded).
 *
 * @example
 * ```ts
 * const { uri } = await logInferenceModel({ client, runId, spec, catalog, projectRoot, kmlfVersion });
 * ```
 */
export async function logInferenceModel(options: LogModelOptions): Promise<LoggedModel> {
  const { client, runId, spec } = options;
  const mlmodel = await client.buildArtifacts(
    runId,
    spec.logModel.name,
    (dir) => writeModelDir(dir, { ...options, runId, artifactPath: spec.logModel.name }),
  );
  const run = await client.getRun(runId);
  await client.logBatch(runId, {
    tags: {
      "mlflow.log-model.history": appendLogModelHistory(
        run.data.tags["mlflow.log-model.history"],
        mlmodel.model,
      ),
    },
  });
  return {
    uri: `runs:/${runId}/${spec.logModel.name}`,
    modelUuid: mlmodel.model.modelUuid!,
    notes: mlmodel.notes,
  };
}

/**
 * Registers a model the run logged as the next version of `name` (`log_model.registered_model_name`,
 * modelify's `--registered-model-name`, the model datasets' `save_args.registered_model_name`). A failure
 * is an error that says the model is logged and how to register it later.
 *
 * @example
 * ```ts
 * const v = await registerLoggedModel(client, "runs:/0a1b…/model", "iris"); // v.version === "3"
 * ```
 */
export async function registerLoggedModel(
  client: TrackingPort,
  uri: string,
  name: string,
): Promise<ModelVersionRef> {
  try {
    return await client.registerModel(uri, name);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    // A name the store refuses ('..' in the file store) would be refused again: the command takes another.
    const nameRefused = cause instanceof TrackingError && cause.code === "INVALID_PARAMETER_VALUE" &&
      /\bname\b/i.test(cause.message);
    throw new TrackingError(
      "mlflow/model-not-registered",
      `Model ${uri} is logged, but registering it as "${name}" failed: ${why}`,
      {
        cause,
        hint: (cause instanceof KmlfError && cause.hint ? `${cause.hint}; ` : "") +
          `once fixed, register it: kmlf models register -m ${uri} --name ${
            nameRefused ? "<another name>" : JSON.stringify(name)
          }`,
      },
    );
  }
}

/**
 * Writes a complete MLflow Model directory (also used by `kmlf mlflow modelify`).
 *
 * @example
 * ```ts
 * await writeModelDir("/tmp/model", { spec, catalog, projectRoot, kmlfVersion, runId, artifactPath: "model" });
 * ```
 */
export async function writeModelDir(
  dir: string,
  options: Omit<LogModelOptions, "client" | "runId"> & { runId?: string; artifactPath: string },
) {
  const bundle = await writeBundle(dir, options);
  const notes = [...bundle.notes];
  const { spec } = options;
  let signature;
  if (spec.logModel.signature === "auto") {
    // The file's float columns (a CSV column of `91.0`) are double, as MLflow types pandas' float64.
    const inputs = inferColumns(bundle.inputData, floatColumns(bundle.inputData));
    if (!inputs) notes.push(`no signature: the data of "${spec.inputName}" is not a list of rows or values`);
    else {
      const { params, skipped } = inferParams(bundle.params);
      if (skipped.length) {
        notes.push(
          `parameters ${skipped.join(", ")} are fixed in the model (MLflow params are scalars or lists)`,
        );
      }
      signature = signatureToStrings({
        inputs,
        outputs: null,
        params: params.length ? params : null,
      });
    }
  }
  let info;
  const rows = bundle.inputData;
  if (spec.logModel.inputExample === "auto") {
    if (isRowList(rows)) info = await writeRowsInputExample(dir, rows);
    else notes.push(`no input example: the data of "${spec.inputName}" is not a list of rows`);
  }
  const model = await writeMlmodel(dir, {
    artifactPath: options.artifactPath,
    flavors: { kmlf: bundle.flavor },
    runId: options.runId,
    savedInputExampleInfo: info,
    signature,
  });
  return { model, notes };
}
