/**
 * The columns searches and single-row reads select, in their order: a leaf module, so a store reads runs
 * without loading the search grammar (parser, SQL translator) it needs only for searches.
 *
 * @module
 */

/** Columns a run search selects from `runs` (aliased `r`), in this order. */
export const RUN_INFO_COLUMNS =
  "r.run_uuid, r.name, r.experiment_id, r.user_id, r.status, r.start_time, r.end_time, r.artifact_uri, " +
  "r.lifecycle_stage";

/** Columns an experiment search selects from `experiments` (aliased `e`), in this order. */
export const EXPERIMENT_COLUMNS =
  "e.experiment_id, e.name, e.artifact_location, e.lifecycle_stage, e.creation_time, e.last_update_time";
