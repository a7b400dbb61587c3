/**
 * The `MLmodel` file of an MLflow Model directory (MLflow 2.17.2's format: YAML with sorted keys), the
 * input example files beside it, and the `mlflow.log-model.history` run tag that records logged models.
 *
 * @module
 */
import { load } from "../../yaml/_js_yaml.js";
import { pyyamlDump } from "../../yaml/pyyaml_dump.ts";
import { PYYAML_SCHEMA } from "../../yaml/yaml11.ts";
import { TrackingError } from "../../errors.ts";
import { pythonJson, type SignatureStrings } from "./signature.ts";
import { isRecord } from "../../is_record.ts";

/** Where the input example is saved, as MLmodel records it. */
export interface SavedInputExampleInfo {
  /** The example's file inside the model folder (MLmodel's `artifact_path`, e.g. `input_example.json`). */
  artifactPath: string;
  /** The example's kind as MLflow names it (`dataframe`, `ndarray`, `json_object`). */
  type: string;
  /** For a `dataframe` example: the pandas JSON orient it was written with (`split`). */
  pandasOrient?: string;
  /** The file holding the example as a serving request body (`serving_input_example.json`). */
  servingInputPath?: string;
}

/** An `MLmodel` file, camelCase. */
export interface MlModel {
  /** The model's path inside the run's artifacts (`artifact_path`). */
  artifactPath?: string;
  /** Flavor name → its settings (e.g. `python_function`, `kmlf`), as MLflow's `flavors` map. */
  flavors: Record<string, Record<string, unknown>>;
  /** The MLflow version whose model format the file follows (`mlflow_version`). */
  mlflowVersion?: string;
  /** Total size of the model folder in bytes (`model_size_bytes`). */
  modelSizeBytes?: number;
  /** A random id of this model (`model_uuid`, 32 hex digits). */
  modelUuid?: string;
  /** The run that logged the model (`run_id`). */
  runId?: string;
  /** Where the input example is saved (`saved_input_example_info`), when one was logged. */
  savedInputExampleInfo?: SavedInputExampleInfo;
  /** The model signature (`signature`), each part a JSON string. */
  signature?: SignatureStrings;
  /**
   * When the model was saved, UTC, as MLflow writes it (`utc_time_created`, `2024-05-01 12:00:00.123456`).
   */
  utcTimeCreated?: string;
  /** Free-form metadata the model was logged with (`metadata`). */
  metadata?: Record<string, unknown>;
}

/** The MLflow version whose model format kmlf writes. */
export const MLMODEL_FORMAT_VERSION = "2.17.2";

/**
 * MLflow's `utc_time_created`: naive UTC `str(datetime)`, microseconds included.
 *
 * @example
 * ```ts
 * utcTimeCreated(new Date(0)); // "1970-01-01 00:00:00.000000"
 * ```
 */
export function utcTimeCreated(date: Date): string {
  return date.toISOString().replace("T", " ").replace(/\.(\d{3})Z$/, ".$1000");
}

/**
 * Serializes an MLmodel byte for byte as MLflow does (`yaml.safe_dump(model, default_flow_style=False)`:
 * sorted keys, block style, long values folded at column 80, non-ASCII text escaped).
 *
 * @example
 * ```ts
 * const text = mlmodelToYaml({ flavors: { kmlf: { pipeline: "code/inference.yml" } }, modelUuid: "ab12" });
 * ```
 */
export function mlmodelToYaml(model: MlModel): string {
  const info = model.savedInputExampleInfo;
  const raw: Record<string, unknown> = {
    artifact_path: model.artifactPath,
    flavors: model.flavors,
    metadata: model.metadata,
    mlflow_version: model.mlflowVersion,
    model_size_bytes: model.modelSizeBytes,
    model_uuid: model.modelUuid,
    run_id: model.runId,
    saved_input_example_info: info && {
      artifact_path: info.artifactPath,
      pandas_orient: info.pandasOrient,
      serving_input_path: info.servingInputPath,
      type: info.type,
    },
    signature: model.signature,
    utc_time_created: model.utcTimeCreated,
  };
  return pyyamlDump(prune(raw));
}

