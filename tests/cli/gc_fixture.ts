/**
 * A store with deleted and live runs for `kmlf gc` tests: experiment "keep" (active) holds `live` and
 * `deleted` (soft-deleted), experiment "gone" (soft-deleted) holds `doomed`; each run has params, metrics,
 * tags, a dataset input and an artifact, and a model version is registered from `live` (a version whose
 * files are in a deleted run keeps that run: tests/cli/gc_registered_test.ts).
 */
import { DatabaseSync } from "node:sqlite";
import postgres from "postgres";
import { openStore, registerModel, type TrackingStore } from "../../lib/tracking/mod.ts";

/** The ids the fixture created. */
export interface GcFixture {
  keep: string;
  gone: string;
  live: string;
  deleted: string;
  doomed: string;
  /** Each run's artifact URI. */
  artifacts: Record<string, string>;
}

async function filledRun(store: TrackingStore, experimentId: string, name: string): Promise<string> {
  const run = await store.createRun({ experimentId, runName: name });
  const id = run.info.runId;
  await store.logBatch(id, {
    params: [{ key: "alpha", value: "0.5" }],
    metrics: [0, 1].map((step) => ({ key: "acc", value: 0.5 + step / 10, timestamp: 1000 + step, step })),
    tags: [{ key: "team", value: "ml" }],
  });
  await store.logInputs(id, [{
    dataset: { name: `data-${name}`, digest: name.padEnd(8, "0"), sourceType: "local", source: "{}" },
    tags: { "mlflow.data.context": "training" },
  }]);
  const repo = store.getArtifactRepository(run.info.artifactUri);
  await repo.writeArtifact("model/MLmodel", "flavors: {}\n");
  return id;
}

/**
 * Fills the store at `uri` (relative paths against `baseDir`; `artifactRoot`: where new experiments keep
 * artifacts, e.g. `s3://…` or a server's `mlflow-artifacts:/`).
 *
 * @example
 * ```ts
 * const ids = await fillGcStore("sqlite:///mlflow.db", dir);
 * ```
 */
export async function fillGcStore(
  uri: string,
  baseDir: string,
  options: { artifactRoot?: string } = {},
): Promise<GcFixture> {
  const store = await openStore(uri, { baseDir, artifactRoot: options.artifactRoot });
  try {
    const keep = await store.createExperiment("keep");
    const gone = await store.createExperiment("gone");
    await store.setExperimentTag(gone, "owner", "me");
    const live = await filledRun(store, keep, "live");
    const deleted = await filledRun(store, keep, "deleted");
    const doomed = await filledRun(store, gone, "doomed");
    await registerModel(store, `runs:/${live}/model`, "iris");
    await store.deleteRun(deleted);
    await store.deleteExperiment(gone);
    const artifacts: Record<string, string> = {};
    for (const id of [live, deleted, doomed]) artifacts[id] = (await store.getRun(id)).info.artifactUri;
    return { keep, gone, live, deleted, doomed, artifacts };
  } finally {
    await store.close();
  }
}

const RUN_TABLES = ["runs", "params", "metrics", "latest_metrics", "tags"];

/**
 * Rows referring to each run id and experiment id in every table that holds them, from a SQLite file
 * or a PostgreSQL URL: `{ "<table>:<id>": count }`.
 *
 * @example
 * ```ts
 * await rowCounts("/tmp/mlflow.db", { runs: [runId], experiments: ["1"] });
 * ```
 */
export async function rowCounts(
  db: string,
  ids: { runs: string[]; experiments: string[] },
): Promise<Record<string, number>> {
  const queries: [string, string, string | number][] = [];
  for (const id of ids.runs) {
    for (const t of RUN_TABLES) {
      queries.push([`${t}:${id}`, `SELECT COUNT(*) AS n FROM ${t} WHERE run_uuid = ?`, id]);
    }
    queries.push([`inputs:${id}`, "SELECT COUNT(*) AS n FROM inputs WHERE destination_id = ?", id]);
    queries.push([
      `input_tags:${id}`,
      "SELECT COUNT(*) AS n FROM input_tags WHERE input_uuid IN (SELECT input_uuid FROM inputs WHERE destination_id = ?)",
      id,
    ]);
    queries.push([`model_versions:${id}`, "SELECT COUNT(*) AS n FROM model_versions WHERE run_id = ?", id]);
  }
  for (const id of ids.experiments) {
    for (const t of ["experiments", "experiment_tags", "datasets", "runs"]) {
      queries.push([`${t}:${id}`, `SELECT COUNT(*) AS n FROM ${t} WHERE experiment_id = ?`, Number(id)]);
    }
  }
  const counts: Record<string, number> = {};
  if (/^postgres/.test(db)) {
    const sql = postgres(db, { max: 1, onnotice: () => {} });
    try {
      for (const [name, text, param] of queries) {
        let i = 0;
        const rows = await sql.unsafe(text.replace(/\?/g, () => `$${++i}`), [param]);
        counts[name] = Number(rows[0].n);
      }
    } finally {
      await sql.end();
    }
  } else {
    const sqlite = new DatabaseSync(db, { readOnly: true });
    try {
      for (const [name, text, param] of queries) counts[name] = Number(sqlite.prepare(text).get(param)!.n);
    } finally {
      sqlite.close();
    }
  }
  return counts;
}
