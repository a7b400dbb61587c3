/**
 * Dataset inputs of runs in MLflow's PostgreSQL schema (`datasets`, `inputs`, `input_tags`),
 * deduplicated by (name, digest) like MLflow's `_log_inputs_impl`.
 *
 * @module
 */
import type { DatasetInput } from "../../entities.ts";
import { mlflowError, runNotActive } from "../../tracking_errors.ts";
import { validateRunId } from "../../key_validation.ts";
import { uniqueDatasetInputs } from "../sql/run_inputs.ts";
import type { PgDb } from "./pg_db.ts";
import { runRow } from "./pg_runs.ts";

const uuidHex = () => crypto.randomUUID().replaceAll("-", "");

/** Records dataset inputs of an active run. */
export async function logInputs(
  db: PgDb,
  runId: string,
  inputs: readonly DatasetInput[],
  hasInputs: boolean,
): Promise<void> {
  validateRunId(runId);
  const unique = uniqueDatasetInputs(inputs);
  if (unique.length === 0) return;
  if (!hasInputs) {
    throw mlflowError(
      "INVALID_STATE",
      `Cannot log dataset inputs to ${db.where}: the database predates dataset tracking (MLflow 2.4)`,
      "upgrade it with 'mlflow db upgrade'",
    );
  }
  await db.write(async (q) => {
    const run = await runRow(q, runId);
    if (run.lifecycle_stage !== "active") throw runNotActive(runId, run.lifecycle_stage ?? "");
    for (const { dataset: d, tags } of unique) {
      // Another process may insert the same dataset at once: the primary key settles it.
      await q.run(
        "INSERT INTO datasets (dataset_uuid, experiment_id, name, digest, dataset_source_type, dataset_source, " +
          "dataset_schema, dataset_profile) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
        [
          uuidHex(),
          run.experiment_id,
          d.name,
          d.digest,
          d.sourceType,
          d.source,
          d.schema ?? null,
          d.profile ?? null,
        ],
      );
      const { dataset_uuid: datasetUuid } = (await q.get<{ dataset_uuid: string }>(
        "SELECT dataset_uuid FROM datasets WHERE experiment_id = $1 AND name = $2 AND digest = $3",
        [run.experiment_id, d.name, d.digest],
      ))!;
      const inputUuid = uuidHex();
      const added = await q.run(
        "INSERT INTO inputs (input_uuid, source_type, source_id, destination_type, destination_id) " +
          "VALUES ($1, 'DATASET', $2, 'RUN', $3) ON CONFLICT DO NOTHING",
        [inputUuid, datasetUuid, runId],
      );
      if (added === 0) continue;
      for (const [name, value] of Object.entries(tags)) {
        await q.run("INSERT INTO input_tags (input_uuid, name, value) VALUES ($1, $2, $3)", [
          inputUuid,
          name,
          value,
        ]);
      }
    }
  });
}
