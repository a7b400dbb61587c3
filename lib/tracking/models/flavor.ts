/**
 * Model flavors: how a model object becomes an MLflow Model folder and comes back (MLflow's
 * `<flavor>.save_model` / `load_model`). A flavor writes its files into the folder and returns its entry
 * under `flavors:` in `MLmodel`; {@link saveModelFolder} adds what every MLflow Model has (MLmodel, the
 * signature, the input example) and {@link loadModelFolder} reads the folder back through the flavor.
 *
 * @module
 */
import { join } from "../../path.ts";
import { TrackingError } from "../../errors.ts";
import { KMLF_VERSION } from "../../version.ts";
import { type MlModel, parseMlmodel, type SavedInputExampleInfo } from "./mlmodel.ts";
import { isRowList, writeMlmodel, writeRowsInputExample } from "./model_folder.ts";
import { inferColumns, pythonJson, type SignatureStrings, signatureToStrings } from "./signature.ts";
import { readTextFile, writeTextFile } from "../../file_io.ts";
import { floatColumns } from "../../source_keys.ts";

/** What a flavor's save returns. */
export interface SavedFlavor {
  /** The flavor's entry under `flavors:` in MLmodel (kmlf adds `kmlf_version`). */
  entry: Record<string, unknown>;
  /** A signature the model already carries (a re-saved model keeps its own). */
  signature?: SignatureStrings;
  /** An input example the flavor already wrote into the folder. */
  savedInputExampleInfo?: SavedInputExampleInfo;
}

/**
 * A model flavor. `name` is its key under `flavors:` in MLmodel.
 *
 * @example
 * ```ts
 * const upper: ModelFlavor<string> = {
 *   name: "upper",
 *   async save(model, dir) { await Deno.writeTextFile(`${dir}/model.txt`, model); return { entry: { data: "model.txt" } }; },
 *   async load(dir) { return await Deno.readTextFile(`${dir}/model.txt`); },
 * };
 * ```
 */
export interface ModelFlavor<M = unknown> {
  readonly name: string;
  /** The save arguments it takes (undefined: any, passed through). */
  readonly saveArgs?: readonly string[];
  /** The load arguments it takes (undefined: any, passed through). */
  readonly loadArgs?: readonly string[];
  /** Writes `model` into the empty folder `dir`; `args` are the flavor's own save arguments. */
  save(model: M, dir: string, args: Record<string, unknown>): Promise<SavedFlavor>;
  /** Reads the model from `dir`: `entry` is its flavor entry in `metadata` (the parsed MLmodel). */
  load(dir: string, context: FlavorLoadContext): Promise<M>;
}

/** What {@link ModelFlavor.load} gets besides the folder. */
export interface FlavorLoadContext {
  entry: Record<string, unknown>;
  metadata: MlModel;
  /** The flavor's own load arguments. */
  args: Record<string, unknown>;
}

/** Options of {@link saveModelFolder}. */
export interface SaveModelFolderOptions {
  /** The flavor's own save arguments. */
  flavorArgs?: Record<string, unknown>;
  /** `auto` (columns of the input example), MLflow's column/param specs as strings, or none. */
  signature?: "auto" | SignatureStrings | null;
  /** Rows (a list of records) or any JSON value, saved as `input_example.json`. */
  inputExample?: unknown;
  /** When logged: the artifact path under the run, and the run. */
  artifactPath?: string;
  runId?: string;
}

/**
 * Writes a complete MLflow Model into the empty folder `dir` through `flavor`; returns the MLmodel written
 * and notes on what was left out.
 *
 * @example
 * ```ts
 * const { model } = await saveModelFolder("/tmp/m", { weights: [1, 2] }, jsValueFlavor, { inputExample: [{ x: 1 }] });
 * ```
 */
export async function saveModelFolder<M>(
  dir: string,
  model: M,
  flavor: ModelFlavor<M>,
  options: SaveModelFolderOptions = {},
): Promise<{ model: MlModel; notes: string[] }> {
  const notes: string[] = [];
  const saved = await flavor.save(model, dir, options.flavorArgs ?? {});
  let info = saved.savedInputExampleInfo;
  const example = options.inputExample;
  if (example !== undefined && example !== null) info = await writeInputExample(dir, example);
  let signature = saved.signature;
  if (options.signature === "auto") {
    const inputs = inferColumns(example, floatColumns(example));
    if (inputs) signature = signatureToStrings({ inputs, outputs: null, params: null });
    else if (!signature) notes.push("no signature: signature auto needs an input_example of rows or values");
  } else if (options.signature) signature = options.signature;
  const mlmodel = await writeMlmodel(dir, {
    artifactPath: options.artifactPath,
    flavors: { [flavor.name]: { ...saved.entry, kmlf_version: KMLF_VERSION } },
    runId: options.runId,
    savedInputExampleInfo: info,
    signature,
  });
  return { model: mlmodel, notes };
}

/**
 * Reads the MLflow Model in `dir` through `flavor`: a folder without MLmodel, or without the flavor's
 * entry, is an error naming what the folder holds.
 *
 * @example
 * ```ts
 * const weights = await loadModelFolder("/tmp/m", jsValueFlavor);
 * ```
 */
export async function loadModelFolder<M>(
  dir: string,
  flavor: ModelFlavor<M>,
  args: Record<string, unknown> = {},
): Promise<M> {
  const file = join(dir, "MLmodel");
  const text = await readTextFile(file).catch((cause) => {
    throw new TrackingError("model/no-mlmodel", `${dir} holds no MLmodel file`, {
      hint: "point at an MLflow Model folder (the folder holding MLmodel), e.g. runs:/<run_id>/model",
      cause,
    });
  });
  const metadata = parseMlmodel(text, file);
  const entry = metadata.flavors[flavor.name];
  if (!entry || typeof entry !== "object") {
    const flavors = Object.keys(metadata.flavors);
    throw new TrackingError(
      "model/flavor-mismatch",
      `The model at ${dir} has no ${flavor.name} flavor (its flavors: ${flavors.join(", ") || "none"})`,
      {
        hint: flavors.length
          ? `load it with the flavor it was saved with: flavor: ${flavors[0]}`
          : "the MLmodel file lists no flavor; save the model again",
      },
    );
  }
  return await flavor.load(dir, { entry, metadata, args });
}

// Rows become MLflow's DataFrame example (split orient) with its serving request; other JSON values are
// saved as they are (MLflow's json_object example).
async function writeInputExample(dir: string, example: unknown): Promise<SavedInputExampleInfo> {
  if (isRowList(example)) return await writeRowsInputExample(dir, example);
  await writeTextFile(join(dir, "input_example.json"), pythonJson(example));
  return { artifactPath: "input_example.json", type: "json_object" };
}
