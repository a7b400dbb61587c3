/**
 * The stores agree on MLflow's schema widths (VARCHAR columns PostgreSQL enforces and SQLite does not),
 * on the order of a metric's history, and on odd experiment-id forms in run search (see store_parity.ts).
 */
import { assertStoresAgree, type Recorder } from "./store_parity.ts";

// Artifact locations follow from where a store keeps artifacts (a project's path): SQLite and mlruns
// keep long ones, as MLflow's do; PostgreSQL refuses them with the limit and the fix.
const PG_WIDTH =
  "PostgreSQL's artifact_location (256) and artifact_uri (200) columns; SQLite and mlruns keep more";

Deno.test("MLflow's schema widths: names, user ids, the run-name tag, dataset source types", () =>
  assertStoresAgree(widthsScenario, {
    sqliteVsPostgres: {
      "location 257": PG_WIDTH,
      "run under a 160-character location": PG_WIDTH,
    },
  }));

async function widthsScenario(r: Recorder) {
  for (
    const [label, name] of [["256", "e".repeat(256)], ["257", "e".repeat(257)], [
      "😀 256",
      "😀".repeat(256),
    ], ["😀 257", "😀".repeat(257)]]
  ) {
    await r.step(`experiment ${label}`, () => r.store.createExperiment(name), `exp:${label}`);
    await r.step(`by name ${label}`, () => r.store.getExperimentByName(name));
  }
  const id = (await r.step("experiment short", () => r.store.createExperiment("short"), "exp:short"))!;
  await r.step("rename 257", () => r.store.renameExperiment(id, "r".repeat(257)));
  await r.step("rename 256", () => r.store.renameExperiment(id, "r".repeat(256)));
  await r.step("after renames", () => r.store.getExperiment(id));
  for (const n of [256, 257]) {
    await r.step(
      `user ${n}`,
      () => r.store.createRun({ experimentId: "0", startTime: 1, userId: "u".repeat(n), runName: `u${n}` }),
    );
  }
  await r.step(
    "runName tag 251 on create",
    () => r.store.createRun({ experimentId: "0", startTime: 1, tags: { "mlflow.runName": "t".repeat(251) } }),
    "run:tag251",
  );
  const made = await r.step(
    "run",
    () => r.store.createRun({ experimentId: "0", startTime: 1, runName: "w" }),
    "run:w",
  );
  const runId = made!.info.runId;
  await r.step(
    "runName tag 251 in a batch",
    () => r.store.logBatch(runId, { tags: [{ key: "mlflow.runName", value: "b".repeat(251) }] }),
  );
  await r.step("runName tag 250", () => r.store.setTag(runId, "mlflow.runName", "n".repeat(250)));
  for (const n of [36, 37]) {
    await r.step(`dataset source type ${n}`, () =>
      r.store.logInputs(runId, [{
        dataset: { name: `ds${n}`, digest: "d", sourceType: "s".repeat(n), source: "{}" },
        tags: {},
      }]));
  }
  await r.step("read back", () => r.store.getRun(runId));
  for (const n of [256, 257]) {
    await r.step(
      `location ${n}`,
      () => r.store.createExperiment(`loc ${n}`, { artifactLocation: `s3://b/${"l".repeat(n - 7)}` }),
      `exp:loc ${n}`,
    );
  }
  const deep = (await r.step(
    "experiment under a 160-character location",
    () => r.store.createExperiment("deep", { artifactLocation: `s3://b/${"l".repeat(153)}` }),
    "exp:deep",
  ))!;
  await r.step(
    "run under a 160-character location",
    async () => (await r.store.createRun({ experimentId: deep, startTime: 1, runName: "deep" })).info.runName,
  );
  const fits = (await r.step(
    "experiment under a 157-character location",
    () => r.store.createExperiment("fits", { artifactLocation: `s3://b/${"l".repeat(150)}` }),
    "exp:fits",
  ))!;
  await r.step(
    "run under a 157-character location",
    async () => (await r.store.createRun({ experimentId: fits, startTime: 1, runName: "fits" })).info.runName,
  );
}

Deno.test("metric history order: timestamps out of order, ties on step, NaN beside 0, pages", () =>
  assertStoresAgree(async (r) => {
    const made = await r.step(
      "run",
      () => r.store.createRun({ experimentId: "0", startTime: 1, runName: "h" }),
      "run:h",
    );
    const id = made!.info.runId;
    const points = [
      { value: 5, timestamp: 30, step: 0 },
      { value: 4, timestamp: 10, step: 2 },
      { value: 3, timestamp: 10, step: 1 },
      { value: NaN, timestamp: 20, step: 0 },
      { value: 0, timestamp: 20, step: 0 },
      { value: -1, timestamp: 20, step: 0 },
      { value: Infinity, timestamp: 20, step: 0 },
      { value: -Infinity, timestamp: 20, step: 0 },
      { value: 2, timestamp: -5, step: 9 },
    ];
    for (const [i, p] of points.entries()) {
      await r.step(`log ${i}`, () => r.store.logBatch(id, { metrics: [{ key: "h", ...p }] }));
    }
    await r.step("history", () => r.store.getMetricHistory(id, "h"));
    let pageToken: string | undefined;
    for (let page = 0; page < 4; page++) {
      const got = await r.step(
        `page ${page}`,
        () => r.store.getMetricHistory(id, "h", { maxResults: 3, pageToken }),
      );
      pageToken = got?.nextPageToken;
      if (!pageToken) break;
    }
  }));

// MLflow 2.17.2's SQLite store reads an experiment id as SQLite's integer affinity does (" 0", "0.0"
// name experiment 0); kmlf's PostgreSQL store reads it the same way (MLflow's would fail on "0.0").
// MLflow's FileStore refuses such ids as invalid.
const ID_FORMS = "MLflow's SqlAlchemyStore looks odd ids up (SQLite affinity), its FileStore refuses them";
const FORMS = [" 0", "0 ", "0.0", "0e0", "+0", "0.5", "x", "99999999999"];

Deno.test("run search and experiment lookups by odd experiment id forms", () =>
  assertStoresAgree(async (r) => {
    await r.step("run", () => r.store.createRun({ experimentId: "0", startTime: 1, runName: "s" }), "run:s");
    for (const form of FORMS) {
      await r.step(
        `search ${JSON.stringify(form)}`,
        async () => (await r.store.searchRuns({ experimentIds: [form] })).runs.map((run) => run.info.runName),
      );
      await r.step(`get ${JSON.stringify(form)}`, () => r.store.getExperiment(form));
    }
  }, { sqliteVsFile: Object.fromEntries(FORMS.map((form) => [`get ${JSON.stringify(form)}`, ID_FORMS])) }));
