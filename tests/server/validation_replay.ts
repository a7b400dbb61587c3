/**
 * Replays the REST validation matrix recorded from MLflow 2.17.2 (tests/fixtures/mlflow-2.17.2/
 * rest-validation) against kmlf's request handler over a fresh store of the same kind, in the
 * recorded send order, and compares every answer: status, `error_code` and message (ids and the
 * server root substituted), content type and bytes of downloads, `Location` of redirects.
 *
 * Used by `validation_replay_test.ts`; `deno run -A tests/server/validation_replay.ts [store] [filter]`
 * prints the differences for a look while working.
 */
import { join } from "node:path";
import { createRequestHandler } from "../../lib/server/mod.ts";
import {
  type ArtifactRepositoryOptions,
  FileStore,
  SqliteStore,
  type TrackingStore,
} from "../../lib/tracking/mod.ts";
import {
  loadRecordedFiles,
  type RecordedExchange,
  type RecordedHeader,
  type RecordedStore,
} from "../rest_validation_fixtures.ts";

/** Endpoint groups, by fixture file. */
export type EndpointGroup = "setup" | "tracking" | "artifacts" | "misc" | "registry";

/** What one side answered, reduced to what is compared. */
export interface Answer {
  status: number;
  contentType: string;
  errorCode?: string;
  message?: string;
  /** Non-JSON bodies (downloads, health, HTML pages), as text. */
  text?: string;
  location?: string;
}

/** One replayed exchange. */
export interface ReplayOutcome {
  store: RecordedStore;
  group: EndpointGroup;
  file: string;
  seq: number;
  case: string;
  method: string;
  mlflow: Answer;
  kmlf: Answer;
  matches: boolean;
}

const HOST = "127.0.0.1:5000";

/** The endpoint group of a fixture file (setup calls of the registry count as registry). */
export function groupOf(file: string, endpoint = ""): EndpointGroup {
  if (file === "_setup") return /^(registered-models|model-versions)\//.test(endpoint) ? "registry" : "setup";
  if (file === "misc") return "misc";
  if (/^(registered-models|model-versions)-/.test(file)) return "registry";
  if (/^(artifacts-list|get-artifact|mlflow-artifacts-)/.test(file)) return "artifacts";
  return "tracking";
}

function isJson(contentType: string | null | undefined): boolean {
  return /^application\/json/.test(contentType ?? "");
}

function answerOf(status: number, contentType: string, body: string, location?: string): Answer {
  const answer: Answer = { status, contentType };
  if (location) answer.location = location;
  if (isJson(contentType)) {
    try {
      const json = JSON.parse(body);
      if (json && typeof json === "object" && "error_code" in json) {
        answer.errorCode = json.error_code;
        answer.message = json.message;
      }
    } catch {
      /* a JSON content type with a non-JSON body: keep as text */
      answer.text = body;
    }
  } else {
    answer.text = body;
  }
  return answer;
}

/**
 * Substitutes recorded ids with kmlf's and `__ROOT__`/`__HOST__` with the replay's. Only ids long
 * enough to be unambiguous (run ids, file-store experiment ids) are swapped inside text; SQLite's
 * short experiment ids must come out the same as MLflow's (checked after the setup).
 */
