// The chart view's cards and sections, free of the DOM (tests run it in Deno): by default one card per
// metric — a line chart when some run logged it at more than one step, else a bar chart of the last
// values — grouped in sections by the metric name's prefix (`train/loss`, `train_history.loss` →
// "train", "train_history"), plus a scatter and a parallel-coordinates card of the params that vary
// against the metric most runs have.
// The user's changes (settings, removed cards, added cards, folded sections) are kept beside.
import { NODE_TIMING_SECTIONS } from "./column_prefs.js";

export const MODEL_SECTION = "Model metrics";
export const PARAMS_SECTION = "Params and metrics";

/** The section of a metric key: its prefix before the first "/" or ".", else "Model metrics". */
export function sectionOf(key) {
  const m = /^([^/.]+)[/.]./.exec(key);
  return m ? m[1] : MODEL_SECTION;
}

/** The title shown for a section name. */
export function sectionTitle(name) {
  if (name in NODE_TIMING_SECTIONS) return NODE_TIMING_SECTIONS[name];
  if (name === "system") return "System metrics";
  return name;
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
 * cards; and the sections in order (Model metrics first, params last) with their cards.
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
  const rank = (
    name,
  ) => (name === MODEL_SECTION ? 0 : name === PARAMS_SECTION ? 3 : FOLDED_BY_DEFAULT.has(name) ? 2 : 1);
  const sections = [...bySection.entries()].sort((a, b) =>
    rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0])
  )
    .map(([name, list]) => ({
      name,
      title: sectionTitle(name),
      cards: list,
      folded: saved.folded?.[name] ?? FOLDED_BY_DEFAULT.has(name),
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