/**
 * Parses an MLmodel file's text; `file` names it in errors.
 *
 * @example
 * ```ts
 * const model = parseMlmodel(await Deno.readTextFile("model/MLmodel"), "model/MLmodel");
 * ```
 */
export function parseMlmodel(text: string, file: string): MlModel {
  let raw: unknown;
  try {
    raw = load(text, { schema: PYYAML_SCHEMA });
  } catch (error) {
    throw new TrackingError("model/bad-mlmodel", `Cannot parse ${file}: ${(error as Error).message}`, {
      hint: "the MLmodel file is YAML written by MLflow or kmlf; re-log the model",
    });
  }
  if (!isRecord(raw) || !isRecord(raw.flavors)) {
    throw new TrackingError("model/bad-mlmodel", `${file} has no flavors mapping`, {
      hint:
        "this folder does not hold an MLflow Model; point at the folder logged by the run (e.g. runs:/<run_id>/model)",
    });
  }
  const str = (
    v: unknown,
  ) => (typeof v === "string" ? v : v === undefined || v === null ? undefined : String(v));
  const info = isRecord(raw.saved_input_example_info) ? raw.saved_input_example_info : undefined;
  const sig = isRecord(raw.signature) ? raw.signature : undefined;
  return {
    artifactPath: str(raw.artifact_path),
    flavors: raw.flavors as Record<string, Record<string, unknown>>,
    mlflowVersion: str(raw.mlflow_version),
    modelSizeBytes: typeof raw.model_size_bytes === "number" ? raw.model_size_bytes : undefined,
    modelUuid: str(raw.model_uuid),
    runId: str(raw.run_id),
    utcTimeCreated: str(raw.utc_time_created),
    metadata: isRecord(raw.metadata) ? raw.metadata : undefined,
    savedInputExampleInfo: info && {
      artifactPath: str(info.artifact_path) ?? "input_example.json",
      type: str(info.type) ?? "dataframe",
      pandasOrient: str(info.pandas_orient),
      servingInputPath: str(info.serving_input_path),
    },
    signature: sig && typeof sig.inputs === "string"
      ? { inputs: sig.inputs, outputs: str(sig.outputs) ?? null, params: str(sig.params) ?? null }
      : undefined,
  };
}

/**
 * The new value of a run's `mlflow.log-model.history` tag: the previous entries plus this model, as
 * MLflow 2.17 writes it (so MLflow's UI lists the model on the run).
 *
 * @example
 * ```ts
 * const tag = appendLogModelHistory(run.data.tags["mlflow.log-model.history"], model);
 * ```
 */
export function appendLogModelHistory(previous: string | undefined, model: MlModel): string {
  let entries: unknown[] = [];
  try {
    const parsed = previous ? JSON.parse(previous) : [];
    if (Array.isArray(parsed)) entries = parsed;
  } catch {
    // A malformed tag (written by something else) is replaced rather than blocking the model.
  }
  entries.push({
    run_id: model.runId,
    artifact_path: model.artifactPath,
    utc_time_created: model.utcTimeCreated,
    model_uuid: model.modelUuid,
    flavors: model.flavors,
  });
  return pythonJson(entries);
}

/**
 * `input_example.json` (pandas split orient) and `serving_input_example.json` (a `dataframe_split`
 * request) for example rows, as MLflow writes them for a DataFrame example.
 *
 * @example
 * ```ts
 * const files = inputExampleFiles([{ a: 1.5 }]);
 * files.info.type; // "dataframe"
 * ```
 */
export function inputExampleFiles(
  rows: readonly Record<string, unknown>[],
): { inputExample: string; servingInputExample: string; info: SavedInputExampleInfo } {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const data = rows.map((r) => columns.map((c) => r[c] ?? null));
  return {
    inputExample: pythonJson({ columns, data }),
    servingInputExample: JSON.stringify({ dataframe_split: { columns, data } }, null, 2),
    info: {
      artifactPath: "input_example.json",
      type: "dataframe",
      pandasOrient: "split",
      servingInputPath: "serving_input_example.json",
    },
  };
}

function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune);
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, prune(v)]),
  );
}
