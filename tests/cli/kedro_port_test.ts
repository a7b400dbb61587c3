/**
 * A Kedro + kedro-mlflow project ported the way the README's "Moving a Kedro project over" says: Kedro's
 * conf/ as the user has it (YAML anchors, a factory, a transcoded name, kedro_datasets.* and kedro_mlflow.io.*
 * types, SQL datasets on credentials, kedro-mlflow 0.14's mlflow.yml template, conf/logging.yml, an old
 * mlruns/ store), pyproject.toml left in place, kmlf.yml added, the spaceflights nodes in TypeScript.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { MlflowClient, openStore } from "../../lib/tracking/mod.ts";
import { kmlf, REPO, spawnKmlf } from "../cli_harness.ts";
import { spaceflightsProject } from "../spaceflights_project.ts";

const CATALOG = `_csv: &csv
  type: pandas.CSVDataset

companies:
  <<: *csv
  filepath: data/01_raw/companies.csv

reviews:
  type: kedro_datasets.pandas.CSVDataset
  filepath: data/01_raw/reviews.csv

shuttles:
  type: pandas.ExcelDataset
  filepath: data/01_raw/shuttles.xlsx
  load_args:
    engine: openpyxl

"preprocessed_{name}":
  type: pandas.ParquetDataset
  filepath: data/02_intermediate/preprocessed_{name}.parquet

model_input_table@pandas:
  type: pandas.ParquetDataset
  filepath: data/03_primary/model_input_table.parquet

regressor:
  type: kedro_mlflow.io.artifacts.MlflowArtifactDataset
  dataset:
    type: pickle.PickleDataset
    filepath: data/06_models/regressor.pickle

metrics:
  type: kedro_mlflow.io.metrics.MlflowMetricsHistoryDataset

shuttles_table:
  type: pandas.SQLTableDataset
  table_name: shuttles
  credentials: db_credentials
  save_args:
    if_exists: replace

shuttle_count:
  type: pandas.SQLQueryDataset
  filepath: queries/count.sql
  credentials: db_credentials
`;

const PIPELINE = `nodes:
  - name: split_data_node
    func: ./data_science/nodes.ts#splitData
    inputs: [model_input_table@pandas, params:model_options]
    outputs: [X_train, X_test, y_train, y_test]
  - name: train_model_node
    func: ./data_science/nodes.ts#trainModel
    inputs: [X_train, y_train]
    outputs: regressor
  - name: evaluate_model_node
    func: ./data_science/nodes.ts#evaluateModel
    inputs: [regressor, X_test, y_test]
    outputs: scores
  - name: log_metrics_node
    func: ./ported.ts#asMetricsHistory
    inputs: scores
    outputs: metrics
`;

const PORTED_NODES = `export function asMetricsHistory(scores: Record<string, number>) {
  return Object.fromEntries(Object.entries(scores).map(([k, v]) => [k, { value: v, step: 0 }]));
}
export const keep = (rows: unknown[]) => rows;
export const count = (rows: { n: number }[]) => rows[0].n;
`;

async function portedProject(): Promise<string> {
  const dir = await spaceflightsProject();
  const write = async (path: string, text: string) => {
    await Deno.mkdir(join(dir, path, ".."), { recursive: true });
    await Deno.writeTextFile(join(dir, path), text);
  };
  await write(
    "pyproject.toml",
    '[tool.kedro]\npackage_name = "spaceflights"\nproject_name = "spaceflights"\n',
  );
  await write("conf/base/catalog.yml", CATALOG);
  await write("conf/base/parameters.yml", "run_label: ${runtime_params:label, nightly}\n");
  await Deno.copyFile(
    new URL("../fixtures/kedro_port/mlflow.yml", import.meta.url),
    join(dir, "conf/base/mlflow.yml"),
  );
  await write(
    "conf/local/credentials.yml",
    "mlflow_creds:\n  MLFLOW_TRACKING_USERNAME: alice\ndb_credentials:\n  con: sqlite:///data/shuttles.db\n",
  );
  // Kedro's template: a rich console and a rotating logs/info.log.
  await write(
    "conf/logging.yml",
    await Deno.readTextFile(join(REPO, "tests/fixtures/kedro_port/logging.yml")),
  );
  await write("conf/README.md", "# What is this for?\n");
  await write("queries/count.sql", "SELECT count(*) AS n FROM shuttles");
  await write("pipelines/ported.ts", PORTED_NODES);
  await write("pipelines/data_science.yml", PIPELINE);
  const dp = await Deno.readTextFile(join(dir, "pipelines/data_processing.yml"));
  await write(
    "pipelines/data_processing.yml",
    dp.replace("outputs: model_input_table", "outputs: model_input_table@pandas"),
  );
  await write(
    "pipelines/sql.yml",
    "nodes:\n  - {name: to_sql, func: ./ported.ts#keep, inputs: preprocessed_shuttles, outputs: shuttles_table}\n",
  );
  await write(
    "pipelines/sql_read.yml",
    "nodes:\n  - {name: count_sql, func: ./ported.ts#count, inputs: shuttle_count, outputs: n}\n",
  );
  // A kedro-mlflow store of earlier runs (its default when mlflow_tracking_uri is null).
  await write("mlruns/0/meta.yaml", "experiment_id: '0'\nname: Default\n");
  return dir;
}

Deno.test("a Kedro + kedro-mlflow project ported as the README says runs, tracked, with its SQL and conf as is", async () => {
  const dir = await portedProject();
  try {
    const r = await kmlf(["run", "--pipelines", "data_processing,data_science,sql"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    // kedro-mlflow's null tracking URI is ./mlruns; kmlf's is mlflow.db: the old runs are said to be left.
    assert.match(
      r.stderr,
      /Note: runs of this project go to mlflow\.db, kmlf's default store .*the runs in mlruns\/, where kedro-mlflow logs by default, are not read\. Set server\.mlflow_tracking_uri: mlruns/,
    );
    assert.match(r.stderr, /at conf\/base\/mlflow\.yml:\d+:\d+ \(server\.mlflow_tracking_uri\)/);
    // Kedro's conf/logging.yml is carried out: Kedro's lines in logs/info.log.
    assert.match(r.stderr, /^Using 'conf\/logging\.yml' as logging configuration\./m);
    assert.match(
      await Deno.readTextFile(join(dir, "logs/info.log")),
      / - kedro\.io\.data_catalog - INFO - Loading data from companies \(CSVDataset\)\.\.\.\n/,
    );
    assert.doesNotMatch(r.stderr, /warning/i);
    const store = await openStore("mlflow.db", { baseDir: dir });
    try {
      const client = new MlflowClient(store);
      const experiment = await client.getExperimentByName("spaceflights");
      const [run] = (await client.searchRuns([experiment!.experimentId])).runs;
      assert.equal(run.info.status, "FINISHED");
      const metrics = run.data.metrics;
      assert.ok(metrics["metrics.r2_score"] > 0 && metrics["metrics.r2_score"] < 1, JSON.stringify(metrics));
      assert.deepEqual((await client.listArtifacts(run.info.runId)).map((f) => f.path).sort(), [
        "kmlf",
        "regressor.pickle",
      ]);
      assert.match(run.data.params.model_options, /"test_size":0\.2/);
    } finally {
      (store as { close?(): void }).close?.();
    }
    // The SQL table the run wrote reads back through the query file, on the same credentials.
    const read = await kmlf(["run", "-p", "sql_read", "--params", "label=manual", "--quiet"], { cwd: dir });
    assert.equal(read.code, 0, read.stderr);
    assert.doesNotMatch(read.stderr, /logging/, "--quiet prints no notes");
    // `kmlf mlflow ui` says it too, before serving the (new) store.
    const ui = spawnKmlf(["mlflow", "ui", "--port", "0"], { cwd: dir });
    const said = await ui.waitFor(/Note: runs of this project go to mlflow\.db[^\n]*\n.*\n/);
    ui.child.kill("SIGINT");
    await ui.finish();
    assert.match(said, /at conf\/base\/mlflow\.yml:\d+:\d+ \(server\.mlflow_tracking_uri\)/);
    // With the kedro-mlflow store named, the note goes.
    const yml = join(dir, "conf/base/mlflow.yml");
    await Deno.writeTextFile(
      yml,
      (await Deno.readTextFile(yml)).replace("mlflow_tracking_uri: null", "mlflow_tracking_uri: mlruns"),
    );
    const again = await kmlf(["run", "-p", "sql_read"], { cwd: dir });
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stderr, /Note: runs of this project go to mlflow\.db/);
    assert.match(again.stderr, /^Using 'conf\/logging\.yml' as logging configuration/m);
    // kedro-mlflow's INFO lines are under the template's root level (WARNING), as in Kedro; kmlf's notes are
    // warnings, on the terminal and in the file.
    assert.doesNotMatch(again.stderr, /MLflow run [0-9a-f]{32} started/);
    assert.match(
      await Deno.readTextFile(join(dir, "logs/info.log")),
      / - kedro_mlflow\.framework\.hooks\.mlflow_hook - WARNING - Note: runs of this project go to mlflow\.db/,
    );
    await Deno.remove(join(dir, "conf/logging.yml"));
    const removed = await kmlf(["run", "-p", "sql_read"], { cwd: dir });
    assert.doesNotMatch(removed.stderr, /logging/);
    assert.match(removed.stderr, /MLflow run [0-9a-f]{32} started/);
    const fromEnv = await kmlf(["run", "-p", "sql_read"], {
      cwd: dir,
      env: { KEDRO_LOGGING_CONFIG: "/etc/kedro/logging.yml" },
    });
    assert.equal(fromEnv.code, 2);
    assert.match(
      fromEnv.stderr,
      /error\[logging\/missing-config\]: .*\/etc\/kedro\/logging\.yml is not a file/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
