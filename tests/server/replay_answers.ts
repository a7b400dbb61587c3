/**
 * What the REST validation replay compares of an answer — status, `error_code` and message, the JSON of a
 * registry success (timestamps aside), the bytes of a download, the `Location` of a redirect — and the id
 * substitutions that make MLflow's recorded answers comparable with kmlf's.
 */

/** What one side answered, reduced to what is compared. */
export interface Answer {
  status: number;
  contentType: string;
  errorCode?: string;
  message?: string;
  /** A JSON success body, parsed. */
  json?: unknown;
  /** Non-JSON bodies (downloads, health, HTML pages), as text. */
  text?: string;
  location?: string;
}

/** Endpoint groups, by fixture file. */
export type EndpointGroup = "setup" | "tracking" | "artifacts" | "misc" | "registry";

/** The endpoint group of a fixture file (setup calls of the registry count as registry). */
export function groupOf(file: string, endpoint = ""): EndpointGroup {
  if (file === "_setup") return /^(registered-models|model-versions)\//.test(endpoint) ? "registry" : "setup";
  if (file === "misc") return "misc";
  if (/^(registered-models|model-versions)-/.test(file)) return "registry";
  if (/^(artifacts-list|get-artifact|mlflow-artifacts-)/.test(file)) return "artifacts";
  return "tracking";
}

/** Whether a content type is JSON. */
export function isJson(contentType: string | null | undefined): boolean {
  return /^application\/json/.test(contentType ?? "");
}

/** An answer from its status, content type, body and Location header. */
export function answerOf(status: number, contentType: string, body: string, location?: string): Answer {
  const answer: Answer = { status, contentType };
  if (location) answer.location = location;
  if (!isJson(contentType)) {
    answer.text = body;
    return answer;
  }
  try {
    const json = JSON.parse(body);
    if (json && typeof json === "object" && "error_code" in json) {
      answer.errorCode = json.error_code;
      answer.message = json.message;
    } else answer.json = json;
  } catch {
    // A JSON content type with a non-JSON body (or none, as MLflow's HEAD answers): kept as text.
    answer.text = body;
  }
  return answer;
}

/**
 * Recorded ids → kmlf's, and `__ROOT__`/`__HOST__` → the replay's. Only ids long enough to be unambiguous
 * (run ids, file-store experiment ids) are swapped inside text; SQLite's short experiment ids come out the
 * same as MLflow's (checked after the setup).
 */
export class Substitutions {
  readonly #pairs: [string, string][] = [];
  constructor(root: string, host: string) {
    this.#pairs.push(["__ROOT__", root], ["__HOST__", host]);
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

const TIMES = new Set(["creation_timestamp", "last_updated_timestamp"]);

/**
 * A registry JSON answer without its timestamps (and `ignore`d keys), with tag and alias lists sorted (file
 * stores list them in folder order).
 *
 * @example
 * ```ts
 * normalizeBody({ tags: [{ key: "b" }, { key: "a" }], creation_timestamp: 1 }); // { tags: [{key: "a"}, {key: "b"}] }
 * ```
 */
export function normalizeBody(value: unknown, ignore: readonly string[] = []): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => normalizeBody(v, ignore));
    const sortable = items.every((i) =>
      i !== null && typeof i === "object" && ("key" in i || "alias" in i)
    ) ||
      items.every((i) => typeof i === "string");
    return sortable ? items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) : items;
  }
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).filter(([k]) => !TIMES.has(k) && !ignore.includes(k)).map((
        [k, v],
      ) => [k, normalizeBody(v, ignore)]),
    );
  }
  return value;
}

/**
 * Whether kmlf's answer is the one MLflow gave: same status; same code and message for errors (ids
 * substituted); the same body for registry successes (timestamps aside) and for file downloads; the same
 * redirect. Flask's HTML error pages are matched by status (kmlf answers MLflow's JSON error shape).
 */
export function sameAnswer(
  mlflow: Answer,
  kmlf: Answer,
  subs: Substitutions,
  group: EndpointGroup,
  ignoreKeys: readonly string[] = [],
): boolean {
  if (mlflow.status !== kmlf.status) return false;
  // An empty JSON body (MLflow's HEAD answer) says nothing but its status.
  if (isJson(mlflow.contentType) && mlflow.text === "") return true;
  if (mlflow.errorCode !== undefined) {
    return kmlf.errorCode === mlflow.errorCode && kmlf.message === subs.apply(mlflow.message ?? "");
  }
  if (mlflow.location !== undefined) return kmlf.location === subs.apply(mlflow.location);
  if (kmlf.errorCode !== undefined && isJson(mlflow.contentType)) return false;
  if (!isJson(mlflow.contentType) && mlflow.status === 200) {
    return kmlf.contentType === mlflow.contentType && kmlf.text === mlflow.text;
  }
  if (group === "registry" && mlflow.json !== undefined) {
    const recorded = JSON.parse(subs.apply(JSON.stringify(mlflow.json)));
    return JSON.stringify(normalizeBody(recorded, ignoreKeys)) ===
      JSON.stringify(normalizeBody(kmlf.json, ignoreKeys));
  }
  return true;
}

/** One line describing an answer, for reports and golden files. */
export function describeAnswer(a: Answer): string {
  if (a.errorCode !== undefined) return `${a.status} ${a.errorCode} ${JSON.stringify(a.message)}`;
  if (a.location) return `${a.status} → ${a.location}`;
  const kind = isJson(a.contentType) ? "json" : (a.contentType.split(";")[0] || "empty");
  return `${a.status} ${kind}`;
}
