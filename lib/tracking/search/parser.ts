/**
 * MLflow's search grammar (`SearchUtils` / `SearchExperimentsUtils`): AND-ed comparisons over
 * `metrics.`, `params.`, `tags.`, `attributes.` and `datasets.` identifiers, and `order_by`
 * clauses. Parsing yields plain clause objects that the in-memory evaluator and the SQL translator
 * both consume.
 *
 * @module
 */
import { syntaxError, type Token, tokenize } from "./tokens.ts";

/** What a clause compares. */
export type EntityType = "metric" | "parameter" | "tag" | "attribute" | "dataset";

/** Comparators of the grammar (upper case). */
export type Comparator =
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

/** One parsed comparison. Attribute keys are already translated from aliases (`created` → `start_time`). */
export interface FilterClause {
  type: EntityType;
  key: string;
  comparator: Comparator;
  /** number for metrics and numeric attributes, string[] for IN lists, null for IS [NOT] NULL. */
  value: number | string | string[] | null;
}

/** One parsed order_by clause. */
export interface OrderByClause {
  type: EntityType;
  key: string;
  ascending: boolean;
}

/** Which search the grammar serves. */
export type SearchGrammar = "runs" | "experiments";

const ENTITY_ALIASES: Record<string, EntityType> = {
  metric: "metric",
  metrics: "metric",
  parameter: "parameter",
  parameters: "parameter",
  param: "parameter",
  params: "parameter",
  tag: "tag",
  tags: "tag",
  attribute: "attribute",
  attributes: "attribute",
  attr: "attribute",
  run: "attribute",
  dataset: "dataset",
  datasets: "dataset",
};
const EXPERIMENT_ENTITIES = ["attribute", "tag", "tags"];

/** Searchable run attributes (RunInfo.get_searchable_attributes). */
export const RUN_ATTRIBUTES = [
  "artifact_uri",
  "end_time",
  "run_id",
  "run_name",
  "start_time",
  "status",
  "user_id",
];
/** Run attributes holding numbers. */
export const NUMERIC_RUN_ATTRIBUTES = new Set(["start_time", "end_time"]);
const RUN_ATTRIBUTE_ALIASES: Record<string, string> = {
  created: "start_time",
  Created: "start_time",
  "run name": "run_name",
  "Run name": "run_name",
  "Run Name": "run_name",
};
const DATASET_KEYS = ["name", "digest", "context"];
/** Searchable and orderable experiment attributes. */
export const EXPERIMENT_FILTER_ATTRIBUTES = ["name", "creation_time", "last_update_time"];
export const EXPERIMENT_ORDER_ATTRIBUTES = ["name", "experiment_id", "creation_time", "last_update_time"];
/** Experiment attributes holding numbers. */
export const NUMERIC_EXPERIMENT_ATTRIBUTES = new Set(["creation_time", "last_update_time", "experiment_id"]);

const NUMERIC_OPS: Comparator[] = ["=", "!=", ">", ">=", "<", "<="];
const STRING_OPS: Comparator[] = ["=", "!=", "LIKE", "ILIKE"];
const NULL_OPS: Comparator[] = ["IS NULL", "IS NOT NULL"];
const LIST_OPS: Comparator[] = ["IN", "NOT IN"];

class Cursor {
  i = 0;
  constructor(readonly tokens: Token[], readonly input: string, readonly what: string) {}
  peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)];
  }
  next(): Token {
    return this.tokens[Math.min(this.i++, this.tokens.length - 1)];
  }
  fail(token: Token, message: string): never {
    throw syntaxError(this.what, this.input, token.pos, message);
  }
  isWord(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === "word" && t.value.toUpperCase() === word;
  }
}

interface Identifier {
  type: EntityType;
  key: string;
  token: Token;
}

