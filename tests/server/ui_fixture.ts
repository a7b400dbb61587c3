/**
 * A tracking store for UI tests: two real tracked runs of the demo's training pipeline (so runs carry
 * kmlf's tags, metrics with steps and kmlf/pipeline.json) that used the dataset "iris", a run with a
 * 1000-point metric history and text/code/CSV/HTML/PDF/image artifacts, a child run, a run whose name,
 * description, tag and dataset are HTML injection attempts, and in a second experiment ("namespaces") a
 * tracked run of a pipeline made of two namespaced copies of the training pipeline.
 * Run directly to browse it: `deno run -A tests/server/ui_fixture.ts [port]`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { MlflowClient, openStore, type TrackingStore } from "../../lib/tracking/mod.ts";
import { createRequestHandler } from "../../lib/server/mod.ts";
import { demoProject, kmlf } from "../cli_harness.ts";

/** The run name that must render as text. */
export const XSS_NAME = `<img src=x onerror="document.body.dataset.pwned='1'">`;
/** Markdown with HTML and a javascript: link: the description must show text and no such link. */
export const XSS_NOTE = [
  "# Notes <script>document.body.dataset.pwned='1'</script>",
  "",
  `Some **bold** text and <img src=x onerror="document.body.dataset.pwned='1'"> inline HTML.`,
  "",
  "- [a safe link](https://mlflow.org)",
  "- [a bad link](javascript:document.body.dataset.pwned='1')",
].join("\n");
/** Points in the `loss` history of the curve run. */
export const CURVE_POINTS = 1000;

/** What the fixture created. */
export interface UiFixture {
  dir: string;
  store: TrackingStore;
  experimentId: string;
  /** The two tracked demo runs, oldest first. */
  trainingRunIds: string[];
  curveRunId: string;
  childRunId: string;
  xssRunId: string;
  /** The experiment and run of the namespaced pipeline. */
  nsExperimentId: string;
  nsRunId: string;
  close(): Promise<void>;
}

/** The smallest valid one-page PDF (catalog, pages, an empty page, xref, trailer). */
const TINY_PDF = [
  "%PDF-1.4",
  "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj",
  "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj",
  "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >> endobj",
  "trailer << /Root 1 0 R >>",
  "%%EOF",
  "",
].join("\n");

// A 2×2 PNG (red, green / blue, white).
const PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEklEQVR4nGP4z8DAAMIM/4EAAB/uBfsL2WiLAAAAAElFTkSuQmCC";

/** Builds the fixture in a temp project (runs the demo twice through the real CLI). */
/** Two namespaced copies of the training pipeline and a node reading both (pipeline `candidates`). */
const CANDIDATES_PIPELINE = `# Two candidate models trained side by side, each in its own namespace.
nodes:
  - pipeline: ./training.yml
    namespace: candidates.fast_learner
    inputs: { iris: iris }
    parameters: { split: split, target: target, model: model, features: features }
  - pipeline: ./training.yml
    namespace: candidates.slow_learner
    inputs: { iris: iris }
    parameters: { split: split, target: target, model: model, features: features }
  - name: pick_best
    func: ./iris/nodes.ts#reportAccuracy
    inputs: [candidates.fast_learner.predictions, candidates.slow_learner.y_test]
    outputs: best
`;

