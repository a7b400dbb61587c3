/**
 * Where kmlf deliberately answers differently from MLflow 2.17.2 in the recorded REST validation
 * matrix, class by class (README, "REST compatibility with MLflow 2.17.2", lists each). A replayed
 * exchange whose answer differs must fall in one of these classes; anything else is a regression.
 */
import { normalizeBody } from "./replay_answers.ts";
import type { Answer, ReplayOutcome } from "./validation_replay.ts";

/** One deliberate difference. */
export interface DeviationClass {
  name: string;
  /** Why kmlf answers differently, for the README and failure messages. */
  why: string;
  applies(o: ReplayOutcome, otherStore: Answer | undefined): boolean;
}

/** kmlf answered what the other store recorded: status, code and message, or the same registry JSON. */
function sameAsOther(o: ReplayOutcome, other: Answer): boolean {
  const kmlf = o.kmlf;
  if (other.status !== kmlf.status || other.errorCode !== kmlf.errorCode) return false;
  if (other.errorCode !== undefined) return other.message === kmlf.message;
  if (o.group === "registry" && other.json !== undefined && kmlf.json !== undefined) {
    return JSON.stringify(normalizeBody(other.json)) === JSON.stringify(normalizeBody(kmlf.json));
  }
  return true;
}

const is4xx = (a: Answer) => a.status >= 400 && a.status < 500 && a.errorCode !== undefined;
const invalid400 = (a: Answer, pattern: RegExp) =>
  a.status === 400 && a.errorCode === "INVALID_PARAMETER_VALUE" && pattern.test(a.message ?? "");

