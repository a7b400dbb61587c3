// What a user marks on runs, kept in the browser (localStorage) like MLflow's UI state: a colour per run
// (the same in the runs table, the chart view, the compare and metric pages), and per experiment page
// the pinned runs (always on top and in the charts) and the hidden ones (left out of the charts).

/** Run colours: a run's default comes from its id, so it is the same on every page. */
export const RUN_PALETTE = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#17becf",
  "#bcbd22",
  "#393b79",
  "#e6550d",
  "#31a354",
  "#a50f15",
  "#6baed6",
  "#fd8d3c",
  "#74c476",
  "#c51b8a",
  "#636363",
  "#b8860b",
  "#00868b",
];

const COLORS_KEY = "kmlf.runColors";

/** A stable 32-bit hash of a string (FNV-1a). */
export function hashString(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The palette colour of a run id (or of any key, e.g. a group's). */
export function defaultColor(key) {
  return RUN_PALETTE[hashString(String(key)) % RUN_PALETTE.length];
}

function storage() {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

function readJson(key, fallback) {
  try {
    const value = JSON.parse(storage()?.getItem(key) ?? "null");
    return value && typeof value === "object" ? value : fallback;
  } catch {
    return fallback;
  }
}

function writeJson(key, value) {
  try {
    storage()?.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the marks last for this page only.
  }
}

let colors;
const listeners = new Set();

/** The colour of a run: the one the user chose, else its default. */
export function runColor(runId) {
  colors ??= readJson(COLORS_KEY, {});
  const chosen = colors[runId];
  return typeof chosen === "string" && /^#[0-9a-f]{6}$/i.test(chosen) ? chosen : defaultColor(runId);
}

/** Sets (or with `undefined` resets) a run's colour; pages listening redraw. */
export function setRunColor(runId, color) {
  colors ??= readJson(COLORS_KEY, {});
  if (color === undefined) delete colors[runId];
  else colors[runId] = color;
  writeJson(COLORS_KEY, colors);
  for (const fn of listeners) fn(runId);
}

/** Calls `fn(runId)` after every colour change; returns the function that stops it. */
export function onRunColorChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/**
 * Pinned and hidden runs of one experiment page (`scope`, e.g. the experiment ids): `isPinned(id)`,
 * `togglePin(id)`, `isHidden(id)`, `toggleHidden(id)`, `pinned()` (ids in pin order).
 */
export function runMarks(scope) {
  const key = `kmlf.marks.${scope}`;
  const saved = readJson(key, {});
  const pinned = new Set(Array.isArray(saved.pinned) ? saved.pinned.map(String) : []);
  const hidden = new Set(Array.isArray(saved.hidden) ? saved.hidden.map(String) : []);
  const save = () => writeJson(key, { pinned: [...pinned], hidden: [...hidden] });
  const toggle = (set, id) => {
    set.has(id) ? set.delete(id) : set.add(id);
    save();
  };
  return {
    isPinned: (id) => pinned.has(id),
    isHidden: (id) => hidden.has(id),
    togglePin: (id) => toggle(pinned, id),
    toggleHidden: (id) => toggle(hidden, id),
    pinned: () => [...pinned],
  };
}
