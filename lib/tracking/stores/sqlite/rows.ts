/**
 * Reading MLflow's rows into entities: run info, and run data (latest metrics, params, tags, dataset
 * inputs) for one run or for a whole page of runs with one query per table.
 *
 * @module
 */
import { type DatasetInput, type Metric, type Run, setEntry } from "../../entities.ts";
import { type RunRow, toRunInfo } from "../sql/rows.ts";
import { RUN_INFO_COLUMNS } from "../../search/columns.ts";
import { datasetInputsByRun, type InputRow } from "../sql/run_inputs.ts";
import type { SqliteDb } from "./db.ts";

export { type ExperimentRow, type RunRow, toExperiment, toRunInfo } from "../sql/rows.ts";

const IDS = "SELECT value FROM json_each(?)";

/**
 * One JSON object per run of the page (`ids`, a JSON array): `{key: value}` of `table`, built by
 * SQLite in index order (the order the rows were written) and parsed by V8 — far cheaper than a JS
 * row per entry. A NULL value reads as "". JSON.parse keeps a `__proto__` key as an own property, as
 * {@link setEntry} does.
 */
function keyValueObjects(
  db: SqliteDb,
  ids: string,
  count: number,
  table: "params" | "tags",
): Record<string, string>[] {
  const objects = new Array<Record<string, string>>(count);
  for (
    const [i, json] of db.rows<[number, string]>(
      "SELECT j.key, (SELECT json_group_object(t.key, coalesce(t.value, '')) " +
        `FROM ${table} t WHERE t.run_uuid = j.value) FROM json_each(?) j`,
      ids,
    )
  ) objects[i] = JSON.parse(json);
  return objects;
}

/**
 * The `runs` rows with the given rowids, in the order given (a search's page, sorted by rowid first).
 *
 * @example
 * ```ts
 * const [row] = runRowsAt(db, [1]);
 * ```
 */
export function runRowsAt(db: SqliteDb, rowids: readonly number[]): RunRow[] {
  const rows = new Array<RunRow>(rowids.length);
  // Rows as arrays, each read into its object once (half the time of SQLite's objects for a page of 1,000).
  for (
    const v of db.rows<[number, string, ...(string | number | null)[]]>(
      `SELECT j.key, ${RUN_INFO_COLUMNS} FROM json_each(?) j CROSS JOIN runs r ON r.rowid = j.value`,
      JSON.stringify(rowids),
    )
  ) {
    rows[v[0]] = {
      run_uuid: v[1],
      name: v[2] as string | null,
      experiment_id: v[3] as number,
      user_id: v[4] as string | null,
      status: v[5] as string | null,
      start_time: v[6] as number | null,
      end_time: v[7] as number | null,
      artifact_uri: v[8] as string | null,
      lifecycle_stage: v[9] as string | null,
    };
  }
  return rows;
}

/**
 * Loads complete runs for the given rows (order kept), with one query per table.
 *
 * @example
 * ```ts
 * const runs = loadRuns(db, rows, { hasInputs: true });
 * ```
 */
export function loadRuns(db: SqliteDb, rows: readonly RunRow[], options: { hasInputs: boolean }): Run[] {
  if (rows.length === 0) return [];
  const ids = JSON.stringify(rows.map((r) => r.run_uuid));
  const params = keyValueObjects(db, ids, rows.length, "params");
  const tags = keyValueObjects(db, ids, rows.length, "tags");
  const runs = rows.map((row, i): Run => ({
    info: toRunInfo(row, tags[i]),
    data: { metrics: {}, params: params[i], tags: tags[i], latestMetrics: {} },
    inputs: { datasetInputs: [] },
  }));
  const latest = db.rows<[number, string, number, number | null, number | null, number]>(
    "SELECT j.key, m.key, m.value, m.timestamp, m.step, m.is_nan " +
      "FROM json_each(?) j JOIN latest_metrics m ON m.run_uuid = j.value",
    ids,
  );
  for (const [i, key, stored, timestamp, step, isNan] of latest) {
    const data = runs[i].data;
    const metric: Metric = { key, value: isNan ? NaN : stored, timestamp: timestamp ?? 0, step: step ?? 0 };
    setEntry(data.metrics, key, metric.value);
    setEntry(data.latestMetrics, key, metric);
  }
  if (options.hasInputs) {
    const positions = new Map(rows.map((r, i) => [r.run_uuid, i]));
    for (const [runId, inputs] of loadInputs(db, ids)) {
      runs[positions.get(runId)!].inputs.datasetInputs = inputs;
    }
  }
  return runs;
}

function loadInputs(db: SqliteDb, ids: string): Map<string, DatasetInput[]> {
  const rows = db.all<InputRow>(
    "SELECT i.destination_id AS run_uuid, i.input_uuid, d.name, d.digest, d.dataset_source_type, " +
      "d.dataset_source, d.dataset_schema, d.dataset_profile FROM inputs i " +
      "JOIN datasets d ON d.dataset_uuid = i.source_id " +
      `WHERE i.source_type = 'DATASET' AND i.destination_type = 'RUN' AND i.destination_id IN (${IDS}) ` +
      "ORDER BY i.rowid",
    ids,
  );
  if (rows.length === 0) return new Map();
  const tagRows = db.all<{ input_uuid: string; name: string; value: string }>(
    `SELECT input_uuid, name, value FROM input_tags WHERE input_uuid IN (${IDS})`,
    JSON.stringify(rows.map((r) => r.input_uuid)),
  );
  return datasetInputsByRun(rows, tagRows);
}