function readIdentifier(c: Cursor, grammar: SearchGrammar, forOrderBy: boolean): Identifier {
  const first = c.next();
  if (first.kind !== "word" && first.kind !== "backtick" && first.kind !== "quoted") {
    c.fail(
      first,
      first.kind === "end"
        ? "expected an identifier such as metrics.<key>, params.<key>, tags.<key> or attributes.<key>"
        : "expected an identifier such as metrics.<key>, params.<key>, tags.<key> or attributes.<key>",
    );
  }
  let type: EntityType = "attribute";
  let key = first.value;
  if (c.peek().kind === "dot") {
    c.next();
    const entity = first.value;
    const valid = grammar === "runs" ? Object.keys(ENTITY_ALIASES) : EXPERIMENT_ENTITIES;
    if (!valid.includes(entity)) {
      c.fail(
        first,
        `invalid entity type '${entity}'; valid values are ${
          grammar === "runs" ? "metrics, params, tags, attributes and datasets" : "attribute and tags"
        }`,
      );
    }
    type = ENTITY_ALIASES[entity];
    const keyStart = c.peek();
    if (keyStart.kind === "backtick" || keyStart.kind === "quoted") {
      c.next();
      key = keyStart.value;
    } else if (keyStart.kind === "word") {
      // Bare keys may contain dots: tags.mlflow.source.name.
      const parts = [c.next().value];
      while (c.peek().kind === "dot" && c.peek(1).kind === "word") {
        c.next();
        parts.push(c.next().value);
      }
      key = parts.join(".");
    } else c.fail(keyStart, `expected a key after '${entity}.'`);
    if (c.peek().kind === "dot") {
      c.fail(c.peek(), "unexpected '.'; quote keys with special characters in backticks");
    }
  }
  if (type === "attribute") {
    if (grammar === "runs") {
      key = RUN_ATTRIBUTE_ALIASES[key] && !(forOrderBy && key.includes(" "))
        ? RUN_ATTRIBUTE_ALIASES[key]
        : key;
      if (!RUN_ATTRIBUTES.includes(key)) {
        c.fail(
          first,
          `invalid attribute key '${key}'; valid keys are ${RUN_ATTRIBUTES.join(", ")} and created`,
        );
      }
    } else {
      const valid = forOrderBy ? EXPERIMENT_ORDER_ATTRIBUTES : EXPERIMENT_FILTER_ATTRIBUTES;
      if (!valid.includes(key)) {
        c.fail(first, `invalid attribute key '${key}'; valid keys are ${valid.join(", ")}`);
      }
    }
  } else if (type === "dataset") {
    if (forOrderBy) c.fail(first, "datasets cannot be used in order_by");
    if (!DATASET_KEYS.includes(key)) {
      c.fail(first, `invalid dataset key '${key}'; valid keys are ${DATASET_KEYS.join(", ")}`);
    }
  }
  return { type, key, token: first };
}

function readComparator(c: Cursor): { comparator: Comparator; token: Token } {
  const t = c.next();
  if (t.kind === "op") {
    if (t.value === "<>" || t.value === "==") c.fail(t, `invalid comparator '${t.value}'; use '!=' or '='`);
    return { comparator: t.value as Comparator, token: t };
  }
  if (t.kind === "word") {
    const w = t.value.toUpperCase();
    if (w === "LIKE" || w === "ILIKE" || w === "IN") return { comparator: w, token: t };
    if (w === "NOT" && c.isWord("IN")) {
      c.next();
      return { comparator: "NOT IN", token: t };
    }
    if (w === "IS") {
      const not = c.isWord("NOT");
      if (not) c.next();
      if (!c.isWord("NULL")) c.fail(c.peek(), "expected NULL after IS");
      c.next();
      return { comparator: not ? "IS NOT NULL" : "IS NULL", token: t };
    }
  }
  return c.fail(
    t,
    "expected a comparator (=, !=, >, >=, <, <=, LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL)",
  );
}

function allowedComparators(id: Identifier, grammar: SearchGrammar): Comparator[] {
  switch (id.type) {
    case "metric":
      return NUMERIC_OPS;
    case "parameter":
    case "tag":
      return [...STRING_OPS, ...NULL_OPS];
    case "dataset":
      return [...STRING_OPS, ...LIST_OPS];
    default: {
      const numeric = grammar === "runs" ? NUMERIC_RUN_ATTRIBUTES : NUMERIC_EXPERIMENT_ATTRIBUTES;
      if (numeric.has(id.key)) return NUMERIC_OPS;
      return grammar === "runs" ? [...STRING_OPS, ...LIST_OPS] : STRING_OPS;
    }
  }
}

function entityLabel(id: Identifier): string {
  return id.type === "attribute" ? `attribute '${id.key}'` : `${id.type} '${id.key}'`;
}

