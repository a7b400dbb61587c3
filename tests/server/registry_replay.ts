/**
 * Replays the registry part of MLflow 2.17.2's REST validation matrix
 * (tests/fixtures/mlflow-2.17.2/rest-validation, see its README) against kmlf's handler over the
 * matching store, and compares every answer: status, error code and message, and the JSON of
 * successes (timestamps aside). Recorded ids are mapped to the ids kmlf hands out; the recorder's
 * unrecorded resets between exchanges are applied through the store.
 */
import { join } from "node:path";
import { createRequestHandler } from "../../lib/server/mod.ts";
import { FileStore, SqliteStore, type TrackingStore } from "../../lib/tracking/mod.ts";

/** One recorded exchange (see the fixture README for the fields). */
export interface RecordedExchange {
  seq: number;
  endpoint: string;
  case: string;
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body: string | null;
  response: { status: number; content_type?: string; body: string };
}

interface Header {
  kind: "header";
  file: string;
  resets_between_exchanges?: string[];
}

/** Where the matrix lives. */
export const VALIDATION_FIXTURES = new URL("../fixtures/mlflow-2.17.2/rest-validation/", import.meta.url);

/** An exchange of a file, with the resets to apply after it. */
export interface ReplayItem {
  file: string;
  exchange: RecordedExchange;
  resets: string[];
}

/** Every registry exchange of one store's recording (plus its setup), in the order they were sent. */
export function registryExchanges(store: "sqlite" | "filestore"): ReplayItem[] {
  const dir = new URL(`${store}/`, VALIDATION_FIXTURES);
  const items: ReplayItem[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    if (!/^(_setup|registered-models-.*|model-versions-.*)\.json$/.test(entry.name)) continue;
    const [header, ...exchanges] = JSON.parse(Deno.readTextFileSync(new URL(entry.name, dir))) as [
      Header,
      ...RecordedExchange[],
    ];
    const resets = new Map<number, string[]>();
    for (const reset of header.resets_between_exchanges ?? []) {
      const m = reset.match(/^after seq (\d+) \([^)]*\): (.*)$/);
      if (m) resets.set(Number(m[1]), [...(resets.get(Number(m[1])) ?? []), m[2]]);
    }
    const file = entry.name.replace(/\.json$/, "");
    for (const exchange of exchanges) items.push({ file, exchange, resets: resets.get(exchange.seq) ?? [] });
  }
  return items.sort((a, b) => a.exchange.seq - b.exchange.seq);
}

/** What kmlf answered. */
export interface Answer {
  status: number;
  json?: Record<string, unknown>;
  text: string;
}

/** kmlf's server over a fresh store of the kind the recording used, and the recorded → kmlf id map. */
export class ReplayServer {
  readonly ids = new Map<string, string>();
  constructor(
    readonly dir: string,
    readonly store: TrackingStore,
    readonly handle: (request: Request) => Promise<Response>,
  ) {}

  static async start(kind: "sqlite" | "filestore"): Promise<ReplayServer> {
    const dir = await Deno.makeTempDir({ prefix: "kmlf-registry-replay-" });
    const store = kind === "sqlite"
      ? SqliteStore.open(join(dir, "mlflow.db"), { artifactRoot: "mlflow-artifacts:/" })
      : await FileStore.open(join(dir, "mlruns"), { artifactRoot: "mlflow-artifacts:/" });
    return new ReplayServer(
      dir,
      store,
      createRequestHandler(store, { artifactsDestination: join(dir, "art") }),
    );
  }

  /** Recorded text with recorded ids replaced by kmlf's (longest first) and `__ROOT__` by the temp dir. */
  map(text: string): string {
    let out = text.replaceAll("__ROOT__", this.dir);
    for (const [from, to] of [...this.ids].sort((a, b) => b[0].length - a[0].length)) {
      out = out.replaceAll(from, to);
    }
    return out;
  }

