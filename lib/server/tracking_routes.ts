/**
 * The MLflow tracking RPCs (`service.proto`) over a `TrackingStore`, keyed by their path under
 * `/api/2.0/mlflow/` (and `/ajax-api/2.0/mlflow/`). Each request is decoded and validated as
 * MLflow 2.17.2's server does (`request/decode.ts`); shapes and errors follow its handlers.
 *
 * @module
 */
import { isAbsolute, pathToFileUri, resolve } from "../path.ts";
import {
  checkLocalArtifactLocation,
  type DatasetInput,
  experimentToWire,
  fileInfoToWire,
  type KeyValue,
  type Metric,
  metricToWire,
  mlflowError,
  runInfoToWire,
  type RunStatus,
  runToWire,
  safeArtifactPath,
  validateBatch,
  validateMaxResults,
  type ViewType,
} from "../tracking/mod.ts";
import { checkClientArtifactLocation } from "./artifact_location_rule.ts";
import { bulkIntervalHistory } from "./metric_bulk.ts";
import { logModelHistory } from "./log_model.ts";
import { runArtifactRoot } from "./run_artifact_root.ts";
import type { ProtoMessage } from "./request/proto_parse.ts";
import { invalidValueError } from "./request/schema.ts";
import { RUN_STATUS, TRACKING_MESSAGES, VIEW_TYPE } from "./request/tracking_messages.ts";
import { pageBody } from "./responses.ts";
import type { Rpc, RpcHandler, ServerContext } from "./server_context.ts";
import { validateArtifactPathParam } from "./artifact_paths.ts";
import { searchDatasets } from "./search_datasets.ts";

type Path = keyof typeof TRACKING_MESSAGES;

function rpc(path: Path, methods: readonly string[], handle: RpcHandler): Rpc {
  return { methods, ...TRACKING_MESSAGES[path], handle };
}
const post = (path: Path, handle: RpcHandler) => rpc(path, ["POST"], handle);
const get = (path: Path, handle: RpcHandler) => rpc(path, ["GET"], handle);
const EMPTY = {};

/** `request_message.run_id or request_message.run_uuid`. */
function runIdOf(m: ProtoMessage): string {
  return m.str("run_id") || (m.desc.fields.some((f) => f.name === "run_uuid") ? m.str("run_uuid") : "");
}

/**
 * An int64 as a JS number. kmlf keeps steps and timestamps as exact doubles, so it refuses what a
 * double cannot hold exactly (MLflow stores any int64).
 */
export function safeInt(value: bigint, path: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw invalidValueError(path, value, `kmlf stores integers up to ±${Number.MAX_SAFE_INTEGER} exactly`);
  }
  return Number(value);
}

/** A search's max_results, checked with its exact value (an int64 may not fit a double). */
function searchMaxResults(m: ProtoMessage): number {
  const value = m.int("max_results");
  validateMaxResults(value);
  return Number(value);
}

function enumName(type: typeof VIEW_TYPE, n: number): string {
  return Object.entries(type.values).find(([, v]) => v === n)![0];
}

function keyValues(m: ProtoMessage, field: string): KeyValue[] {
  return m.list<ProtoMessage>(field).map((t) => ({ key: t.str("key"), value: t.str("value") }));
}

function tagRecord(m: ProtoMessage): Record<string, string> {
  return Object.fromEntries(keyValues(m, "tags").map((t) => [t.key, t.value]));
}

function metricOf(m: ProtoMessage, path: string): Metric {
  return {
    key: m.str("key"),
    value: m.num("value"),
    timestamp: safeInt(m.int("timestamp"), `${path}timestamp`),
    step: safeInt(m.int("step"), `${path}step`),
  };
}

function datasetInputOf(d: ProtoMessage): DatasetInput {
  const ds = d.msg("dataset");
  const optional = (f: string) => (ds.has(f) ? ds.str(f) : undefined);
  return {
    dataset: {
      name: ds.str("name"),
      digest: ds.str("digest"),
      sourceType: ds.str("source_type"),
      source: ds.str("source"),
      schema: optional("schema"),
      profile: optional("profile"),
    },
    tags: tagRecord(d),
  };
}

/**
 * MLflow's `resolve_uri_if_local`: a relative local artifact location is made absolute against the
 * server's working directory (a `file://` URI), so runs do not depend on where their client ran.
 */
function resolveLocalLocation(location: string, cwd: string): string {
  if (!location || /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(location) || isAbsolute(location)) return location;
  return pathToFileUri(resolve(cwd, location));
}

