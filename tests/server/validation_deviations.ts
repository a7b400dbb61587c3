/**
 * Where kmlf deliberately answers differently from MLflow 2.17.2 in the recorded REST validation
 * matrix, class by class (README, "Compatibility with MLflow's REST validation"). A replayed
 * exchange whose answer differs must fall in one of these classes; anything else is a regression.
 */
import type { Answer, ReplayOutcome } from "./validation_replay.ts";

/** One deliberate difference. */
export interface DeviationClass {
  name: string;
  /** Why kmlf answers differently, for the README and failure messages. */
  why: string;
  applies(o: ReplayOutcome, otherStore: Answer | undefined): boolean;
}

const is4xx = (a: Answer) => a.status >= 400 && a.status < 500 && a.errorCode !== undefined;
const invalid400 = (a: Answer, pattern: RegExp) =>
  a.status === 400 && a.errorCode === "INVALID_PARAMETER_VALUE" && pattern.test(a.message ?? "");

/** Every class, most specific first. */
export const DEVIATION_CLASSES: readonly DeviationClass[] = [
  {
    name: "unparseable-value",
    why: "MLflow goes on with a default (a metric stored with timestamp 0, an ignored view type) after a " +
      "value its protobuf parse refuses; kmlf answers 400 naming the field and why",
    applies: (o) => invalid400(o.kmlf, /^Invalid value .* for parameter '[^']+' supplied: (expected |out of the )/),
  },
  {
    name: "nul-character",
    why: "MLflow stores or looks up strings holding NUL; kmlf refuses them (its SQLite driver would cut them)",
    applies: (o) => invalid400(o.kmlf, /NUL characters are not allowed/),
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
    name: "other-store",
    why: "MLflow's SQL and file stores answer this differently; kmlf gives the other store's answer on both",
    applies: (o, other) => other !== undefined && other.status === o.kmlf.status && other.errorCode === o.kmlf.errorCode,
  },
  {
    name: "sql-in-message",
    why: "MLflow's SQL store answers with raw SQLAlchemy text (statements, parameters); kmlf with a plain sentence",
    applies: (o) => /\[SQL:|sqlite3\.|sqlalche\.me/.test(o.mlflow.message ?? "") && is4xx(o.kmlf),
  },
  {
    name: "backslash-path",
    why: "MLflow on Linux takes a backslash in an artifact path as part of a file name; kmlf refuses it as " +
      "MLflow on Windows does (`Invalid path`)",
    applies: (o) => /backslash/.test(o.case) && invalid400(o.kmlf, /^Invalid path$/),
  },
  {
    name: "page-token-range",
    why: "MLflow accepts a page token with a negative offset (or crashes on a huge one); kmlf refuses it",
    applies: (o) => invalid400(o.kmlf, /^Invalid page token, offset/),
  },
];

/** The class explaining a differing answer, if any. */
export function deviationOf(o: ReplayOutcome, otherStore: Answer | undefined): DeviationClass | undefined {
  return DEVIATION_CLASSES.find((c) => c.applies(o, otherStore));
}
