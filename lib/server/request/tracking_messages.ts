/**
 * MLflow 2.17.2's tracking request messages (`service.proto`), fields in declaration order (the
 * order a GET's query values are parsed in), and the handler schemas of `mlflow/server/handlers.py`.
 *
 * @module
 */
import type { EnumType, FieldDesc, MessageDesc } from "./proto_parse.ts";
import {
  array,
  atMost,
  floatlike,
  intlike,
  intWithin,
  items,
  itemStrings,
  lengthAtMost,
  required,
  type Schema,
  string,
} from "./schema.ts";
import { isDict, type PyValue } from "./py_values.ts";

/** `mlflow.ViewType`. */
export const VIEW_TYPE: EnumType = {
  enumName: "ViewType",
  values: { ACTIVE_ONLY: 1, DELETED_ONLY: 2, ALL: 3 },
};
/** `mlflow.RunStatus`. */
export const RUN_STATUS: EnumType = {
  enumName: "RunStatus",
  values: { RUNNING: 1, SCHEDULED: 2, FINISHED: 3, FAILED: 4, KILLED: 5 },
};

const s = (name: string): FieldDesc => ({ name, type: "string" });
const strings = (name: string): FieldDesc => ({ name, type: "string", repeated: true });
const msg = (name: string, ...fields: FieldDesc[]): MessageDesc => ({ name, fields });
const list = (name: string, type: MessageDesc): FieldDesc => ({ name, type, repeated: true });

const KEY_VALUE = (name: string) => msg(name, s("key"), s("value"));
const METRIC = msg(
  "Metric",
  s("key"),
  { name: "value", type: "double" },
  { name: "timestamp", type: "int64" },
  { name: "step", type: "int64", defaultValue: 0n },
);
const DATASET = msg(
  "Dataset",
  s("name"),
  s("digest"),
  s("source_type"),
  s("source"),
  s("schema"),
  s("profile"),
);
const DATASET_INPUT = msg("DatasetInput", list("tags", KEY_VALUE("InputTag")), {
  name: "dataset",
  type: DATASET,
});

/** One MLflow RPC's request message and handler schema. */
export interface RpcMessage {
  desc: MessageDesc;
  schema: Schema;
  /** Fields whose unparseable values do not refuse the request (MLflow ignores them, or reads the raw query). */
  lenient?: readonly string[];
}

const rpc = (desc: MessageDesc, schema: Schema = [], lenient?: readonly string[]): RpcMessage => ({
  desc,
  schema,
  lenient,
});
const idRequired = [required, string];
const runIdFirst = [string, required];

/**
 * `_assert_{metrics,params,tags}_fields_present` of log-batch: each item's `key` (and a metric's
 * `value` and `timestamp`) present; an item that is not an object is an invalid item (MLflow: 500).
 */
function fieldsPresent(listName: string, fields: readonly string[]) {
  return items((v: PyValue) => {
    if (!Array.isArray(v)) return { path: listName, value: v, missing: false };
    for (const [i, item] of v.entries()) {
      if (!isDict(item)) return { path: `${listName}[${i}]`, value: item, missing: false };
      for (const f of fields) {
        const x = item.get(f) ?? null;
        if (x === null || x === "") return { path: `${listName}[${i}].${f}`, value: x, missing: true };
      }
    }
    return undefined;
  });
}

