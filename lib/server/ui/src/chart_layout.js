// The chart view's cards and sections, free of the DOM (tests run it in Deno): by default one card per
// metric — a line chart when some run logged it at more than one step, else a bar chart of the last
// values — grouped in sections as MLflow's UI groups them (everything before the LAST "/": `train/loss`
// → "train", `a/b/c` → "a/b"; no "/" → "Model metrics"; `system/…` → "System metrics"; "." is no
// separator, so `train_history.loss` is a model metric), kmlf's dotted per-node timings in their own
// folded sections, plus a scatter and a parallel-coordinates card of the params that vary against the
// metric most runs have.
// The user's changes (settings, removed cards, added cards, folded sections) are kept beside.
import { NODE_TIMING_SECTIONS } from "./column_prefs.js";

export const MODEL_SECTION = "Model metrics";
export const SYSTEM_SECTION = "System metrics";
export const PARAMS_SECTION = "Params and metrics";

/**
 * Whether a key is one of MLflow's system metrics (CPU, memory, GPU…), charted on their own run tab.
 *
 * @example isSystemMetric("system/cpu_utilization_percentage") // true
 */
export const isSystemMetric = (key) => key.startsWith("system/");

/**
 * The section of a metric key, by MLflow's rule (its UI's extractChartSectionName): the key up to its
 * last "/"; an empty one (no "/", or only a leading one) is "Model metrics", "system" is "System
 * metrics". kmlf's per-node timings (`node_duration_s.<node>`) keep their own sections.
 *
 * @example sectionOf("val/loss") // "val"; sectionOf("a/b/c") // "a/b"; sectionOf("x.y") // "Model metrics"
 */
export function sectionOf(key) {
  const timing = Object.keys(NODE_TIMING_SECTIONS).find((p) => key.startsWith(`${p}.`));
  if (timing) return timing;
  const prefix = key.slice(0, Math.max(0, key.lastIndexOf("/")));
  if (prefix === "") return MODEL_SECTION;
  return prefix === "system" ? SYSTEM_SECTION : prefix;
}

/** The title shown for a section name. */
export function sectionTitle(name) {
  // Own keys only: a prefix named "constructor" is a section like any other.
  return Object.hasOwn(NODE_TIMING_SECTIONS, name) ? NODE_TIMING_SECTIONS[name] : name;
}

/** Sections folded until the user opens them: kmlf's per-node timings. */
export const FOLDED_BY_DEFAULT = new Set(Object.keys(NODE_TIMING_SECTIONS));

/** A line card's settings when the user has not changed them. */
export const LINE_DEFAULTS = {
  xAxis: "step",
  yLog: false,
  smoothing: 0,
  points: "auto",
  ignoreOutliers: false,
};

/**
 * The default cards for the known metric keys (`steps(key)` → the largest latest step any run has) and
 * `plot` = {metric, params}: the metric and the varying params of the scatter and parallel-coordinates
 * cards (none when there is no such param). Cards: [{id, type, section, ...settings}].
 */
export function defaultCards(metricKeys, steps, plot = {}) {
  const keys = [...metricKeys].sort();
  const cards = keys.map((key) => ({
    id: `auto:${key}`,
    type: steps(key) > 0 ? "line" : "bar",
    section: sectionOf(key),
    metrics: [key],
    ...LINE_DEFAULTS,
  }));
  const params = plot.params ?? [];
  if (plot.metric && params.length > 0) {
    cards.push({
      id: "auto:scatter",
      type: "scatter",
      section: PARAMS_SECTION,
      x: `param:${params[0]}`,
      y: `metric:${plot.metric}`,
    });
    cards.push({
      id: "auto:parallel",
      type: "parallel",
      section: PARAMS_SECTION,
      dims: [...params.slice(0, 6).map((k) => `param:${k}`), `metric:${plot.metric}`],
    });
  }
  return cards;
}

/**
 * The cards to show: defaults with the user's overrides, minus the removed ones, plus the user's own
 * cards; and the sections in order (Model metrics first, then the prefixes, System metrics, params last)
 * with their cards.
 */
export function chartLayout(defaults, saved) {
  const overrides = saved.cards ?? {};
  const removed = new Set(saved.removed ?? []);
  const cards = [
    ...defaults.filter((c) => !removed.has(c.id)).map((c) => ({
      ...c,
      ...(overrides[c.id] ?? {}),
      id: c.id,
    })),
    ...(saved.custom ?? []).filter((c) => c && c.id && !removed.has(c.id)).map((c) => ({
      ...c,
      ...(overrides[c.id] ?? {}),
    })),
  ];
  const bySection = new Map();
  for (const card of cards) {
    if (!bySection.has(card.section)) bySection.set(card.section, []);
    bySection.get(card.section).push(card);
  }
  // Model metrics first, the user's prefixes, system metrics (last in MLflow), node timings, params.
  const RANKS = new Map([[MODEL_SECTION, 0], [SYSTEM_SECTION, 2], [PARAMS_SECTION, 4]]);
  const rank = (name) => RANKS.get(name) ?? (FOLDED_BY_DEFAULT.has(name) ? 3 : 1);
  const sections = [...bySection.entries()].sort((a, b) =>
    rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0])
  )
    .map(([name, list]) => ({
      name,
      title: sectionTitle(name),
      cards: list,
      folded: Object.hasOwn(saved.folded ?? {}, name) ? saved.folded[name] : FOLDED_BY_DEFAULT.has(name),
    }));
  return { cards, sections };
}

/**
 * The runs (or groups) the charts draw: pinned ones first, then the table's order, hidden ones left out,
 * at most `max` besides the pinned ones.
 */
export function chartItems(items, { isPinned, isHidden, max }) {
  const visible = items.filter((it) => !isHidden(it.id));
  const pinned = visible.filter((it) => isPinned(it.id));
  const rest = visible.filter((it) => !isPinned(it.id));
  return [...pinned, ...rest.slice(0, Math.max(0, max))];
}
