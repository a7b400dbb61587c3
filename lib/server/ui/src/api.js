// MLflow REST calls through the ajax-api routes, relative to the page so a path prefix keeps working.

const BASE = "ajax-api/2.0/mlflow/";

/** An error answer of the server: `code` is MLflow's error_code, `message` its message. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * `fetch`, with a request that gets no answer at all (the server stopped, the network is down) refused
 * as an ApiError saying so and what to do, instead of the browser's bare "Failed to fetch".
 */
export async function serverFetch(url, init) {
  try {
    return await fetch(url, init);
  } catch (error) {
    throw new ApiError(
      0,
      "NETWORK_ERROR",
      `Cannot reach the tracking server (${error?.message ?? error}): check that it is still running ` +
        "(kmlf mlflow ui or kmlf server) and reachable, then reload the page.",
    );
  }
}

/** The body of an answer: MLflow's JSON, or undefined when the text is not JSON (a proxy's page). */
function parseBody(text) {
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return undefined;
  }
}

/** What an answer that is not MLflow's JSON says, cut short and without markup (a proxy's HTML page). */
function foreignText(response, text) {
  const words = text.replace(/<(script|style)[^]*?<\/\1>/gi, " ").replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ").trim();
  const said = words.length > 200 ? words.slice(0, 200) + "…" : words;
  return `The server answered ${response.status} ${response.statusText}`.trim() +
    (said ? ` with a page that is not an MLflow answer: ${said}` : "") +
    ". If a proxy or login page stands in front of the tracking server, check it; then reload the page.";
}

/** The ApiError of a refused response: MLflow's JSON error message, a plain-text answer, or a page's gist. */
function refusal(response, text, prefix = "") {
  const body = parseBody(text);
  return new ApiError(
    response.status,
    body?.error_code ?? "HTTP_" + response.status,
    prefix + (body?.message || (/<[a-z!/]/i.test(text) ? foreignText(response, text) : text.trim()) ||
      `${response.status} ${response.statusText}`),
  );
}

/** MLflow's JSON answer of `response`; an ApiError for a refusal or for an answer that is not JSON. */
export async function decode(response) {
  const text = await response.text();
  if (!response.ok) throw refusal(response, text);
  const body = parseBody(text);
  if (body === undefined) throw new ApiError(response.status, "NOT_JSON", foreignText(response, text));
  return body;
}

/** GET `<endpoint>?params`; array values become repeated keys. */
export async function apiGet(endpoint, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) query.append(key, String(v));
  }
  const qs = query.toString();
  return decode(await serverFetch(BASE + endpoint + (qs ? "?" + qs : "")));
}

/** POST a JSON body to `<endpoint>`. */
export async function apiPost(endpoint, body = {}) {
  return decode(
    await serverFetch(BASE + endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    }),
  );
}

/** The URL of a run's artifact file (raw bytes). */
export function artifactUrl(runId, path) {
  return `get-artifact?${new URLSearchParams({ path, run_uuid: runId })}`;
}

/** Schemes whose artifact repositories percent-decode the path (MLflow's file, HTTP and proxied stores). */
const DECODED_SCHEMES = new Set(["file", "http", "https", "mlflow-artifacts"]);

/**
 * The full URI of the artifact `path` under a run's `artifactUri`, as MLflow's clients read it: each name
 * percent-encoded where the store decodes the path (`file:`, `http(s):`, `mlflow-artifacts:`), so a name
 * holding `#`, `%` or a space stays one name; verbatim under a plain path or an object store's URI (s3:,
 * gs:, …), which read their keys as written.
 *
 * @example
 * ```js
 * artifactFullUri("mlflow-artifacts:/1/ab/artifacts/", "a b/#1.txt"); // "mlflow-artifacts:/1/ab/artifacts/a%20b/%231.txt"
 * artifactFullUri("/srv/mlruns/1/ab/artifacts", "a b.txt"); // "/srv/mlruns/1/ab/artifacts/a b.txt"
 * ```
 */
export function artifactFullUri(artifactUri, path) {
  const root = String(artifactUri).replace(/\/+$/, "");
  const scheme = root.match(/^([a-zA-Z][a-zA-Z0-9+.-]+):/)?.[1]?.toLowerCase();
  const tail = DECODED_SCHEMES.has(scheme) ? path.split("/").map(encodeURIComponent).join("/") : path;
  return path ? `${root}/${tail}` : root;
}

/**
 * GETs a run's artifact file. A refusal throws an ApiError saying which file and the server's message
 * (not its raw JSON); a path the server cannot serve (`unservablePathReason`) is refused without asking.
 */
export async function fetchArtifact(runId, path) {
  refuseUnservable(path, `Cannot load ${path}: `);
  const response = await serverFetch(artifactUrl(runId, path));
  if (response.ok) return response;
  throw refusal(response, await response.text(), `Cannot load ${path}: `);
}

