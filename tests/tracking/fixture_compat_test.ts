/**
 * Compatibility with a database real MLflow 2.17.2 wrote (../shared/fixtures/mlflow-2.17.2/sqlite,
 * opened from a copy): every experiment, run and metric history, the artifacts, and all 11 recorded
 * search_runs cases in order come back as MLflow returned them; kmlf can keep logging into it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DatabaseSync } from "node:sqlite";
import { LocalArtifactRepository, SqliteStore, type ViewType } from "../../lib/tracking/mod.ts";

const FIXTURE = fileURLToPath(new URL("../fixtures/mlflow-2.17.2/sqlite", import.meta.url));

interface ExpectedRun {
  label: string;
  run: {
    info: Record<string, string | number | null>;
    data: { metrics: Record<string, unknown>; params: Record<string, string>; tags: Record<string, string> };
    inputs: { dataset_inputs: unknown[] };
  };
  metric_history: Record<string, { key: string; value: unknown; timestamp: number; step: number }[]>;
  artifacts: { path: string; is_dir: boolean; file_size: number | null }[];
}
interface Expected {
  experiments: Record<string, unknown>[];
  runs: Record<string, ExpectedRun>;
  search_runs: {
    experiment_ids: string[];
    filter_string: string;
    order_by: string[];
    run_view_type: ViewType;
    run_ids: string[];
    run_labels: string[];
  }[];
}

const expected: Expected = JSON.parse(await Deno.readTextFile(join(FIXTURE, "expected.json")));

// Non-finite floats are strings in the fixture's JSON; local paths were rewritten to __ROOT__.
const num = (
  v: unknown,
) => (v === "NaN" ? NaN : v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : v);
const root = (v: unknown) => String(v).replace("__ROOT__", "/fixture");

async function withFixtureCopy(fn: (store: SqliteStore, dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-fixture-" });
  await Deno.copyFile(join(FIXTURE, "mlflow.db"), join(dir, "mlflow.db"));
  await Deno.chmod(join(dir, "mlflow.db"), 0o644);
  const store = SqliteStore.open(join(dir, "mlflow.db"), { artifactRoot: join(dir, "artifacts") });
  try {
    await fn(store, dir);
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const test = (name: string, fn: (store: SqliteStore, dir: string) => Promise<void>) =>
  Deno.test({ name, fn: () => withFixtureCopy(fn) });

test("kmlf reads every experiment of MLflow's own SQLite database as MLflow does", async (store) => {
  for (const e of expected!.experiments) {
    const got = await store.getExperiment(String(e.experiment_id));
    assert.deepEqual(got, {
      experimentId: e.experiment_id,
      name: e.name,
      artifactLocation: root(e.artifact_location),
      lifecycleStage: e.lifecycle_stage,
      creationTime: e.creation_time,
      lastUpdateTime: e.last_update_time,
      tags: e.tags,
    });
  }
  assert.equal(store.schemaRevision, "f5a4f2784254");
});

test("kmlf reads every run of MLflow's own SQLite database as MLflow does", async (store) => {
  for (const [runId, want] of Object.entries(expected!.runs)) {
    const run = await store.getRun(runId);
    const i = want.run.info;
    assert.deepEqual(run.info, {
      runId: i.run_id,
      runName: i.run_name,
      experimentId: i.experiment_id,
      userId: i.user_id,
      status: i.status,
      startTime: i.start_time,
      endTime: i.end_time,
      artifactUri: root(i.artifact_uri),
      lifecycleStage: i.lifecycle_stage,
    }, want.label);
    const metrics = Object.fromEntries(Object.entries(want.run.data.metrics).map(([k, v]) => [k, num(v)]));
    assert.deepEqual(run.data.metrics, metrics, want.label);
    assert.deepEqual(run.data.params, want.run.data.params, want.label);
    assert.deepEqual(run.data.tags, want.run.data.tags, want.label);
    assert.deepEqual(run.inputs, { datasetInputs: want.run.inputs.dataset_inputs });
  }
});

test("kmlf returns every metric history of MLflow's database point for point", async (store) => {
  for (const [runId, want] of Object.entries(expected!.runs)) {
    for (const [key, history] of Object.entries(want.metric_history)) {
      const got = (await store.getMetricHistory(runId, key)).metrics;
      assert.deepEqual(got, history.map((m) => ({ ...m, value: num(m.value) })), `${want.label} ${key}`);
    }
  }
});

test("kmlf reproduces all 11 recorded search_runs results in MLflow's order", async (store) => {
  assert.equal(expected!.search_runs.length, 11);
  for (const c of expected!.search_runs) {
    const { runs, nextPageToken } = await store.searchRuns({
      experimentIds: c.experiment_ids,
      filter: c.filter_string,
      orderBy: c.order_by,
      runViewType: c.run_view_type,
    });
    assert.deepEqual(
      runs.map((r) => r.info.runId),
      c.run_ids,
      `${c.filter_string} ${c.order_by} → ${c.run_labels}`,
    );
    assert.equal(nextPageToken, undefined);
  }
});

test("kmlf lists the artifacts MLflow wrote exactly as MLflow lists them", async () => {
  for (const [runId, want] of Object.entries(expected!.runs)) {
    if (want.artifacts.length === 0) continue;
    const experimentId = root(want.run.info.artifact_uri).split("/").at(-3)!;
    const repo = new LocalArtifactRepository(join(FIXTURE, "artifacts", experimentId, runId, "artifacts"));
    const got = await repo.listArtifacts(undefined, { recursive: true });
    assert.deepEqual(
      got,
      want.artifacts.map((a) => ({ path: a.path, isDir: a.is_dir, fileSize: a.file_size })),
      want.label,
    );
  }
});

test("kmlf keeps logging into MLflow's database without touching its schema revision", async (store, dir) => {
  const run = await store.createRun({ experimentId: "1", runName: "kmlf-run", startTime: 1700000100000 });
  await store.logBatch(run.info.runId, {
    metrics: [{ key: "accuracy", value: 0.98, timestamp: 1700000100001, step: 0 }],
    params: [{ key: "model", value: "logreg" }],
  });
  const { runs } = await store.searchRuns({ experimentIds: ["1"], filter: "metrics.accuracy > 0.9" });
  assert.deepEqual(runs.map((r) => r.info.runName), ["kmlf-run", "iris-svm", "iris-logreg"]);
  const db = new DatabaseSync(join(dir, "mlflow.db"), { readOnly: true });
  try {
    assert.deepEqual(db.prepare("SELECT version_num FROM alembic_version").all().map((r) => r.version_num), [
      "f5a4f2784254",
    ]);
    const row = db.prepare("SELECT name, status, source_type, lifecycle_stage FROM runs WHERE run_uuid = ?")
      .get(run.info.runId);
    assert.deepEqual({ ...row }, {
      name: "kmlf-run",
      status: "RUNNING",
      source_type: "UNKNOWN",
      lifecycle_stage: "active",
    });
  } finally {
    db.close();
  }
});