export async function buildUiFixture(): Promise<UiFixture> {
  const dir = await demoProject({ "pipelines/candidates.yml": CANDIDATES_PIPELINE }, { tracked: true });
  for (const params of [[], ["--params", "model.learning_rate=0.05"]]) {
    const r = await kmlf(["run", "training", ...params], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
  }
  // The namespaced pipeline goes to its own experiment (env "ns" renames it in mlflow.yml).
  const baseMlflow = await Deno.readTextFile(join(dir, "conf/base/mlflow.yml"));
  await Deno.mkdir(join(dir, "conf/ns"), { recursive: true });
  await Deno.writeTextFile(
    join(dir, "conf/ns/mlflow.yml"),
    baseMlflow.replace("name: iris", "name: namespaces"),
  );
  const ns = await kmlf(["run", "candidates", "--env", "ns"], { cwd: dir });
  assert.equal(ns.code, 0, ns.stderr);
  const store = await openStore("mlflow.db", { baseDir: dir });
  const client = new MlflowClient(store);
  const experiment = await client.getExperimentByName("iris");
  assert.ok(experiment, "the demo run created experiment iris");
  const experimentId = experiment.experimentId;
  const training = await client.searchRuns([experimentId], { orderBy: ["attributes.start_time ASC"] });
  const trainingRunIds = training.runs.map((r) => r.info.runId);
  for (const runId of trainingRunIds) {
    await store.logInputs(runId, [{
      dataset: { name: "iris", digest: "d1g35t01", sourceType: "local", source: "data/01_raw/iris.csv" },
      tags: { "mlflow.data.context": "training" },
    }]);
  }
  const nsExperiment = await client.getExperimentByName("namespaces");
  assert.ok(nsExperiment, "the namespaced run created experiment namespaces");
  const nsRunId = (await client.searchRuns([nsExperiment.experimentId])).runs[0].info.runId;

  const files = join(dir, "ui-artifacts");
  await Deno.mkdir(join(files, "reports"), { recursive: true });
  await Deno.writeFile(
    join(files, "reports", "plot.png"),
    Uint8Array.from(atob(PNG_BASE64), (c) => c.charCodeAt(0)),
  );
  let curveRunId = "";
  let childRunId = "";
  await client.withRun({ experimentId, runName: "curve", description: "A long loss curve" }, async (run) => {
    curveRunId = run.runId;
    await run.logParams({ model: "mlp", learning_rate: 0.01, note: "<script>alert(1)</script>" });
    const t0 = Date.now() - CURVE_POINTS * 1000;
    for (let step = 0; step < CURVE_POINTS; step++) {
      run.logMetric("loss", 2 * Math.exp(-step / 200) + 0.05 * Math.sin(step / 7), {
        step,
        timestamp: t0 + step * 1000,
      });
    }
    run.logMetric("accuracy", 0.93, { step: CURVE_POINTS - 1 });
    await run.setTags({
      team: "<i>ml</i>",
      "kmlf.git.dirty": "true",
      "mlflow.source.git.commit": "0123456789abcdef0123456789abcdef01234567",
    });
    await run.logText("line one\nline two <b>not bold</b>\n", "notes/readme.txt");
    await run.logText('name,value\nalpha,1\n"beta, quoted",2\n<script>x</script>,3\n', "tables/scores.csv");
    await run.logText(
      "<html><body><h1 id='report'>Report</h1><script>parent.document.body.dataset.pwned='1'</script></body></html>",
      "reports/report.html",
    );
    await run.logArtifact(join(files, "reports", "plot.png"), "reports");
    await run.logText(
      "model:\n  name: mlp # the model\n  layers: [64, 32]\nseed: 42\n",
      "config/params.yaml",
    );
    await run.logText('{"name": "<b>mlp</b>", "layers": [64, 32], "ok": true}', "config/model.json");
    await run.logText("def train(x):\n    # fit\n    return x * 2  # '<script>'\n", "code/train.py");
    await run.logText(TINY_PDF, "reports/summary.pdf");
    for (const name of ["a.png", "b.png", "c.png"]) {
      await Deno.copyFile(join(files, "reports", "plot.png"), join(files, name));
      await run.logArtifact(join(files, name), "gallery");
    }
    const child = await client.startRun({ runName: "curve-child", nested: true });
    childRunId = child.runId;
    child.logMetric("loss", 0.5);
    await child.end();
  });
  let xssRunId = "";
  await client.withRun({ experimentId, runName: XSS_NAME, description: XSS_NOTE }, async (run) => {
    xssRunId = run.runId;
    run.logMetric("accuracy", 0.5);
    await run.setTags({ team: XSS_NAME });
  });
  await store.logInputs(xssRunId, [{
    dataset: { name: XSS_NAME, digest: "x55", sourceType: "local", source: "x" },
    tags: { "mlflow.data.context": XSS_NAME },
  }]);
  return {
    dir,
    store,
    experimentId,
    trainingRunIds,
    curveRunId,
    childRunId,
    xssRunId,
    nsExperimentId: nsExperiment.experimentId,
    nsRunId,
    async close() {
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Serves `store` with the UI on 127.0.0.1 (port 0 = any free port). */
export function serveFixture(
  store: TrackingStore,
  port = 0,
): { url: string; server: Deno.HttpServer<Deno.NetAddr> } {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port, onListen: () => {} },
    createRequestHandler(store),
  );
  return { url: `http://127.0.0.1:${server.addr.port}`, server };
}

if (import.meta.main) {
  const fixture = await buildUiFixture();
  const { url } = serveFixture(fixture.store, Number(Deno.args[0] ?? 5055));
  console.log(`${url}/#/experiments/${fixture.experimentId}  (project ${fixture.dir}; Ctrl-C to stop)`);
}
