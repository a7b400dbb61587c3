// Params as people read them: a dict param (kmlf and kedro-mlflow log `model` as
// `{"learning_rate":0.1,"n_iter":300}` unless flattened) becomes dotted keys `model.learning_rate`,
// `model.n_iter`, so compare rows and parallel axes show one value each instead of a cut-off JSON text.

/** The object a param value holds as JSON text, or undefined. */
function jsonObject(value) {
  const text = String(value ?? "").trim();
  if (!text.startsWith("{")) return undefined;
  try {
    const parsed = JSON.parse(text);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** A leaf as text: strings as they are, everything else as JSON. */
const leafText = (v) => (typeof v === "string" ? v : JSON.stringify(v));

/**
 * key → value with dict values split into dotted keys (recursively; an empty dict stays as "{}").
 * A dotted key that a real param already uses keeps the real param's value.
 */
export function flattenParams(params) {
  const out = new Map();
  const put = (key, value) => {
    if (!out.has(key)) out.set(key, value);
  };
  const walk = (prefix, obj) => {
    const entries = Object.entries(obj);
    if (entries.length === 0) return put(prefix, "{}");
    for (const [k, v] of entries) {
      if (v && typeof v === "object" && !Array.isArray(v)) walk(`${prefix}.${k}`, v);
      else put(`${prefix}.${k}`, leafText(v));
    }
  };
  for (const [key, value] of params) if (!jsonObject(value)) out.set(key, value);
  for (const [key, value] of params) {
    const obj = jsonObject(value);
    if (obj) walk(key, obj);
  }
  return new Map([...out.entries()].sort((a, b) => a[0].localeCompare(b[0])));
}

const NUMBER = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?\s*$/i;

/**
 * The param to plot first among `keys` (in order): the first whose value differs between the maps and
 * that every map has; else the first differing one with numeric values; else the first differing one.
 */
export function firstDiffering(keys, maps) {
  const differs = keys.filter((k) => new Set(maps.map((m) => m.get(k))).size > 1);
  const everywhere = differs.filter((k) => maps.every((m) => m.has(k)));
  const numeric = differs.filter((k) => maps.every((m) => !m.has(k) || NUMBER.test(String(m.get(k)))));
  return everywhere[0] ?? numeric[0] ?? differs[0];
}
