/**
 * What `kmlf gc` needs of a store to reclaim deleted runs for good: MLflow's `_get_deleted_runs`,
 * `_hard_delete_run` and `_hard_delete_experiment`. Local stores (SQLite, PostgreSQL, the file store)
 * have them; the REST store does not (MLflow's REST API has no hard delete), so `store.hardDeletes` is
 * undefined there.
 *
 * @module
 */

/** A run in the `deleted` lifecycle stage. */
export interface DeletedRun {
  /** The deleted run's id. */
  runId: string;
  /** The experiment it belongs to. */
  experimentId: string;
  /** When it was deleted (ms), or null when the store recorded no time (runs deleted by old MLflow versions). */
  deletedTime: number | null;
  /** Where its artifacts are (`kmlf gc` removes them before the run's rows). */
  artifactUri: string;
}

/**
 * Permanent deletion. Artifacts are not touched: the caller removes them first, through the run's
 * artifact repository, as `mlflow gc` does.
 *
 * @example
 * ```ts
 * for (const run of await store.hardDeletes!.deletedRuns()) await store.hardDeletes!.hardDeleteRun(run.runId);
 * ```
 */
export interface HardDeletes {
  /** Every run in the `deleted` stage, in any experiment (deleted experiments included). */
  deletedRuns(): Promise<DeletedRun[]>;
  /**
   * Removes a run and every row or file it owns (params, metrics, latest metrics, tags, dataset inputs
   * and their tags); RESOURCE_DOES_NOT_EXIST for an unknown run. Registered model versions naming the
   * run stay, as in MLflow.
   */
  hardDeleteRun(runId: string): Promise<void>;
  /**
   * Removes a deleted experiment with its tags, datasets, traces and all its runs (as above);
   * RESOURCE_DOES_NOT_EXIST when there is no deleted experiment with that id.
   */
  hardDeleteExperiment(experimentId: string): Promise<void>;
}
