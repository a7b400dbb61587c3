/**
 * Problems known before any node runs are reported before a tracked run is started (no FAILED run is
 * left behind for them): a missing `params:` value, filters (`--from-nodes`, `--nodes`) that leave out
 * the node making an in-memory input. A memory input given data by a hook is fine. Nothing reaches stdout
 * for them: the "Running pipeline" banner comes once the checks passed.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { MlflowClient, openStore } from "../../lib/tracking/mod.ts";
import { demoProject, kmlf, REPO } from "../cli_harness.ts";

const TRAINING = await Deno.readTextFile(join(REPO, "pipelines/training.yml"));

async function runsIn(dir: string): Promise<number> {
  const store = await openStore("mlflow.db", { baseDir: dir });
  try {
    const exp = await new MlflowClient(store).getExperimentByName("iris");
    return exp
      ? (await store.searchRuns({ experimentIds: [exp.experimentId], runViewType: "ALL" })).runs.length
      : 0;
  } finally {
    await store.close();
  }
}

const CASES: { what: string; files?: Record<string, string>; args: string[]; codes: RegExp[] }[] = [
  {
    what: "--from-nodes past the node making two in-memory inputs",
    args: ["--from-nodes", "predict"],
    codes: [
      /error\[runner\/input-not-persisted\]: Input "X_test" of node "predict" has no data: .* made by node "split_data"/,
      /error\[runner\/input-not-persisted\]: Input "y_test" of node "report_accuracy"/,
    ],
  },
  {
    what: "--nodes naming no node of the pipeline",
    args: ["--nodes", "no_such_node"],
    codes: [/error\[pipeline\/unknown-node\]: Pipeline "training" has no node named "no_such_node"/],
  },
  {
    what: "--nodes picking a node whose input is made by another",
    args: ["--nodes", "train_model"],
    codes: [/error\[runner\/input-not-persisted\]: Input "X_train" .* "split_data"/],
  },
  {
    what: "--namespaces leaving out the node making an input two namespaced copies read",
    files: {
      "pipelines/parts/score.yml":
        "nodes:\n  - name: predict\n    func: ../iris/nodes.ts#predict\n    inputs: [model, X]\n    outputs: p\n",
      "pipelines/training.yml": TRAINING.replace(
        "nodes:\n",
        "nodes:\n  - { pipeline: ./parts/score.yml, namespace: a, inputs: { model: model, X: X_test } }\n" +
          "  - { pipeline: ./parts/score.yml, namespace: b, inputs: { model: model, X: X_test } }\n",
      ),
    },
    args: ["--namespaces", "a,b"],
    codes: [
      /error\[runner\/input-not-persisted\]: Input "X_test" of nodes "a\.predict", "b\.predict" has no data: .* made by node "split_data"/,
    ],
  },
  {
    what: "a params: value that is not defined",
    files: { "pipelines/training.yml": TRAINING.replace("params:target", "params:no_such_param") },
    args: [],
    codes: [/error\[runner\/unknown-parameter\]: Parameter "no_such_param"/],
  },
  {
    what: "outputs matched by factory patterns whose entries are broken (a missing argument, credentials)",
    files: {
      "pipelines/training.yml": TRAINING.replace("outputs: predictions", "outputs: predictions_csv")
        .replace("[predictions, y_test]", "[predictions_csv, y_test]")
        .replace("outputs: metrics", "outputs: metrics_db"),
      "conf/base/catalog_patterns.yml": [
        '"{name}_csv":',
        "  type: csv",
        '"{name}_db":',
        "  type: sqlite_table",
        "  table_name: t",
        "  filepath: data/t.db",
        '  credentials: "{name}_creds"',
        "",
      ].join("\n"),
    },
    args: [],
    codes: [
      /error\[catalog\/unknown-credentials\]: Unable to find credentials "metrics_creds" used by catalog entry "\{name\}_db"/,
      /error\[catalog\/bad-argument\]: Missing key "\{name\}_csv\.filepath" in dataset "predictions_csv" \(csv\)/,
    ],
  },
  {
    what: "a transcoded dataset written and read in two forms that are kept in memory",
    files: {
      "pipelines/training.yml": TRAINING.replace("outputs: predictions", "outputs: predictions@rows")
        .replace("[predictions, y_test]", "[predictions@table, y_test]"),
    },
    args: [],
    codes: [
      /error\[runner\/transcoded-in-memory\]: Input "predictions@table" of node "report_accuracy" is written as "predictions@rows" by node "predict", but "predictions@rows" and "predictions@table" are kept in memory/,
    ],
  },
  {
    what: "params: prefixed by an include's namespace",
    files: {
      "pipelines/split_part.yml": "nodes:\n  - name: split_data\n    func: ./iris/nodes.ts#splitData\n" +
        "    inputs: [iris, params:split, params:target]\n    outputs: [X_train, y_train, X_test, y_test]\n",
      "pipelines/training.yml":
        "nodes:\n  - pipeline: ./split_part.yml\n    namespace: ns\n    inputs: [iris]\n" +
        "    parameters: [target]\n",
    },
    args: [],
    codes: [
      /error\[runner\/unknown-parameter\]: Parameter "ns\.split" used by node "ns\.split_data" is not defined\n.*\n {2}hint: namespace "ns" turned params:split into params:ns\.split: add parameters: \[split\] to the pipeline include/,
    ],
  },
  {
    what: "a free input and params: of an include nested in another, each prefixed by the outer namespace",
    files: {
      "pipelines/split_part.yml": "nodes:\n  - name: split_data\n    func: ./iris/nodes.ts#splitData\n" +
        "    inputs: [iris, params:split, params:target]\n    outputs: [X_train, y_train, X_test, y_test]\n",
      "pipelines/mid.yml":
        "nodes:\n  - pipeline: ./split_part.yml\n    namespace: inner\n    parameters: [target]\n",
      "pipelines/training.yml": "nodes:\n  - pipeline: ./mid.yml\n    namespace: outer\n",
    },
    args: [],
    codes: [
      /error\[runner\/missing-input\]: Input "outer\.inner\.iris" of node "outer\.inner\.split_data" is not produced by any node and not declared in the catalog\n.*\n {2}hint: namespace "outer" turned input "inner\.iris" of the included pipeline into "outer\.inner\.iris": map it on the include at pipelines\/training\.yml:2:5 \(inputs: \{ inner\.iris: <dataset> \}\)/,
      /error\[runner\/unknown-parameter\]: Parameter "outer\.target" .*\n.*\n {2}hint: namespace "outer" turned params:target into params:outer\.target: add parameters: \[target\] to the pipeline include that sets namespace: outer \(at pipelines\/training\.yml:2:5\)/,
    ],
  },
  {
    what: "confirms: naming an unknown dataset, or one without confirm()",
    files: {
      "pipelines/training.yml": TRAINING.replace(
        "    tags: [preprocessing]",
        "    tags: [preprocessing]\n    confirms: [X_train, no_such_dataset]",
      ),
    },
    args: [],
    codes: [
      /error\[catalog\/no-confirm\]: Dataset "X_train" confirmed by node "split_data" \(MemoryDataset\) has no confirm\(\) method\n {2}at pipelines\/training\.yml:\d+:\d+ \(nodes\[0\]\.confirms\[0\]\)/,
      /error\[catalog\/unknown-dataset\]: Dataset "no_such_dataset" confirmed by node "split_data" is not in the catalog/,
    ],
  },
];

for (const c of CASES) {
  Deno.test(`${c.what}: reported before a tracked run starts, exit 2, no run recorded`, async () => {
    const dir = await demoProject(c.files ?? {}, { tracked: true });
    try {
      const r = await kmlf(["run", "training", ...c.args], { cwd: dir });
      assert.equal(r.code, 2, r.stderr);
      for (const code of c.codes) assert.match(r.stderr, code);
      assert.doesNotMatch(r.stderr, /MLflow run [0-9a-f]{32} started/);
      // No "Running pipeline …" banner announces a run that never started.
      assert.equal(r.stdout, "", "nothing on stdout before a refusal");
      assert.equal(await runsIn(dir), 0);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("an in-memory input that a hook filled before the run is not refused", async () => {
  const dir = await demoProject({
    "kmlf.yml": "name: iris\ndefault_env: local\nhooks: [./hooks.ts#fill]\n",
    "hooks.ts": `export const fill = {
  async afterCatalogCreated({ catalog }: { catalog: { save(n: string, d: unknown): Promise<void> } }) {
    await catalog.save("X_test", [[5.1, 3.5, 1.4, 0.2]]);
    await catalog.save("y_test", ["setosa"]);
  },
};
`,
  });
  try {
    const r = await kmlf(["run", "training", "--from-nodes", "predict"], { cwd: dir });
    assert.doesNotMatch(r.stderr, /input-not-persisted/, r.stderr);
    assert.match(r.stdout, /▶ predict/, "the run started");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
