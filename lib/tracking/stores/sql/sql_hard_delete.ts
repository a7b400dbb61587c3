/**
 * `kmlf gc`'s permanent deletes for both SQL stores, written once as jobs (`sql_job.ts`): each delete is
 * one write transaction, so a failure leaves the run or experiment whole. MLflow's ORM cascade removes a
 * run's metrics, latest metrics, params and tags; kmlf also removes the dataset inputs pointing at the run
 * (and their tags), which MLflow leaves behind as orphans, and for an experiment its datasets and traces
 * (which the foreign keys of PostgreSQL would otherwise refuse to leave). `model_versions` rows naming a
 * run stay, as in MLflow.
 *
 * @module
 */
import { experimentNotFound, runNotFound } from "../../tracking_errors.ts";
import type { DeletedRun, HardDeletes } from "../hard_delete.ts";
import { all, get, run, type SqlEngine, type SqlJob } from "./sql_job.ts";

// The rows a run owns, child tables first; `?` is the run id.
const RUN_ROWS = [
  "DELETE FROM input_tags WHERE input_uuid IN " +
  "(SELECT input_uuid FROM inputs WHERE destination_type = 'RUN' AND destination_id = ?)",
  "DELETE FROM inputs WHERE destination_type = 'RUN' AND destination_id = ?",
  "DELETE FROM metrics WHERE run_uuid = ?",
  "DELETE FROM latest_metrics WHERE run_uuid = ?",
  "DELETE FROM params WHERE run_uuid = ?",
  "DELETE FROM tags WHERE run_uuid = ?",
  "DELETE FROM runs WHERE run_uuid = ?",
];

// The rows an experiment owns besides its runs; `?` is the experiment id.
const EXPERIMENT_ROWS = [
  "DELETE FROM input_tags WHERE input_uuid IN (SELECT input_uuid FROM inputs WHERE source_type = 'DATASET' " +
  "AND source_id IN (SELECT dataset_uuid FROM datasets WHERE experiment_id = ?))",
  "DELETE FROM inputs WHERE source_type = 'DATASET' " +
  "AND source_id IN (SELECT dataset_uuid FROM datasets WHERE experiment_id = ?)",
  "DELETE FROM datasets WHERE experiment_id = ?",
  "DELETE FROM trace_tags WHERE request_id IN (SELECT request_id FROM trace_info WHERE experiment_id = ?)",
  "DELETE FROM trace_request_metadata WHERE request_id IN " +
  "(SELECT request_id FROM trace_info WHERE experiment_id = ?)",
  "DELETE FROM trace_info WHERE experiment_id = ?",
  "DELETE FROM experiment_tags WHERE experiment_id = ?",
  "DELETE FROM experiments WHERE experiment_id = ?",
];

function* deleteRunRows(runId: string): SqlJob<void> {
  for (const sql of RUN_ROWS) yield* run(sql, [runId]);
}

function* hardDeleteRunJob(runId: string): SqlJob<void> {
  const found = yield* get<{ run_uuid: string }>("SELECT run_uuid FROM runs WHERE run_uuid = ?", [runId]);
  if (!found) throw runNotFound(runId);
  yield* deleteRunRows(runId);
}

function* hardDeleteExperimentJob(experimentId: string): SqlJob<void> {
  // Experiment ids are integers in the SQL schema; anything else names no experiment.
  const id = /^\d{1,18}$/.test(experimentId) ? Number(experimentId) : undefined;
  const found = id === undefined ? undefined : yield* get<{ experiment_id: number }>(
    "SELECT experiment_id FROM experiments WHERE experiment_id = ? AND lifecycle_stage = 'deleted'",
    [id],
  );
  if (id === undefined || !found) throw experimentNotFound(experimentId);
  const runs = yield* all<{ run_uuid: string }>("SELECT run_uuid FROM runs WHERE experiment_id = ?", [id]);
  for (const r of runs) yield* deleteRunRows(r.run_uuid);
  for (const sql of EXPERIMENT_ROWS) yield* run(sql, [id]);
}

function* deletedRunsJob(): SqlJob<DeletedRun[]> {
  const rows = yield* all<
    {
      run_uuid: string;
      experiment_id: number | string;
      deleted_time: number | string | null;
      artifact_uri: string;
    }
  >(
    "SELECT run_uuid, experiment_id, deleted_time, artifact_uri FROM runs WHERE lifecycle_stage = 'deleted' " +
      "ORDER BY run_uuid",
  );
  return rows.map((r) => ({
    runId: r.run_uuid,
    experimentId: String(r.experiment_id),
    // PostgreSQL returns BIGINT as a string.
    deletedTime: r.deleted_time === null ? null : Number(r.deleted_time),
    artifactUri: r.artifact_uri ?? "",
  }));
}

/**
 * The permanent deletes of a SQL store.
 *
 * @example
 * ```ts
 * const hardDeletes = sqlHardDeletes(sqliteEngine(db));
 * await hardDeletes.hardDeleteRun("0123456789abcdef0123456789abcdef");
 * ```
 */
export function sqlHardDeletes(engine: SqlEngine): HardDeletes {
  return {
    deletedRuns: () => engine.read(deletedRunsJob),
    hardDeleteRun: (runId) => engine.write(() => hardDeleteRunJob(runId)),
    hardDeleteExperiment: (experimentId) => engine.write(() => hardDeleteExperimentJob(experimentId)),
  };
}