  /** Sends a recorded request (ids mapped) and reads the answer. */
  async send(ex: RecordedExchange): Promise<Answer> {
    const url = `http://127.0.0.1:5000${this.map(ex.path)}${ex.query ? `?${this.map(ex.query)}` : ""}`;
    const response = await this.handle(
      new Request(url, {
        method: ex.method,
        headers: ex.headers,
        // A GET/HEAD body cannot be sent through fetch's Request; kmlf reads GET fields from the query only.
        body: ex.body === null || ex.method === "GET" || ex.method === "HEAD" ? undefined : this.map(ex.body),
      }),
    );
    const text = ex.method === "HEAD" ? "" : await response.text();
    let json: Record<string, unknown> | undefined;
    if ((response.headers.get("content-type") ?? "").startsWith("application/json")) {
      json = JSON.parse(text);
    }
    return { status: response.status, json, text };
  }

  /** Learns kmlf's ids from a setup answer (experiment and run creation). */
  learn(ex: RecordedExchange, answer: Answer): void {
    const recorded = JSON.parse(ex.response.body || "{}");
    if (recorded.experiment_id && answer.json?.experiment_id) {
      this.ids.set(recorded.experiment_id, String(answer.json.experiment_id));
    }
    const run = recorded.run?.info?.run_id;
    const mine = (answer.json?.run as { info?: { run_id?: string } } | undefined)?.info?.run_id;
    if (run && mine) this.ids.set(run, mine);
  }

  /** Applies one of the recorder's unrecorded resets (they name registry objects by their fixed names). */
  async reset(description: string): Promise<void> {
    const r = this.store.registry;
    const tolerate = (p: Promise<unknown>) => p.catch(() => {});
    let m: RegExpMatchArray | null;
    if (description === "re-set alias del_alias") {
      return void await r.setRegisteredModelAlias("vm-model-1", "del_alias", "1");
    }
    if (description === "re-set registered model tag rm_del_me") {
      return void await r.setRegisteredModelTag("vm-model-1", "rm_del_me", "x");
    }
    if (description === "re-set model version tag mv_del_me") {
      return void await r.setModelVersionTag("vm-model-1", "1", "mv_del_me", "x");
    }
    if (description === "re-created registered model vm-model-victim") {
      return void await tolerate(r.createRegisteredModel("vm-model-victim"));
    }
    if ((m = description.match(/^renamed '(.*)' back to (.*)$/))) {
      const [, from, to] = m;
      const exists = (name: string) => r.getRegisteredModel(name).then(() => true, () => false);
      if (!(await exists(from))) return; // kmlf refused the rename MLflow made
      // MLflow had renamed `to` away; where kmlf refused that, park it so `from` can take its place.
      if (await exists(to)) {
        await r.renameRegisteredModel(to, `${to}-parked-${crypto.randomUUID().slice(0, 8)}`);
      }
      return void await r.renameRegisteredModel(from, to);
    }
    if ((m = description.match(/^version \d+ of (.*) was deleted; created version \d+/))) {
      const source = (await r.getModelVersion("vm-model-1", "1")).source!;
      return void await r.createModelVersion(m[1], source, {
        runId: (await r.getModelVersion("vm-model-1", "1")).runId,
      });
    }
    throw new Error(`unknown reset: ${description}`);
  }

  /**
   * Where kmlf refused a model-versions/create that MLflow accepted (a listed deviation), MLflow used up a
   * version number: use one up too (create and delete a version), so later cases name the same versions.
   */
  async keepVersionNumbersAligned(file: string, ex: RecordedExchange, got: Answer): Promise<void> {
    if (file !== "model-versions-create" || ex.response.status !== 200 || got.status === 200) return;
    const recorded = JSON.parse(ex.response.body).model_version as { name: string };
    const placeholder = await this.store.registry.createModelVersion(
      recorded.name,
      "s3://replay/placeholder",
    );
    await this.store.registry.deleteModelVersion(recorded.name, placeholder.version);
  }

  async close(): Promise<void> {
    await this.store.close();
    await Deno.remove(this.dir, { recursive: true });
  }
}