/** The tracking RPCs' messages, by path under `/api/2.0/mlflow/`. */
export const TRACKING_MESSAGES = {
  "experiments/create": rpc(
    msg("CreateExperiment", s("name"), s("artifact_location"), list("tags", KEY_VALUE("ExperimentTag"))),
    [["name", [required, string]], ["artifact_location", [string]], ["tags", [array]]],
  ),
  "experiments/search": rpc(
    msg(
      "SearchExperiments",
      { name: "max_results", type: "int64" },
      s("page_token"),
      s("filter"),
      strings("order_by"),
      { name: "view_type", type: VIEW_TYPE },
    ),
    [
      ["view_type", [intlike]],
      ["max_results", [intlike]],
      ["order_by", [array]],
      ["filter", [string]],
      ["page_token", [string]],
    ],
  ),
  "experiments/get": rpc(msg("GetExperiment", s("experiment_id")), [["experiment_id", idRequired]]),
  "experiments/get-by-name": rpc(msg("GetExperimentByName", s("experiment_name")), [
    ["experiment_name", idRequired],
  ]),
  "experiments/delete": rpc(msg("DeleteExperiment", s("experiment_id")), [["experiment_id", idRequired]]),
  "experiments/restore": rpc(msg("RestoreExperiment", s("experiment_id")), [["experiment_id", idRequired]]),
  "experiments/update": rpc(msg("UpdateExperiment", s("experiment_id"), s("new_name")), [
    ["experiment_id", idRequired],
    ["new_name", [string, required]],
  ]),
  "experiments/set-experiment-tag": rpc(msg("SetExperimentTag", s("experiment_id"), s("key"), s("value")), [
    ["experiment_id", idRequired],
    ["key", idRequired],
    ["value", [string]],
  ]),
  "experiments/delete-experiment-tag": rpc(msg("DeleteExperimentTag", s("experiment_id"), s("key")), [
    ["experiment_id", idRequired],
    ["key", idRequired],
  ]),
  "experiments/search-datasets": rpc(msg("SearchDatasets", strings("experiment_ids"))),
  "runs/create": rpc(
    msg(
      "CreateRun",
      s("experiment_id"),
      s("user_id"),
      s("run_name"),
      { name: "start_time", type: "int64" },
      list("tags", KEY_VALUE("RunTag")),
    ),
    [["experiment_id", [string]], ["start_time", [intlike]], ["run_name", [string]]],
  ),
  "runs/update": rpc(
    msg(
      "UpdateRun",
      s("run_id"),
      s("run_uuid"),
      { name: "status", type: RUN_STATUS },
      { name: "end_time", type: "int64" },
      s("run_name"),
    ),
    [["run_id", idRequired], ["end_time", [intlike]], ["status", [string]], ["run_name", [string]]],
  ),
  "runs/delete": rpc(msg("DeleteRun", s("run_id")), [["run_id", idRequired]]),
  "runs/restore": rpc(msg("RestoreRun", s("run_id")), [["run_id", idRequired]]),
  "runs/log-metric": rpc(
    msg(
      "LogMetric",
      s("run_id"),
      s("run_uuid"),
      s("key"),
      { name: "value", type: "double" },
      { name: "timestamp", type: "int64" },
      { name: "step", type: "int64", defaultValue: 0n },
    ),
    [
      ["run_id", idRequired],
      ["key", idRequired],
      ["value", [required, floatlike]],
      ["timestamp", [intlike, required]],
      ["step", [intlike]],
    ],
  ),
  "runs/log-parameter": rpc(msg("LogParam", s("run_id"), s("run_uuid"), s("key"), s("value")), [
    ["run_id", idRequired],
    ["key", idRequired],
    ["value", [string]],
  ]),
  "runs/set-tag": rpc(msg("SetTag", s("run_id"), s("run_uuid"), s("key"), s("value")), [
    ["run_id", idRequired],
    ["key", idRequired],
    ["value", [string]],
  ]),
  "runs/delete-tag": rpc(msg("DeleteTag", s("run_id"), s("key")), [["run_id", idRequired], [
    "key",
    idRequired,
  ]]),
  "runs/get": rpc(msg("GetRun", s("run_id"), s("run_uuid")), [["run_id", idRequired]]),
  "runs/search": rpc(
    msg(
      "SearchRuns",
      strings("experiment_ids"),
      s("filter"),
      { name: "run_view_type", type: VIEW_TYPE, defaultValue: 1 },
      { name: "max_results", type: "int32", defaultValue: 1000n },
      strings("order_by"),
      s("page_token"),
    ),
    [
      ["experiment_ids", [array]],
      ["filter", [string]],
      ["max_results", [intlike, atMost(50000n)]],
      ["order_by", [array, itemStrings]],
    ],
  ),
  "runs/log-batch": rpc(
    msg(
      "LogBatch",
      s("run_id"),
      list("metrics", METRIC),
      list("params", KEY_VALUE("Param")),
      list("tags", KEY_VALUE("RunTag")),
    ),
    [
      ["run_id", runIdFirst],
      ["metrics", [array, fieldsPresent("metrics", ["key", "value", "timestamp"])]],
      ["params", [array, fieldsPresent("params", ["key"])]],
      ["tags", [array, fieldsPresent("tags", ["key"])]],
    ],
  ),
  "runs/log-model": rpc(msg("LogModel", s("run_id"), s("model_json")), [
    ["run_id", runIdFirst],
    ["model_json", [string, required]],
  ]),
  "runs/log-inputs": rpc(msg("LogInputs", s("run_id"), list("datasets", DATASET_INPUT)), [
    ["run_id", idRequired],
    ["datasets", [required, array]],
  ]),
  // MLflow 3 clients call runs/outputs after creating a logged model.
  "runs/outputs": rpc(
    msg(
      "LogOutputs",
      s("run_id"),
      list("models", msg("LoggedModelOutput", s("model_id"), { name: "step", type: "int64" })),
    ),
    [["run_id", idRequired], ["models", [required, array]]],
  ),
  // The tracing API's search: kmlf records no traces, so a valid search finds none.
  "traces": rpc(
    msg(
      "SearchTraces",
      strings("experiment_ids"),
      s("filter"),
      { name: "max_results", type: "int32", defaultValue: 100n },
      strings("order_by"),
      s("page_token"),
    ),
    [
      ["experiment_ids", [array, itemStrings, required]],
      ["filter", [string]],
      ["max_results", [intlike, atMost(500n)]],
      ["order_by", [array, itemStrings]],
      ["page_token", [string]],
    ],
  ),
  "artifacts/list": rpc(msg("ListArtifacts", s("run_id"), s("run_uuid"), s("path"), s("page_token")), [
    ["run_id", runIdFirst],
    ["path", [string]],
    ["page_token", [string]],
  ]),
  "metrics/get-history": rpc(
    msg(
      "GetMetricHistory",
      s("run_id"),
      s("run_uuid"),
      s("metric_key"),
      s("page_token"),
      { name: "max_results", type: "int32" },
    ),
    [["run_id", runIdFirst], ["metric_key", [string, required]], ["page_token", [string]]],
    // MLflow 2.17.2 ignores both (kmlf pages like MLflow 3 when max_results is a positive integer).
    ["max_results", "page_token"],
  ),
  "metrics/get-history-bulk-interval": rpc(
    msg(
      "GetMetricHistoryBulkInterval",
      strings("run_ids"),
      s("metric_key"),
      { name: "start_step", type: "int32" },
      { name: "end_step", type: "int32" },
      { name: "max_results", type: "int32" },
    ),
    [
      [
        "run_ids",
        [
          required,
          array,
          itemStrings,
          lengthAtMost(
            100,
            (n) =>
              `GetMetricHistoryBulkInterval request must specify at most 100 run_ids. Received ${n} run_ids.`,
          ),
        ],
      ],
      ["metric_key", [required, string]],
      ["start_step", [intlike]],
      ["end_step", [intlike]],
      ["max_results", [intlike, intWithin(1n, 2500n, "max_results must be between 1 and 2500.")]],
    ],
    // The handler reads these three from the raw query with Python's int().
    ["start_step", "end_step", "max_results"],
  ),
} as const satisfies Record<string, RpcMessage>;
