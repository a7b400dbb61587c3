/**
 * Store parity harness: one scenario (a sequence of store calls) runs against six fresh stores — SQLite,
 * the mlruns file store, PostgreSQL, and the REST store talking to kmlf's own server over each — and
 * every call's answer or error is recorded in a store-neutral form (ids as labels, no clock times or
 * artifact locations), then compared. A user switches stores with only the tracking URI, so:
 * - a REST store answers exactly as the store behind the server does (errors and messages included);
 * - SQLite and the file store give the same values and error codes; their messages are MLflow's
 *   SqlAlchemyStore's and FileStore's, which word most errors differently (recorded side by side in
 *   the REST validation fixtures), so only codes compare. Where MLflow 2.17.2's two stores answer
 *   differently, a scenario lists the step with the reason ({@link Allowances});
 * - SQLite and PostgreSQL give the same answers, messages included: MLflow serves both with one
 *   SqlAlchemyStore and the same queries. A call that crashes (anything but a TrackingError: a 5xx on
 *   the wire) is recorded as such, so it always shows as a difference.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { TrackingError } from "../../lib/errors.ts";
import { FileStore, openStore, SqliteStore, type TrackingStore } from "../../lib/tracking/mod.ts";
import { sharedPostgres } from "../services/postgres_server.ts";
import { startKmlfServer } from "./kmlf_server.ts";

/** What a scenario sees: the store, and `step` to record a call's outcome under a label. */
export interface Recorder {
  store: TrackingStore;
  /**
   * Runs `call`, records its (normalised) answer or error under `label`; returns the answer, or undefined.
   * With `as`, the id it returns (an experiment id, or a run's id) is first named `as`.
   */
  step<T>(label: string, call: () => Promise<T>, as?: string): Promise<T | undefined>;
  /** Names an id so answers compare across stores (run ids are random, experiment ids differ by store). */
  name(id: string, label: string): string;
}

/** One recorded outcome. */
type Outcome = { ok: unknown } | { error: string; message: string };

/** A sequence of store calls. */
export type Scenario = (r: Recorder) => Promise<void>;

const DROPPED = new Set(["artifactUri", "artifactLocation", "creationTime", "lastUpdateTime"]);

const ID_FIELDS = new Set(["runId", "experimentId"]);

// Ids are renamed where they stand as ids: a whole answer (createExperiment's), or an id field.
function normalise(value: unknown, ids: Map<string, string>, field?: string): unknown {
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
    return Object.is(value, -0) ? "-0" : value;
  }
  if (typeof value === "string") {
    return field === undefined || ID_FIELDS.has(field) ? ids.get(value) ?? value : value;
  }
  if (Array.isArray(value)) return value.map((v) => normalise(v, ids, ""));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      if (DROPPED.has(key)) continue;
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined) continue;
      out[key] = key === "nextPageToken" ? "<token>" : normalise(v, ids, key);
    }
    return out;
  }
  return value;
}

// Run ids and file-store experiment ids are long enough to replace anywhere; SQLite's short experiment
// ids only where a message quotes them as ids.
function normaliseMessage(message: string, ids: Map<string, string>): string {
  let out = message;
  for (const [id, label] of [...ids].sort((a, b) => b[0].length - a[0].length)) {
    const pattern = id.length >= 8 ? `(?<![\\w])${id}(?![\\w])` : `(?<=['=]|id )${id}(?=['\\s.,]|$)`;
    out = out.replace(new RegExp(pattern, "gi"), label);
  }
  return out;
}

/** Runs `scenario` on `store` and returns its transcript: label → outcome. */
export async function transcript(store: TrackingStore, scenario: Scenario): Promise<Map<string, Outcome>> {
  const ids = new Map<string, string>([["0", "exp:Default"]]);
  const outcomes = new Map<string, Outcome>();
  const recorder: Recorder = {
    store,
    name(id, label) {
      ids.set(id, label);
      return id;
    },
    async step(label, call, as) {
      assert.ok(!outcomes.has(label), `duplicate step label ${label}`);
      try {
        const value = await call();
        const id = typeof value === "string" ? value : (value as { info?: { runId?: string } })?.info?.runId;
        if (id && (as || !ids.has(id)) && (as || /^[0-9a-f]{32}$/.test(id))) {
          ids.set(id, as ?? `run@${label}`);
        }
        outcomes.set(label, { ok: normalise(value ?? null, ids) });
        return value;
      } catch (error) {
        // Anything but a TrackingError is a crash (a 5xx on the wire): recorded, so it shows as a difference.
        const code = error instanceof TrackingError ? error.code : `crash: ${(error as Error)?.name}`;
        outcomes.set(label, {
          error: code,
          message: normaliseMessage(String((error as Error)?.message), ids),
        });
        return undefined;
      }
    },
  };
  await scenario(recorder);
  return outcomes;
}

/** The six subjects: three local stores, and a REST store over kmlf's server on each. */
export const SUBJECTS = ["sqlite", "file", "postgres", "rest→sqlite", "rest→file", "rest→postgres"] as const;
type Subject = typeof SUBJECTS[number];