const DEVIATION_CLASSES_MUTABLE: DeviationClass[] = [
  {
    name: "unparseable-value",
    why: "MLflow goes on with a default (a metric stored with timestamp 0, an ignored view type) after a " +
      "value its protobuf parse refuses; kmlf answers 400 naming the field and why",
    applies: (o) =>
      invalid400(
        o.kmlf,
        /^Invalid value .* for parameter '[^']+' supplied: (expected |out of the |null is not allowed)/,
      ) ||
      // The registry's handlers store "" for a tag value of the wrong type (and drop the fields after it).
      (o.mlflow.status === 200 &&
        invalid400(o.kmlf, /^Invalid value .* for parameter 'tags\[\d+\]\.value' supplied: {2}Hint: /)),
  },
  {
    name: "nul-character",
    why:
      "MLflow stores or looks up strings holding NUL; kmlf refuses them (its SQLite driver would cut them)",
    applies: (o) =>
      invalid400(o.kmlf, /NUL characters are not allowed/) ||
      (/(^|[:-])nul([:-]|$)/.test(o.case) && is4xx(o.kmlf)),
  },
  {
    name: "client-local-artifact-location",
    why: "MLflow lets any client make an experiment's artifact location any local folder (which its server " +
      "then writes to); kmlf refuses a local folder outside the server's artifact roots",
    applies: (o) =>
      o.kmlf.status === 403 && o.kmlf.errorCode === "PERMISSION_DENIED" &&
      /is a local folder outside this server's artifact roots/.test(o.kmlf.message ?? ""),
  },
  {
    name: "int53",
    why: "MLflow keeps any int64; kmlf keeps steps and timestamps as exact doubles and refuses |n| > 2^53−1",
    applies: (o) => invalid400(o.kmlf, /kmlf stores integers up to/),
  },
  {
    name: "mlflow-server-error",
    why: "MLflow answers a client mistake with a 500 (an HTML page or INTERNAL_ERROR, some naming server " +
      "paths); kmlf answers a 4xx in MLflow's JSON error shape",
    applies: (o) => o.mlflow.status >= 500 && is4xx(o.kmlf),
  },
  {
    name: "body-not-an-object",
    why: "MLflow reads a JSON array, number or string body as defaults (or crashes); kmlf refuses it",
    applies: (o) => invalid400(o.kmlf, /^Invalid request body/),
  },
  {
    name: "get-body",
    why: "Deno's HTTP server drops the body of a GET, so kmlf reads GET fields from the query string only " +
      "(MLflow parses a JSON body when there is no query string)",
    applies: (o) => o.method === "GET" && o.case.startsWith("json-body:") && o.kmlf.status < 500,
  },
  {
    name: "head-as-get",
    why: "MLflow answers HEAD as a request without a query (400); kmlf answers it as the GET it stands for",
    applies: (o) => o.method === "HEAD" && o.kmlf.status === 200,
  },
  {
    name: "version-search-aliases",
    why: "MLflow's SQL store lists model versions without their aliases in model-versions/search (its file " +
      "store and every other call list them); kmlf lists them in every store",
    applies: (o) =>
      o.store === "sqlite" && o.file === "model-versions-search" && o.mlflow.status === 200 &&
      o.kmlf.status === 200 &&
      JSON.stringify(normalizeBody(o.mlflow.json, ["aliases"])) ===
        JSON.stringify(normalizeBody(o.kmlf.json, ["aliases"])),
  },
  {
    name: "other-store",
    why: "MLflow's SQL and file stores answer this differently; kmlf gives the other store's answer on both",
    applies: (o, other) => other !== undefined && sameAsOther(o, other),
  },
  {
    name: "sql-in-message",
    why:
      "MLflow's SQL store answers with raw SQLAlchemy text (statements, parameters); kmlf with a plain sentence",
    applies: (o) => /\[SQL:|sqlite3\.|sqlalche\.me/.test(o.mlflow.message ?? "") && is4xx(o.kmlf),
  },
  {
    name: "backslash-path",
    why: "MLflow on Linux takes a backslash in an artifact path as part of a file name; kmlf refuses it as " +
      "MLflow on Windows does (`Invalid path`)",
    applies: (o) => /backslash/.test(o.case) && invalid400(o.kmlf, /^Invalid path$/),
  },
  {
    name: "unknown-run-history",
    why:
      "MLflow's SQL store answers an empty metric history for a run id that names no run; kmlf answers 404, " +
      "as MLflow's file store does",
    applies: (o) =>
      /metrics/.test(o.file) && o.mlflow.status === 200 && o.kmlf.status === 404 &&
      o.kmlf.errorCode === "RESOURCE_DOES_NOT_EXIST",
  },
  {
    name: "run-name-length",
    why:
      "MLflow's SQLite and file stores keep run names of any length; kmlf refuses names over 250 characters, " +
      "the width of MLflow's runs.name column (other databases would refuse them)",
    applies: (o) => invalid400(o.kmlf, /^Run name '.*' had length \d+, which exceeded length limit of 250/s),
  },
  {
    name: "schema-widths",
    why: "MLflow's SQLite and file stores keep experiment names and user ids over 256 characters, registry " +
      "descriptions over 5,000 and run links over 500 (its PostgreSQL store fails on them with a raw database " +
      "error); kmlf refuses them in every store, at the widths of MLflow's experiments.name, runs.user_id, " +
      "description and model_versions.run_link columns",
    applies: (o) =>
      invalid400(
        o.kmlf,
        /^((Experiment name|User id) '.*' had length \d+, which exceeded length limit of 256|(Description '.*' had length \d+, which exceeded length limit of 5000)|(Run link '.*' had length \d+, which exceeded length limit of 500))/s,
      ),
  },
  {
    name: "tag-limits-on-create",
    why:
      "MLflow checks the length of experiment and run tags when a tag is set, but not on experiments/create " +
      "or runs/create; kmlf checks them on create too",
    applies: (o) =>
      /^(experiments|runs)-create$/.test(o.file) &&
      invalid400(o.kmlf, /^Tag (key|value) '.*' had length \d+, which exceeded length limit/s),
  },
  {
    name: "registered-model-name-length",
    why:
      "MLflow's SQLite and file stores keep registered model names of any length; kmlf refuses names over " +
      "256 characters, the width of MLflow's registered_models.name column (other databases would refuse them)",
    applies: (o) =>
      invalid400(o.kmlf, /^Registered model name '.*' had length \d+, which exceeded length limit of 256$/s),
  },
  {
    name: "source-as-sent",
    why:
      "MLflow's message about a refused model version source shows the local path it resolved the source " +
      "to on the server; kmlf shows the source as the client sent it",
    applies: (o) =>
      o.file === "model-versions-create" && /^source:/.test(o.case) &&
      [o.mlflow, o.kmlf].every((a) =>
        invalid400(a, /^Invalid model version source: '.*'\. To use a local path/)
      ),
  },
  {
    name: "incomplete-dataset",
    why: "MLflow records a dataset input with no name, digest, source type or source; kmlf refuses it",
    applies: (o) =>
      o.file === "runs-log-inputs" && invalid400(o.kmlf, /^Dataset \w+ must be a non-empty string$/),
  },
  {
    name: "dangling-and",
    why: "MLflow ignores a filter's trailing AND; kmlf refuses the filter as a syntax error",
    applies: (o) =>
      /dangling/.test(o.case) && invalid400(o.kmlf, /^Invalid clause\(s\) in filter string: '?AND'?$/),
  },
  {
    name: "upload-over-directory",
    why: "MLflow stores an upload onto an existing directory as a file inside it (dir/dir); kmlf refuses it",
    applies: (o) => o.case === "onto-existing-directory" && invalid400(o.kmlf, /existing directory/),
  },
  {
    name: "page-token-range",
    why: "MLflow accepts a page token with a negative offset (or crashes on a huge one); kmlf refuses it",
    applies: (o) => invalid400(o.kmlf, /^Invalid page token, offset/),
  },
];

/**
 * Exchanges whose MLflow answer depends on what an earlier case stored, where kmlf refused that
 * earlier case deliberately (so the state differs): file, case → the earlier case.
 */
const CASCADES: Record<string, string> = {
  "runs-log-batch#type:params=item-unknown-field":
    "MLflow stored param 'k' with value '' from type:params=item-value-number, which kmlf refused",
};

DEVIATION_CLASSES_MUTABLE.push({
  name: "state-cascade",
  why: "the answer depends on what an earlier case stored, and kmlf refused that earlier case deliberately",
  applies: (o) => `${o.file}#${o.case}` in CASCADES,
});

/** Every class, most specific first. */
export const DEVIATION_CLASSES: readonly DeviationClass[] = DEVIATION_CLASSES_MUTABLE;

/** The class explaining a differing answer, if any. */
export function deviationOf(o: ReplayOutcome, otherStore: Answer | undefined): DeviationClass | undefined {
  return DEVIATION_CLASSES.find((c) => c.applies(o, otherStore));
}