function readValue(c: Cursor, id: Identifier, comparator: Comparator, grammar: SearchGrammar) {
  if (comparator === "IS NULL" || comparator === "IS NOT NULL") return null;
  const t = c.next();
  if (comparator === "IN" || comparator === "NOT IN") {
    if (!(id.type === "dataset" || id.key === "run_id")) {
      c.fail(t, "only the 'run_id' attribute supports comparison with a list of quoted string values");
    }
    if (t.kind !== "lparen") c.fail(t, `expected '(' and a list of quoted strings after ${comparator}`);
    const values: string[] = [];
    for (;;) {
      const v = c.next();
      if (v.kind !== "string" && v.kind !== "quoted") {
        c.fail(v, "expected a non-empty list of quoted string values");
      }
      values.push(v.value);
      const sep = c.next();
      if (sep.kind === "rparen") break;
      if (sep.kind !== "comma") c.fail(sep, "expected ',' or ')' in the list");
    }
    return values;
  }
  const numeric = id.type === "metric" ||
    (id.type === "attribute" &&
      (grammar === "runs" ? NUMERIC_RUN_ATTRIBUTES : NUMERIC_EXPERIMENT_ATTRIBUTES).has(id.key));
  if (numeric) {
    if (t.kind !== "number") {
      c.fail(
        t,
        `expected a numeric value for ${entityLabel(id)}, found ${t.kind === "end" ? "nothing" : t.text}`,
      );
    }
    return Number(t.value);
  }
  if (t.kind !== "string" && t.kind !== "quoted") {
    c.fail(
      t,
      `expected a quoted string value for ${entityLabel(id)} (e.g. 'my-value'), got ${
        t.kind === "end" ? "nothing" : t.text
      }`,
    );
  }
  return t.value;
}

/**
 * Parses a search filter into clauses (an empty or blank filter gives no clauses).
 *
 * @example
 * ```ts
 * parseFilter("metrics.accuracy > 0.9 AND params.model = 'logreg'");
 * // [{ type: "metric", key: "accuracy", comparator: ">", value: 0.9 }, { type: "parameter", ... }]
 * ```
 */
export function parseFilter(
  filter: string | undefined | null,
  grammar: SearchGrammar = "runs",
): FilterClause[] {
  if (!filter || !filter.trim()) return [];
  const c = new Cursor(tokenize(filter, "filter"), filter, "filter");
  const clauses: FilterClause[] = [];
  for (;;) {
    const id = readIdentifier(c, grammar, false);
    const { comparator, token } = readComparator(c);
    if (!allowedComparators(id, grammar).includes(comparator)) {
      c.fail(
        token,
        `invalid comparator '${comparator}' for ${entityLabel(id)}; use one of ${
          allowedComparators(id, grammar).join(", ")
        }`,
      );
    }
    clauses.push({ type: id.type, key: id.key, comparator, value: readValue(c, id, comparator, grammar) });
    const t = c.next();
    if (t.kind === "end") return clauses;
    if (t.kind === "word" && t.value.toUpperCase() === "OR") {
      c.fail(t, "OR is not supported; a filter is a list of comparisons joined by AND");
    }
    if (!(t.kind === "word" && t.value.toUpperCase() === "AND")) {
      c.fail(t, "expected AND or the end of the filter");
    }
  }
}

/**
 * Parses one order_by clause: `<identifier> [ASC|DESC]`.
 *
 * @example
 * ```ts
 * parseOrderBy("metrics.`val loss` DESC"); // { type: "metric", key: "val loss", ascending: false }
 * ```
 */
export function parseOrderBy(clause: string, grammar: SearchGrammar = "runs"): OrderByClause {
  const c = new Cursor(tokenize(clause, "order_by"), clause, "order_by");
  const id = readIdentifier(c, grammar, true);
  let ascending = true;
  const t = c.next();
  if (t.kind === "word" && ["ASC", "DESC"].includes(t.value.toUpperCase())) {
    ascending = t.value.toUpperCase() === "ASC";
    const end = c.next();
    if (end.kind !== "end") c.fail(end, "expected the end of the order_by clause");
  } else if (t.kind !== "end") c.fail(t, "expected ASC, DESC or the end of the order_by clause");
  return { type: id.type, key: id.key, ascending };
}

/**
 * Parses a list of order_by clauses, refusing the same field twice.
 *
 * @example
 * ```ts
 * parseOrderByList(["metrics.acc DESC", "attributes.start_time ASC"]);
 * ```
 */
export function parseOrderByList(
  orderBy: readonly string[] | undefined,
  grammar: SearchGrammar = "runs",
): OrderByClause[] {
  const parsed = (orderBy ?? []).map((o) => parseOrderBy(o, grammar));
  const seen = new Set<string>();
  parsed.forEach((p, i) => {
    const id = `${p.type}\u0000${p.key}`;
    if (seen.has(id)) {
      throw syntaxError(
        "order_by",
        orderBy![i],
        0,
        `order_by contains duplicate fields: ${orderBy!.join(", ")}`,
      );
    }
    seen.add(id);
  });
  return parsed;
}
