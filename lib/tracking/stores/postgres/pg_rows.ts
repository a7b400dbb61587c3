/**
 * Reading complete runs from PostgreSQL: run info from the page's rows, then params, tags, latest
 * metrics and dataset inputs of the whole page with one query per table, sent together.
 *
 * @module
 */
import { type DatasetInput, type Run, setEntry } from "../../entities.ts";
import { type RunRow, toRunInfo } from "../sql/rows.ts";
import { datasetInputsByRun, type InputRow } from "../sql/run_inputs.ts";
import type { PgQuery } from "./pg_db.ts";

/** `{run id → {key: value}}` of `params` or `tags`; PostgreSQL builds each run's object as JSON. */
async function keyValues(q: PgQuery, table: "params" | "tags", ids: string[]) {
  const rows = await q.all<{ run_uuid: string; kv: Record<string, string> }>(
    `SELECT run_uuid, json_object_agg(key, coalesce(value, '')) AS kv FROM ${table} ` +
      "WHERE run_uuid = ANY($1::text[]) GROUP BY run_uuid",
    [ids],
  );
  return new Map(rows.map((r) => [r.run_uuid, r.kv]));
}

/**
 * Loads complete runs for the given rows (order kept).
 *
 * @example
 * ```ts
 * const runs = await loadPgRuns(q, rows, { hasInputs: true });
 * ```
 */
export async function loadPgRuns(
  q: PgQuery,
  rows: readonly RunRow[],
  options: { hasInputs: boolean },
): Promise<Run[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.run_uuid);
  const [params, tags, latest, inputs] = await Promise.all([
    keyValues(q, "params", ids),
    keyValues(q, "tags", ids),
    q.all<
      {
        run_uuid: string;
        key: string;
        value: number;
        timestamp: number | null;
        step: number | null;
        is_nan: boolean;
      }
    >(
      "SELECT run_uuid, key, value, timestamp, step, is_nan FROM latest_metrics WHERE run_uuid = ANY($1::text[])",
      [ids],
    ),
    options.hasInputs ? loadInputs(q, ids) : new Map<string, DatasetInput[]>(),
  ]);
  const runs = new Map<string, Run>();
  for (const row of rows) {
    const runTags = tags.get(row.run_uuid) ?? {};
    runs.set(row.run_uuid, {
      info: toRunInfo(row, runTags),
      data: { metrics: {}, params: params.get(row.run_uuid) ?? {}, tags: runTags, latestMetrics: {} },
      inputs: { datasetInputs: inputs.get(row.run_uuid) ?? [] },
    });
  }
  for (const m of latest) {
    const data = runs.get(m.run_uuid)!.data;
    const metric = {
      key: m.key,
      value: m.is_nan ? NaN : m.value,
      timestamp: m.timestamp ?? 0,
      step: m.step ?? 0,
    };
    setEntry(data.metrics, m.key, metric.value);
    setEntry(data.latestMetrics, m.key, metric);
  }
  return rows.map((r) => runs.get(r.run_uuid)!);
}

async function loadInputs(q: PgQuery, ids: string[]): Promise<Map<string, DatasetInput[]>> {
  const rows = await q.all<InputRow>(
    "SELECT i.destination_id AS run_uuid, i.input_uuid, d.name, d.digest, d.dataset_source_type, " +
      "d.dataset_source, d.dataset_schema, d.dataset_profile FROM inputs i " +
      "JOIN datasets d ON d.dataset_uuid = i.source_id " +
      "WHERE i.source_type = 'DATASET' AND i.destination_type = 'RUN' AND i.destination_id = ANY($1::text[]) " +
      // Insertion order: inputs rows are never updated, so their physical order is the order logged.
      "ORDER BY i.ctid",
    [ids],
  );
  if (rows.length === 0) return new Map();
  const tagRows = await q.all<{ input_uuid: string; name: string; value: string }>(
    "SELECT input_uuid, name, value FROM input_tags WHERE input_uuid = ANY($1::text[])",
    [rows.map((r) => r.input_uuid)],
  );
  return datasetInputsByRun(rows, tagRows);
}
