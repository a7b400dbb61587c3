/**
 * Dataset inputs of runs in MLflow's SQL schema (`datasets`, `inputs`, `input_tags`), deduplicated
 * by (name, digest) like MLflow's `_log_inputs_impl`.
 *
 * @module
 */
import type { DatasetInput } from "../../entities.ts";
import { mlflowError, runNotActive } from "../../tracking_errors.ts";
import { validateRunId } from "../../key_validation.ts";
import { uniqueDatasetInputs } from "../sql/run_inputs.ts";
import type { SqliteDb } from "./db.ts";
import { runRow } from "./runs.ts";

const uuidHex = () => crypto.randomUUID().replaceAll("-", "");

/** Records dataset inputs of an active run. */
export function logInputs(
  db: SqliteDb,
  runId: string,
  inputs: readonly DatasetInput[],
  hasInputs: boolean,
): void {
  validateRunId(runId);
  const unique = uniqueDatasetInputs(inputs);
  if (unique.length === 0) return;
  if (!hasInputs) {
    throw mlflowError(
      "INVALID_STATE",
      `Cannot log dataset inputs to ${db.path}: the database predates dataset tracking (MLflow 2.4)`,
      "upgrade it with 'mlflow db upgrade'",
    );
  }
  db.write(() => {
    const run = runRow(db, runId);
    if (run.lifecycle_stage !== "active") throw runNotActive(runId, run.lifecycle_stage ?? "");
    for (const { dataset: d, tags } of unique) {
      let datasetUuid = db.get<{ dataset_uuid: string }>(
        "SELECT dataset_uuid FROM datasets WHERE experiment_id = ? AND name = ? AND digest = ?",
        run.experiment_id,
        d.name,
        d.digest,
      )?.dataset_uuid;
      if (!datasetUuid) {
        datasetUuid = uuidHex();
        db.run(
          "INSERT INTO datasets (dataset_uuid, experiment_id, name, digest, dataset_source_type, dataset_source, " +
            "dataset_schema, dataset_profile) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          datasetUuid,
          run.experiment_id,
          d.name,
          d.digest,
          d.sourceType,
          d.source,
          d.schema ?? null,
          d.profile ?? null,
        );
      }
      const exists = db.get(
        "SELECT 1 AS one FROM inputs WHERE source_type = 'DATASET' AND source_id = ? AND destination_type = 'RUN' " +
          "AND destination_id = ?",
        datasetUuid,
        runId,
      );
      if (exists) continue;
      const inputUuid = uuidHex();
      db.run(
        "INSERT INTO inputs (input_uuid, source_type, source_id, destination_type, destination_id) " +
          "VALUES (?, 'DATASET', ?, 'RUN', ?)",
        inputUuid,
        datasetUuid,
        runId,
      );
      for (const [name, value] of Object.entries(tags)) {
        db.run("INSERT INTO input_tags (input_uuid, name, value) VALUES (?, ?, ?)", inputUuid, name, value);
      }
    }
  });
}