async function open(subject: Subject): Promise<{ store: TrackingStore; dispose(): Promise<void> }> {
  if (subject.startsWith("rest")) {
    const server = await startKmlfServer({
      backend: subject === "rest→file" ? "file" : subject === "rest→postgres" ? "postgres" : "sqlite",
      client: { maxRetries: 1, backoffMs: 1 },
    });
    return { store: server.store, dispose: () => server.close() };
  }
  const dir = await Deno.makeTempDir({ prefix: "kmlf-parity-" });
  const artifactRoot = `file://${dir}/artifacts`;
  const store = subject === "sqlite"
    ? SqliteStore.open(join(dir, "mlflow.db"), { artifactRoot })
    : subject === "postgres"
    ? await openStore(await (await sharedPostgres()).createDatabase(), { baseDir: dir, artifactRoot })
    : await FileStore.open(join(dir, "mlruns"), { artifactRoot });
  return {
    store,
    async dispose() {
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/**
 * Where MLflow 2.17.2's own SqlAlchemyStore and FileStore answer differently, so kmlf's SQLite and file
 * stores do too (each matches its MLflow counterpart). Applied to both sides before they are compared.
 */
function mlflowStoreDifferences(outcome: Outcome): Outcome {
  if ("ok" in outcome) {
    // SqlAlchemyStore stores ±Infinity as ±DBL_MAX (sqlalchemy_store.py `_log_metrics`).
    const dblMax = (v: unknown): unknown =>
      v === 1.7976931348623157e308
        ? "Infinity"
        : v === -1.7976931348623157e308
        ? "-Infinity"
        : Array.isArray(v)
        ? v.map(dblMax)
        : v && typeof v === "object"
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, dblMax(x)]))
        : v;
    return { ok: dblMax(outcome.ok) };
  }
  return outcome;
}

/** Where two answers first differ, with some context (the comparison uses the full text). */
function shown(x = "", y = "") {
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  const around = (s: string) => (i > 150 ? "…" : "") + s.slice(Math.max(0, i - 150), i + 250);
  return [around(x), around(y)].map((s) =>
    s.replace(/(.)\1{19,}/gu, (run, ch) => `${ch}×${[...run].length}`)
  );
}

function differences(
  a: Map<string, Outcome>,
  b: Map<string, Outcome>,
  map: (label: string) => (o: Outcome) => Outcome = () => (o) => o,
): string[] {
  const out: string[] = [];
  for (const label of new Set([...a.keys(), ...b.keys()])) {
    const [x, y] = [a.get(label), b.get(label)].map((o) => o && JSON.stringify(map(label)(o)));
    if (x !== y) out.push(`  ${label}:\n    ${shown(x, y).join("\n    ")}`);
  }
  return out;
}

/** Steps (by label) whose answers may differ, each with the reason. */
export interface Allowances {
  /** Where MLflow's own SqlAlchemyStore and FileStore answer differently. */
  sqliteVsFile?: Record<string, string>;
  /** Where MLflow's server refuses a request (same code) in its own words before the store sees it. */
  localVsRestMessage?: Record<string, string>;
  /** Where MLflow's server refuses a request its stores would answer. */
  localVsRest?: Record<string, string>;
  /** Where PostgreSQL's columns hold less than SQLite keeps (widths only PostgreSQL enforces). */
  sqliteVsPostgres?: Record<string, string>;
}

const codeOnly = (o: Outcome): Outcome => "ok" in o ? o : { error: o.error, message: "" };

/** Runs `scenario` on all six subjects and fails with every difference, labelled by step. */
export async function assertStoresAgree(scenario: Scenario, allow: Allowances = {}): Promise<void> {
  const runs = new Map<Subject, Map<string, Outcome>>();
  for (const subject of SUBJECTS) {
    const { store, dispose } = await open(subject);
    try {
      runs.set(subject, await transcript(store, scenario));
    } finally {
      await dispose();
    }
  }
  const pick = (subject: Subject, skip: Record<string, string> = {}) =>
    new Map([...runs.get(subject)!].filter(([label]) => !(label in skip)));
  const messages = allow.localVsRestMessage ?? {};
  const report = [
    ["sqlite", "rest→sqlite"],
    ["file", "rest→file"],
    ["postgres", "rest→postgres"],
  ].flatMap(([x, y]) => {
    const map = (label: string) => (o: Outcome) => label in messages ? codeOnly(o) : o;
    const d = differences(pick(x as Subject, allow.localVsRest), pick(y as Subject, allow.localVsRest), map);
    return d.length ? [`${x} vs ${y}:`, ...d] : [];
  });
  const local = differences(
    pick("sqlite", allow.sqliteVsFile),
    pick("file", allow.sqliteVsFile),
    () => (o) => codeOnly(mlflowStoreDifferences(o)),
  );
  if (local.length) report.push("sqlite vs file:", ...local);
  // MLflow serves SQLite and PostgreSQL with one SqlAlchemyStore: same answers, same words.
  const sql = differences(pick("sqlite", allow.sqliteVsPostgres), pick("postgres", allow.sqliteVsPostgres));
  if (sql.length) report.push("sqlite vs postgres:", ...sql);
  assert.ok(report.length === 0, report.join("\n"));
}
