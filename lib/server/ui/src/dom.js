// DOM helpers. All user text goes through text nodes (textContent); nothing here parses HTML.

const SVG_NS = "http://www.w3.org/2000/svg";

function apply(el, attrs) {
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "class") el.setAttribute("class", value);
    else if (key === "testid") el.setAttribute("data-testid", value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "style" && typeof value === "object") Object.assign(el.style, value);
    else if (key === "value" || key === "checked" || key === "disabled" || key === "selected") {
      el[key] = value;
    } else el.setAttribute(key, value === true ? "" : String(value));
  }
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** An HTML element; string children become text nodes. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  apply(el, attrs);
  append(el, children);
  return el;
}

/** An SVG element; string children become text nodes. */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  apply(el, attrs);
  append(el, children);
  return el;
}

/** A name that may wrap only after . _ - / (never mid-word): a <wbr> after each separator. */
export function breakable(text) {
  const parts = String(text).split(/(?<=[._\-/:])/);
  return h("span", { class: "breakable" }, parts.flatMap((p, i) => (i ? [h("wbr"), p] : [p])));
}

/** Replaces the children of `el`. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** "2024-05-01 12:34:56" in local time, or "" for a missing time. */
export function formatTime(ms) {
  if (ms === undefined || ms === null || ms === "") return "";
  const d = new Date(Number(ms));
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${
    p(d.getMinutes())
  }:${p(d.getSeconds())}`;
}

/** "3 min ago" style relative time. */
export function formatRelative(ms, now = Date.now()) {
  if (!ms) return "";
  const sec = Math.max(0, (now - Number(ms)) / 1000);
  // The unit is chosen after rounding: 59.6 s ago reads "1 min ago", not "60 s ago".
  if (Math.round(sec) < 60) return `${Math.round(sec)} s ago`;
  if (Math.round(sec / 60) < 60) return `${Math.round(sec / 60)} min ago`;
  if (Math.round(sec / 3600) < 24) return `${Math.round(sec / 3600)} h ago`;
  return `${Math.round(sec / 86400)} d ago`;
}

/** A duration in ms as "850ms", "12.3s", "4.5min", "2.1h", "3.2d" (MLflow's units). */
export function formatDuration(ms) {
  if (ms === undefined || ms === null || !Number.isFinite(ms)) return "";
  if (Math.abs(ms) < 999.5) return `${Math.round(ms)}ms`;
  // The unit is chosen after rounding: 59.96 s reads "1.0min", not "60.0s".
  for (const [size, unit, limit] of DURATION_UNITS) {
    const value = (ms / size).toFixed(1);
    if (Math.abs(Number(value)) < limit) return `${value}${unit}`;
  }
  return `${(ms / 86_400_000).toFixed(1)}d`;
}

// [milliseconds per unit, unit, first value written in the next unit], as MLflow's UI writes durations.
const DURATION_UNITS = [[1000, "s", 60], [60_000, "min", 60], [3_600_000, "h", 24]];

/** Duration of a run's info: end − start, or now − start while running. */
export function runDuration(info) {
  if (!info.start_time) return undefined;
  const end = info.end_time ?? (info.status === "RUNNING" ? Date.now() : undefined);
  return end === undefined ? undefined : Number(end) - Number(info.start_time);
}

/** A metric value for display: up to 6 significant digits; NaN/Infinity as MLflow spells them. */
export function formatNumber(v) {
  if (v === undefined || v === null) return "";
  const n = toNumber(v);
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "Infinity" : "-Infinity";
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e9)) return n.toExponential(4);
  return String(Number(n.toPrecision(6)));
}

/**
 * A metric value with every digit the double holds (what MLflow's API returns), for tooltips and for
 * telling values apart: formatNumber rounds 0.1234561 and 0.1234564 to the same text.
 */
export function exactNumber(v) {
  if (v === undefined || v === null) return "";
  const n = toNumber(v);
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "Infinity" : "-Infinity";
  return String(n);
}

/**
 * A metric value shown rounded (formatNumber), its exact value in `data-value` and, when rounding hid
 * digits, in the tooltip.
 *
 * @example mount(cell, metricValue(0.123456789)) // shows 0.123457, tooltip 0.123456789
 */
export function metricValue(v, testid) {
  const shown = formatNumber(v);
  const exact = exactNumber(v);
  return h("span", {
    class: "num",
    testid,
    title: exact !== shown ? exact : undefined,
    dataset: { value: exact },
  }, shown);
}

/** A wire double (number, or "NaN" / "Infinity" / "-Infinity") as a JS number. */
export function toNumber(v) {
  if (typeof v === "number") return v;
  if (v === "NaN") return NaN;
  if (v === "Infinity") return Infinity;
  if (v === "-Infinity") return -Infinity;
  return Number(v);
}

/** key → value of a list of {key, value}. */
export function toMap(list) {
  const map = new Map();
  for (const kv of list ?? []) map.set(kv.key, kv.value);
  return map;
}

/** The latest metrics of a run as key → metric. */
export function metricMap(run) {
  const map = new Map();
  for (const m of run.data?.metrics ?? []) map.set(m.key, m);
  return map;
}

/** A small status badge. */
export function statusBadge(status) {
  return h("span", { class: `status status-${String(status).toLowerCase()}`, testid: "run-status" }, status);
}

/** A message block for errors; `message` is plain text. */
export function errorBox(message, testid = "error") {
  return h("div", { class: "error-box", testid, role: "alert" }, message);
}

/** The notice of a page that could not load some runs of its link (nothing when all loaded). */
export function missingRunsNotice(missing) {
  if (!missing.length) return null;
  return h(
    "div",
    { class: "error-box", testid: "missing-runs", role: "alert" },
    `Left out: ${countOf(missing.length, "run")} of this link, which could not be loaded:`,
    h("ul", {}, missing.map((m) => h("li", { testid: "missing-run" }, `${m.id}: ${m.message}`))),
  );
}

/**
 * A count and its noun, singular for one: `countOf(1, "run")` is "1 run", `countOf(3, "run")` "3 runs".
 */
export function countOf(n, noun, plural = `${noun}s`) {
  return `${n} ${n === 1 ? noun : plural}`;
}

/** Values longer than this show their start and a "Show all" button (MLflow allows 6000-char params). */
const LONG_VALUE_CHARS = 400;

/**
 * A param or tag value as wrapped text; a long one (a pasted JSON config) is cut to its start with a
 * button showing the rest, so one value does not push everything else off the page.
 */
export function valueText(value, testid) {
  const text = String(value ?? "");
  const el = h("span", { class: "value", testid });
  if (text.length <= LONG_VALUE_CHARS) return mount(el, text);
  const toggle = h("button", { type: "button", class: "small", testid: "value-toggle" });
  const show = (all) => {
    mount(el, all ? text : text.slice(0, 300) + "… ", toggle);
    toggle.textContent = all ? " Show less" : `Show all ${text.length.toLocaleString("en")} characters`;
    toggle.onclick = () => show(!all);
  };
  show(false);
  return el;
}

/**
 * Text for a list's cell, cut to a few lines (the whole text in the tooltip): a long tag or description
 * must not stretch a row over several screens.
 *
 * @example h("td", {}, clippedText(model.tags.map((t) => `${t.key}: ${t.value}`).join("\n")))
 */
export function clippedText(text, testid) {
  const value = String(text ?? "");
  return h("span", { class: "clip", testid, title: value || undefined }, value);
}

/** The run name, or its id when unnamed. */
export function runLabel(run) {
  return run.info.run_name || run.info.run_id.slice(0, 8);
}

/** A debounced function: runs `fn` `ms` after the last call. */
export function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/** Series colours, shared by charts and legends. */
export const PALETTE = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#17becf",
];

/** A JSON list from a query value (MLflow writes `runs=["a","b"]`); also accepts a,b. */
export function parseIdList(value) {
  if (!value) return [];
  try {
    const parsed = JSON.parse(value);
    if (Array.isArray(parsed)) return parsed.map(String);
  } catch {
    // fall through to comma separated
  }
  return value.split(",").map((v) => v.trim()).filter(Boolean);
}
