/**
 * Every bad configuration of the three Mlflow model datasets, and of custom flavor classes, is reported
 * before a run (`kmlf catalog validate`, all problems at once) with the file, the key and the fix; saving
 * to the load-only registry dataset fails with kedro-mlflow's explanation. Golden files:
 * tests/golden/errors/model-dataset-*.txt.
 */
import assert from "node:assert/strict";
import { assertGolden, demoProject, kmlf, normalize } from "../cli_harness.ts";

const CASES: Record<string, { catalog: string[]; files?: Record<string, string>; args?: string[] }> = {
  "model-dataset-tracking": {
    catalog: [
      "no_flavor: {type: mlflow_model_tracking}",
      "python_flavor: {type: mlflow_model_tracking, flavor: mlflow.sklearn}",
      "pyfunc: {type: MlflowModelTrackingDataset, flavor: kmlf, pyfunc_workflow: python_model}",
      "typo_flavor: {type: mlflow_model_tracking, flavor: js_valeu}",
      "bad_name: {type: mlflow_model_tracking, flavor: js_value, save_args: {name: ../up}}",
      "bad_registered_name: {type: mlflow_model_tracking, flavor: js_value, save_args: {registered_model_name: a/b}}",
      "padded_registered_name: {type: mlflow_model_tracking, flavor: js_value, save_args: {registered_model_name: ' iris'}}",
      "python_env: {type: mlflow_model_tracking, flavor: js_value, save_args: {conda_env: {python: '3.11'}}}",
      "typo_save_arg: {type: mlflow_model_tracking, flavor: js_value, save_args: {serialisation: v8}}",
      "bad_signature: {type: mlflow_model_tracking, flavor: js_value, save_args: {signature: {inputs: [{name: x, type: float64}]}}}",
      "bad_uri: {type: mlflow_model_tracking, flavor: js_value, load_args: {model_uri: 'models:/iris'}}",
      // kedro-mlflow 0.12–1.x's spellings are taken; both spellings of one argument are refused.
      "both_names: {type: mlflow_model_tracking, flavor: js_value, artifact_path: m, save_args: {name: n}}",
      "both_save_names: {type: mlflow_model_tracking, flavor: js_value, save_args: {artifact_path: m, name: n}}",
      "both_sources: {type: MlflowModelTrackingDataset, flavor: js_value, run_id: abc, load_args: {model_uri: 'runs:/abc/m'}}",
      "bad_run_id: {type: mlflow_model_tracking, flavor: js_value, run_id: '../x'}",
    ],
  },
  "model-dataset-local": {
    catalog: [
      "no_filepath: {type: mlflow_model_local, flavor: js_value}",
      "log_args: {type: MlflowModelLocalFileSystemDataset, flavor: js_value, filepath: data/m, log_args: {}}",
      "kmlf_save_args: {type: mlflow_model_local, flavor: kmlf, filepath: data/m, save_args: {serialization: v8}}",
      "bad_versioned: {type: mlflow_model_local, flavor: js_value, filepath: data/m, versioned: yes please}",
    ],
  },
  "model-dataset-registry": {
    catalog: [
      "both: {type: mlflow_model_registry, model_name: iris, alias: champion, stage_or_version: 2}",
      "bad_stage: {type: mlflow_model_registry, model_name: iris, stage_or_version: Prod}",
      "no_name: {type: MlflowModelRegistryDataset, alias: champion}",
      "slash_name: {type: mlflow_model_registry, model_name: team/iris}",
      "bad_alias: {type: mlflow_model_registry, model_name: iris, alias: 'champ ion'}",
    ],
  },
  "model-dataset-flavor-class": {
    catalog: [
      "no_class: {type: mlflow_model_tracking, flavor: ./flavors/half.ts}",
      "missing_module: {type: mlflow_model_tracking, flavor: ./flavors/onnx.ts#OnnxFlavor}",
      "missing_export: {type: mlflow_model_tracking, flavor: ./flavors/half.ts#Half}",
      "not_a_class: {type: mlflow_model_tracking, flavor: ./flavors/half.ts#notAClass}",
      "incomplete: {type: mlflow_model_tracking, flavor: ./flavors/half.ts#NoLoad}",
      "bad_flavor_name: {type: mlflow_model_tracking, flavor: ./flavors/half.ts#Spaced}",
      "broken_module: {type: mlflow_model_tracking, flavor: ./flavors/broken.ts#Broken}",
    ],
    files: {
      "flavors/half.ts": [
        "export class NoLoad { save() {} }",
        'export class Spaced { name = "my flavor"; save() {} load() {} }',
        "export const notAClass = () => 1;",
        "",
      ].join("\n"),
      "flavors/broken.ts": 'import "./nowhere.ts";\nexport class Broken {}\n',
    },
  },
  "model-dataset-registry-save": {
    catalog: ["champion: {type: mlflow_model_registry, model_name: iris, alias: champion, flavor: js_value}"],
    files: {
      "pipelines/promote.yml":
        "nodes:\n  - name: make\n    func: ./promote.ts#make\n    inputs: []\n    outputs: champion\n",
      "pipelines/promote.ts": "export function make() {\n  return { threshold: 1 };\n}\n",
    },
    args: ["run", "promote"],
  },
};

for (const [name, c] of Object.entries(CASES)) {
  Deno.test(`model dataset configuration errors are reported with file, key and fix (golden ${name})`, async () => {
    const dir = await demoProject({ "conf/base/catalog.yml": c.catalog.join("\n") + "\n", ...c.files }, {
      tracked: true,
    });
    try {
      const args = c.args ?? ["catalog", "validate"];
      const r = await kmlf(args, { cwd: dir });
      assert.notEqual(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /error\[internal\]|lib\/mlflow\//, r.stderr);
      await assertGolden(
        `errors/${name}`,
        `$ kmlf ${args.join(" ")}\nexit ${r.code}\n${
          normalize(r.stderr, dir).replace(/run [0-9a-f]{32}/g, "run <run>")
        }`,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
