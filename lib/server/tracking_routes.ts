/**
 * The MLflow tracking RPCs (`service.proto`) over a `TrackingStore`, keyed by their path under
 * `/api/2.0/mlflow/` (and `/ajax-api/2.0/mlflow/`). Shapes and errors follow MLflow 2.17's server.
 *
 * @module
 */
import {
  datasetInputFromWire,
  type DatasetInputWire,
  experimentToWire,
  fileInfoToWire,
  keyValuesFromWire,
  type KeyValueWire,
  type Metric,
  metricFromWire,
  metricToWire,
  type MetricWire,
  mlflowError,
  recordFromWire,
  runInfoToWire,
  runStatusFromWire,
  runToWire,
  viewTypeFromWire,
} from "../tracking/mod.ts";
import { bulkIntervalHistory } from "./metric_bulk.ts";
import { double, int, objects, type RequestMessage, requiredStr, str, strList } from "./request_message.ts";
import { pageBody } from "./responses.ts";
import type { Rpc, RpcHandler, ServerContext } from "./server_context.ts";

const post = (handle: RpcHandler): Rpc => ({ methods: ["POST"], handle });
const get = (handle: RpcHandler): Rpc => ({ methods: ["GET"], handle });
const EMPTY = {};

function runIdOf(msg: RequestMessage): string {
  return requiredStr(msg, "run_id", "run_uuid");
}

function tagsOf(msg: RequestMessage): Record<string, string> {
  return recordFromWire(objects(msg, "tags") as unknown as KeyValueWire[]);
}

