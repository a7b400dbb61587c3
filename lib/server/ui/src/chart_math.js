// The numbers behind every chart, free of the DOM (tests run them in Deno): ticks, series arrays,
// per-pixel downsampling, smoothing, outlier clipping, step aggregation and tick labels.
import { formatNumber, toNumber } from "./dom.js";

/**
 * "Nice" tick values covering [min, max]. Each tick is an integer multiple of the step, rounded to the
 * significant digits it can have (the step's ≤ 2 plus the multiple's), so a tick at zero reads 0 (never
 * -5.5511e-17 from adding steps up) and ticks stay distinct at any magnitude, 1e-300 and subnormals
 * included (rounding to a fixed count of decimals turned them all into 0).
 * @example niceTicks(0, 1, 5) // [0, 0.2, 0.4, 0.6, 0.8, 1]; niceTicks(1e-300, 5e-300, 4) // [1e-300, 2e-300, …, 5e-300]
 */
export function niceTicks(min, max, count = 6) {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  if (min > max) [min, max] = [max, min];
  const raw = spanOf(min, max) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((st) => raw <= st) ?? 10 * mag;
  // Below ~1e-322 the step itself underflows (to 0 or to a few representable values): the ends are all
  // an axis can show.
  if (!(step >= 1e-320)) return [min, max];
  const ticks = [];
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  for (let k = first; k <= last && ticks.length < 1000; k++) {
    const digits = Math.min(100, Math.floor(Math.log10(Math.abs(k) || 1)) + 3);
    const v = k === 0 ? 0 : Number((k * step).toPrecision(digits));
    if (ticks.at(-1) !== v) ticks.push(Object.is(v, -0) ? 0 : v);
  }
  return ticks;
}

/**
 * Tick values of a log axis whose exponents run [lo, hi]: the powers of ten in it, or — when it spans
 * less than two of them (values 2…7) — nice values in between, so the axis is never left unlabelled.
 * @example logTicks(0, 3) // [1, 10, 100, 1000]; logTicks(0.3, 0.9) // [2, 4, 6]
 */
export function logTicks(lo, hi) {
  const powers = niceTicks(lo, hi, 5).filter((t) => Number.isInteger(t)).map((t) => 10 ** t);
  if (powers.length >= 2) return powers;
  return niceTicks(10 ** lo, 10 ** hi, 5).filter((v) => v > 0);
}

const NON_FINITE = /^[-+]?(nan|inf|infinity)$/i;

/**
 * A param or metric value as a number when it is one (NaN for every non-finite spelling — MLflow's and
 * Python's — which a numeric axis leaves out), else undefined (text: a categorical axis).
 * @example numberOf("0.5") // 0.5; numberOf("inf") // NaN; numberOf("adam") // undefined
 */
