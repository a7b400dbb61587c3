/**
 * What differs between MLflow 2.17.2's four search grammars (`SearchUtils` for runs,
 * `SearchExperimentsUtils`, `SearchModelUtils`, `SearchModelVersionUtils`): valid entity types and
 * attribute keys, numeric attributes, and the sets its messages print (in the order its server printed
 * them; Python set order is fixed by the server's build, so the recorded order is copied).
 *
 * @module
 */
import { pySetRepr } from "./python_text.ts";

/** Which search a filter or order_by belongs to. */
export type SearchGrammar = "runs" | "experiments" | "models" | "versions";

/** What a comparison compares. */
export type EntityType = "metric" | "parameter" | "tag" | "attribute" | "dataset";

/** Run entity prefixes and what they stand for (`SearchUtils._valid_entity_type`). */
export const RUN_ENTITIES: Record<string, EntityType> = {
  metric: "metric",
  metrics: "metric",
  parameter: "parameter",
  parameters: "parameter",
  param: "parameter",
  params: "parameter",
  tag: "tag",
  tags: "tag",
  attribute: "attribute",
  attributes: "attribute",
  attr: "attribute",
  run: "attribute",
  dataset: "dataset",
  datasets: "dataset",
};

/** Searchable run attributes (`RunInfo.get_searchable_attributes`), sorted as MLflow lists them. */
export const RUN_ATTRIBUTES = [
  "artifact_uri",
  "end_time",
  "run_id",
  "run_name",
  "start_time",
  "status",
  "user_id",
];
/** Run attribute aliases and the attribute they stand for. */
export const RUN_ATTRIBUTE_ALIASES: Record<string, string> = {
  created: "start_time",
  Created: "start_time",
  "run name": "run_name",
  "Run name": "run_name",
  "Run Name": "run_name",
};
/** Dataset keys a run filter may compare. */
export const DATASET_KEYS = ["name", "digest", "context"];

/** Per grammar: attribute keys a filter may use and their repr, numeric attributes, order_by keys. */
export interface GrammarSets {
  filterKeys: ReadonlySet<string>;
  filterKeysRepr: string;
  numeric: ReadonlySet<string>;
  orderKeys: ReadonlySet<string>;
  orderKeysRepr: string;
}

const set = (items: string[]) => ({ keys: new Set(items), repr: pySetRepr(items) });
const runFilter = set([
  "artifact_uri",
  "status",
  "Created",
  "Run Name",
  "run name",
  "run_name",
  "run_id",
  "start_time",
  "user_id",
  "Run name",
  "end_time",
  "created",
]);
// set(sorted searchable attributes + ["created", "Created"]), iterated under PYTHONHASHSEED=0.
const runOrder = set([
  "artifact_uri",
  "status",
  "Created",
  "run_name",
  "run_id",
  "start_time",
  "user_id",
  "end_time",
  "created",
]);
const experimentFilter = set(["last_update_time", "creation_time", "name"]);
const experimentOrder = set(["experiment_id", "last_update_time", "creation_time", "name"]);
const modelFilter = set(["name"]);
const modelOrder = set(["creation_timestamp", "last_updated_timestamp", "name"]);
const versionFilter = set(["version_number", "source_path", "run_id", "name"]);
const versionOrder = set(["creation_timestamp", "last_updated_timestamp", "version_number", "name"]);

/** The sets of each grammar. */
export const GRAMMARS: Record<SearchGrammar, GrammarSets> = {
  runs: {
    filterKeys: runFilter.keys,
    filterKeysRepr: runFilter.repr,
    numeric: new Set(["start_time", "end_time", "created", "Created"]),
    orderKeys: runOrder.keys,
    orderKeysRepr: runOrder.repr,
  },
  experiments: {
    filterKeys: experimentFilter.keys,
    filterKeysRepr: experimentFilter.repr,
    numeric: new Set(["creation_time", "last_update_time"]),
    orderKeys: experimentOrder.keys,
    orderKeysRepr: experimentOrder.repr,
  },
  models: {
    filterKeys: modelFilter.keys,
    filterKeysRepr: modelFilter.repr,
    numeric: new Set(["creation_timestamp", "last_updated_timestamp"]),
    orderKeys: modelOrder.keys,
    orderKeysRepr: modelOrder.repr,
  },
  versions: {
    filterKeys: versionFilter.keys,
    filterKeysRepr: versionFilter.repr,
    numeric: new Set(["version_number", "creation_timestamp", "last_updated_timestamp"]),
    orderKeys: versionOrder.keys,
    orderKeysRepr: versionOrder.repr,
  },
};

/** `SearchModelVersionUtils.NUMERIC_ATTRIBUTES` as its message prints it. */
export const VERSION_NUMERIC_REPR = pySetRepr([
  "creation_timestamp",
  "last_updated_timestamp",
  "version_number",
]);
/**
 * `SearchUtils.DATASET_ATTRIBUTES` as its message prints it (a constant set: its order depends on how the
 * server's bytecode was built; this is one of the two orders it can take).
 */
export const DATASET_KEYS_REPR = pySetRepr(["digest", "context", "name"]);

// Sets built at run time iterate in the order PYTHONHASHSEED=0 gives; the constant ones (metric) in the
// only order their bytecode constant can take.
/** Comparator sets of run searches (`SearchUtils.VALID_*_COMPARATORS`), with their reprs. */
export const RUN_COMPARATORS = {
  metric: set(["<", ">", "=", ">=", "<=", "!="]),
  parameter: set(["LIKE", "ILIKE", "=", "!="]),
  tag: set(["LIKE", "ILIKE", "=", "!="]),
  string: set(["IN", "LIKE", "=", "NOT IN", "ILIKE", "!="]),
  dataset: set(["IN", "LIKE", "=", "NOT IN", "ILIKE", "!="]),
};
