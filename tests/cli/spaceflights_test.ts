/**
 * Kedro's spaceflights-pandas starter moved to kmlf (tests/fixtures/spaceflights/project): its catalog
 * (Excel, CSV, Parquet, pickle, Plotly, images), its pipelines in YAML, its nodes in TypeScript.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { previewKind } from "../../lib/server/ui/src/artifacts.js";
import { createRequestHandler } from "../../lib/server/mod.ts";
import { MlflowClient, openStore } from "../../lib/tracking/mod.ts";
import { kmlf } from "../cli_harness.ts";
import { spaceflightsProject as spaceflights } from "../spaceflights_project.ts";

async function parquetTypes(path: string): Promise<Record<string, string>> {
  const { parquetMetadata } = await import("hyparquet");
  const schema = parquetMetadata(await Deno.readFile(path)).schema.slice(1);
  return Object.fromEntries(schema.map((e) => [e.name, String(e.type)]));
}

const METRICS_JSON = "metrics:\n  type: json\n  filepath: data/09_tracking/metrics.json\n";

Deno.test("spaceflights: data_processing runs while data_science still has an entry of a type kmlf lacks", async () => {
  const dir = await spaceflights();
  try {
    const dp = await kmlf(["run", "--pipeline", "data_processing"], { cwd: dir });
    assert.equal(dp.code, 0, dp.stderr);
    // One warning, for the one broken entry, with the error's precise wording and location.
    assert.equal(dp.stderr.match(/^warning\[/gm)?.length, 1, dp.stderr);
    assert.match(
      dp.stderr,
      /warning\[catalog\/unknown-type\]: Unknown dataset type "tracking.MetricsDataset" for "metrics"/,
    );
    assert.match(dp.stderr, /at conf\/base\/catalog.yml:\d+:9 \(metrics.type\)/);
    assert.match(dp.stderr, /use mlflow_metrics_history/);
    // Kedro's schema for the model input table: float64 stays DOUBLE, int64 is INT64, no index column.
    const types = await parquetTypes(join(dir, "data/03_primary/model_input_table.parquet"));
    assert.equal(Object.keys(types).length, 27);
    assert.equal(types.review_scores_rating, "DOUBLE");
    assert.equal(types.engines, "DOUBLE");
    assert.equal(types.passenger_capacity, "INT64");
    assert.equal(types.iata_approved, "BOOLEAN");
    // The entry is needed by data_science: there it is an error, and `catalog validate` reports it too.
    const ds = await kmlf(["run", "-p", "data_science"], { cwd: dir });
    assert.equal(ds.code, 2);
    assert.match(ds.stderr, /error\[catalog\/unknown-type\]: Unknown dataset type "tracking.MetricsDataset"/);
    const validate = await kmlf(["catalog", "validate"], { cwd: dir });
    assert.equal(validate.code, 2);
    assert.match(validate.stderr, /"metrics"/);
    // Replaced in conf/local (the env replaces base's entry), data_science and reporting run.
    await Deno.writeTextFile(join(dir, "conf/local/catalog.yml"), METRICS_JSON);
    assert.equal((await kmlf(["catalog", "validate"], { cwd: dir })).code, 0);
    const science = await kmlf(["run", "-p", "data_science", "-q"], { cwd: dir });
    assert.equal(science.code, 0, science.stderr);
    assert.doesNotMatch(science.stderr, /warning/);
    const metrics = JSON.parse(await Deno.readTextFile(join(dir, "data/09_tracking/metrics.json")));
    assert.ok(metrics.r2_score > 0 && metrics.r2_score < 1, JSON.stringify(metrics));
    const reporting = await kmlf(["run", "-p", "reporting", "-q"], { cwd: dir });
    assert.equal(reporting.code, 0, reporting.stderr);
    const latest = (path: string) => {
      const versions = [...Deno.readDirSync(join(dir, path))].map((e) => e.name).sort();
      return join(dir, path, versions.at(-1)!, path.split("/").at(-1)!);
    };
    const figure = JSON.parse(
      await Deno.readTextFile(latest("data/08_reporting/shuttle_passenger_capacity_plot_exp.json")),
    );
    assert.equal(figure.data[0].type, "bar");
    assert.equal(figure.data[0].orientation, "h");
    assert.deepEqual(figure.layout.xaxis.title, { text: "Shuttles" });
    assert.deepEqual(figure.layout.title, { text: "Shuttle Passenger capacity" });
    const svg = await Deno.readTextFile(latest("data/08_reporting/dummy_confusion_matrix.svg"));
    assert.match(svg, /^<svg/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("spaceflights: a tracked image artifact is logged, served as an image and previewed by the UI", async () => {
  const dir = await spaceflights();
  try {
    await Deno.writeTextFile(
      join(dir, "conf/local/catalog.yml"),
      METRICS_JSON +
        "dummy_confusion_matrix:\n  type: mlflow_artifact\n  artifact_path: plots\n  dataset:\n" +
        "    type: matplotlib.MatplotlibDataset\n    filepath: data/08_reporting/dummy_confusion_matrix.svg\n",
    );
    assert.equal((await kmlf(["mlflow", "init", "--env", "base"], { cwd: dir })).code, 0);
    const run = await kmlf(["run", "--pipelines", "data_processing,reporting", "-q"], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const store = await openStore("mlflow.db", { baseDir: dir });
    try {
      const client = new MlflowClient(store);
      const experiment = await client.getExperimentByName("spaceflights");
      const [tracked] = (await client.searchRuns([experiment!.experimentId])).runs;
      const listing = await client.listArtifacts(tracked.info.runId, "plots");
      assert.deepEqual(listing.map((f) => f.path), ["plots/dummy_confusion_matrix.svg"]);
      const handle = createRequestHandler(store, { artifactsDestination: join(dir, "mlartifacts") });
      const url =
        `http://localhost/get-artifact?run_uuid=${tracked.info.runId}&path=plots/dummy_confusion_matrix.svg`;
      const res = await handle(new Request(url));
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "image/svg+xml");
      assert.match(await res.text(), /^<svg/);
      assert.equal(previewKind("plots/dummy_confusion_matrix.svg"), "image");
    } finally {
      (store as { close?(): void }).close?.();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
