/**
 * kedro-mlflow's `pipeline_ml_factory` in YAML: a training pipeline names its inference companion, which is
 * logged as an MLflow Model after each successful tracked run of the training pipeline.
 *
 * ```yaml
 * # pipelines/training.yml
 * nodes: [...]
 * inference:
 *   pipeline: inference          # a registered pipeline name, or ./file.yml relative to this file
 *   input_name: instances        # the dataset fed by each prediction request
 *   log_model: { name: model, signature: auto, input_example: auto, registered_model_name: null }
 *   copy_mode: assign            # assign | copy | deepcopy, or a map dataset → mode
 * ```
 *
 * This module holds the conversion and kedro-mlflow's structural checks (one output, `input_name` an
 * input, no free inputs); the schema is in inference_schema.ts, so code that only runs nodes does not
 * load zod. Whether inputs are persisted needs the catalog: the session checks that.
 *
 * @module
 */
import type { InferenceEntryValue } from "./inference_schema.ts";
import { didYouMeanHint, PipelineDefinitionError, type SourceLocation } from "../errors.ts";
import { isParameter, transcodeBase } from "../dataset_names.ts";
import type { InferenceSpec, Pipeline } from "./pipeline.ts";
import type { KeyPath } from "../yaml/parse_yaml.ts";

/**
 * Converts a parsed `inference:` entry.
 *
 * @example
 * ```ts
 * const { value } = await checkInferenceEntry({ pipeline: "inference", input_name: "instances" });
 * const spec = inferenceSpec(value!, {
 *   pipeline, file: "/p/pipelines/inference.yml", declaredIn: "/p/pipelines/training.yml", locate: () => undefined });
 * ```
 */
export function inferenceSpec(
  entry: InferenceEntryValue,
  bound: Pick<InferenceSpec, "pipeline" | "file" | "declaredIn" | "locate">,
): InferenceSpec {
  const spec: InferenceSpec = {
    ...bound,
    ref: entry.pipeline,
    inputName: entry.input_name,
    logModel: {
      name: entry.log_model.name,
      signature: entry.log_model.signature === "auto" ? "auto" : null,
      inputExample: entry.log_model.input_example === "auto" ? "auto" : null,
      registeredModelName: entry.log_model.registered_model_name,
    },
    copyMode: entry.copy_mode,
    firstProblem: (training) => {
      const problem = inferenceProblems(training, spec)[0];
      return problem && problem.message.charAt(0).toLowerCase() + problem.message.slice(1);
    },
  };
  return spec;
}

/**
 * Checks an `inference:` block built in code (e.g. from `kmlf mlflow modelify`'s flags) against the rules of
 * a pipeline file's block; the first problem's key path and message, or the parsed value. The schema (and
 * zod) loads only when this is called.
 *
 * @example
 * ```ts
 * const { issue } = await checkInferenceEntry({ pipeline: "inference", input_name: "x", log_model: { name: "" } });
 * issue?.path; // ["log_model", "name"]
 * ```
 */
export async function checkInferenceEntry(
  entry: unknown,
): Promise<{ value?: InferenceEntryValue; issue?: { path: PropertyKey[]; message: string } }> {
  const { InferenceEntry } = await import("./inference_schema.ts");
  const { parseLater } = await import("../zod/on_demand.ts");
  const parsed = await parseLater(InferenceEntry, entry);
  if (parsed.success) return { value: parsed.data };
  const [first] = parsed.error.issues;
  return { issue: { path: first.path, message: first.message } };
}

// kedro-mlflow's log_model_kwargs that kmlf spells otherwise, or that only mean something to a Python model.
const PYTHON_ENVIRONMENT =
  "a kmlf model copies its inference code and pins its npm packages in code/deno.json " +
  "by itself: remove it";
const LOG_MODEL_KEYS: Readonly<Record<string, string>> = {
  conda_env: PYTHON_ENVIRONMENT,
  pip_requirements: PYTHON_ENVIRONMENT,
  extra_pip_requirements: PYTHON_ENVIRONMENT,
  code_paths: PYTHON_ENVIRONMENT,
  code_path: PYTHON_ENVIRONMENT,
};

/**
 * A pipeline file's top-level value with `inference.log_model.artifact_path` (kedro-mlflow 0.x–1.x's
 * `log_model_kwargs`, MLflow 2's name; 2.0.1 still takes it) taken as `name`; both given is refused, as
 * kedro-mlflow 2.0.1 refuses them, and the value is left for the schema to report nothing else. `writtenAs`
 * maps the validated key path back to the one written, so a bad value's error names `artifact_path` there.
 *
 * @example
 * ```ts
 * logModelAliases({ inference: { log_model: { artifact_path: "kpm" } } }, () => undefined);
 * // { value: { inference: { log_model: { name: "kpm" } } }, writtenAs: [[…, "name"], […, "artifact_path"]] }
 * ```
 */
