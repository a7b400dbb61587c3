/**
 * A tracking store for UI tests: two real tracked runs of the demo's training pipeline (so runs carry
 * kmlf's tags, metrics with steps and kmlf/pipeline.json), a run with a 1000-point metric history and
 * text/CSV/HTML/image artifacts, a child run, and a run whose name is an HTML injection attempt.
 * Run directly to browse it: `deno run -A tests/server/ui_fixture.ts [port]`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { MlflowClient, openStore, type TrackingStore } from "../../lib/tracking/mod.ts";
import { createRequestHandler } from "../../lib/server/mod.ts";
import { demoProject, kmlf } from "../cli_harness.ts";

/** The run name that must render as text. */
export const XSS_NAME = `<img src=x onerror="document.body.dataset.pwned='1'">`;
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
  close(): Promise<void>;
}

// A 2×2 PNG (red, green / blue, white).
const PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEklEQVR4nGP4z8DAAMIM/4EAAB/uBfsL2WiLAAAAAElFTkSuQmCC";

/** Builds the fixture in a temp project (runs the demo twice through the real CLI). */
export async function buildUiFixture(): Promise<UiFixture> {
  const dir = await demoProject({}, { tracked: true });
  for (const params of [[], ["--params", "model.learning_rate=0.05"]]) {
    const r = await kmlf(["run", "training", ...params], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
  }
  const store = await openStore("mlflow.db", { baseDir: dir });
  const client = new MlflowClient(store);
  const experiment = await client.getExperimentByName("iris");
  assert.ok(experiment, "the demo run created experiment iris");
  const experimentId = experiment.experimentId;
  const training = await client.searchRuns([experimentId], { orderBy: ["attributes.start_time ASC"] });
  const trainingRunIds = training.runs.map((r) => r.info.runId);

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
    const child = await client.startRun({ runName: "curve-child", nested: true });
    childRunId = child.runId;
    child.logMetric("loss", 0.5);
    await child.end();
  });
  let xssRunId = "";
  await client.withRun({ experimentId, runName: XSS_NAME }, (run) => {
    xssRunId = run.runId;
    run.logMetric("accuracy", 0.5);
  });
  return {
    dir,
    store,
    experimentId,
    trainingRunIds,
    curveRunId,
    childRunId,
    xssRunId,
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
