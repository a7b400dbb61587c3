// The experiment page's search state as kept in the hash query, under MLflow's names (searchFilter,
// orderByKey, orderByAsc, lifecycleFilter, startTime, datasetsFilter, compareRunsMode), and the runs/search
// filter it makes: the user's expression, then the time-created and datasets filters, joined by "and".
// Free of the DOM (tests run it in Deno).

export const DEFAULT_ORDER = "attributes.start_time";

/** MLflow's "Time created" choices: value → [label, milliseconds back from now]. */
export const START_TIMES = {
  ALL: ["All time", null],
  LAST_HOUR: ["Last hour", 60 * 60 * 1000],
  LAST_24_HOURS: ["Last 24 hours", 24 * 60 * 60 * 1000],
  LAST_7_DAYS: ["Last 7 days", 7 * 24 * 60 * 60 * 1000],
  LAST_30_DAYS: ["Last 30 days", 30 * 24 * 60 * 60 * 1000],
  LAST_YEAR: ["Last year", 12 * 30 * 24 * 60 * 60 * 1000],
};

/** base64 of UTF-8 JSON (MLflow's datasetsFilter encoding) and back. */
export function encodeDatasets(list) {
  const bytes = new TextEncoder().encode(JSON.stringify(list));
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** The datasets of a datasetsFilter value; [] for an empty or unreadable one. */
export function decodeDatasets(value) {
  if (!value) return [];
  try {
    const bytes = Uint8Array.from(atob(value), (c) => c.charCodeAt(0));
    const list = JSON.parse(new TextDecoder().decode(bytes));
    return Array.isArray(list)
      ? list.filter((d) => d && typeof d.name === "string").map((d) => ({
        name: d.name,
        digest: String(d.digest ?? ""),
        context: String(d.context ?? ""),
      }))
      : [];
  } catch {
    return [];
  }
}

/** The page state of a route's query. */
export function stateOf(query) {
  const startTime = query.get("startTime") ?? "ALL";
  return {
    filter: query.get("searchFilter") ?? "",
    orderKey: query.get("orderByKey") || DEFAULT_ORDER,
    asc: query.get("orderByAsc") === "true",
    deleted: query.get("lifecycleFilter") === "Deleted",
    startTime: Object.hasOwn(START_TIMES, startTime) ? startTime : "ALL",
    datasets: decodeDatasets(query.get("datasetsFilter")),
    mode: query.get("compareRunsMode") === "CHART" ? "CHART" : "TABLE",
  };
}

/** The query string of a state (defaults left out), without the "?". */
export function queryOf(state) {
  const q = new URLSearchParams();
  if (state.filter) q.set("searchFilter", state.filter);
  if (state.orderKey && state.orderKey !== DEFAULT_ORDER) q.set("orderByKey", state.orderKey);
  if (state.asc) q.set("orderByAsc", "true");
  if (state.deleted) q.set("lifecycleFilter", "Deleted");
  if (state.startTime && state.startTime !== "ALL") q.set("startTime", state.startTime);
  if (state.datasets?.length) q.set("datasetsFilter", encodeDatasets(state.datasets));
  if (state.mode === "CHART") q.set("compareRunsMode", "CHART");
  return q.toString();
}

/** A string literal for the filter grammar ('…' with quotes doubled). */
export const sqlString = (value) => `'${String(value).replaceAll("'", "''")}'`;

/**
 * The runs/search filter of a state at time `now`: the user's expression, `attributes.start_time >= …`
 * for a time range, and MLflow's `dataset.name IN (…) AND dataset.digest IN (…)` for chosen datasets.
 */
export function searchFilterOf(state, now = Date.now()) {
  const parts = [];
  if (state.filter) parts.push(state.filter);
  const back = START_TIMES[state.startTime]?.[1];
  if (back) parts.push(`attributes.start_time >= ${now - back}`);
  if (state.datasets?.length) {
    const names = [...new Set(state.datasets.map((d) => d.name))].map(sqlString).join(",");
    const digests = [...new Set(state.datasets.map((d) => d.digest))].map(sqlString).join(",");
    parts.push(`dataset.name IN (${names}) AND dataset.digest IN (${digests})`);
  }
  return parts.join(" and ");
}

/** How many runs one page of the runs table asks for (the table is virtualized, so a page can be long). */
const PAGE_SIZE = 500;

/** The runs/search body of the runs page for `state` (its search, view and order) and a page token. */
export function runsSearchRequest(experimentIds, state, pageToken, maxResults = PAGE_SIZE) {
  return {
    experiment_ids: experimentIds,
    filter: searchFilterOf(state),
    run_view_type: state.deleted ? "DELETED_ONLY" : "ACTIVE_ONLY",
    max_results: maxResults,
    order_by: [`${state.orderKey} ${state.asc ? "ASC" : "DESC"}`],
    page_token: pageToken,
  };
}