/**
 * Why the server cannot serve a run's artifact `path`, or undefined: MLflow's artifact routes (and kmlf's)
 * refuse a path holding `#`. A `%XX` in a name is served as written by kmlf's server (MLflow's decodes it).
 *
 * @example
 * ```js
 * unservablePathReason("a b/report%20v2.txt"); // undefined
 * unservablePathReason("run #2/a.txt"); // "Invalid path (MLflow servers refuse artifact paths holding '#': …)"
 * ```
 */
export function unservablePathReason(path) {
  if (!String(path ?? "").includes("#")) return undefined;
  return "Invalid path (MLflow servers refuse artifact paths holding '#': rename it before logging it)";
}

/** Throws the 400 ApiError of a path the server cannot serve (before asking it: no wrong answer shown). */
function refuseUnservable(path, prefix) {
  const reason = unservablePathReason(path);
  if (reason) throw new ApiError(400, "INVALID_PARAMETER_VALUE", prefix + reason);
}

/** Fetches a run (cached per page load while the run is terminal). */
const runCache = new Map();
export async function getRun(runId, { fresh = false } = {}) {
  if (!fresh && runCache.has(runId)) return runCache.get(runId);
  const { run } = await apiGet("runs/get", { run_id: runId });
  if (run.info.status !== "RUNNING") runCache.set(runId, run);
  return run;
}

/**
 * The runs of a shared link (compare, metric pages): `{runs, missing}`, where `missing` lists the ids the
 * server refused (`{id, message}`: purged, mistyped) so the page shows the rest and names those. Throws
 * the first refusal when no run loads.
 */
export async function getRunsOf(ids) {
  const answers = await Promise.allSettled(ids.map((id) => getRun(id)));
  const runs = answers.filter((a) => a.status === "fulfilled").map((a) => a.value);
  const missing = answers.flatMap((a, i) =>
    a.status === "rejected" ? [{ id: ids[i], message: a.reason?.message ?? String(a.reason) }] : []
  );
  if (runs.length === 0 && missing.length) throw answers[0].reason;
  return { runs, missing };
}

/** Forgets cached runs (after delete / restore). */
export function forgetRun(runId) {
  runCache.delete(runId);
}

const experimentCache = new Map();
/** Fetches an experiment (cached per page load). */
export async function getExperiment(experimentId) {
  if (experimentCache.has(experimentId)) return experimentCache.get(experimentId);
  const { experiment } = await apiGet("experiments/get", { experiment_id: experimentId });
  experimentCache.set(experimentId, experiment);
  return experiment;
}

/** Forgets a cached experiment (after rename / delete / restore). */
export function forgetExperiment(experimentId) {
  experimentCache.delete(experimentId);
}

/** The full history of one metric of one run, following page tokens. */
export async function metricHistory(runId, key) {
  const points = [];
  let pageToken;
  do {
    const page = await apiGet("metrics/get-history", {
      run_id: runId,
      metric_key: key,
      max_results: 25000,
      page_token: pageToken,
    });
    for (const m of page.metrics ?? []) points.push(m);
    pageToken = page.next_page_token;
  } while (pageToken);
  return points;
}

/**
 * Histories of one metric for several runs (≤ 100 per call, calls in parallel), sampled by the server
 * to `maxResults` steps per run; `range` [startStep, endStep] limits the steps (a zoomed chart).
 */
export async function bulkMetricHistory(runIds, key, maxResults = 2500, range = undefined) {
  const byRun = new Map(runIds.map((id) => [id, []]));
  const calls = [];
  for (let i = 0; i < runIds.length; i += 100) {
    calls.push(apiGet("metrics/get-history-bulk-interval", {
      run_ids: runIds.slice(i, i + 100),
      metric_key: key,
      max_results: maxResults,
      start_step: range ? Math.floor(range[0]) : undefined,
      end_step: range ? Math.ceil(range[1]) : undefined,
    }));
  }
  for (const { metrics } of await Promise.all(calls)) {
    // The server answers run by run: look a run's list up only when the run changes.
    let runId, list;
    for (const m of metrics ?? []) {
      if (m.run_id !== runId) (runId = m.run_id), (list = byRun.get(runId));
      list?.push(m);
    }
  }
  return byRun;
}

/** Every artifact directly under `path` of a run, following page tokens (refusing unservable paths). */
export async function listArtifacts(runId, path) {
  refuseUnservable(path, "");
  const files = [];
  let pageToken;
  do {
    const page = await apiGet("artifacts/list", {
      run_id: runId,
      path: path || undefined,
      page_token: pageToken,
    });
    for (const f of page.files ?? []) files.push(f);
    pageToken = page.next_page_token;
  } while (pageToken);
  return files;
}
