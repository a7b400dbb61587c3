/**
 * How `MlflowClient` logs data of any size within MLflow's per-request limits: batches split to fit, one
 * timestamp and step shared by a record of metrics, and a metric's history read page by page.
 *
 * @module
 */
import type { Metric } from "../entities.ts";
import type { TrackingStore } from "../stores/store.ts";
import { type KeyValueInput, toKeyValues } from "./client_options.ts";
import { LIMITS } from "../limits.ts";
import {
  keyValuesArgument,
  listArgument,
  metricKeyArgument,
  recordArgument,
  runIdArgument,
} from "./_arguments.ts";

/**
 * Logs metrics, params and tags of any size, split into requests within MLflow's batch limits
 * (≤ 100 params, ≤ 100 tags, ≤ 1000 entries per request).
 *
 * @example
 * ```ts
 * await logBatchInLimits(store, runId, { params: { lr: 0.1 }, metrics: [] });
 * ```
 */
export async function logBatchInLimits(
  store: Pick<TrackingStore, "logBatch">,
  runId: string,
  batch: { metrics?: readonly Metric[]; params?: KeyValueInput; tags?: KeyValueInput },
): Promise<void> {
  runIdArgument(runId, "logBatch");
  const metrics = [
    ...listArgument(batch.metrics, "metrics", "logBatch", "[{ key, value, timestamp, step }]"),
  ];
  const params = toKeyValues(keyValuesArgument(batch.params, "params", "logBatch"));
  const tags = toKeyValues(keyValuesArgument(batch.tags, "tags", "logBatch"));
  do {
    const p = params.splice(0, LIMITS.paramsPerBatch);
    const t = tags.splice(0, LIMITS.tagsPerBatch);
    const m = metrics.splice(0, LIMITS.entitiesPerBatch - p.length - t.length);
    // A batch call: a SQL store words a changed param as MLflow's log_batch does (a REST store's server
    // answers so too), a file store as MLflow's FileStore does.
    await store.logBatch(runId, { metrics: m, params: p, tags: t, asBatch: true });
  } while (metrics.length + params.length + tags.length > 0);
}

/**
 * The points `logMetrics` logs: one per key of `metrics`, all at one step and timestamp (defaults 0 and
 * now).
 *
 * @example
 * ```ts
 * metricPoints({ accuracy: 0.93 }, { step: 3 }); // [{ key: "accuracy", value: 0.93, timestamp, step: 3 }]
 * ```
 */
export function metricPoints(
  metrics: Record<string, number>,
  options: { step?: number; timestamp?: number },
): Metric[] {
  const timestamp = options.timestamp ?? Date.now();
  return Object.entries(recordArgument(metrics, "metrics", "logMetrics", "{ accuracy: 0.93 }")).map((
    [key, value],
  ) => ({
    key,
    value,
    timestamp,
    step: options.step ?? 0,
  }));
}

/**
 * Every point of one metric (by timestamp, step, value), read page by page.
 *
 * @example
 * ```ts
 * const points = await fullMetricHistory(store, runId, "loss");
 * ```
 */
export async function fullMetricHistory(
  store: Pick<TrackingStore, "getMetricHistory">,
  runId: string,
  key: string,
): Promise<Metric[]> {
  const all: Metric[] = [];
  let pageToken: string | undefined;
  runIdArgument(runId, "getMetricHistory");
  metricKeyArgument(key, "getMetricHistory");
  do {
    const page = await store.getMetricHistory(runId, key, { maxResults: 25000, pageToken });
    all.push(...page.metrics);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return all;
}
