/**
 * What every MLflow Model folder kmlf writes holds besides its flavor's files, written one way for the
 * models a training run logs (`lib/mlflow/model_logging.ts`) and those the model datasets save
 * (`saveModelFolder`): the rows input example and the `MLmodel` file.
 *
 * @module
 */
import { join } from "../../path.ts";
import { writeTextFile } from "../../file_io.ts";
import {
  inputExampleFiles,
  type MlModel,
  MLMODEL_FORMAT_VERSION,
  mlmodelToYaml,
  type SavedInputExampleInfo,
  utcTimeCreated,
} from "./mlmodel.ts";

/**
 * Writes example rows (the first five) as MLflow writes a DataFrame example: `input_example.json` (pandas
 * split orient) and `serving_input_example.json` (a `dataframe_split` request); returns MLmodel's
 * `saved_input_example_info`.
 *
 * @example
 * ```ts
 * const info = await writeRowsInputExample("/tmp/model", [{ x: 1.5 }]); // info.type === "dataframe"
 * ```
 */
export async function writeRowsInputExample(
  dir: string,
  rows: readonly Record<string, unknown>[],
): Promise<SavedInputExampleInfo> {
  const files = inputExampleFiles(rows.slice(0, 5));
  await writeTextFile(join(dir, "input_example.json"), files.inputExample);
  await writeTextFile(join(dir, "serving_input_example.json"), files.servingInputExample);
  return files.info;
}

/** What the caller decides in an MLmodel; {@link writeMlmodel} adds the rest. */
export type MlmodelFields = Pick<
  MlModel,
  "artifactPath" | "flavors" | "runId" | "savedInputExampleInfo" | "signature"
>;

/**
 * Writes `dir/MLmodel` once the folder's other files are in place: `fields` plus the model format's MLflow
 * version, the folder's size (without MLmodel, as MLflow counts it), a new model uuid and the time now.
 * Returns the MLmodel written.
 *
 * @example
 * ```ts
 * const model = await writeMlmodel("/tmp/model", { flavors: { kmlf: { pipeline: "code/inference.yml" } } });
 * ```
 */
export async function writeMlmodel(dir: string, fields: MlmodelFields): Promise<MlModel> {
  const model: MlModel = {
    artifactPath: fields.artifactPath,
    flavors: fields.flavors,
    mlflowVersion: MLMODEL_FORMAT_VERSION,
    modelSizeBytes: await folderSize(dir),
    modelUuid: crypto.randomUUID().replaceAll("-", ""),
    runId: fields.runId,
    savedInputExampleInfo: fields.savedInputExampleInfo,
    signature: fields.signature,
    utcTimeCreated: utcTimeCreated(new Date()),
  };
  await writeTextFile(join(dir, "MLmodel"), mlmodelToYaml(model));
  return model;
}

/**
 * Whether `value` is a list of rows (records), the input example MLflow saves as a DataFrame.
 *
 * @example
 * ```ts
 * isRowList([{ x: 1 }]); // true
 * isRowList([1, 2]); // false
 * ```
 */
export function isRowList(value: unknown): value is Record<string, unknown>[] {
  return Array.isArray(value) && value.length > 0 &&
    value.every((v) => typeof v === "object" && v !== null && !Array.isArray(v));
}

/**
 * The bytes of the files under `dir` (MLmodel's `model_size_bytes`).
 *
 * @example
 * ```ts
 * await folderSize("/tmp/model"); // 1234
 * ```
 */
export async function folderSize(dir: string): Promise<number> {
  let total = 0;
  for (const e of Deno.readDirSync(dir)) {
    const path = join(dir, e.name);
    if (e.isDirectory) total += await folderSize(path);
    else if (e.isFile) total += Deno.statSync(path).size;
  }
  return total;
}
