// Autocomplete for the runs search box (MLflow's filter syntax): entity prefixes, then metric, param and
// tag keys of the loaded runs and the searchable run attributes. Keys that are not plain identifiers are
// quoted (see quoteKey), as the server's parser expects.

/** Searchable run attributes (MLflow's RunInfo.get_searchable_attributes, plus `created`). */
export const RUN_ATTRIBUTES = [
  "run_id",
  "run_name",
  "status",
  "user_id",
  "artifact_uri",
  "start_time",
  "end_time",
  "created",
];

const ENTITIES = ["metrics", "params", "tags", "attributes"];
const ALIASES = {
  metric: "metrics",
  metrics: "metrics",
  param: "params",
  params: "params",
  parameter: "params",
  parameters: "params",
  tag: "tags",
  tags: "tags",
  attribute: "attributes",
  attributes: "attributes",
  attr: "attributes",
  run: "attributes",
};
const MAX_SUGGESTIONS = 50;

/**
 * A metric/param/tag key as it goes into a filter or order_by after `<entity>.`: a plain identifier as
 * is, otherwise in backticks, or in double quotes when the key contains a backtick (MLflow accepts
 * `"…"` for keys). A key with both a backtick and a double quote cannot be written: undefined, so
 * callers offer nothing for it rather than a different key.
 */
export function quoteKey(key) {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return key;
  if (!key.includes("`")) return "`" + key + "`";
  if (!key.includes('"')) return '"' + key + '"';
  return undefined;
}

/**
 * Whether the caret is inside a quoted string value ('…' or "…"). Backtick-quoted keys are skipped (a
 * ' or " in them starts nothing); in '…' a backslash escapes the next character, as the server reads it.
 */
function insideString(before) {
  let quote = "";
  for (let i = 0; i < before.length; i++) {
    const ch = before[i];
    if (quote) {
      if (quote === "'" && ch === "\\") i++;
      else if (ch === quote) quote = "";
    } else if (ch === "'" || ch === '"' || ch === "`") quote = ch;
  }
  return quote !== "" && quote !== "`";
}

/**
 * Suggestions for `text` with the caret at `caret`: `{from, to, items: [{label, insert, kind}]}`, where
 * accepting an item replaces text[from, to) with `insert`. `keys` is {metrics, params, tags}: iterables of
 * key names. No items when the caret is not where an identifier goes (after the start or an AND).
 */
export function suggest(text, caret, keys) {
  const before = text.slice(0, caret);
  const none = { from: caret, to: caret, items: [] };
  if (insideString(before)) return none;
  const token = /[A-Za-z0-9_.`"\-]*$/.exec(before)[0];
  const from = caret - token.length;
  const lead = before.slice(0, from).trimEnd();
  if (lead !== "" && !/(^|\s)and$/i.test(lead)) return none;
  // The identifier runs on after the caret too: replace it whole.
  const after = /^[A-Za-z0-9_.`"\-]*/.exec(text.slice(caret))[0];
  const to = caret + after.length;
  const dot = token.indexOf(".");
  const items = [];
  if (dot < 0) {
    const needle = token.toLowerCase();
    for (const entity of ENTITIES) {
      if (entity.startsWith(needle)) {
        items.push({ label: `${entity}.`, insert: `${entity}.`, kind: "entity" });
      }
    }
    if (needle.length > 0) {
      for (const item of keyItems("", keys)) {
        if (matches(item.key, needle)) items.push(item);
      }
    }
  } else {
    const entity = ALIASES[token.slice(0, dot).replaceAll("`", "").toLowerCase()];
    if (!entity) return none;
    const needle = token.slice(dot + 1).replace(/^[`"]/, "").replace(/[`"]$/, "").toLowerCase();
    for (const item of keyItems(entity, keys)) {
      if (matches(item.key, needle)) items.push(item);
    }
    // Prefix matches first, then the rest, each alphabetical.
    items.sort((a, b) =>
      Number(!a.key.toLowerCase().startsWith(needle)) - Number(!b.key.toLowerCase().startsWith(needle))
    );
  }
  return { from, to, items: items.slice(0, MAX_SUGGESTIONS) };
}

/** Whether `key` or one of its words (split at . _ - and spaces) starts with `needle` (lower case). */
function matches(key, needle) {
  const lower = key.toLowerCase();
  return lower.startsWith(needle) || lower.split(/[._\s-]+/).some((word) => word.startsWith(needle));
}

function keyItems(only, keys) {
  const out = [];
  const add = (entity, list) => {
    if (only && only !== entity) return;
    for (const key of [...list].sort()) {
      const quoted = quoteKey(key);
      if (quoted === undefined) continue;
      const insert = `${entity}.${quoted} `;
      out.push({ label: insert.trimEnd(), insert, kind: entity, key });
    }
  };
  add("metrics", keys.metrics ?? []);
  add("params", keys.params ?? []);
  add("tags", keys.tags ?? []);
  add("attributes", RUN_ATTRIBUTES);
  return out;
}