export function numberOf(v) {
  if (typeof v === "number") return Number.isFinite(v) ? v : NaN;
  if (typeof v !== "string") return undefined;
  const text = v.trim();
  if (NON_FINITE.test(text)) return NaN;
  const n = text === "" ? NaN : Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * max − min, at most the largest double: MLflow's SQL stores store ±Infinity as ±1.7976931348623157e308,
 * so a chart holding both would overflow to Infinity (and its positions to NaN).
 */
export function spanOf(min, max) {
  return Math.min(Number.MAX_VALUE, max - min);
}

/** Where v lies in [lo, hi] (0 at lo, 1 at hi), computed on halves so it never overflows. */
export function fractionOf(v, lo, hi) {
  return (v / 2 - lo / 2) / (hi / 2 - lo / 2);
}

/**
 * The range of an axis whose values are all `lo` (=== `hi`): ±1 around it (±10 % with `relative`), or
 * ±10 % where adding 1 no longer changes a double (beyond 2^53: 1.8e308, MLflow's stand-in for
 * Infinity, or an int64 step), kept finite, so the axis never has zero span (positions would be NaN).
 * Other ranges are returned as they are.
 *
 * @example
 * ```js
 * widenFlat(3, 3); // [2, 4]
 * widenFlat(3, 3, { relative: true }); // [2.7, 3.3]
 * widenFlat(1e300, 1e300); // [9e299, 1.1e300]
 * ```
 */
export function widenFlat(lo, hi, { relative = false } = {}) {
  if (lo !== hi) return [lo, hi];
  if (!relative && lo - 1 < lo && hi + 1 > hi) return [lo - 1, hi + 1];
  return [
    Math.max(-Number.MAX_VALUE, lo - (Math.abs(lo) * 0.1 || 1)),
    Math.min(Number.MAX_VALUE, hi + (Math.abs(hi) * 0.1 || 1)),
  ];
}

/** [lo, hi] widened by `ratio` (< 0.5) of its span on each side, kept finite. */
export function padRange(lo, hi, ratio) {
  const pad = (hi / 2 - lo / 2) * 2 * ratio;
  return [Math.max(-Number.MAX_VALUE, lo - pad), Math.min(Number.MAX_VALUE, hi + pad)];
}

/**
 * The labels of an axis' ticks (the axis spans `span`), one form for the whole axis: values that are zero
 * to 12 digits print as 0; the others as plain decimals with as many decimals as the span needs to tell the
 * ticks apart ("1000.0002" on an axis from 1000.0001 to 1000.0003, not "1000") when every label then fits
 * the 64-px margin beside a plot ({@link TICK_CHARS} characters), else all in exponent form with as many
 * digits as the span needs ("1.5e+308", not "1.5000e+308"; "1e+8", not "100000000") when that is
 * narrower.
 * @example formatTicks([0, 5e7, 1e8], 1.2e8) // ["0", "5e+7", "1e+8"]
 */
export function formatTicks(ticks, span) {
  const plain = ticks.map((t) => plainTick(t, span));
  const widest = (labels) => Math.max(0, ...labels.map((l) => l?.length ?? Infinity));
  if (widest(plain) <= TICK_CHARS) return plain;
  const exp = ticks.map((t) => expTick(t, span));
  return widest(exp) < widest(plain) ? exp : plain;
}

/**
 * One tick label, as {@link formatTicks} writes it on an axis where all labels fit or none does
 * (`span` defaults to the value's own size: a log axis' ticks).
 * @example formatTick(1.5e308, 3e308) // "1.5e+308"; formatTick(1234500000000, 2e9) // "1.2345e+12"
 */
export function formatTick(v, span = Math.abs(v)) {
  return formatTicks([v], span)[0];
}

/** The longest tick label that fits beside a plot in 11-px digits. */
export const TICK_CHARS = 8;

function isZeroTick(v, span) {
  return v === 0 || (span > 0 && Math.abs(v) < span * 1e-12);
}

// Plain decimals; undefined for a value needing more than 20 decimals, or past 1e21.
function plainTick(v, span) {
  if (isZeroTick(v, span)) return "0";
  if (!Number.isFinite(v)) return formatNumber(v);
  const abs = Math.abs(v);
  const decimals = Math.max(0, Math.ceil(-Math.log10(span > 0 ? span : abs)) + 3);
  if (decimals > 20 || abs >= 1e21) return undefined;
  const text = v.toFixed(decimals);
  const out = text.includes(".") ? text.replace(/\.?0+$/, "") : text;
  return out === "-0" ? "0" : out;
}

function expTick(v, span) {
  if (isZeroTick(v, span)) return "0";
  if (!Number.isFinite(v)) return formatNumber(v);
  const abs = Math.abs(v);
  const digits = Math.min(16, Math.max(1, Math.ceil(Math.log10(abs / (span > 0 ? span : abs))) + 2));
  return v.toExponential(digits).replace(/\.?0+e/, "e");
}

/**
 * Points of one series as sorted typed arrays. `points` are wire metrics {value, step, timestamp};
 * `xType` is "step", "time" (wall time) or "relative" (ms since the series' first point).
 */
export function seriesArrays(points, xType) {
  const n = points.length;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  let t0 = 0;
  if (xType === "relative") {
    t0 = Infinity;
    for (const p of points) t0 = Math.min(t0, Number(p.timestamp));
  }
  let sorted = true;
  for (let i = 0; i < n; i++) {
    const p = points[i];
    xs[i] = xType === "step" ? Number(p.step ?? 0) : Number(p.timestamp) - (xType === "relative" ? t0 : 0);
    ys[i] = toNumber(p.value);
    if (i > 0 && xs[i] < xs[i - 1]) sorted = false;
  }
  if (sorted) return { xs, ys };
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => xs[a] - xs[b]);
  return { xs: Float64Array.from(order, (i) => xs[i]), ys: Float64Array.from(order, (i) => ys[i]) };
}

/**
 * Vertices to draw for a sorted series on `width` pixel columns: all points when they are few,
 * else per column the first, min, max and last point (M4), which keeps the exact visual envelope.
 */