/** `_create_experiment`'s checks of the artifact location's URL parts. */
function checkArtifactLocation(location: string): void {
  const fragmentOrParams = /#/.test(location) ||
    /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*\/[^?#]*;/.test(location) ||
    /^[^:/?#]*;/.test(location.split("?")[0].split("/").at(-1) ?? "");
  if (fragmentOrParams) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      "'artifact_location' URL can't include fragments or params.",
    );
  }
  const query = location.includes("?") ? location.slice(location.indexOf("?") + 1) : "";
  let decoded = query;
  try {
    decoded = decodeURIComponent(query);
  } catch { /* keep it raw */ }
  if (decoded.includes("..")) throw mlflowError("INVALID_PARAMETER_VALUE", "Invalid query string");
}

/** Every tracking RPC by path. */
export const TRACKING_RPCS: Readonly<Record<string, Rpc>> = {
  "experiments/create": post("experiments/create", async ({ store, cwd, artifactRoots }, m) => {
    // A local folder of no machine here (file://host/x, file:, C:\x, ~/x) is refused as written, before
    // a relative one is made the server's.
    checkLocalArtifactLocation(m.str("artifact_location"));
    const artifactLocation = resolveLocalLocation(m.str("artifact_location"), cwd);
    checkArtifactLocation(artifactLocation);
    checkClientArtifactLocation(artifactLocation, artifactRoots, cwd);
    const experimentId = await store.createExperiment(m.str("name"), {
      artifactLocation: artifactLocation || undefined,
      tags: tagRecord(m),
    });
    return { experiment_id: experimentId };
  }),
  "experiments/get": get("experiments/get", async ({ store }, m) => ({
    experiment: experimentToWire(await store.getExperiment(m.str("experiment_id"))),
  })),
  "experiments/get-by-name": get("experiments/get-by-name", async ({ store }, m) => {
    const name = m.str("experiment_name");
    const experiment = await store.getExperimentByName(name);
    if (!experiment) {
      throw mlflowError("RESOURCE_DOES_NOT_EXIST", `Could not find experiment with name '${name}'`);
    }
    return { experiment: experimentToWire(experiment) };
  }),
  "experiments/search": rpc("experiments/search", ["GET", "POST"], async ({ store }, m) => {
    const page = await store.searchExperiments({
      filter: m.str("filter"),
      viewType: enumName(VIEW_TYPE, m.num("view_type")) as ViewType,
      maxResults: searchMaxResults(m),
      orderBy: m.list<string>("order_by"),
      pageToken: m.str("page_token") || undefined,
    });
    return pageBody("experiments", page.experiments.map(experimentToWire), page.nextPageToken);
  }),
  "experiments/update": post("experiments/update", async ({ store }, m) => {
    if (m.str("new_name")) await store.renameExperiment(m.str("experiment_id"), m.str("new_name"));
    return EMPTY;
  }),
  "experiments/delete": post("experiments/delete", async ({ store }, m) => {
    await store.deleteExperiment(m.str("experiment_id"));
    return EMPTY;
  }),
  "experiments/restore": post("experiments/restore", async ({ store }, m) => {
    await store.restoreExperiment(m.str("experiment_id"));
    return EMPTY;
  }),
  "experiments/set-experiment-tag": post("experiments/set-experiment-tag", async ({ store }, m) => {
    await store.setExperimentTag(m.str("experiment_id"), m.str("key"), m.str("value"));
    return EMPTY;
  }),
  "experiments/delete-experiment-tag": post("experiments/delete-experiment-tag", async ({ store }, m) => {
    await store.deleteExperimentTag(m.str("experiment_id"), m.str("key"));
    return EMPTY;
  }),
  "experiments/search-datasets": post("experiments/search-datasets", searchDatasets),

  "runs/create": post("runs/create", async ({ store }, m) => {
    const run = await store.createRun({
      experimentId: m.str("experiment_id"),
      userId: m.str("user_id"),
      startTime: m.has("start_time") ? safeInt(m.int("start_time"), "start_time") : undefined,
      runName: m.str("run_name") || undefined,
      tags: tagRecord(m),
    });
    // MLflow's create answer carries no `inputs` (a new run has none).
    const { inputs: _none, ...wire } = runToWire(run);
    return { run: wire };
  }),
  "runs/update": post("runs/update", async ({ store }, m) => {
    const info = await store.updateRun(runIdOf(m), {
      status: m.has("status") ? enumName(RUN_STATUS, m.num("status")) as RunStatus : undefined,
      endTime: m.has("end_time") ? safeInt(m.int("end_time"), "end_time") : undefined,
      runName: m.has("run_name") ? m.str("run_name") : undefined,
    });
    return { run_info: runInfoToWire(info) };
  }),
  "runs/delete": post("runs/delete", async ({ store }, m) => {
    await store.deleteRun(m.str("run_id"));
    return EMPTY;
  }),
  "runs/restore": post("runs/restore", async ({ store }, m) => {
    await store.restoreRun(m.str("run_id"));
    return EMPTY;
  }),
  "runs/get": get("runs/get", async ({ store }, m) => ({ run: runToWire(await store.getRun(runIdOf(m))) })),
  "runs/search": post("runs/search", async ({ store }, m) => {
    const page = await store.searchRuns({
      experimentIds: m.list<string>("experiment_ids"),
      filter: m.str("filter"),
      runViewType: enumName(VIEW_TYPE, m.num("run_view_type")) as ViewType,
      maxResults: searchMaxResults(m),
      orderBy: m.list<string>("order_by"),
      pageToken: m.str("page_token") || undefined,
    });
    return pageBody("runs", page.runs.map(runToWire), page.nextPageToken);
  }),
  "runs/log-metric": post("runs/log-metric", async ({ store }, m) => {
    await store.logBatch(runIdOf(m), { metrics: [metricOf(m, "")] });
    return EMPTY;
  }),
  "runs/log-parameter": post("runs/log-parameter", async ({ store }, m) => {
    await store.logBatch(runIdOf(m), { params: [{ key: m.str("key"), value: m.str("value") }] });
    return EMPTY;
  }),
  "runs/set-tag": post("runs/set-tag", async ({ store }, m) => {
    await store.setTag(runIdOf(m), m.str("key"), m.str("value"));
    return EMPTY;
  }),
  "runs/delete-tag": post("runs/delete-tag", async ({ store }, m) => {
    await store.deleteTag(m.str("run_id"), m.str("key"));
    return EMPTY;
  }),
  "runs/log-batch": post("runs/log-batch", async ({ store }, m) => {
    const metrics = m.list<ProtoMessage>("metrics").map((x, i) => metricOf(x, `metrics[${i}].`));
    const batch = { metrics, params: keyValues(m, "params"), tags: keyValues(m, "tags"), asBatch: true };
    // MLflow names a bad entry by its place in the request (`metrics[0].name`); value lengths are
    // the store's to judge (it may truncate).
    validateBatch(batch, { indexedPaths: true, truncateLongValues: true });
    await store.logBatch(m.str("run_id"), batch);
    return EMPTY;
  }),
  "runs/log-model": post("runs/log-model", async ({ store }, m) => {
    await logModelHistory(store, m.str("run_id"), m.str("model_json"));
    return EMPTY;
  }),
  "runs/log-inputs": post("runs/log-inputs", async ({ store }, m) => {
    await store.logInputs(m.str("run_id"), m.list<ProtoMessage>("datasets").map(datasetInputOf));
    return EMPTY;
  }),
  "metrics/get-history": get("metrics/get-history", async ({ store }, m) => {
    // MLflow 2.17.2 answers every point; with a positive max_results kmlf pages as MLflow 3 does.
    const maxResults = m.has("max_results") && m.int("max_results") > 0n
      ? Number(m.int("max_results"))
      : undefined;
    const page = await store.getMetricHistory(runIdOf(m), m.str("metric_key"), {
      maxResults,
      pageToken: maxResults ? m.str("page_token") || undefined : undefined,
    });
    return pageBody("metrics", page.metrics.map(metricToWire), page.nextPageToken);
  }),
  "metrics/get-history-bulk-interval": get(
    "metrics/get-history-bulk-interval",
    async ({ store }, m, query) => {
      const metrics = await bulkIntervalHistory(store, {
        runIds: m.list<string>("run_ids"),
        metricKey: m.str("metric_key"),
        startStep: query.get("start_step") ?? undefined,
        endStep: query.get("end_step") ?? undefined,
        maxResults: query.get("max_results") ?? undefined,
      });
      return metrics.length ? { metrics } : EMPTY;
    },
  ),
  "runs/outputs": post("runs/outputs", async ({ store }, m) => {
    // The run itself records nothing of its logged models (they live in the server's records).
    await store.getRun(m.str("run_id"));
    return EMPTY;
  }),
  "traces": get("traces", () => Promise.resolve(EMPTY)),
  "artifacts/list": get("artifacts/list", async (ctx: ServerContext, m) => {
    const path = m.has("path") ? validateArtifactPathParam(m.str("path")) : undefined;
    const run = await ctx.store.getRun(runIdOf(m));
    const repo = ctx.artifactRepository(runArtifactRoot(run));
    const files = await repo.listArtifacts(path ? safeArtifactPath(path) : undefined);
    const body: Record<string, unknown> = { root_uri: run.info.artifactUri };
    if (files.length) body.files = files.map(fileInfoToWire);
    return body;
  }),
};
