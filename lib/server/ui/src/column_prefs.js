// Which columns the runs table shows, in what order, how wide and which are pinned: kept per experiment
// page in localStorage. Until the user chooses, the defaults are MLflow's attribute columns, the metrics
// other than kmlf's per-node timings, and the params whose values differ between the loaded runs.
// Free of the DOM except for storage (tests run it in Deno).

/** Attribute columns the chooser offers: id → label. */
export const ATTRIBUTE_COLUMNS = {
  "attr:created": "Created",
  "attr:duration": "Duration",
  "attr:status": "Status",
  "attr:user": "User",
  "attr:source": "Source",
  "attr:version": "Version",
  "attr:datasets": "Datasets",
  "attr:run_id": "Run ID",
  "attr:experiment": "Experiment",
  "attr:description": "Description",
};

/**
 * kmlf's per-node timing metrics, by section (the key prefix): the node's whole time, its function alone,
 * its dataset loads and saves. Not shown until asked for.
 */
export const NODE_TIMING_SECTIONS = {
  node_duration_s: "Node durations (s)",
  node_function_s: "Node function times (s)",
  node_io_s: "Node load and save times (s)",
};

/** Whether a metric key is one of kmlf's per-node timings. */
export const isNodeTiming = (key) => Object.keys(NODE_TIMING_SECTIONS).some((p) => key.startsWith(`${p}.`));
const MAX_DEFAULT_METRICS = 8;
const MAX_DEFAULT_PARAMS = 8;

/** The column id of a key: "metric:<k>", "param:<k>", "tag:<k>". */
export const columnId = (kind, key) => `${kind}:${key}`;

/** `{kind, key}` of a column id ("attr" for attributes). */
export function parseColumnId(id) {
  const at = id.indexOf(":");
  return { kind: id.slice(0, at), key: id.slice(at + 1) };
}

/** Params whose values are not all the same over `runs` (a param missing from a run counts as differing). */
export function varyingParams(runs, keys) {
  return keys.filter((key) => {
    const values = new Set(runs.map((r) => r.params.get(key)));
    return values.size > 1;
  });
}

/**
 * The default shown columns for the loaded runs: attributes (Datasets and Experiment only when they
 * say something), the first metrics that are not node timings, and the params that vary (or, when
 * none varies, the first ones).
 */
export function defaultColumns(runs, known, { experiments = 1 } = {}) {
  const attrs = ["attr:created", "attr:duration", "attr:status", "attr:user", "attr:source", "attr:version"];
  if (runs.some((r) => (r.inputs?.dataset_inputs ?? []).length > 0)) attrs.push("attr:datasets");
  if (experiments > 1) attrs.splice(1, 0, "attr:experiment");
  const metrics = [...known.metrics].sort().filter((k) => !isNodeTiming(k)).slice(
    0,
    MAX_DEFAULT_METRICS,
  );
  const paramKeys = [...known.params].sort();
  const varying = varyingParams(runs, paramKeys);
  const params = (runs.length > 1 ? varying : paramKeys).slice(0, MAX_DEFAULT_PARAMS);
  return [
    ...attrs,
    ...metrics.map((k) => columnId("metric", k)),
    ...params.map((k) => columnId("param", k)),
  ];
}

/**
 * Column preferences of one page (`scope`): `{shown?: ids in order | undefined (defaults), pinned: ids,
 * widths: {id: px}}`, with `save()` writing them back.
 */
export function columnPrefs(scope, storage = globalThis.localStorage) {
  const key = `kmlf.columns.v2.${scope}`;
  let saved = {};
  try {
    saved = JSON.parse(storage?.getItem(key) ?? "{}") ?? {};
  } catch {
    saved = {};
  }
  const prefs = {
    shown: Array.isArray(saved.shown) ? saved.shown.map(String) : undefined,
    pinned: Array.isArray(saved.pinned) ? saved.pinned.map(String) : [],
    widths: saved.widths && typeof saved.widths === "object" ? { ...saved.widths } : {},
    save() {
      try {
        storage?.setItem(
          key,
          JSON.stringify({ shown: prefs.shown, pinned: prefs.pinned, widths: prefs.widths }),
        );
      } catch {
        // Storage unavailable: the layout lasts for this page.
      }
    },
  };
  return prefs;
}

/** The shown column ids: the user's choice, else the defaults; pinned ones first, in pin order. */
export function shownColumns(prefs, defaults) {
  const shown = prefs.shown ?? defaults;
  const pinned = prefs.pinned.filter((id) => shown.includes(id));
  return [...pinned, ...shown.filter((id) => !pinned.includes(id))];
}

/** Moves column `id` before `beforeId` (or to the end) in the shown list; returns the new list. */
export function moveColumn(shown, id, beforeId) {
  const rest = shown.filter((x) => x !== id);
  const at = beforeId === undefined ? rest.length : rest.indexOf(beforeId);
  rest.splice(at < 0 ? rest.length : at, 0, id);
  return rest;
}
