/**
 * Store-independent steps the SQL stores (SQLite, PostgreSQL) share when creating runs and logging
 * dataset inputs: the run's name and tags from MLflow's rules, inputs deduplicated by (name, digest),
 * and dataset-input rows read back as entities.
 *
 * @module
 */
import { type DatasetInput, MLFLOW_TAGS, setEntry } from "../../entities.ts";
import { randomRunName } from "../../run_names.ts";
import { mlflowError } from "../../tracking_errors.ts";
import { validateDatasetInputs, validateRunName, validateRunTime, validateUserId } from "../../validation.ts";
import { validateTag, type ValidationOptions } from "../../batch_validation.ts";
import type { CreateRunOptions } from "../store.ts";

/**
 * The validated tags of a new run and its name: `runName`, else the `mlflow.runName` tag, else a random
 * MLflow-style name (recorded as that tag); the two given with different values is an error.
 *
 * @example
 * ```ts
 * const { runName, tags } = newRunTags({ experimentId: "1", runName: "baseline" }, {});
 * ```
 */
export function newRunTags(
  options: CreateRunOptions,
  validation: ValidationOptions,
): { runName: string; tags: { key: string; value: string }[] } {
  const tags = Object.entries(options.tags ?? {}).map(([key, value]) => ({
    key,
    value: validateTag(key, value, validation),
  }));
  const tagName = tags.find((t) => t.key === MLFLOW_TAGS.runName)?.value;
  if (options.runName !== undefined) validateRunName(options.runName);
  validateUserId(options.userId);
  validateRunTime("start_time", options.startTime);
  if (options.runName && tagName && options.runName !== tagName) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      "Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values " +
        `(run_name='${options.runName}', mlflow.runName='${tagName}').`,
    );
  }
  const runName = options.runName || tagName || randomRunName();
  // An empty mlflow.runName tag counts as none and is replaced (MLflow's SQL store would insert the
  // key twice and fail; its file store keeps the name it makes, as here).
  if (!tagName) {
    return {
      runName,
      tags: [...tags.filter((t) => t.key !== MLFLOW_TAGS.runName), {
        key: MLFLOW_TAGS.runName,
        value: runName,
      }],
    };
  }
  return { runName, tags };
}

/** Validated inputs, one per (name, digest), like MLflow's `_log_inputs_impl`. */
export function uniqueDatasetInputs(inputs: readonly DatasetInput[]): DatasetInput[] {
  validateDatasetInputs(inputs);
  const unique = new Map<string, DatasetInput>();
  for (const input of inputs) {
    const id = `${input.dataset.name}\u0000${input.dataset.digest}`;
    if (!unique.has(id)) unique.set(id, input);
  }
  return [...unique.values()];
}

/** A joined row of `inputs` and `datasets`, as both SQL stores select it. */
export interface InputRow {
  run_uuid: string;
  input_uuid: string;
  name: string;
  digest: string;
  dataset_source_type: string;
  dataset_source: string;
  dataset_schema: string | null;
  dataset_profile: string | null;
}

/**
 * Dataset inputs per run from input rows (in order) and their `input_tags` rows.
 *
 * @example
 * ```ts
 * const byRun = datasetInputsByRun(rows, tagRows);
 * ```
 */
export function datasetInputsByRun(
  rows: readonly InputRow[],
  tagRows: readonly { input_uuid: string; name: string; value: string }[],
): Map<string, DatasetInput[]> {
  const tags = new Map<string, Record<string, string>>();
  for (const t of tagRows) {
    if (!tags.has(t.input_uuid)) tags.set(t.input_uuid, {});
    setEntry(tags.get(t.input_uuid)!, t.name, t.value);
  }
  const result = new Map<string, DatasetInput[]>();
  for (const r of rows) {
    const input: DatasetInput = {
      dataset: {
        name: r.name,
        digest: r.digest,
        sourceType: r.dataset_source_type,
        source: r.dataset_source,
        ...(r.dataset_schema === null ? {} : { schema: r.dataset_schema }),
        ...(r.dataset_profile === null ? {} : { profile: r.dataset_profile }),
      },
      tags: tags.get(r.input_uuid) ?? {},
    };
    if (!result.has(r.run_uuid)) result.set(r.run_uuid, []);
    result.get(r.run_uuid)!.push(input);
  }
  return result;
}