export function downsample(xs, ys, toPx, width) {
  const n = xs.length;
  const out = [];
  if (n <= width * 2) {
    for (let i = 0; i < n; i++) out.push(i);
    return out;
  }
  let col = -Infinity;
  let first = -1, last = -1, min = -1, max = -1;
  const flush = () => {
    if (first < 0) return;
    const picked = [first, min, max, last].filter((v, i, a) => v >= 0 && a.indexOf(v) === i).sort((a, b) =>
      a - b
    );
    for (const i of picked) out.push(i);
  };
  for (let i = 0; i < n; i++) {
    const c = Math.floor(toPx(xs[i]));
    if (c !== col) {
      flush();
      col = c;
      first =
        last =
        min =
        max =
          i;
      continue;
    }
    last = i;
    const y = ys[i];
    if (y < ys[min] || (Number.isNaN(ys[min]) && !Number.isNaN(y))) min = i;
    if (y > ys[max] || (Number.isNaN(ys[max]) && !Number.isNaN(y))) max = i;
  }
  flush();
  return out;
}

/**
 * Exponential moving average with TensorBoard's debiasing (the first points are not pulled to 0):
 * `weight` in [0, 1), 0 = no smoothing. Non-finite values are kept as they are and skipped.
 */
export function smooth(ys, weight) {
  if (!(weight > 0)) return ys;
  const out = new Float64Array(ys.length);
  let last = 0;
  let count = 0;
  for (let i = 0; i < ys.length; i++) {
    const y = ys[i];
    if (!Number.isFinite(y)) {
      out[i] = y;
      continue;
    }
    last = last * weight + (1 - weight) * y;
    count++;
    // The bias correction may round a value near ±1.8e308 past the largest double: keep it finite.
    out[i] = Math.min(Number.MAX_VALUE, Math.max(-Number.MAX_VALUE, last / (1 - weight ** count)));
  }
  return out;
}

/** The p-th percentile (0..100) of a sorted array, interpolated. */
function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const at = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(at), hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/**
 * The y range that ignores outliers: the 5th to 95th percentile of the finite values (MLflow's "ignore
 * outliers"), or undefined when there are fewer than 5 values to judge by.
 */
export function inlierRange(values) {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length < 5) return undefined;
  const lo = percentile(finite, 5), hi = percentile(finite, 95);
  return lo < hi ? [lo, hi] : undefined;
}

/** Index of the x closest to `x` in a sorted array (-1 for an empty one). */
export function nearest(xs, x) {
  if (xs.length === 0) return -1;
  let lo = 0, hi = xs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && Math.abs(xs[lo - 1] - x) < Math.abs(xs[lo] - x) ? lo - 1 : lo;
}

/** The aggregate functions of grouped runs. */
export const AGGREGATES = {
  min: (vs) => Math.min(...vs),
  max: (vs) => Math.max(...vs),
  mean,
};

/**
 * The mean of finite values, finite itself: where their sum overflows (values near ±1.8e308, a SQL
 * store's ±Infinity) it adds each value's share instead, so two runs at 1.8e308 average 1.8e308.
 *
 * @example
 * ```js
 * mean([1, 2]); // 1.5
 * mean([Number.MAX_VALUE, Number.MAX_VALUE]); // Number.MAX_VALUE
 * ```
 */
export function mean(vs) {
  const sum = vs.reduce((a, b) => a + b, 0);
  if (Number.isFinite(sum)) return sum / vs.length;
  // The shares' rounding may still step past the largest double: the mean lies within the values.
  const shares = vs.reduce((a, b) => a + b / vs.length, 0);
  return Math.min(Math.max(shares, Math.min(...vs)), Math.max(...vs));
}

/**
 * One series from several runs' points of a metric: per step, the aggregate of the runs' values (finite
 * ones), plus the min and max as a band. Returns wire-like points `{step, timestamp, value, min, max}`.
 */
export function aggregateByStep(pointLists, aggregate = "mean") {
  const byStep = new Map();
  for (const points of pointLists) {
    for (const p of points) {
      const v = toNumber(p.value);
      if (!Number.isFinite(v)) continue;
      const step = Number(p.step ?? 0);
      let entry = byStep.get(step);
      if (!entry) byStep.set(step, entry = { values: [], timestamp: Number(p.timestamp) });
      entry.values.push(v);
      entry.timestamp = Math.min(entry.timestamp, Number(p.timestamp));
    }
  }
  const fn = AGGREGATES[aggregate] ?? AGGREGATES.mean;
  return [...byStep.entries()].sort((a, b) => a[0] - b[0]).map(([step, e]) => ({
    step,
    timestamp: e.timestamp,
    value: fn(e.values),
    min: Math.min(...e.values),
    max: Math.max(...e.values),
  }));
}

/** Whether every series has at most one distinct x: a chart of single values (drawn as bars). */
export function isSingleValued(seriesList) {
  return seriesList.length > 0 &&
    seriesList.every((s) => new Set((s.points ?? []).map((p) => Number(p.step ?? 0))).size <= 1);
}
