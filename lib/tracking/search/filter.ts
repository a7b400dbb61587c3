/**
 * MLflow's run-search filter grammar: comparisons joined by AND, over `metrics.`, `params.`, `tags.`
 * and `attributes.` identifiers. Errors name the offending token and its position.
 */
import { TrackingError } from "../../errors.ts";

/** One parsed comparison. */
export interface Clause {
  type: "metric" | "param" | "tag" | "attribute";
  key: string;
  comparator:
    | "="
    | "!="
    | ">"
    | ">="
    | "<"
    | "<="
    | "LIKE"
    | "ILIKE"
    | "IN"
    | "NOT IN"
    | "IS NULL"
    | "IS NOT NULL";
  value?: string | number | string[];
}

/** One parsed order_by entry. */
export interface OrderClause {
  type: Clause["type"];
  key: string;
  ascending: boolean;
}

const ENTITY: Record<string, Clause["type"]> = {
  metric: "metric",
  metrics: "metric",
  param: "param",
  params: "param",
  parameter: "param",
  parameters: "param",
  tag: "tag",
  tags: "tag",
  attribute: "attribute",
  attributes: "attribute",
  attr: "attribute",
  run: "attribute",
};

const ATTRIBUTE_ALIASES: Record<string, string> = {
  created: "start_time",
  Created: "start_time",
  "run name": "run_name",
  "Run name": "run_name",
  "Run Name": "run_name",
};

/** Searchable run attributes. */
export const RUN_ATTRIBUTES = [
  "run_id",
  "run_name",
  "status",
  "user_id",
  "artifact_uri",
  "start_time",
  "end_time",
] as const;
const NUMERIC_ATTRIBUTES = new Set(["start_time", "end_time"]);

interface Token {
  kind: "ident" | "string" | "number" | "op" | "word" | "punct";
  text: string;
  pos: number;
}

/**
 * Parses a filter string into clauses (an empty filter gives none).
 *
 * @example
 * ```ts
 * parseFilter("metrics.acc > 0.9 AND params.model = 'logreg'");
 * ```
 */
export function parseFilter(filter: string | undefined): Clause[] {
  if (!filter || filter.trim() === "") return [];
  const tokens = tokenize(filter);
  const clauses: Clause[] = [];
  let i = 0;
  const fail = (token: Token | undefined, what: string): never => {
    const at = token ? `'${token.text}' at position ${token.pos}` : "the end of the filter";
    throw new TrackingError("INVALID_PARAMETER_VALUE", `Invalid filter '${filter}': ${what} (at ${at})`, {
      hint: "write comparisons like metrics.acc > 0.9 AND params.model = 'x', joined by AND",
    });
  };
  while (i < tokens.length) {
    const ident = tokens[i++];
    if (ident?.kind !== "ident") fail(ident, "expected an identifier like metrics.<key>");
    const { type, key } = identifier(ident, fail);
    const opToken = tokens[i++];
    let comparator: Clause["comparator"];
    if (opToken?.kind === "op") comparator = opToken.text as Clause["comparator"];
    else if (opToken?.kind === "word" && ["LIKE", "ILIKE", "IN"].includes(opToken.text.toUpperCase())) {
      comparator = opToken.text.toUpperCase() as Clause["comparator"];
    } else if (
      opToken?.kind === "word" && opToken.text.toUpperCase() === "NOT" &&
      tokens[i]?.text.toUpperCase() === "IN"
    ) {
      i++;
      comparator = "NOT IN";
    } else if (opToken?.kind === "word" && opToken.text.toUpperCase() === "IS") {
      const not = tokens[i]?.text.toUpperCase() === "NOT";
      if (not) i++;
      if (tokens[i]?.text.toUpperCase() !== "NULL") fail(tokens[i], "expected NULL after IS");
      i++;
      comparator = not ? "IS NOT NULL" : "IS NULL";
    } else return fail(opToken, "expected a comparator (=, !=, >, >=, <, <=, LIKE, ILIKE, IN, IS NULL)");
    const clause: Clause = { type, key, comparator };
    if (comparator === "IN" || comparator === "NOT IN") {
      if (type !== "attribute" || key !== "run_id") {
        fail(opToken, "IN is only supported for attributes.run_id");
      }
      if (tokens[i]?.text !== "(") fail(tokens[i], "expected ( after IN");
      i++;
      const values: string[] = [];
      while (tokens[i] && tokens[i].text !== ")") {
        if (tokens[i].kind !== "string") fail(tokens[i], "expected a quoted run id");
        values.push(tokens[i++].text);
        if (tokens[i]?.text === ",") i++;
      }
      if (tokens[i]?.text !== ")") fail(tokens[i], "expected ) to close IN (...)");
      i++;
      clause.value = values;
    } else if (!comparator.startsWith("IS")) {
      const v = tokens[i++];
      const numeric = type === "metric" || (type === "attribute" && NUMERIC_ATTRIBUTES.has(key));
      if (numeric) {
        if (v?.kind !== "number") fail(v, `expected a number to compare ${type}s with`);
        if (["LIKE", "ILIKE"].includes(comparator)) fail(opToken, `${comparator} cannot compare numbers`);
        clause.value = Number(v.text);
      } else {
        if (v?.kind !== "string") fail(v, "expected a quoted string value");
        if ([">", ">=", "<", "<="].includes(comparator)) {
          fail(opToken, `${type}s only support =, !=, LIKE and ILIKE`);
        }
        clause.value = v.text;
      }
    } else if (type === "metric" || type === "attribute") {
      fail(opToken, "IS NULL works for params and tags only");
    }
    clauses.push(clause);
    if (i < tokens.length) {
      if (tokens[i].kind !== "word" || tokens[i].text.toUpperCase() !== "AND") {
        fail(tokens[i], "expected AND between comparisons (OR is not supported)");
      }
      i++;
      if (i === tokens.length) fail(undefined, "expected a comparison after AND");
    }
  }
  return clauses;
}

