/**
 * The options objects of `KmlfSession.create` and `session.run` as a script passes them, checked before
 * anything runs: plain JavaScript (or a Kedro habit: `pipeline_name`, `node_names`) would otherwise pass a
 * key that is silently ignored — and a run meant for one pipeline would run `__default__`, all of them.
 */
import { didYouMean, UsageError } from "../errors.ts";

const LISTS = [
  "pipelineNames",
  "tags",
  "nodeNames",
  "fromNodes",
  "toNodes",
  "fromInputs",
  "toOutputs",
  "namespaces",
];
const RUN_KEYS = [
  ...LISTS,
  "loadVersions",
  "onlyMissingOutputs",
  "reporter",
  "runner",
  "signal",
  "nodeScope",
  "stopNote",
];
const CREATE_KEYS = [
  "projectRoot",
  "env",
  "envVar",
  "runtimeParams",
  "runtimeParamsFlag",
  "plugins",
  "commandLine",
  "confSource",
  "onCatalogWarning",
];
const RUNNER_KINDS = ["sequential", "parallel", "thread"];
// Kedro's keyword arguments (and its `extra_params`) by their kmlf names.
const KEDRO_NAMES: Record<string, string> = {
  pipeline_name: "pipelineNames",
  pipeline_names: "pipelineNames",
  pipelineName: "pipelineNames",
  pipelines: "pipelineNames",
  node_names: "nodeNames",
  from_nodes: "fromNodes",
  to_nodes: "toNodes",
  from_inputs: "fromInputs",
  to_outputs: "toOutputs",
  load_versions: "loadVersions",
  only_missing_outputs: "onlyMissingOutputs",
  project_path: "projectRoot",
  projectPath: "projectRoot",
  runtime_params: "runtimeParams",
  extra_params: "runtimeParams",
  params: "runtimeParams",
  conf_source: "confSource",
};

/**
 * Checks `session.run`'s options and gives every list option as an array (one name may be a string, as
 * for `pipelineNames`).
 *
 * @example
 * ```ts
 * checkRunOptions({ pipelineNames: "training", tags: "eval" }); // { pipelineNames: ["training"], tags: ["eval"] }
 * ```
 */
export function checkRunOptions<T extends object>(options: T | undefined): T {
  const call = "session.run";
  if (options === undefined) return {} as T;
  checkObject(options, call, '{ pipelineNames: ["training"] }');
  const record = { ...options } as Record<string, unknown>;
  checkKeys(record, RUN_KEYS, call);
  for (const key of LISTS) {
    const value = record[key];
    if (value === undefined) continue;
    if (typeof value === "string") record[key] = [value];
    else if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
      throw bad(
        call,
        key,
        value,
        `a list of names, e.g. ${key}: ["${key === "pipelineNames" ? "training" : "a"}"]`,
      );
    }
  }
  const versions = record.loadVersions;
  if (
    versions !== undefined &&
    (!isPlain(versions) || Object.values(versions).some((v) => typeof v !== "string"))
  ) {
    throw bad(
      call,
      "loadVersions",
      versions,
      'an object of dataset names to versions: { model: "2024-01-01T00.00.00.000Z" }',
    );
  }
  if (record.onlyMissingOutputs !== undefined && typeof record.onlyMissingOutputs !== "boolean") {
    throw bad(call, "onlyMissingOutputs", record.onlyMissingOutputs, "true or false");
  }
  const runner = record.runner as Record<string, unknown> | undefined;
  if (
    runner !== undefined &&
    (!isPlain(runner) || !RUNNER_KINDS.includes(runner.kind as string) ||
      (runner.isAsync !== undefined && typeof runner.isAsync !== "boolean"))
  ) {
    throw bad(
      call,
      "runner",
      runner,
      `{ kind: "sequential" | "parallel" | "thread", maxWorkers?, isAsync? }, or Kedro's names through ` +
        `session.resolveRunner({ runner: "ParallelRunner", maxWorkers: 4 })`,
    );
  }
  if (record.signal !== undefined && !(record.signal instanceof AbortSignal)) {
    throw bad(call, "signal", record.signal, "an AbortSignal (new AbortController().signal)");
  }
  if (record.nodeScope !== undefined && typeof record.nodeScope !== "function") {
    throw bad(call, "nodeScope", record.nodeScope, "a function (node, call) => call()");
  }
  if (record.stopNote !== undefined && typeof record.stopNote !== "function") {
    throw bad(call, "stopNote", record.stopNote, "a function ({ completed, resumeFromNodes }) => string");
  }
  return record as T;
}

/**
 * Checks `KmlfSession.create`'s options (`projectRoot` is checked by `create` itself).
 *
 * @example
 * ```ts
 * checkCreateOptions({ projectRoot: ".", runtime_params: {} }); // throws session/bad-option: did you mean "runtimeParams"?
 * ```
 */
export function checkCreateOptions(options: Record<string, unknown>): void {
  const call = "KmlfSession.create";
  checkKeys(options, CREATE_KEYS, call);
  for (const key of ["env", "envVar", "commandLine", "confSource", "runtimeParamsFlag"]) {
    if (options[key] !== undefined && typeof options[key] !== "string") {
      throw bad(call, key, options[key], "a string");
    }
  }
  if (options.runtimeParams !== undefined && !isPlain(options.runtimeParams)) {
    throw bad(call, "runtimeParams", options.runtimeParams, "an object, e.g. { model: { lr: 0.1 } }");
  }
  if (options.plugins !== undefined && !Array.isArray(options.plugins)) {
    throw bad(call, "plugins", options.plugins, "a list of plugin objects");
  }
  if (options.onCatalogWarning !== undefined && typeof options.onCatalogWarning !== "function") {
    throw bad(call, "onCatalogWarning", options.onCatalogWarning, "a function");
  }
}

function checkObject(options: unknown, call: string, example: string): void {
  if (isPlain(options)) return;
  throw new UsageError("session/bad-option", `${call} takes an options object, got ${describe(options)}`, {
    hint: `e.g. ${call}(${example})`,
  });
}

function checkKeys(record: Record<string, unknown>, known: readonly string[], call: string): void {
  const unknown = Object.keys(record).filter((k) => !known.includes(k) && record[k] !== undefined);
  if (unknown.length === 0) return;
  const hints = unknown.map((key) => {
    const guess = KEDRO_NAMES[key] ?? didYouMean(key, known);
    return guess ? `"${key}" is "${guess}"` : "";
  }).filter(Boolean);
  throw new UsageError(
    "session/bad-option",
    `${call} has no option${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")}`,
    { hint: `${hints.length ? `${hints.join("; ")}. ` : ""}Options: ${known.join(", ")}` },
  );
}

function bad(call: string, key: string, value: unknown, expected: string): UsageError {
  return new UsageError("session/bad-option", `${call}: ${key} is ${describe(value)}`, {
    hint: `give ${expected}`,
  });
}

function isPlain(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array (${JSON.stringify(value).slice(0, 60)})`;
  if (typeof value === "string") return `the string ${JSON.stringify(value).slice(0, 60)}`;
  if (typeof value === "object") return `${JSON.stringify(value)?.slice(0, 60) ?? "an object"}`;
  return `${typeof value === "function" ? "a function" : `${typeof value} ${String(value)}`}`;
}
