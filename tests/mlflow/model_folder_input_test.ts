/**
 * kedro-mlflow's documented pattern "save the model both locally and remotely": an MlflowArtifactDataset
 * wrapping an MlflowModelLocalFileSystemDataset, read by the inference pipeline. The logged pipeline model must
 * take it (a folder, of a type only the kmlf-mlflow plugin has) and predict from it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { demoProject, kmlf } from "../cli_harness.ts";

// The demo catalog's model entry (a pickle inside mlflow_artifact), replaced by each test.
const PICKLED_MODEL = [
  "model:",
  "  type: mlflow_artifact",
  "  dataset:",
  "    type: pickle",
  "    filepath: data/06_models/model.pkl",
  "",
].join("\n");

Deno.test("an inference input saved as an MLflow model folder (mlflow_model_local in mlflow_artifact): logged, then predicts", async () => {
  const dir = await demoProject({}, { tracked: true });
  try {
    const catalog = join(dir, "conf/base/catalog.yml");
    const text = await Deno.readTextFile(catalog);
    const changed = text.replace(
      PICKLED_MODEL,
      [
        "model:",
        "  type: kedro_mlflow.io.artifacts.MlflowArtifactDataset",
        "  dataset:",
        "    type: kedro_mlflow.io.models.MlflowModelLocalFileSystemDataset",
        "    flavor: js_value",
        "    filepath: data/06_models/model_folder",
        "",
      ].join("\n"),
    );
    assert.notEqual(changed, text, "the demo catalog has the pickled model entry");
    await Deno.writeTextFile(catalog, changed);
    const run = await kmlf(["run", "training"], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const said = run.stdout + run.stderr;
    const uri = said.match(/Model logged: (runs:\/\w+\/model)/)?.[1];
    assert.ok(uri, said);
    assert.match(
      said,
      /Model note: "model" \(MlflowArtifactDataset\): the model cannot load its type "kedro_mlflow\.io\.models\.MlflowModelLocalFileSystemDataset" \(a plugin's\), so its loaded value is bundled as artifacts\/model\.pkl/,
    );
    const predicted = await kmlf(["models", "predict", "-m", uri, "-i", "data/01_raw/instances.csv"], {
      cwd: dir,
    });
    assert.equal(predicted.code, 0, predicted.stderr);
    const { predictions } = JSON.parse(predicted.stdout);
    // The same predictions as the inference pipeline run in the project.
    const inference = await kmlf(["run", "inference"], { cwd: dir });
    assert.equal(inference.code, 0, inference.stderr);
    const csv = (await Deno.readTextFile(join(dir, "data/07_model_output/inference_predictions.csv"))).trim()
      .split("\n");
    assert.equal(predictions.length, csv.length - 1);
    assert.deepEqual(
      predictions.map((p: { prediction: string }) => p.prediction),
      csv.slice(1).map((l) => l.split(",")[0]),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// A project's own dataset class whose file is a folder: copied whole into the model (it was a crash: "the
// source path is neither a regular file…").
const FOLDER_DATASET = `import { join } from "node:path";
export class FolderDataset {
  constructor(private options: { filepath: string }) {}
  filePath(): string { return this.options.filepath; }
  async load(): Promise<unknown> {
    return JSON.parse(await Deno.readTextFile(join(this.options.filepath, "value.json")));
  }
  async save(data: unknown): Promise<void> {
    await Deno.mkdir(this.options.filepath, { recursive: true });
    await Deno.writeTextFile(join(this.options.filepath, "value.json"), JSON.stringify(data));
  }
  exists(): boolean { try { Deno.statSync(this.options.filepath); return true; } catch { return false; } }
  describe(): Record<string, unknown> { return { filepath: this.options.filepath }; }
}
`;

Deno.test("an inference input of the project's own dataset class kept in a folder is copied whole into the model", async () => {
  const dir = await demoProject({ "datasets/folder.ts": FOLDER_DATASET }, { tracked: true });
  try {
    const catalog = join(dir, "conf/base/catalog.yml");
    const text = await Deno.readTextFile(catalog);
    const changed = text.replace(
      PICKLED_MODEL,
      "model:\n  type: ./datasets/folder.ts#FolderDataset\n  filepath: data/06_models/model_folder\n",
    );
    assert.notEqual(changed, text);
    await Deno.writeTextFile(catalog, changed);
    const run = await kmlf(["run", "training"], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const uri = (run.stdout + run.stderr).match(/Model logged: (runs:\/\w+\/model)/)?.[1];
    assert.ok(uri, run.stdout + run.stderr);
    const predicted = await kmlf(["models", "predict", "-m", uri, "-i", "data/01_raw/instances.csv"], {
      cwd: dir,
    });
    assert.equal(predicted.code, 0, predicted.stderr);
    assert.equal(JSON.parse(predicted.stdout).predictions.length, 3);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
