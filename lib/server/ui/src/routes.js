// Hash routes, the same as MLflow's UI: links printed by MLflow clients and copied from MLflow's UI open
// the right page. To add a page: one entry in ROUTES here (its path pattern and name), and its render
// function under that name in app.js's PAGES.
import { parseIdList } from "./dom.js";

const RUN_TABS = new Set(["overview", "model-metrics", "system-metrics", "artifacts", "pipeline"]);

/** A JSON-encoded string query value (MLflow writes `metric="loss"`), or the raw text. */
function jsonString(value) {
  if (value === null || value === undefined) return undefined;
  try {
    const parsed = JSON.parse(value);
    if (typeof parsed === "string") return parsed;
  } catch {
    // not JSON: the text itself
  }
  return value;
}

const runParams = (p) => {
  const rest = p.rest ? p.rest.split("/") : [];
  // MLflow's older artifact links: …/runs/<id>/artifactPath/<path>.
  let tab = rest[0] === "artifactPath" ? "artifacts" : (rest[0] ?? "overview");
  if (!RUN_TABS.has(tab)) tab = "overview";
  return {
    experimentId: p.experimentId,
    runId: p.runId,
    tab,
    artifactPath: tab === "artifacts" ? rest.slice(1).join("/") : "",
  };
};

/**
 * The route table, first match wins. `path` segments: a literal, `:name` (one segment) or `*name` (the
 * rest, possibly empty). `params(p, query)` shapes what the page gets.
 */
export const ROUTES = [
  { name: "experiments", path: "" },
  { name: "experiments", path: "experiments" },
  {
    name: "runs",
    path: "experiments/:experimentId",
    params: (p) => ({ experimentId: p.experimentId, experimentIds: [p.experimentId] }),
  },
  // MLflow's experimentPageSearch form: /experiments/<id>/s?searchFilter=…
  {
    name: "runs",
    path: "experiments/:experimentId/s",
    params: (p) => ({ experimentId: p.experimentId, experimentIds: [p.experimentId] }),
  },
  { name: "run", path: "experiments/:experimentId/runs/:runId/*rest", params: runParams },
  // MLflow's runPageDirect: /runs/<id> (the experiment is looked up).
  { name: "run-direct", path: "runs/:runId/*rest", params: (p) => runParams({ ...p, experimentId: "" }) },
  { name: "compare", path: "compare-runs" },
  {
    name: "compare-experiments",
    path: "compare-experiments/*rest",
    params: (_, query) => {
      const ids = parseIdList(query.get("experiments"));
      return { experimentId: ids[0], experimentIds: ids };
    },
  },
  // The model registry: #/models, #/models/<name>, #/models/<name>/versions/<v>.
  { name: "models", path: "models" },
  { name: "model", path: "models/:name" },
  { name: "model-version", path: "models/:name/versions/:version" },
  // /metric/<key>?runs=[…] (older MLflow) and /metric/?metric="<key>"&plot_metric_keys=[…] (MLflow 2.x).
  {
    name: "metric",
    path: "metric/*rest",
    params: (p, query) => {
      const key = jsonString(query.get("metric")) ?? p.rest;
      const keys = parseIdList(query.get("plot_metric_keys"));
      return { key, keys: keys.length ? keys : key ? [key] : [] };
    },
  },
];

function decode(part) {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** Matches `parts` against a route path; the captured params or undefined. */
function match(path, parts) {
  const pattern = path === "" ? [] : path.split("/");
  const params = {};
  for (let i = 0; i < pattern.length; i++) {
    const seg = pattern[i];
    if (seg.startsWith("*")) {
      params[seg.slice(1)] = parts.slice(i).join("/");
      return params;
    }
    if (i >= parts.length) return undefined;
    if (seg.startsWith(":")) params[seg.slice(1)] = parts[i];
    else if (seg !== parts[i]) return undefined;
  }
  return parts.length === pattern.length ? params : undefined;
}

/**
 * Parses `location.hash` into {name, params, query}; unknown paths are {name: "not-found"}.
 *
 * @param {string} hash
 * @returns {{name: string, params: Record<string, any>, query: URLSearchParams}}
 */
export function parseRoute(hash) {
  const raw = hash.replace(/^#\/?/, "");
  const q = raw.indexOf("?");
  const path = q >= 0 ? raw.slice(0, q) : raw;
  const query = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : "");
  const parts = path.split("/").filter((p) => p !== "").map(decode);
  for (const route of ROUTES) {
    const found = match(route.path, parts);
    if (found) return { name: route.name, params: route.params?.(found, query) ?? found, query };
  }
  return { name: "not-found", params: { path }, query };
}

const enc = encodeURIComponent;

/** Hash of an experiment's runs page (several ids: MLflow's compare-experiments form). */
export function experimentHash(experimentIds, query = "") {
  const ids = Array.isArray(experimentIds) ? experimentIds : [experimentIds];
  const qs = query ? `?${query}` : "";
  if (ids.length === 1) return `#/experiments/${enc(ids[0])}${qs}`;
  const sorted = [...ids].sort();
  return `#/compare-experiments/s?experiments=${enc(JSON.stringify(sorted))}${query ? `&${query}` : ""}`;
}

/** Hash of a run's page (optionally a tab path such as "artifacts/a/b.txt"). */
export function runHash(experimentId, runId, tabPath = "") {
  const tail = tabPath ? "/" + tabPath.split("/").map(enc).join("/") : "";
  return `#/experiments/${enc(experimentId)}/runs/${enc(runId)}${tail}`;
}

/** Hash of MLflow's metric page for `keys` of `runIds`, in MLflow 2.x's query form. */
export function metricHash(runIds, keys, experimentIds = [], options = {}) {
  const q = new URLSearchParams();
  q.set("runs", JSON.stringify(runIds));
  q.set("metric", JSON.stringify(keys[0] ?? ""));
  q.set("experiments", JSON.stringify(experimentIds));
  q.set("plot_metric_keys", JSON.stringify(keys));
  q.set("x_axis", options.xAxis ?? "step");
  q.set("y_axis_scale", options.yLog ? "log" : "linear");
  q.set("line_smoothness", String(options.smoothness ?? 1));
  q.set("show_point", String(Boolean(options.showPoint)));
  return `#/metric/?${q}`;
}

/** Hash of the compare page (MLflow's form: runs and experiments as JSON lists). */
export function compareHash(runIds, experimentIds) {
  return `#/compare-runs?runs=${enc(JSON.stringify(runIds))}&experiments=${
    enc(JSON.stringify(experimentIds))
  }`;
}