export function logModelAliases(
  value: unknown,
  locate: (path: (string | number)[]) => SourceLocation | undefined,
): {
  value: unknown;
  problem?: PipelineDefinitionError;
  writtenAs?: ReadonlyArray<readonly [KeyPath, KeyPath]>;
} {
  const top = value as { inference?: { log_model?: Record<string, unknown> } } | null;
  const logModel = top?.inference?.log_model;
  if (typeof logModel !== "object" || logModel === null || !Object.hasOwn(logModel, "artifact_path")) {
    return { value };
  }
  const { artifact_path: path, ...rest } = logModel;
  if (Object.hasOwn(logModel, "name")) {
    return {
      value: { ...top, inference: { ...top!.inference, log_model: rest } },
      problem: new PipelineDefinitionError(
        "pipeline/schema",
        "Both 'artifact_path' (deprecated in MLflow v3) and 'name' are given in inference.log_model",
        {
          source: locate(["inference", "log_model", "artifact_path"]),
          hint: "keep name (artifact_path is its kedro-mlflow 0.x–1.x / MLflow 2 spelling)",
        },
      ),
    };
  }
  return {
    value: { ...top, inference: { ...top!.inference, log_model: { ...rest, name: path } } },
    writtenAs: [[["inference", "log_model", "name"], ["inference", "log_model", "artifact_path"]]],
  };
}

/**
 * The hint for an unknown key of a pipeline file's `inference.log_model` that kedro-mlflow's `log_model_kwargs`
 * takes, or undefined.
 *
 * @example
 * ```ts
 * inferenceKeyHint(["inference", "log_model", "artifact_path"]); // "kedro-mlflow's artifact_path … is `name` here…"
 * ```
 */
export function inferenceKeyHint(keyPath: readonly (string | number)[]): string | undefined {
  const [block, sub, key] = keyPath;
  if (keyPath.length !== 3 || block !== "inference" || sub !== "log_model") return undefined;
  return Object.hasOwn(LOG_MODEL_KEYS, key) ? LOG_MODEL_KEYS[key] : undefined;
}

/** `file:line:col` where a node of `pipeline` names `dataset` among its outputs (the file is in the inference YAML). */
function writtenAt(pipeline: Pipeline, dataset: string): string {
  const s = pipeline.nodes.find((n) => n.outputs.includes(dataset))?.inputSource(dataset, "outputs");
  return s?.file ? `${s.file}:${s.line ?? "?"}:${s.column ?? "?"}` : "";
}

/** The single output of a consistent inference pipeline. */
export function inferenceOutput(spec: InferenceSpec): string | undefined {
  const outputs = [...spec.pipeline.outputs()];
  return outputs.length === 1 ? outputs[0] : undefined;
}

/**
 * kedro-mlflow's consistency checks between a training pipeline and its inference pipeline, all at once:
 * exactly one inference output; `input_name` is an inference input; every other inference input comes from
 * training (its outputs or inputs) or is a parameter.
 *
 * @example
 * ```ts
 * const problems = inferenceProblems(training, spec); // [] when consistent
 * ```
 */
export function inferenceProblems(training: Pipeline, spec: InferenceSpec): PipelineDefinitionError[] {
  const problems: PipelineDefinitionError[] = [];
  const inference = spec.pipeline;
  const label = `Inference pipeline "${spec.ref}"`;
  const outputs = [...inference.outputs()].sort();
  if (outputs.length !== 1) {
    problems.push(
      new PipelineDefinitionError(
        "pipeline/inference-outputs",
        `${label} must have exactly one output (the predictions), but it has ${outputs.length}` +
          (outputs.length ? `: ${outputs.map((o) => `"${o}"`).join(", ")}` : ""),
        {
          source: spec.locate(["pipeline"]),
          hint: outputs.length
            ? "read every output but the predictions in a later node of the inference pipeline, or move the extra nodes to another pipeline (written at: " +
              outputs.map((o) => `"${o}" ${writtenAt(inference, o)}`).join(", ") + ")"
            : "the inference pipeline has no free output; its last node must produce the predictions",
        },
      ),
    );
  }
  const inputs = [...inference.inputs()].sort();
  if (!inputs.includes(spec.inputName)) {
    problems.push(
      new PipelineDefinitionError(
        "pipeline/inference-input-name",
        `input_name "${spec.inputName}" is not an input of ${label.toLowerCase()}`,
        {
          source: spec.locate(["input_name"]),
          hint: `use one of its inputs: ${inputs.filter((i) => !isParameter(i)).join(", ") || "(none)"}` +
            (didYouMeanHint(spec.inputName, inputs) ? `; ${didYouMeanHint(spec.inputName, inputs)}` : ""),
        },
      ),
    );
  }
  const fromTraining = new Set([...training.allOutputs(), ...training.inputs()].map(transcodeBase));
  const free = inputs.filter((i) =>
    i !== spec.inputName && !isParameter(i) && !fromTraining.has(transcodeBase(i))
  );
  if (free.length > 0) {
    problems.push(
      new PipelineDefinitionError(
        "pipeline/inference-free-inputs",
        `${label} reads ${free.map((f) => `"${f}"`).join(", ")}, which the training pipeline neither ` +
          `produces nor reads, so the model could not bring ${free.length === 1 ? "it" : "them"} along`,
        {
          source: spec.locate(["pipeline"]),
          hint:
            `every inference input except input_name "${spec.inputName}" and params: must be an output or an input of the training pipeline` +
            (free.length === 1 && inputs.filter((i) => !isParameter(i)).length === 2
              ? `; if "${free[0]}" is the data to predict on, set input_name: ${free[0]}`
              : ""),
        },
      ),
    );
  }
  return problems;
}
