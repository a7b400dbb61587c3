/**
 * The value side of MLflow 2.17.2's filter comparisons (`_get_value`, `_strip_quotes`,
 * `_parse_run_ids`): what each entity takes (numbers, quoted strings, a list of '…' strings) and MLflow's
 * message when it gets something else. Quoted values are read with kmlf's escapes (in '…' and "…" alike,
 * a doubled or backslashed quote is a quote, \\ a backslash).
 *
 * @module
 */
import { type EntityType, GRAMMARS, type SearchGrammar, VERSION_NUMERIC_REPR } from "./mlflow_grammars.ts";
import type { Fail } from "./search_errors.ts";
import { flatten, type SqlGroup, type SqlToken } from "./sql_tree.ts";

const NUMBER_TYPES = ["Literal.Number.Integer", "Literal.Number.Float"];

/**
 * `_get_value`: the value a comparison's right-hand token gives an entity's key.
 *
 * @example
 * ```ts
 * readValue("metric", "acc", numberToken, "runs", fail); // { value: "0.9", numeric: true }
 * ```
 */
export function readValue(
  type: EntityType,
  key: string,
  token: SqlToken,
  grammar: SearchGrammar,
  fail: Fail,
): { value: string | string[]; numeric: boolean } {
  const isNumber = NUMBER_TYPES.includes(token.ttype as string);
  const isString = token.ttype === "Literal.String.Single" || token.is("Identifier");
  const registry = grammar === "models" || grammar === "versions";
  const quoted = () => ({ value: unquoteValue(token.value, token.pos, fail), numeric: false });
  const numberValue = () => ({ value: token.value, numeric: true });
  const expected = (message: string, explain: string) => fail(message, token.pos, explain);
  // sqlparse reads no sign in an exponent (Python writes 1e+20): say how to write it.
  const numberHint = (explain: string) =>
    /^-?(\d+\.?\d*|\.\d+)[eE]\+\d+$/.test(token.value)
      ? `${explain}; write the exponent without '+': ${token.value.replace("+", "")}`
      : explain;
  if (type === "metric") {
    if (!isNumber) {
      expected(
        `Expected numeric value type for metric. Found ${token.value}`,
        /^(['"]?)(nan|[+-]?inf(inity)?)\1$/i.test(token.value)
          ? "metrics compare with numbers only: NaN matches no bound but `!=`, and an infinite metric is " +
            "held as ±1.7976931348623157e308, which `metrics.m >= 1e309` (or `<= -1e309`) finds"
          : numberHint("metrics compare with numbers"),
      );
    }
    return numberValue();
  }
  if (type === "parameter" || type === "tag") {
    if (isString) return quoted();
    return expected(
      `Expected a quoted string value for ${type} (e.g. 'my-value'). Got value ${token.value}`,
      "quote the value: 'my-value'",
    );
  }
  if (type === "dataset") {
    if (isString) return quoted();
    if (token.is("Parenthesis")) return { value: readList(token as SqlGroup, fail), numeric: false };
    return expected(
      `Expected a quoted string value for dataset attributes. Got value ${token.value}`,
      "quote the value: 'my-value'",
    );
  }
  if (!registry && GRAMMARS[grammar].numeric.has(key)) {
    if (!isNumber) {
      expected(
        `Expected numeric value type for numeric attribute: ${key}. Found ${token.value}`,
        numberHint(`${key} is a time in milliseconds: compare it with a number`),
      );
    }
    return numberValue();
  }
  if (isString) return quoted();
  if (token.is("Parenthesis")) {
    if (key !== "run_id") {
      expected(
        "Only the 'run_id' attribute supports comparison with a list of quoted string values.",
        "IN lists are for run_id",
      );
    }
    return { value: readList(token as SqlGroup, fail), numeric: false };
  }
  if (grammar === "versions" && isNumber) {
    if (!GRAMMARS.versions.numeric.has(key)) {
      expected(
        `Only the '${VERSION_NUMERIC_REPR}' attributes support comparison with numeric values.`,
        "quote string values: 'my-value'",
      );
    }
    return numberValue();
  }
  return expected(
    registry
      ? `Expected a quoted string value or a list of quoted string values for attributes. Got value ${token.value}`
      : `Expected a quoted string value for attributes. Got value ${token.value}`,
    "quote string values: 'my-value'",
  );
}

function isQuoted(text: string, quote: string): boolean {
  return text.length >= 2 && text.startsWith(quote) && text.endsWith(quote);
}

export function trimBackticks(text: string): string {
  return isQuoted(text, "`") ? text.slice(1, -1) : text;
}

export function stripQuotes(text: string): string {
  return isQuoted(text, "'") || isQuoted(text, '"') ? text.slice(1, -1) : text;
}

const ESCAPES: ReadonlyArray<[string, RegExp]> = [["'", /''|\\'|\\\\/g], ['"', /""|\\"|\\\\/g]];

/**
 * A quoted value with kmlf's escapes read, the same in both quote kinds: the quote doubled or after a
 * backslash is that quote, and `\\` a backslash (`'it''s'`, `'it\'s'`, `"say ""hi"""`, `"say \"hi\""`).
 */
function unquoteValue(text: string, pos: number, fail: Fail): string {
  for (const [quote, escapes] of ESCAPES) {
    if (isQuoted(text, quote)) return text.slice(1, -1).replace(escapes, (m) => m === "\\\\" ? "\\" : quote);
  }
  return fail(
    `Parameter value is either not quoted or unidentified quote types used for string value ${text}. ` +
      "Use either single or double quotes.",
    pos,
    `put the value in quotes: '${text}'`,
  );
}

const LIST_ITEM_TYPES = ["Literal.String.Single", "Punctuation", "Text.Whitespace"];

/** `_parse_run_ids`: a parenthesised list of '…' strings (MLflow checks the list, then evaluates it as Python). */
function readList(list: SqlGroup, fail: Fail): string[] {
  const inner = list.groupable;
  const illFormed = () =>
    fail(
      "While parsing a list in the query, expected a non-empty list of string values, but got ill-formed list.",
      list.pos,
      listShapeHint(list, inner),
    );
  if (inner.length === 0) {
    fail(
      "While parsing a list in the query, expected a non-empty list of string values, but got empty list",
      list.pos,
      "write the list as ('a', 'b')",
    );
  }
  if (!(inner.length === 1 && inner[0].ttype === "Literal.String.Single")) {
    if (!inner[0].is("IdentifierList")) illFormed();
    if (!(inner[0] as SqlGroup).tokens.every((t) => LIST_ITEM_TYPES.includes(t.ttype as string))) {
      const doubleQuoted = flatten(list).some((t) => t.ttype === "Literal.String.Symbol");
      fail(
        "While parsing a list in the query, expected string value, punctuation, or whitespace, but got " +
          `different type in list: ${list.value}`,
        list.pos,
        doubleQuoted
          ? "quote list items with single quotes: ('a', 'b') (in MLflow's grammar \"a\" is a name, not a value)"
          : "a list holds quoted strings only: ('a', 'b')",
      );
    }
  }
  // Python's ast.literal_eval of the text: string literals (adjacent ones join), commas between items.
  const items: string[] = [];
  let current: string | undefined;
  let afterComma = false;
  for (const token of flatten(list).slice(1, -1)) {
    if (token.isWhitespace) continue;
    if (token.ttype === "Literal.String.Single") {
      if (!isPythonStringLiterals(token.value)) illFormed();
      current = (current ?? "") + unquoteValue(token.value, token.pos, fail);
      afterComma = false;
    } else if (token.match("Punctuation", ",") && current !== undefined) {
      items.push(current);
      current = undefined;
      afterComma = true;
    } else illFormed();
  }
  if (current !== undefined) items.push(current);
  else if (!afterComma) illFormed();
  return items;
}

/** Why MLflow found a list ill-formed, in words (what it checks is sqlparse's grouping, not the text). */
function listShapeHint(list: SqlGroup, inner: SqlToken[]): string {
  if (inner.length && (inner[0].isWhitespace || inner[inner.length - 1].isWhitespace)) {
    return "remove the spaces just inside the parentheses: ('a', 'b') (MLflow's list parsing refuses them)";
  }
  const items = flatten(list).slice(1, -1).filter((t) => !t.isWhitespace);
  const last = items[items.length - 1];
  if (items.length === 2 && last?.match("Punctuation", ",")) {
    return "a one-item list has no trailing comma: ('a')";
  }
  if (
    items.some((t, i) => t.match("Punctuation", ",") && (i === 0 || items[i - 1].match("Punctuation", ",")))
  ) {
    return "a comma stands between two items: ('a', 'b')";
  }
  return "write the list as ('a', 'b'): single-quoted strings separated by commas";
}

/** Whether Python reads the text as one or more adjacent '…' string literals (escapes valid, no raw newline). */
function isPythonStringLiterals(text: string): boolean {
  let i = 0;
  while (i < text.length) {
    if (text[i] !== "'") return false;
    i++;
    for (;;) {
      if (i >= text.length) return false;
      const c = text[i];
      if (c === "'") break;
      if (c === "\n" || c === "\r") return false;
      if (c === "\\") {
        const rest = text.slice(i + 1);
        const escape = rest.match(
          /^(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|N\{[^}]+\}|\r\n|[^xuUN])/s,
        );
        if (!escape) return false;
        i += 1 + escape[0].length;
        continue;
      }
      i++;
    }
    i++;
  }
  return true;
}
