/**
 * Replays the REST validation matrix recorded from MLflow 2.17.2 (tests/fixtures/mlflow-2.17.2/
 * rest-validation: tracking, artifacts, routing and the model registry) against kmlf's request handler
 * over a fresh store of the same kind, in the recorded send order, and compares every answer (see
 * replay_answers.ts for what is compared).
 *
 * Used by `validation_replay_test.ts`; `deno run -A tests/server/validation_replay.ts [store] [filter|--all]`
 * prints the differences and the figures per group for a look while working.
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
import {
  type Answer,
  answerOf,
  describeAnswer,
  type EndpointGroup,
  groupOf,
  sameAnswer,
  Substitutions,
} from "./replay_answers.ts";

export { type Answer, describeAnswer, type EndpointGroup } from "./replay_answers.ts";

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
// The recording's requests each took over a millisecond: one clock tick per exchange makes orders by
// timestamp depend on the order of the calls, not on the machine's speed.
const CLOCK_START = 1_800_000_000_000;
const CLOCK_TICK = 10;

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

/** One unrecorded call of the recorder's. */
interface ResetCall {
  path: string;
  body: Record<string, unknown>;
  /**
   * A rename back whose target name kmlf still holds because it refused the rename MLflow made: the holder
   * is moved aside, so the model MLflow renamed back takes the name, as in MLflow.
   */
  parkIfTaken?: boolean;
}

/** The unrecorded calls that put shared objects back after a case changed them (header notes). */
function resetCalls(note: string, header: RecordedHeader): ResetCall[] {
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
    return [{ path: "registered-models/rename", body: { name: m[1], new_name: m[2] }, parkIfTaken: true }];
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

async function openReplayStore(kind: RecordedStore, root: string): Promise<TrackingStore> {
  // `mlflow server --artifacts-destination <root>/art`: new experiments get `mlflow-artifacts:/<id>`.
  const options = { artifactRoot: "mlflow-artifacts:/", truncateLongValues: true };
  return kind === "sqlite"
    ? SqliteStore.open(join(root, "mlflow.db"), options)
    : await FileStore.open(join(root, "mlruns"), options);
}

async function post(handle: Handler, path: string, body: unknown, subs: Substitutions) {
  const response = await handle(
    new Request(`http://${HOST}/api/2.0/mlflow/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", host: HOST },
      body: subs.apply(JSON.stringify(body)),
    }),
  );
  return { status: response.status, json: await response.json().catch(() => ({})) };
}

type Handler = (request: Request) => Promise<Response>;

/** Makes one of the recorder's resets. */
async function reset(handle: Handler, call: ResetCall, subs: Substitutions, seq: number): Promise<void> {
  const answer = await post(handle, call.path, call.body, subs);
  if (!call.parkIfTaken || answer.json.error_code !== "RESOURCE_ALREADY_EXISTS") return;
  const { new_name } = call.body;
  await post(handle, call.path, { name: new_name, new_name: `${new_name}-parked-${seq}` }, subs);
  await post(handle, call.path, call.body, subs);
}

/**
 * Where kmlf refused a model-versions/create that MLflow accepted (a deliberate difference), MLflow used up
 * a version number: kmlf uses one up too (creates and deletes a version), so later cases name the same
 * versions.
 */
async function alignVersionNumbers(store: TrackingStore, ex: RecordedExchange, kmlf: Answer): Promise<void> {
  if (ex.endpoint !== "model-versions/create" || ex.response.status !== 200 || kmlf.status === 200) return;
  const recorded = JSON.parse(ex.response.body).model_version as { name: string };
  const placeholder = await store.registry.createModelVersion(recorded.name, "s3://replay/placeholder");
  await store.registry.deleteModelVersion(recorded.name, placeholder.version);
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
  const realNow = Date.now;
  let clock = CLOCK_START;
  Date.now = () => clock;
  const store = await openReplayStore(kind, root);
  const handle = createRequestHandler(store, {
    artifactsDestination: options.artifactsDestination ?? join(root, "art"),
    artifactOptions: options.artifactOptions,
    stateDir: join(root, "state"),
  });
  const subs = new Substitutions(root, HOST);
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
      clock += CLOCK_TICK;
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
      const group = groupOf(header.file, ex.endpoint);
      outcomes.push({
        store: kind,
        group,
        file: header.file,
        seq: ex.seq,
        case: ex.case,
        method: ex.method,
        mlflow,
        kmlf,
        matches: sameAnswer(mlflow, kmlf, subs, group),
      });
      await alignVersionNumbers(store, ex, kmlf);
      for (const { note, header: h } of resets.get(ex.seq) ?? []) {
        for (const call of resetCalls(note, h)) await reset(handle, call, subs, ex.seq);
      }
    }
  } finally {
    Date.now = realNow;
    await store.close();
    await Deno.remove(root, { recursive: true });
  }
  for (const o of outcomes) {
    // The temp root as MLflow's recorded messages spell it, so reports and goldens do not vary by run (a
    // kmlf message naming it is still caught: checkNoServerErrors looks for __ROOT__ too).
    if (o.kmlf.message) o.kmlf.message = subs.reverse(o.kmlf.message).replaceAll(root, "__ROOT__");
    if (o.kmlf.json !== undefined) o.kmlf.json = JSON.parse(subs.reverse(JSON.stringify(o.kmlf.json)));
  }
  return outcomes;
}

/**
 * MLflow's answers of the other store pass, by seq, with that pass's setup ids written as this pass's (so a
 * message of the other store can be compared with kmlf's).
 */
export async function otherStoreAnswers(kind: RecordedStore): Promise<Map<number, Answer>> {
  const ownIds = (await loadRecordedFiles(kind))[0].header.setup_ids;
  const answers = new Map<number, Answer>();
  for (const f of await loadRecordedFiles(kind === "sqlite" ? "filestore" : "sqlite")) {
    const names = Object.keys(f.header.setup_ids).filter((name) => ownIds[name] !== undefined);
    const long = names.filter((name) => f.header.setup_ids[name].length >= 8)
      .sort((a, b) => f.header.setup_ids[b].length - f.header.setup_ids[a].length);
    // SQLite's experiment ids ("1" … "7") are swapped only where a message names an experiment.
    const short = new Map(
      names.filter((name) => /^exp/.test(name) && f.header.setup_ids[name].length < 8)
        .map((name) => [f.header.setup_ids[name], ownIds[name]]),
    );
    const map = (text: string) =>
      long.reduce((t, name) => t.replaceAll(f.header.setup_ids[name], ownIds[name]), text)
        .replace(
          /(experiment(?:_id)?[ =]'?|[Ee]xperiment with id=|mlflow-artifacts:\/)(\d{1,7})\b/g,
          (m, pre, id) => short.has(id) ? pre + short.get(id) : m,
        );
    for (const ex of f.exchanges) {
      const { status, content_type, body, location } = ex.response;
      answers.set(ex.seq, answerOf(status, content_type ?? "", map(body), location));
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
    const other = await otherStoreAnswers(store);
    const byGroup = new Map<string, [number, number, number]>();
    const byClass = new Map<string, number>();
    for (const o of outcomes) {
      const cls = o.matches ? undefined : deviationOf(o, other.get(o.seq));
      const [m, d, n] = byGroup.get(o.group) ?? [0, 0, 0];
      byGroup.set(o.group, [m + Number(o.matches), d + Number(cls !== undefined), n + 1]);
      if (cls) byClass.set(cls.name, (byClass.get(cls.name) ?? 0) + 1);
      const show = filter === "--all" ? !o.matches : !o.matches && !cls;
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