class Substitutions {
  readonly #pairs: [string, string][] = [];
  constructor(root: string) {
    this.#pairs.push(["__ROOT__", root], ["__HOST__", HOST]);
  }
  add(recorded: string, ours: string): void {
    if (recorded === ours || recorded.length < 8) return;
    this.#pairs.push([recorded, ours], [recorded.toUpperCase(), ours.toUpperCase()]);
  }
  apply(text: string): string {
    for (const [from, to] of this.#pairs) text = text.replaceAll(from, to);
    return text;
  }
  /** Ours back to recorded (for kmlf's messages, so both sides read alike in reports). */
  reverse(text: string): string {
    for (const [from, to] of this.#pairs.slice(2)) text = text.replaceAll(to, from);
    return text;
  }
}

/** Ids that responses to creating calls reveal: recorded → kmlf's. */
function learnIds(
  recordedBody: string,
  oursBody: string,
  subs: Substitutions,
  ids: Map<string, string>,
): void {
  let recorded, ours;
  try {
    recorded = JSON.parse(recordedBody);
    ours = JSON.parse(oursBody);
  } catch {
    return;
  }
  const pairs: [unknown, unknown][] = [
    [recorded?.experiment_id, ours?.experiment_id],
    [recorded?.run?.info?.run_id, ours?.run?.info?.run_id],
  ];
  for (const [r, o] of pairs) {
    if (typeof r === "string" && typeof o === "string") {
      ids.set(r, o);
      subs.add(r, o);
    }
  }
}

/** The unrecorded calls that put shared objects back after a case changed them (header notes). */
function resetCalls(note: string, header: RecordedHeader): { path: string; body: unknown }[] {
  const id = (name: string) => header.setup_ids[name] ?? name;
  const rm1 = header.setup_ids.rm1;
  let m;
  if ((m = note.match(/: restored experiment (\w+)$/))) {
    return [{ path: "experiments/restore", body: { experiment_id: id(m[1]) } }];
  }
  if ((m = note.match(/: deleted experiment (\w+) again$/))) {
    return [{ path: "experiments/delete", body: { experiment_id: id(m[1]) } }];
  }
  if ((m = note.match(/: renamed (exp_\w+) back to (.+)$/))) {
    return [{ path: "experiments/update", body: { experiment_id: id(m[1]), new_name: m[2] } }];
  }
  if ((m = note.match(/: renamed '(.+)' back to (.+)$/))) {
    return [{ path: "registered-models/rename", body: { name: m[1], new_name: m[2] } }];
  }
  if ((m = note.match(/: restored run (\w+)$/))) {
    return [{ path: "runs/restore", body: { run_id: id(m[1]) } }];
  }
  if ((m = note.match(/: deleted run (\w+) again$/))) {
    return [{ path: "runs/delete", body: { run_id: id(m[1]) } }];
  }
  if ((m = note.match(/: re-set run tag (\w+) on (\w+)$/))) {
    return [{ path: "runs/set-tag", body: { run_id: id(m[2]), key: m[1], value: "x" } }];
  }
  if ((m = note.match(/: re-set model version tag (\w+)$/))) {
    return [{ path: "model-versions/set-tag", body: { name: rm1, version: "1", key: m[1], value: "x" } }];
  }
  if ((m = note.match(/: re-set alias (\w+)$/))) {
    return [{ path: "registered-models/alias", body: { name: rm1, alias: m[1], version: "1" } }];
  }
  if ((m = note.match(/: re-set registered model tag (\w+)$/))) {
    return [{ path: "registered-models/set-tag", body: { name: rm1, key: m[1], value: "x" } }];
  }
  if ((m = note.match(/: re-created registered model (.+)$/))) {
    return [{ path: "registered-models/create", body: { name: m[1] } }];
  }
  if ((m = note.match(/: version \d+ of (.+) was deleted; created version \d+/))) {
    return [{
      path: "model-versions/create",
      body: { name: m[1], source: header.setup_ids.model_source, run_id: header.setup_ids.run1 },
    }];
  }
  throw new Error(`unknown reset in ${header.file}: ${note}`);
}

/**
 * The request kmlf's server would see for a recorded exchange. Deno's HTTP server hands a GET or
 * HEAD request over without its body, so none is attached to those.
 */
function requestOf(ex: RecordedExchange, subs: Substitutions): Request {
  const url = `http://${HOST}${subs.apply(ex.path)}${ex.query ? `?${subs.apply(ex.query)}` : ""}`;
  const headers = new Headers({ host: HOST });
  for (const [k, v] of Object.entries(ex.headers)) headers.set(k, v);
  const withBody = ex.body !== null && ex.method !== "GET" && ex.method !== "HEAD";
  const request = new Request(url, {
    method: ex.method,
    headers,
    body: withBody ? new TextEncoder().encode(subs.apply(ex.body!)) : undefined,
  });
  // Deno.serve hands the handler the request target as sent (`..` and `//` kept); the Request
  // constructor would resolve them, so the raw URL is put back.
  Object.defineProperty(request, "url", { value: url });
  return request;
}

/** Whether kmlf's answer is the one MLflow gave. */
function sameAnswer(mlflow: Answer, kmlf: Answer, subs: Substitutions): boolean {
  if (mlflow.status !== kmlf.status) return false;
  // An empty JSON body (MLflow's HEAD answer) says nothing but its status.
  if (isJson(mlflow.contentType) && mlflow.text === "") return true;
  if (mlflow.errorCode !== undefined) {
    return kmlf.errorCode === mlflow.errorCode && kmlf.message === subs.apply(mlflow.message ?? "");
  }
  if (mlflow.location !== undefined) return kmlf.location === subs.apply(mlflow.location);
  if (kmlf.errorCode !== undefined && isJson(mlflow.contentType)) return false;
  // Flask's HTML error pages (404, 405, 400) are matched by status: kmlf answers MLflow's JSON shape.
  if (!isJson(mlflow.contentType) && mlflow.status === 200) {
    return kmlf.contentType === mlflow.contentType && kmlf.text === mlflow.text;
  }
  return true;
}

async function openReplayStore(kind: RecordedStore, root: string): Promise<TrackingStore> {
  // `mlflow server --artifacts-destination <root>/art`: new experiments get `mlflow-artifacts:/<id>`.
  const options = { artifactRoot: "mlflow-artifacts:/", truncateLongValues: true };
  return kind === "sqlite"
    ? SqliteStore.open(join(root, "mlflow.db"), options)
    : await FileStore.open(join(root, "mlruns"), options);
}

/** Options of {@link replayRecordedStore}. */
export interface ReplayOptions {
  /** Which fixture files to replay (default all; `_setup` is needed by the others). */
  files?: (file: string) => boolean;
  /** The proxy's destination instead of a folder in the replay's temp dir (e.g. `s3://bucket/prefix`). */
  artifactsDestination?: string;
  /** Settings of a remote destination. */
  artifactOptions?: ArtifactRepositoryOptions;
}

/**
 * Replays one store pass and returns every outcome (setup included).
 *
 * @example
 * ```ts
 * const outcomes = await replayRecordedStore("sqlite");
 * ```
 */
export async function replayRecordedStore(
  kind: RecordedStore,
  options: ReplayOptions = {},
): Promise<ReplayOutcome[]> {
  const files = (await loadRecordedFiles(kind)).filter((f) => options.files?.(f.header.file) ?? true);
  const root = await Deno.makeTempDir({ prefix: "kmlf-rest-validation-" });
  const store = await openReplayStore(kind, root);
  const handle = createRequestHandler(store, {
    artifactsDestination: options.artifactsDestination ?? join(root, "art"),
    artifactOptions: options.artifactOptions,
    stateDir: join(root, "state"),
  });
  const subs = new Substitutions(root);
  const ids = new Map<string, string>();
  const all = files.flatMap((f) => f.exchanges.map((ex) => ({ ex, header: f.header })));
  all.sort((a, b) => a.ex.seq - b.ex.seq);
  const resets = new Map<number, { note: string; header: RecordedHeader }[]>();
  for (const f of files) {
    for (const note of f.header.resets_between_exchanges ?? []) {
      const seq = Number(note.match(/^after seq (\d+)/)![1]);
      resets.set(seq, [...(resets.get(seq) ?? []), { note, header: f.header }]);
    }
  }
  const outcomes: ReplayOutcome[] = [];
  try {
    for (const { ex, header } of all) {
      const response = await handle(requestOf(ex, subs));
      const text = new TextDecoder().decode(await response.arrayBuffer());
      const contentType = response.headers.get("content-type") ?? "";
      if (response.status === 200) learnIds(ex.response.body, text, subs, ids);
      const mlflow = answerOf(
        ex.response.status,
        ex.response.content_type ?? "",
        ex.response.body,
        ex.response.location,
      );
      const kmlf = answerOf(
        response.status,
        contentType,
        text,
        response.headers.get("location") ?? undefined,
      );
      outcomes.push({
        store: kind,
        group: groupOf(header.file, ex.endpoint),
        file: header.file,
        seq: ex.seq,
        case: ex.case,
        method: ex.method,
        mlflow,
        kmlf,
        matches: sameAnswer(mlflow, kmlf, subs),
      });
      for (const { note, header: h } of resets.get(ex.seq) ?? []) {
        for (const call of resetCalls(note, h)) {
          await handle(
            new Request(`http://${HOST}/api/2.0/mlflow/${call.path}`, {
              method: "POST",
              headers: { "content-type": "application/json", host: HOST },
              body: subs.apply(JSON.stringify(call.body)),
            }),
          ).then((r) => r.body?.cancel());
        }
      }
    }
  } finally {
    await store.close();
    await Deno.remove(root, { recursive: true });
  }
  for (const o of outcomes) {
    if (o.kmlf.message) o.kmlf.message = subs.reverse(o.kmlf.message);
  }
  return outcomes;
}

/** One line describing an answer, for reports and golden files. */
export function describeAnswer(a: Answer): string {
  if (a.errorCode !== undefined) return `${a.status} ${a.errorCode} ${JSON.stringify(a.message)}`;
  if (a.location) return `${a.status} → ${a.location}`;
  const kind = isJson(a.contentType) ? "json" : (a.contentType.split(";")[0] || "empty");
  return `${a.status} ${kind}`;
}

/** MLflow's recorded answers of one store pass, by seq (to compare with the other store's). */
export async function recordedAnswers(kind: RecordedStore): Promise<Map<number, Answer>> {
  const answers = new Map<number, Answer>();
  for (const f of await loadRecordedFiles(kind)) {
    for (const ex of f.exchanges) {
      answers.set(
        ex.seq,
        answerOf(ex.response.status, ex.response.content_type ?? "", ex.response.body, ex.response.location),
      );
    }
  }
  return answers;
}

if (import.meta.main) {
  const { deviationOf } = await import("./validation_deviations.ts");
  const [storeArg, filter] = Deno.args;
  const stores: RecordedStore[] = storeArg && storeArg !== "all"
    ? [storeArg as RecordedStore]
    : ["sqlite", "filestore"];
  for (const store of stores) {
    const outcomes = await replayRecordedStore(store);
    const other = await recordedAnswers(store === "sqlite" ? "filestore" : "sqlite");
    const byGroup = new Map<string, [number, number, number]>();
    const byClass = new Map<string, number>();
    for (const o of outcomes) {
      const cls = o.matches ? undefined : deviationOf(o, other.get(o.seq));
      const [m, d, n] = byGroup.get(o.group) ?? [0, 0, 0];
      byGroup.set(o.group, [m + Number(o.matches), d + Number(cls !== undefined), n + 1]);
      if (cls) byClass.set(cls.name, (byClass.get(cls.name) ?? 0) + 1);
      const show = filter === "--all" ? !o.matches : !o.matches && !cls && o.group !== "registry";
      if (show && (!filter || filter === "--all" || `${o.file} ${o.case}`.includes(filter))) {
        console.log(
          `${store} ${o.seq} ${o.file} [${o.case}] ${o.method}${cls ? ` (${cls.name})` : ""}\n   mlflow: ${
            describeAnswer(o.mlflow)
          }\n   kmlf:   ${describeAnswer(o.kmlf)}`,
        );
      }
    }
    console.log(
      store,
      Object.fromEntries([...byGroup].map(([g, [m, d, n]]) => [g, `${m} match + ${d} deliberate / ${n}`])),
    );
    console.log(store, Object.fromEntries(byClass));
  }
}
