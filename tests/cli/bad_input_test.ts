/**
 * Golden files for what users see when they get something wrong: each case breaks a copy of the
 * demo project in one way and records kmlf's exit code and stderr (tests/golden/errors/<case>.txt).
 */
import { assertGolden, demoProject, kmlf, normalize, UNTRACKED_CATALOG } from "../cli_harness.ts";

const NODES = "pipelines/iris/nodes.ts";
const TRAINING = "pipelines/training.yml";
const CATALOG = "conf/base/catalog.yml";
const PARAMS = "conf/base/parameters.yml";

interface Case {
  files?: Record<string, string | null>;
  args: string[];
  env?: Record<string, string>;
  cwd?: (dir: string) => string;
}

const training = await Deno.readTextFile(new URL(`../../${TRAINING}`, import.meta.url));
const catalog = UNTRACKED_CATALOG;
const params = await Deno.readTextFile(new URL(`../../${PARAMS}`, import.meta.url));

const CASES: Record<string, Case> = {
  "yaml-syntax-pipeline": {
    files: {
      [TRAINING]: training.replace(
        "inputs: [iris, params:split, params:target]",
        "inputs: [iris, params:split",
      ),
    },
    args: ["run", "training"],
  },
  "yaml-syntax-catalog": {
    files: {
      [CATALOG]: catalog.replace(
        "type: csv\n  filepath: data/01_raw/iris.csv",
        "type: csv\n filepath: data/01_raw/iris.csv",
      ),
    },
    args: ["run", "training"],
  },
  "yaml-alias-bomb": {
    files: {
      [PARAMS]: params + "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" +
        Array.from(
          { length: 9 },
          (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(", ")}]\n`,
        )
          .join(""),
    },
    args: ["run", "training"],
  },
  "yaml-too-deep": {
    files: { [TRAINING]: training + "deep: " + "[".repeat(3000) + "]".repeat(3000) + "\n" },
    args: ["run", "training"],
  },
  "yaml-duplicate-key": { files: { [PARAMS]: params + "target: kind\n" }, args: ["run", "training"] },
  "unknown-node-key": {
    files: { [TRAINING]: training.replace("    tags: [preprocessing]", "    tag: [preprocessing]") },
    args: ["run", "training"],
  },
  "bad-func-ref": {
    files: { [TRAINING]: training.replace("./iris/nodes.ts#splitData", "./iris/nodes.ts") },
    args: ["run", "training"],
  },
  "missing-module": {
    files: { [TRAINING]: training.replace("./iris/nodes.ts#splitData", "./iris/node.ts#splitData") },
    args: ["run", "training"],
  },
  "missing-export": {
    files: { [TRAINING]: training.replace("#splitData", "#splitDta") },
    args: ["run", "training"],
  },
  "export-not-function": {
    files: {
      [NODES]: "export const splitData = 3;\nexport * from './real.ts';\n",
      "pipelines/iris/real.ts": (await Deno.readTextFile(new URL(`../../${NODES}`, import.meta.url))).replace(
        /export function splitData[\s\S]*?\n}\n/,
        "",
      ),
    },
    args: ["run", "training"],
  },
  "module-syntax-error": { files: { [NODES]: "export function splitData( {\n" }, args: ["run", "training"] },
  "catalog-env-entry-replaces-base": {
    files: { "conf/local/catalog.yml": 'iris:\n  load_args:\n    sep: ","\n' },
    args: ["run", "training"],
  },
  "catalog-env-entry-replaces-base-filepath": {
    files: { "conf/local/catalog.yml": "model:\n  type: pickle\n" },
    args: ["run", "training"],
  },
  "module-throws-at-import": {
    files: {
      [NODES]: 'function check(): never {\n  throw new Error("MODEL_DIR is not set");\n}\ncheck();\n',
    },
    args: ["run", "training"],
  },
  "hooks-module-throws-at-import": {
    files: {
      "kmlf.yml": "name: iris\ndefault_env: local\nhooks: [./hooks.ts#hooks]\n",
      "hooks.ts":
        'const token = undefined as string | undefined;\nif (!token) throw new Error("no token");\nexport const hooks = {};\n',
    },
    args: ["run", "training"],
  },
  "too-many-inputs": {
    files: {
      [TRAINING]: training.replace("inputs: [predictions, y_test]", "inputs: [predictions, y_test, X_test]"),
    },
    args: ["run", "training"],
  },
  "duplicate-node-name": {
    files: { [TRAINING]: training.replace("- name: predict\n", "- name: split_data\n") },
    args: ["run", "training"],
  },
  "duplicate-output": {
    files: { [TRAINING]: training.replace("outputs: predictions", "outputs: metrics") },
    args: ["run", "training"],
  },
  "cycle": {
    files: {
      [TRAINING]: training.replace(
        "inputs: [iris, params:split, params:target]",
        "inputs: [metrics, params:split, params:target]",
      ),
    },
    args: ["run", "training"],
  },
  "missing-input": {
    files: {
      [TRAINING]: training.replace(
        "inputs: [iris, params:split, params:target]",
        "inputs: [irs, params:split, params:target]",
      ),
    },
    args: ["run", "training"],
  },
  "unknown-parameter": {
    files: { [TRAINING]: training.replace("params:target", "params:targt") },
    args: ["run", "training"],
  },
  "unknown-pipeline": { args: ["run", "trainig"] },
  "unknown-dataset-type": {
    files: { [CATALOG]: catalog.replace("type: pickle", "type: pikle") },
    args: ["run", "training"],
  },
  "unknown-dataset-argument": {
    files: {
      [CATALOG]: catalog.replace(
        "filepath: data/06_models/model.pkl",
        "filepath: data/06_models/model.pkl\n  save_arg: {}",
      ),
    },
    args: ["run", "training"],
  },
  "catalog-entry-not-mapping": {
    files: { [CATALOG]: catalog + "\nbroken: data/x.csv\n" },
    args: ["catalog", "validate"],
  },
  "catalog-missing-type": {
    files: { [CATALOG]: catalog + "\nuntyped:\n  filepath: data/x.csv\n" },
    args: ["catalog", "validate"],
  },
  "missing-credentials": {
    files: {
      [CATALOG]: catalog +
        "\nwarehouse:\n  type: sqlite_table\n  table_name: t\n  filepath: data/db.sqlite\n  credentials: dwh\n",
    },
    args: ["catalog", "validate"],
  },
  // Kedro's lazy catalog: an entry the run does not use may be broken; it is reported, once, as a warning.
  "unused-entry-warns": {
    files: {
      [CATALOG]: catalog +
        "\nshuttles:\n  type: pandas.ExcelDatasett\n  filepath: data/01_raw/shuttles.xlsx\n" +
        "\nreport:\n  type: json\n  filepath: data/08_reporting/report.json\n  save_args: {indnt: 2, sort: true}\n",
    },
    args: ["run", "training", "--quiet"],
  },
  // Kedro warns that an entry's credentials do not reach a dataset with its own, and goes on.
  "credentials-set-twice": {
    files: {
      [CATALOG]: catalog +
        "\nparts:\n  type: partitioned\n  path: data/05_model_input/parts\n  credentials: {token: a}\n" +
        "  dataset: {type: json, credentials: {token: b}}\n",
    },
    args: ["catalog", "validate"],
  },
  // A run warns too: for a declared entry it does not use, and for a pattern's dataset it does, once built.
  "credentials-set-twice-run": {
    files: {
      [CATALOG]: catalog +
        "\nparts:\n  type: partitioned\n  path: data/05_model_input/parts\n  credentials: {token: a}\n" +
        "  dataset: {type: json, credentials: {token: b}}\n" +
        '"{name}_parts":\n  type: partitioned\n  path: data/05_model_input/{name}\n  credentials: {token: a}\n' +
        "  dataset: {type: text, credentials: {token: b}}\n",
      "pipelines/parts.yml": "nodes:\n  - func: ./parts.ts#make\n    inputs: []\n    outputs: day_parts\n",
      "pipelines/parts.ts": 'export function make() {\n  return { a: "1" };\n}\n',
    },
    args: ["run", "parts", "--quiet"],
  },
  "run-config-file-unknown-key": {
    files: { "run.yml": "run:\n  tags: [training]\n  namespace: dp\n" },
    args: ["run", "-c", "run.yml"],
  },
  // Kedro reads a run config file's conf_source as written: ~ and C:\ are refused at their line.
  "run-config-file-foreign-conf-source": {
    files: {
      "run.yml": "run:\n  tags: [training]\n  conf_source: '~/conf'\n",
      "~/conf/base/catalog.yml": "{}\n",
    },
    args: ["run", "-c", "run.yml"],
  },
  "conf-source-foreign": { args: ["run", "training", "--conf-source=~/conf"] },
  "conf-source-archive": {
    files: { "conf.tar.gz": "not really an archive" },
    args: ["run", "training", "--conf-source", "conf.tar.gz"],
  },
  "conf-source-url": { args: ["run", "training", "--conf-source", "https://example.com/conf-iris.tar.gz"] },
  "bad-params": { args: ["run", "training", "--params", "model.n_iter"] },
  "bad-load-versions": { args: ["run", "training", "--load-versions", "model"] },
  "load-version-unknown-dataset": {
    args: ["run", "training", "--load-versions", "modl:2024-01-01T00.00.00.000Z"],
  },
  "load-versions-twice": {
    args: [
      "run",
      "training",
      "--load-versions",
      "model:2024-01-01T00.00.00.000Z,model:2024-02-01T00.00.00.000Z",
    ],
  },
  // A pin no version was ever saved under fails before the run starts (not at the node reading it).
  "load-version-never-saved": {
    files: {
      [CATALOG]: catalog.replace(
        "filepath: data/06_models/model.pkl",
        "filepath: data/06_models/model.pkl\n  versioned: true",
      ),
    },
    args: ["run", "inference", "--load-versions", "model:2024-01-01T00.00.00.000Z"],
  },
  "pipeline-bad-transcoding": {
    files: { [TRAINING]: training.replace("outputs: predictions", "outputs: predictions@csv@json") },
    args: ["run", "training"],
  },
  "credentials-not-a-mapping": {
    files: {
      [CATALOG]: catalog.replace(
        "filepath: data/01_raw/iris.csv",
        "filepath: data/01_raw/iris.csv\n  credentials: dwh",
      ),
      "conf/local/credentials.yml": "dwh: hunter2-do-not-print\n",
    },
    args: ["run", "training"],
  },
  "catalog-cached-dataset": {
    files: {
      [CATALOG]: catalog.replace("iris:\n  type: csv", "iris:\n  type: kedro.io.CachedDataset"),
    },
    args: ["run", "training"],
  },
  // kedro-mlflow 0.7's docs wrap with `data_set:` (taken as dataset:); giving both is one error naming both.
  "catalog-renamed-data-set-key": {
    files: {
      [CATALOG]: catalog.replace(
        "model:\n  type: pickle\n  filepath: data/06_models/model.pkl",
        "model:\n  type: kedro_mlflow.io.artifacts.MlflowArtifactDataset\n  data_set:\n" +
          "    type: pickle\n    filepath: data/06_models/model.pkl\n  dataset: {type: pickle, filepath: data/m.pkl}",
      ),
    },
    args: ["run", "training"],
  },
  "missing-env-folder": { args: ["run", "training", "--env", "prod"] },
  "env-typo": { args: ["run", "training", "-e", "lcal"] },
  "missing-env-from-variable": { args: ["run", "training"], env: { KMLF_ENV: "staging" } },
  "missing-base-folder": { files: { [CATALOG]: null, [PARAMS]: null }, args: ["run", "training"] },
  "duplicate-key-two-files": {
    files: { "conf/base/parameters_extra.yml": "model:\n  n_iter: 10\n" },
    args: ["run", "training"],
  },
  "interpolation-missing-key": {
    files: { [PARAMS]: params + "copy: ${modl.n_iter}\n" },
    args: ["run", "training"],
  },
  "env-resolver-outside-credentials": {
    files: { [PARAMS]: params + "home: ${env:HOME}\n" },
    args: ["run", "training"],
  },
  "runtime-param-missing": {
    files: { [PARAMS]: params + "seed: ${runtime_params:seed}\n" },
    args: ["run", "training"],
  },
  "settings-unknown-key": {
    files: { "kmlf.yml": "name: iris\ndefualt_env: local\n" },
    args: ["run", "training"],
  },
  "settings-missing-name": { files: { "kmlf.yml": "default_env: local\n" }, args: ["run", "training"] },
  "project-not-found": { args: ["run", "training"], cwd: () => "/" },
  "from-nodes-not-persisted": { args: ["run", "training", "--from-nodes", "predict"] },
  "unknown-node-filter": { args: ["run", "training", "--nodes", "train"] },
  "empty-after-filters": { args: ["run", "training", "--tags", "training", "--nodes", "predict"] },
  "tag-typo": { args: ["run", "training", "-t", "trainig"] },
  "node-raises": {
    files: { [PARAMS]: params.replace("test_fraction: 0.3", "test_fraction: 3") },
    args: ["run", "training"],
  },
  "node-bad-return": {
    files: { [TRAINING]: training.replace("outputs: predictions", "outputs: {predictions: predictions}") },
    args: ["run", "training"],
  },
  "failure-resume-hint": {
    files: {
      [TRAINING]: training.replace("./iris/nodes.ts#reportAccuracy", "./iris/broken.ts#reportAccuracy"),
      "pipelines/iris/broken.ts":
        "export function reportAccuracy(_p: unknown, _y: unknown) {\n  throw new Error('metrics service unavailable');\n}\n",
    },
    args: ["run", "training"],
  },
  "unknown-command-flag": { args: ["run", "training", "--node", "predict"] },
};

for (const [name, c] of Object.entries(CASES)) {
  Deno.test(`bad input "${name}" gives a clear error (golden)`, async () => {
    const dir = await demoProject(c.files ?? {});
    try {
      const r = await kmlf(c.args, { cwd: c.cwd ? c.cwd(dir) : dir, env: c.env });
      const text = `$ kmlf ${c.args.join(" ")}\nexit ${r.code}\n${normalize(r.stderr, dir)}`;
      await assertGolden(`errors/${name}`, text);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
