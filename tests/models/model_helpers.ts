/**
 * A small project whose inference pipeline behaves like the Python model MLflow 2.17.2 served when the
 * scoring fixtures were recorded (tests/fixtures/mlflow-2.17.2/model/): "setosa" when petal_length is
 * below a trained threshold, else "virginica", with probability 0.9. Its modules import each other and
 * an npm package, so bundling has a real module graph to follow.
 */
import { join } from "node:path";
import { kmlf } from "../cli_harness.ts";
import { type KmlfModel, loadModel } from "../../lib/models/mod.ts";
import { openStore } from "../../lib/tracking/mod.ts";

/** The files of the rules project; `store` is the tracking URI its mlflow.yml names. */
export function rulesProjectFiles(store: string): Record<string, string> {
  return {
    "kmlf.yml": "name: rules\ndefault_env: local\nconf_source: conf\npipelines_dir: pipelines\nhooks: []\n",
    "conf/local/.keep": "",
    "conf/base/catalog.yml": [
      "iris: {type: csv, filepath: data/iris.csv}",
      "rule: {type: json, filepath: data/06_models/rule.json}",
      "instances: {type: csv, filepath: data/instances.csv}",
      "predictions: {type: csv, filepath: data/predictions.csv}",
      "",
    ].join("\n"),
    "conf/base/parameters.yml": "confidence: 0.9\n",
    "conf/base/mlflow.yml":
      `server:\n  mlflow_tracking_uri: ${store}\ntracking:\n  experiment:\n    name: rules\n`,
    "pipelines/training.yml": [
      "nodes:",
      "  - name: fit_rule",
      "    func: ./rules/train.ts#fitRule",
      "    inputs: [iris, params:confidence]",
      "    outputs: rule",
      "inference:",
      "  pipeline: inference",
      "  input_name: instances",
      "",
    ].join("\n"),
    "pipelines/inference.yml": [
      "nodes:",
      "  - name: apply_rule",
      "    func: ./rules/predict.ts#applyRule",
      "    inputs: [rule, instances]",
      "    outputs: predictions",
      "",
    ].join("\n"),
    "pipelines/rules/shared.ts": [
      'import { z } from "zod";',
      'import { SPECIES } from "./util/labels.ts";',
      "export interface Rule { threshold: number; confidence: number }",
      "export const Instance = z.looseObject({ petal_length: z.number() });",
      "export const label = (small: boolean) => (small ? SPECIES[0] : SPECIES[1]);",
      "",
    ].join("\n"),
    "pipelines/rules/util/labels.ts": 'export const SPECIES = ["setosa", "virginica"] as const;\n',
    "pipelines/rules/train.ts": [
      'import type { Rule } from "./shared.ts";',
      "/** Threshold between the largest setosa petal and the smallest other petal. */",
      "export function fitRule(rows: Record<string, unknown>[], confidence: number): Rule {",
      '  const setosa = rows.filter((r) => r.species === "setosa").map((r) => Number(r.petal_length));',
      '  const other = rows.filter((r) => r.species !== "setosa").map((r) => Number(r.petal_length));',
      "  return { threshold: (Math.max(...setosa) + Math.min(...other)) / 2, confidence };",
      "}",
      "",
    ].join("\n"),
    "pipelines/rules/predict.ts": [
      'import { Instance, label, type Rule } from "./shared.ts";',
      "export function applyRule(rule: Rule, instances: Record<string, unknown>[]) {",
      "  return instances.map((row) => {",
      "    const { petal_length } = Instance.parse(row);",
      "    if (petal_length < 0) throw new Error(`petal_length must not be negative, got ${petal_length}`);",
      "    return { prediction: label(petal_length < rule.threshold), probability: rule.confidence };",
      "  });",
      "}",
      "",
    ].join("\n"),
    "data/iris.csv": [
      "sepal_length,sepal_width,petal_length,petal_width,species",
      "5.1,3.5,1.4,0.2,setosa",
      "4.9,3.0,1.9,0.2,setosa",
      "7.0,3.2,4.7,1.4,versicolor",
      "6.3,3.3,6.0,2.5,virginica",
      "",
    ].join("\n"),
    "data/instances.csv":
      "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n6.7,3.1,5.2,2.3\n",
  };
}

/** Writes `files` under a new temp dir and returns it. */
export async function writeProject(files: Record<string, string>, dir?: string): Promise<string> {
  const root = dir ?? await Deno.makeTempDir({ prefix: "kmlf-models-" });
  for (const [path, content] of Object.entries(files)) {
    await Deno.mkdir(join(root, path, ".."), { recursive: true });
    await Deno.writeTextFile(join(root, path), content);
  }
  return root;
}

/**
 * Creates the rules project tracking into `<tmp>/store/mlflow.db` (outside the project), runs `training`
 * and returns the paths and the logged model's URI.
 */
export async function trainedRulesProject(
  overrides: Record<string, string> = {},
): Promise<
  { base: string; project: string; store: string; modelUri: string; runId: string; stderr: string }
> {
  const base = await Deno.makeTempDir({ prefix: "kmlf-models-" });
  const store = join(base, "store", "mlflow.db");
  await Deno.mkdir(join(base, "store"));
  const project = await writeProject(
    { ...rulesProjectFiles(`sqlite:///${store}`), ...overrides },
    join(base, "project"),
  );
  const r = await kmlf(["run", "training"], { cwd: project });
  if (r.code !== 0) throw new Error(`training failed:\n${r.stderr}`);
  const uri = r.stderr.match(/Model logged: (runs:\/(\w+)\/\S+)/);
  if (!uri) throw new Error(`no "Model logged" line:\n${r.stderr}`);
  return { base, project, store, modelUri: uri[1], runId: uri[2], stderr: r.stderr };
}

/**
 * {@link trainedRulesProject} with its logged model loaded (the store closed again); the temp folder is
 * removed when the test process ends.
 */
export async function loadedRulesModel(): Promise<
  { trained: Awaited<ReturnType<typeof trainedRulesProject>>; model: KmlfModel }
> {
  const trained = await trainedRulesProject();
  const store = await openStore(`sqlite:///${trained.store}`, { baseDir: trained.base });
  const model = await loadModel(trained.modelUri, { store, cacheDir: join(trained.base, "cache") });
  await store.close();
  globalThis.addEventListener("unload", () => Deno.removeSync(trained.base, { recursive: true }));
  return { trained, model };
}