/**
 * Parses `order_by` strings like `metrics.acc DESC` or ``tags.`mlflow.runName` ASC``.
 *
 * @example
 * ```ts
 * parseOrderBy(["metrics.acc DESC"]); // [{ type: "metric", key: "acc", ascending: false }]
 * ```
 */
export function parseOrderBy(orderBy: string[] | undefined): OrderClause[] {
  return (orderBy ?? []).map((text) => {
    const tokens = tokenize(text);
    const fail = (why: string): never => {
      throw new TrackingError("INVALID_PARAMETER_VALUE", `Invalid order_by clause '${text}': ${why}`, {
        hint: "write e.g. metrics.acc DESC or attributes.start_time ASC",
      });
    };
    if (tokens[0]?.kind !== "ident") fail("expected an identifier");
    const { type, key } = identifier(tokens[0], () => fail("unknown identifier"));
    const dir = tokens[1]?.text.toUpperCase();
    if (tokens.length > 2 || (dir && dir !== "ASC" && dir !== "DESC")) {
      fail("expected ASC or DESC after the identifier");
    }
    return { type, key, ascending: dir !== "DESC" };
  });
}

function identifier(
  token: Token,
  fail: (t: Token, what: string) => never,
): { type: Clause["type"]; key: string } {
  const text = token.text;
  const dot = text.indexOf(".");
  if (dot < 0) {
    const attr = ATTRIBUTE_ALIASES[text] ?? text;
    if ((RUN_ATTRIBUTES as readonly string[]).includes(attr)) return { type: "attribute", key: attr };
    return fail(
      token,
      `unknown identifier; use metrics.<key>, params.<key>, tags.<key> or attributes.<${
        RUN_ATTRIBUTES.join("|")
      }>`,
    );
  }
  const entity = text.slice(0, dot).replace(/`/g, "");
  let key = text.slice(dot + 1);
  if (/^[`"].*[`"]$/.test(key)) key = key.slice(1, -1);
  const type = ENTITY[entity];
  if (!type) return fail(token, `unknown entity "${entity}"; use metrics, params, tags or attributes`);
  if (type === "attribute") {
    const attr = ATTRIBUTE_ALIASES[key] ?? key;
    if (!(RUN_ATTRIBUTES as readonly string[]).includes(attr)) {
      return fail(token, `unknown attribute "${key}"; searchable: ${RUN_ATTRIBUTES.join(", ")}`);
    }
    return { type, key: attr };
  }
  return { type, key };
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (ch === "'" || (ch === '"' && !/[\w`]\.$/.test(text.slice(0, i)))) {
      const quote = ch;
      let value = "";
      i++;
      while (i < text.length && text[i] !== quote) value += text[i++];
      if (i >= text.length) {
        throw new TrackingError(
          "INVALID_PARAMETER_VALUE",
          `Invalid filter '${text}': unterminated string starting at position ${start}`,
          { hint: "close the quote" },
        );
      }
      i++;
      tokens.push({ kind: "string", text: value, pos: start });
    } else if (/[<>=!]/.test(ch)) {
      const two = text.slice(i, i + 2);
      const op = [">=", "<=", "!=", "=="].includes(two) ? two : ch;
      i += op.length;
      tokens.push({ kind: "op", text: op === "==" ? "=" : op, pos: start });
    } else if (ch === "(" || ch === ")" || ch === ",") {
      tokens.push({ kind: "punct", text: ch, pos: start });
      i++;
    } else if (/[-+\d.]/.test(ch) && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.test(text.slice(i))) {
      const m = text.slice(i).match(/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/)!;
      tokens.push({ kind: "number", text: m[0], pos: start });
      i += m[0].length;
    } else {
      // Identifiers: entity.key where key may be `quoted` or "quoted"; bare words are keywords.
      let word = "";
      while (i < text.length && !/[\s<>=!(),']/.test(text[i])) {
        if (text[i] === "`" || (text[i] === '"' && word.endsWith("."))) {
          const quote = text[i];
          const end = text.indexOf(quote, i + 1);
          if (end < 0) {
            throw new TrackingError(
              "INVALID_PARAMETER_VALUE",
              `Invalid filter '${text}': unterminated ${quote} at position ${i}`,
              { hint: "close the quote" },
            );
          }
          word += text.slice(i, end + 1);
          i = end + 1;
        } else word += text[i++];
      }
      if (word === "") {
        throw new TrackingError(
          "INVALID_PARAMETER_VALUE",
          `Invalid filter '${text}': unexpected '${ch}' at position ${i}`,
          { hint: "check the syntax" },
        );
      }
      const isKeyword = /^(AND|LIKE|ILIKE|IN|NOT|IS|NULL|ASC|DESC)$/i.test(word);
      tokens.push({ kind: isKeyword ? "word" : "ident", text: word, pos: start });
    }
  }
  return tokens;
}