function metricOf(m: RequestMessage): Metric {
  requiredStr(m, "key");
  if (m.timestamp === undefined || m.timestamp === null) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Missing value for required parameter 'timestamp' of metric '${m.key}'.`,
    );
  }
  double(m, "value");
  int(m, "timestamp", { required: true });
  int(m, "step");
  return metricFromWire(m as unknown as MetricWire);
}

/** An optional int field that must be ≥ 1 (page sizes: 0 would page forever). */
function positive(msg: RequestMessage, field: string): number | undefined {
  const value = int(msg, field);
  if (value !== undefined && value < 1) {
    throw mlflowError("INVALID_PARAMETER_VALUE", `${field} must be at least 1, got ${value}`);
  }
  return value;
}

function orderByOf(msg: RequestMessage): string[] {
  return strList(msg, "order_by");
}

/** Every tracking RPC by path. */
export const TRACKING_RPCS: Readonly<Record<string, Rpc>> = {
  "experiments/create": post(async ({ store }, msg) => {
    const name = requiredStr(msg, "name");
    const artifactLocation = str(msg, "artifact_location");
    const experimentId = await store.createExperiment(name, { artifactLocation, tags: tagsOf(msg) });
    return { experiment_id: experimentId };
  }),
  "experiments/get": get(async ({ store }, msg) => ({
    experiment: experimentToWire(await store.getExperiment(requiredStr(msg, "experiment_id"))),
  })),
  "experiments/get-by-name": get(async ({ store }, msg) => {
    const name = requiredStr(msg, "experiment_name");
    const experiment = await store.getExperimentByName(name);
    if (!experiment) {
      throw mlflowError("RESOURCE_DOES_NOT_EXIST", `Could not find experiment with name '${name}'`);
    }
    return { experiment: experimentToWire(experiment) };
  }),
  "experiments/search": {
    methods: ["GET", "POST"],
    handle: async ({ store }, msg) => {
      const page = await store.searchExperiments({
        filter: str(msg, "filter"),
        viewType: viewTypeFromWire(str(msg, "view_type")),
        maxResults: int(msg, "max_results"),
        orderBy: orderByOf(msg),
        pageToken: str(msg, "page_token"),
      });
      return pageBody("experiments", page.experiments.map(experimentToWire), page.nextPageToken);
    },
  },
  "experiments/update": post(async ({ store }, msg) => {
    await store.renameExperiment(requiredStr(msg, "experiment_id"), requiredStr(msg, "new_name"));
    return EMPTY;
  }),
  "experiments/delete": post(async ({ store }, msg) => {
    await store.deleteExperiment(requiredStr(msg, "experiment_id"));
    return EMPTY;
  }),
  "experiments/restore": post(async ({ store }, msg) => {
    await store.restoreExperiment(requiredStr(msg, "experiment_id"));
    return EMPTY;
  }),
  "experiments/set-experiment-tag": post(async ({ store }, msg) => {
    await store.setExperimentTag(
      requiredStr(msg, "experiment_id"),
      requiredStr(msg, "key"),
      str(msg, "value") ?? "",
    );
    return EMPTY;
  }),
  "experiments/delete-experiment-tag": {
    methods: ["POST", "DELETE"],
    handle: async ({ store }, msg) => {
      await store.deleteExperimentTag(requiredStr(msg, "experiment_id"), requiredStr(msg, "key"));
      return EMPTY;
    },
  },

  "runs/create": post(async ({ store }, msg) => {
    const tags = tagsOf(msg);
    const runName = str(msg, "run_name");
    const tagName = tags["mlflow.runName"];
    if (runName && tagName !== undefined && tagName !== runName) {
      throw mlflowError(
        "INVALID_PARAMETER_VALUE",
        `Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values ` +
          `(run_name='${runName}', mlflow.runName='${tagName}').`,
      );
    }
    const run = await store.createRun({
      experimentId: str(msg, "experiment_id") || "0",
      userId: str(msg, "user_id"),
      startTime: int(msg, "start_time"),
      runName: runName || undefined,
      tags,
    });
    // MLflow's create answer carries no `inputs` (a new run has none).
    const { inputs: _none, ...wire } = runToWire(run);
    return { run: wire };
  }),
  "runs/update": post(async ({ store }, msg) => {
    const status = str(msg, "status");
    const info = await store.updateRun(runIdOf(msg), {
      status: status === undefined ? undefined : runStatusFromWire(status),
      endTime: int(msg, "end_time"),
      runName: str(msg, "run_name") || undefined,
    });
    return { run_info: runInfoToWire(info) };
  }),
  "runs/delete": post(async ({ store }, msg) => {
    await store.deleteRun(runIdOf(msg));
    return EMPTY;
  }),
  "runs/restore": post(async ({ store }, msg) => {
    await store.restoreRun(runIdOf(msg));
    return EMPTY;
  }),
  "runs/get": get(async ({ store }, msg) => ({ run: runToWire(await store.getRun(runIdOf(msg))) })),
  "runs/search": {
    methods: ["POST", "GET"],
    handle: async ({ store }, msg) => {
      const page = await store.searchRuns({
        experimentIds: strList(msg, "experiment_ids"),
        filter: str(msg, "filter"),
        runViewType: viewTypeFromWire(str(msg, "run_view_type")),
        maxResults: int(msg, "max_results"),
        orderBy: orderByOf(msg),
        pageToken: str(msg, "page_token"),
      });
      return pageBody("runs", page.runs.map(runToWire), page.nextPageToken);
    },
  },
  "runs/log-metric": post(async ({ store }, msg) => {
    await store.logBatch(runIdOf(msg), { metrics: [metricOf({ step: 0, ...msg })] });
    return EMPTY;
  }),
  "runs/log-parameter": post(async ({ store }, msg) => {
    const key = requiredStr(msg, "key");
    await store.logBatch(runIdOf(msg), { params: [{ key, value: str(msg, "value") ?? "" }] });
    return EMPTY;
  }),
  "runs/set-tag": post(async ({ store }, msg) => {
    await store.setTag(runIdOf(msg), requiredStr(msg, "key"), str(msg, "value") ?? "");
    return EMPTY;
  }),
  "runs/delete-tag": {
    methods: ["POST", "DELETE"],
    handle: async ({ store }, msg) => {
      await store.deleteTag(runIdOf(msg), requiredStr(msg, "key"));
      return EMPTY;
    },
  },
  "runs/log-batch": post(async ({ store }, msg) => {
    const metrics = objects(msg, "metrics").map((m) => metricOf({ step: 0, ...m }));
    const params = keyValuesFromWire(objects(msg, "params") as unknown as KeyValueWire[]);
    const tags = keyValuesFromWire(objects(msg, "tags") as unknown as KeyValueWire[]);
    await store.logBatch(runIdOf(msg), { metrics, params, tags });
    return EMPTY;
  }),
  "runs/log-inputs": post(async ({ store }, msg) => {
    const datasets = objects(msg, "datasets").map((d) =>
      datasetInputFromWire(d as unknown as DatasetInputWire)
    );
    await store.logInputs(runIdOf(msg), datasets);
    return EMPTY;
  }),
  // MLflow 3 clients call runs/outputs after creating a logged model; the run itself records nothing.
  "runs/outputs": post(async ({ store }, msg) => {
    await store.getRun(runIdOf(msg));
    return EMPTY;
  }),
  "metrics/get-history": get(async ({ store }, msg) => {
    const page = await store.getMetricHistory(runIdOf(msg), requiredStr(msg, "metric_key"), {
      maxResults: positive(msg, "max_results"),
      pageToken: str(msg, "page_token"),
    });
    return pageBody("metrics", page.metrics.map(metricToWire), page.nextPageToken);
  }),
  "metrics/get-history-bulk-interval": get(async ({ store }, msg) => {
    const metrics = await bulkIntervalHistory(store, {
      runIds: strList(msg, "run_ids"),
      metricKey: requiredStr(msg, "metric_key"),
      startStep: int(msg, "start_step"),
      endStep: int(msg, "end_step"),
      maxResults: int(msg, "max_results"),
    });
    return metrics.length ? { metrics } : EMPTY;
  }),
  // The UI-only bulk endpoint: every point of one metric for several runs.
  "metrics/get-history-bulk": get(async ({ store }, msg) => {
    const runIds = strList(msg, "run_id");
    if (runIds.length > 100) {
      throw mlflowError("INVALID_PARAMETER_VALUE", "GetMetricHistoryBulk accepts at most 100 run ids");
    }
    const key = requiredStr(msg, "metric_key");
    const maxResults = Math.min(positive(msg, "max_results") ?? 25000, 25000);
    const metrics = [];
    for (const runId of runIds) {
      const page = await store.getMetricHistory(runId, key, { maxResults });
      metrics.push(...page.metrics.map((m) => ({ ...metricToWire(m), run_id: runId })));
    }
    return { metrics: metrics.slice(0, maxResults) };
  }),
  "artifacts/list": get(async (ctx: ServerContext, msg) => {
    const run = await ctx.store.getRun(runIdOf(msg));
    const repo = ctx.artifactRepository(run.info.artifactUri);
    const files = await repo.listArtifacts(str(msg, "path"));
    const body: Record<string, unknown> = { root_uri: run.info.artifactUri };
    if (files.length) body.files = files.map(fileInfoToWire);
    return body;
  }),
};
