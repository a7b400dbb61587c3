/**
 * One hand edit of the demo project at a time (a representative of each class of mistakes a mutation
 * sweep over kmlf.yml, conf/ and pipelines/ found unclear): kmlf's exit code and stderr are recorded in
 * tests/golden/mutants/<case>.txt. Each error must name the file:line:col of the edited key and the fix.
 */
import assert from "node:assert/strict";
import { assertGolden, demoProject, kmlf, normalize, REPO, UNTRACKED_CATALOG } from "../cli_harness.ts";

const SETTINGS = await Deno.readTextFile(`${REPO}/kmlf.yml`);
const TRAINING = await Deno.readTextFile(`${REPO}/pipelines/training.yml`);
const CATALOG = await Deno.readTextFile(`${REPO}/conf/base/catalog.yml`);
const INFERENCE = await Deno.readTextFile(`${REPO}/pipelines/inference.yml`);

interface Mutant {
  /** The edited file, its text before and after. */
  file: string;
  original: string;
  from: string;
  to: string;
  args: string[];
  /** The demo's own catalog and mlflow.yml (MLflow datasets), instead of the untracked catalog. */
  tracked?: boolean;
  /** The exit code: 2 (refused before running) unless a warning is enough. */
  exit?: number;
}

const MUTANTS: Record<string, Mutant> = {
  // A folder kmlf.yml names is missing: the error points at the kmlf.yml key, not at a folder.
  "default-env-folder-missing": {
    file: "kmlf.yml",
    original: SETTINGS,
    from: "default_env: local",
    to: "default_env: locl",
    args: ["run", "training"],
  },
  "conf-source-missing": {
    file: "kmlf.yml",
    original: SETTINGS,
    from: "conf_source: conf",
    to: "conf_source: cnf",
    args: ["catalog", "list"],
  },
  "pipelines-dir-missing-registry": {
    file: "kmlf.yml",
    original: SETTINGS,
    from: "pipelines_dir: pipelines",
    to: "pipelines_dir: pipeline",
    args: ["registry", "list"],
  },
  "pipelines-dir-missing-run": {
    file: "kmlf.yml",
    original: SETTINGS,
    from: "pipelines_dir: pipelines",
    to: "pipelines_dir: pipeline",
    args: ["run", "training"],
  },
  // A key that takes a shorthand or a mapping, given a mapping that is wrong inside: the inner key.
  "nested-dataset-type-null": {
    file: "conf/base/catalog.yml",
    original: CATALOG,
    from: "    type: pickle",
    to: "    type: null",
    args: ["run", "training"],
    tracked: true,
  },
  // A value of the wrong type: YAML's words (a mapping, a list), not the schema library's.
  "tags-given-a-mapping": {
    file: "pipelines/training.yml",
    original: TRAINING,
    from: "tags: [training]",
    to: "tags: {x: 1}",
    args: ["run", "training"],
  },
  // `${…}` in a pipeline file would silently name a dataset "${…}": pipeline files are not interpolated.
  "interpolation-in-pipeline-output": {
    file: "pipelines/training.yml",
    original: TRAINING,
    from: "outputs: predictions",
    to: "outputs: ${globals:predictions}",
    args: ["run", "training"],
  },
  // Kedro's dotted Python path where a module#export is expected: the hint shows the form.
  "python-dotted-func": {
    file: "pipelines/training.yml",
    original: TRAINING,
    from: "func: ./iris/nodes.ts#predict",
    to: "func: iris.nodes.predict",
    args: ["run", "training"],
  },
  // A problem between two files is reported at one of them; the other file's line is in the hint.
  "inference-extra-output": {
    file: "pipelines/inference.yml",
    original: INFERENCE,
    from: "outputs: instance_features",
    to: "outputs: [instance_features, extra]",
    args: ["run", "training"],
  },
  // A misspelt catalog key: the output it should save stays in memory and is lost (Kedro is silent).
  "catalog-key-typo-output-lost": {
    file: "conf/base/catalog.yml",
    original: UNTRACKED_CATALOG,
    from: "metrics:\n",
    to: "metric:\n",
    args: ["run", "training"],
    exit: 0,
  },
  // The same misspelling of an inference input's entry: the refusal names the entry to rename.
  "catalog-key-typo-inference-input": {
    file: "conf/base/catalog.yml",
    original: CATALOG,
    from: "model:\n",
    to: "mode:\n",
    args: ["run", "training"],
    tracked: true,
  },
  // `${…}` in kmlf.yml, which is read as written: the hint says so instead of "fix this value".
  "interpolation-in-settings": {
    file: "kmlf.yml",
    original: SETTINGS,
    from: "default_env: local",
    to: "default_env: ${env}",
    args: ["run", "training"],
  },
  // An empty string where a name is needed: write one, or drop the key.
  "empty-node-name": {
    file: "pipelines/training.yml",
    original: TRAINING,
    from: "name: predict\n",
    to: 'name: ""\n',
    args: ["run", "training"],
  },
};

for (const [name, m] of Object.entries(MUTANTS)) {
  Deno.test(`mutant "${name}": a clear error at the edited key (golden)`, async () => {
    assert.ok(m.original.includes(m.from), `${m.file} no longer contains ${JSON.stringify(m.from)}`);
    const dir = await demoProject({ [m.file]: m.original.replace(m.from, m.to) }, { tracked: m.tracked });
    try {
      const r = await kmlf(m.args, { cwd: dir });
      assert.equal(r.code, m.exit ?? 2, r.stderr);
      const editedLine = m.original.slice(0, m.original.indexOf(m.from)).split("\n").length;
      // The edited line is named: as the error's location, or in its hint when the error is elsewhere.
      assert.match(r.stderr, new RegExp(`${m.file.replace(/\./g, "\\.")}:${editedLine}:\\d+`));
      const text = `$ kmlf ${m.args.join(" ")}\nexit ${r.code}\n${normalize(r.stderr, dir)}`;
      await assertGolden(`mutants/${name}`, text);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
