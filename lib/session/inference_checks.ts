/**
 * The checks kedro-mlflow makes on a training pipeline and its inference pipeline, all before any node
 * runs: the structural ones (lib/pipeline's `inferenceProblems`) plus those that need the catalog — every
 * non-parameter inference input is persisted (kedro-mlflow only finds that after training), parameters
 * exist, `signature`/`input_example: auto` can read `input_name`'s data once training is done, and the
 * data the run does not make is there already ({@link inferenceDataProblems}).
 */
import type { Catalog } from "../catalog/mod.ts";
import {
  didYouMeanHint,
  formatLocation,
  type KmlfError,
  PipelineDefinitionError,
  type SourceLocation,
} from "../errors.ts";
import { inferenceProblems, type InferenceSpec, isParameter, type Pipeline } from "../pipeline/mod.ts";
import { misspeltEntries } from "../runner/lost_outputs.ts";

/**
 * Every inconsistency between `training`, its inference declaration and the catalog.
 *
 * @example
 * ```ts
 * throwIfAny(inferenceCatalogProblems(training, training.ml!.spec, catalog), "Cannot log the inference model");
 * ```
 */
export function inferenceCatalogProblems(
  training: Pipeline,
  spec: InferenceSpec,
  catalog: Catalog,
): KmlfError[] {
  const problems: KmlfError[] = inferenceProblems(training, spec);
  // Located only for a problem: locating re-parses the pipeline file with positions.
  let where: SourceLocation | undefined;
  const at = () => (where ??= spec.locate(["pipeline"]));
  const inputs = [...spec.pipeline.inputs()].sort();
  // A catalog entry of a close name that neither pipeline uses is the one meant, misspelt.
  const used = new Set([...training.datasets(), ...spec.pipeline.datasets()]);
  const guess = misspeltEntries(catalog, used);
  const misspelt = (name: string) => {
    const entry = guess(name);
    const key = entry === undefined ? undefined : catalog.sourceOf(entry, { key: true });
    return entry === undefined ? "" : `; or rename the catalog entry "${entry}"` +
      (key?.file ? ` (${formatLocation({ ...key, keyPath: undefined })})` : "") + ` to "${name}"`;
  };
  const notPersisted = inputs.filter((i) =>
    i !== spec.inputName && !isParameter(i) && catalog.isEphemeral(i)
  );
  for (const name of notPersisted) {
    problems.push(
      new PipelineDefinitionError(
        "pipeline/inference-not-persisted",
        `Inference input "${name}" is an in-memory dataset, so the model could not take it along: ` +
          `it must be persisted by the training run`,
        {
          source: at(),
          hint: `declare "${name}" in ${catalog.catalogFile()} with a file dataset, e.g. ` +
            `${name}: {type: pickle, filepath: data/06_models/${name}.pkl}` + misspelt(name),
        },
      ),
    );
  }
  const params = catalog.names().filter(isParameter);
  for (const name of inputs.filter((i) => isParameter(i) && !catalog.has(i))) {
    const key = name.slice("params:".length);
    const guess = didYouMeanHint(name, params);
    problems.push(
      new PipelineDefinitionError(
        "pipeline/inference-unknown-parameter",
        `Parameter "${key}" used by inference pipeline "${spec.ref}" is not defined`,
        {
          source: at(),
          hint: catalog.parameterHint(key) + (guess ? `; ${guess}` : ""),
        },
      ),
    );
  }
  const needsData = spec.logModel.signature === "auto" || spec.logModel.inputExample === "auto";
  if (needsData && inputs.includes(spec.inputName) && !readableAfter(training, spec.inputName, catalog)) {
    const key = spec.logModel.signature === "auto" ? "signature" : "input_example";
    problems.push(
      new PipelineDefinitionError(
        "pipeline/inference-no-example-data",
        `log_model.${key}: auto reads input_name "${spec.inputName}" after training, but it is an ` +
          `in-memory dataset the training run does not produce`,
        {
          source: spec.locate(["log_model", key]),
          hint: `declare "${spec.inputName}" in the catalog with a file holding example rows, ` +
            `or set log_model.signature: null and log_model.input_example: null` + misspelt(spec.inputName),
        },
      ),
    );
  }
  return problems;
}

// Persisted data, or a free output of training (free outputs stay in memory until the run ends).
function readableAfter(training: Pipeline, name: string, catalog: Catalog): boolean {
  return !catalog.isEphemeral(name) || training.outputs().has(name);
}

/**
 * `input_name`'s data, which `signature`/`input_example: auto` read after training, when the training run
 * does not make it and it has none now: a missing file would otherwise fail the model (and the run) only
 * once the whole training had run. (Other inference inputs are read or made by training itself, which
 * fails on its own.) Async: it asks the dataset.
 *
 * @example
 * ```ts
 * throwIfAny(await inferenceDataProblems(training, training.ml!.spec, catalog), "Cannot log the inference model");
 * ```
 */
export async function inferenceDataProblems(
  training: Pipeline,
  spec: InferenceSpec,
  catalog: Catalog,
): Promise<KmlfError[]> {
  const name = spec.inputName;
  const needsExample = spec.logModel.signature === "auto" || spec.logModel.inputExample === "auto";
  if (!needsExample || !spec.pipeline.inputs().has(name) || training.allOutputs().has(name)) return [];
  if (!catalog.has(name) || catalog.isEphemeral(name) || await catalog.exists(name)) return [];
  const key = spec.logModel.signature === "auto" ? "signature" : "input_example";
  const at = catalog.sourceOf(name, { key: true });
  return [
    new PipelineDefinitionError(
      "pipeline/inference-input-missing",
      `log_model.${key}: auto reads input_name "${name}" after training, but it has no data and the ` +
        `training run does not make it`,
      {
        source: spec.locate(["log_model", key]),
        hint: `put example rows where "${name}" reads them` +
          (at?.file ? ` (declared at ${formatLocation({ ...at, keyPath: undefined })})` : "") +
          `, or set log_model.signature: null and log_model.input_example: null`,
      },
    ),
  ];
}
