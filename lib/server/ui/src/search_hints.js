// How to fix a runs filter the server refused. The server answers with MLflow's own messages (kept
// verbatim: clients match on them), which name the bad token but not the fix; the runs page shows the
// hint below the message. Pure text functions: the tests run them in Deno.
import { errorBox, h } from "./dom.js";
import { quoteKey, RUN_ATTRIBUTES } from "./search_suggest.js";

const ENTITY = "(?:metrics?|params?|parameters?|tags?|attributes?|attr|run)";

/** `text` with every quoted part ('…', "…", `…`) blanked, so words inside values are not read as syntax. */
function unquoted(text) {
  let out = "";
  let quote = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (quote === "'" && ch === "\\") (out += "  "), i++;
      else if (ch === quote) (quote = ""), (out += ch);
      else out += " ";
    } else {
      if (ch === "'" || ch === '"' || ch === "`") quote = ch;
      out += ch;
    }
  }
  return { text: out, open: quote };
}

/**
 * A hint for a refused `filter`, or "" when there is nothing to add. `known` is {metrics, params, tags}
 * (iterables of the keys of the loaded runs), used to point a bare key at its entity.
 * @example filterHint("params.my-key = 'a'") // "Quote a key holding other characters in backticks: params.`my-key`"
 */
export function filterHint(filter, known = {}) {
  const { text, open } = unquoted(filter.trim());
  if (open === "'" || open === '"') {
    return `Close the quote: string values go in matching quotes, e.g. params.model = 'tree'.`;
  }
  if (open === "`") return "Close the backtick around the key: params.`my key` = 'value'.";
  if (/(^|\s|\))or(\s|\(|$)/i.test(text)) {
    return "MLflow's search has no OR: join conditions with AND, and run one search per alternative.";
  }
  // IN lists are the one place parentheses belong; MLflow's list parsing is strict about their shape.
  const lists = [...text.matchAll(/(\S+)\s+(?:not\s+)?in\s*(\([^()]*\))/gi)];
  for (const [, key, list] of lists) {
    const hint = inListHint(key, list);
    if (hint) return hint;
  }
  const withoutLists = lists.reduce((rest, [whole]) => rest.replace(whole, ""), text);
  if (/[()]/.test(withoutLists)) {
    return "MLflow's search has no parentheses: join plain comparisons with AND.";
  }
  if (/(==|<>|=<|=>)/.test(text)) return "Compare with =, !=, <, <=, > or >= (a single =, not ==).";
  // kmlf's IS [NOT] NULL takes a param or tag; a metric, attribute or dataset key is refused.
  const nullCheck = /(^|\s)(\S+)\s+is\s+(not\s+)?null\b/i.exec(text);
  if (nullCheck && !/^`?(params?|parameters?|tags?)`?\./i.test(nullCheck[2])) {
    return "IS NULL and IS NOT NULL test params and tags only (params.model IS NULL, tags.team IS NOT " +
      "NULL); a run without a metric never matches a comparison on it, so metrics.accuracy > 0 leaves it out.";
  }
  if (/(^|\s)and\s*$/i.test(text) || /^\s*and(\s|$)/i.test(text)) {
    return "A condition is missing next to AND: metrics.accuracy > 0.9 AND params.model = 'tree'.";
  }
  if (/(=|!=|<|<=|>|>=|\blike|\bilike|\bin)\s*$/i.test(text)) {
    return "Complete the comparison with a value: metrics.accuracy > 0.9, params.model = 'tree'.";
  }
  // A key written without quotes that the parser splits (a dash, a slash, a space, non-ASCII letters).
  const keyed = new RegExp(`(^|[\\s(])(${ENTITY})\\.([^\\s\`"'=<>!]+)`, "gi");
  for (const m of text.matchAll(keyed)) {
    const [entity, key] = [m[2], m[3]];
    if (/^[A-Za-z_][A-Za-z0-9_.]*$/.test(key)) continue;
    const quoted = quoteKey(key);
    if (quoted) return `Quote a key holding other characters in backticks: ${entity}.${quoted}`;
  }
  // A bare key that a loaded run has: say which entity it belongs to.
  const bare = /^\s*([^\s.`"'=<>!]+)\s*(=|!=|<=|>=|<|>|like|ilike)/i.exec(text);
  if (bare) {
    const key = bare[1];
    const quoted = quoteKey(key) ?? key;
    for (const entity of ["metrics", "params", "tags"]) {
      if ([...(known[entity] ?? [])].includes(key)) return `Name the entity of the key: ${entity}.${quoted}.`;
    }
    if (!RUN_ATTRIBUTES.includes(key.toLowerCase())) {
      return `Name the entity of the key: metrics.${quoted}, params.${quoted} or tags.${quoted}.`;
    }
  }
  if (/\bmetrics?\.\S+\s*(=|!=|<|<=|>|>=)\s*['"]/i.test(filter)) {
    return "Metric values are numbers, written without quotes: metrics.accuracy > 0.9.";
  }
  if (/\b(params?|parameters?|tags?)\.\S+\s*(=|!=)\s*[^\s'"]/i.test(filter)) {
    return "Param and tag values are strings, written in quotes: params.batch_size = '32'.";
  }
  return "";
}

/** A hint for an `<key> [NOT] IN (…)` list (its values blanked by `unquoted`), or "". */
function inListHint(key, list) {
  const example = "attributes.run_id IN ('a', 'b')";
  if (!/^((attributes?|attr|run)\.)?`?run_id`?$|^`?datasets?`?\./i.test(key)) {
    return "Only attributes.run_id and datasets.name, .digest or .context take IN lists: compare other keys " +
      "with = or LIKE, one condition each, joined with AND.";
  }
  if (/^\(\s*\)$/.test(list)) return `An IN list holds at least one value: ${example}.`;
  if (list.includes('"')) return `Quote the values of an IN list with single quotes: ${example}.`;
  if (/^\(\s|\s\)$/.test(list)) {
    return `Write the list without spaces just inside the parentheses: ${example}.`;
  }
  if (/^\('[^']*',\)$/.test(list)) {
    return "A one-value list has no trailing comma: attributes.run_id IN ('a').";
  }
  if (/\(\s*,|,\s*,/.test(list)) return `Put one comma between two values: ${example}.`;
  return "";
}

/** The error box of a failed runs search: the server's message, and for a refused filter how to fix it. */
export function searchErrorBox(error, filter, known) {
  const box = errorBox(error.message ?? String(error), "runs-error");
  const hint = filter && error.status === 400 ? filterHint(filter, known) : "";
  if (hint) box.append(h("div", { class: "hint", testid: "filter-hint" }, hint));
  return box;
}
