/**
 * MLflow 2.17.2's filter parsing (`parse_search_filter`, `_process_statement`, `_get_comparison`,
 * `_get_identifier`, `_get_value` of `SearchUtils` and its experiment and registry variants) over
 * sqlparse's tree, with MLflow's messages. Two kmlf choices on top: `IS NULL` / `IS NOT NULL`
 * comparisons (params and tags; MLflow 2.17.2 refuses them), and an AND that joins nothing is refused
 * (MLflow ignores it). Values keep kmlf's quoting rules: `''` and `\'` in a '…' value are one quote.
 *
 * @module
 */
import {
  DATASET_KEYS,
  DATASET_KEYS_REPR,
  type EntityType,
  GRAMMARS,
  RUN_ENTITIES,
  type SearchGrammar,
} from "./mlflow_grammars.ts";
import { readValue, stripQuotes, trimBackticks } from "./mlflow_values.ts";
import { checkSearchLength, type Fail, searchSyntaxError } from "./search_errors.ts";
import { groupStatement } from "./sql_grouping.ts";
import { flatten, parseSql, type SqlGroup, type SqlToken } from "./sql_tree.ts";

/** One comparison as MLflow's parser leaves it (value as text; numbers still as their token text). */
export interface MlflowComparison {
  type: EntityType;
  key: string;
  /** Upper case (MLflow's stores compare upper-cased comparators). */
  comparator: string;
  /** As written (MLflow's experiment search prints it so). */
  comparatorText: string;
  value: string | string[] | null;
  /** The value was a number token. */
  numeric: boolean;
  /** Offset of the comparison in the filter. */
  pos: number;
  /** Offset of its comparator. */
  comparatorPos: number;
}

/** A filter as MLflow reads it, and kmlf's refusal of an AND that joins nothing (to raise once MLflow's own checks passed). */
export interface MlflowFilter {
  comparisons: MlflowComparison[];
  strayAnd?: Error;
}

/**
 * Reads one filter: one SQL statement of comparisons joined by AND.
 *
 * @example
 * ```ts
 * parseMlflowFilter("metrics.acc > 0.9", "runs").comparisons[0].key; // "acc"
 * ```
 */
export function parseMlflowFilter(filter: string, grammar: SearchGrammar): MlflowFilter {
  checkSearchLength("filter", filter);
  const statements = parseSql(filter, groupStatement);
  const fail = (message: string, pos: number, explain: string): never => {
    throw searchSyntaxError("filter", filter, pos, message, explain);
  };
  if (statements.length === 0) {
    fail(`Invalid filter '${filter}'. Could not be parsed.`, 0, "the filter holds no comparison");
  }
  if (statements.length > 1) {
    fail(
      `Search filter contained multiple expression '${filter}'. Provide AND-ed expression list.`,
      statements[1].pos,
      "a filter is one expression: join comparisons with AND, not ';'",
    );
  }
  const tokens = statements[0].tokens;
  const invalid = tokens.filter((t) => !t.is("Comparison") && !t.isWhitespace && !t.match("Keyword", "AND"));
  const nullChecks = findNullChecks(tokens, grammar);
  const consumed = new Set([...nullChecks.values()].flatMap((n) => n.tokens));
  // kmlf's IS [NOT] NULL counts only in a filter MLflow refuses for nothing else.
  if (invalid.some((t) => !consumed.has(t))) {
    const listed = invalid.map((t) => grammar === "runs" ? `'${t.value}'` : t.value).join(", ");
    const [explain, at] = explainInvalid(invalid);
    fail(`Invalid clause(s) in filter string: ${listed}`, at.pos, explain);
  }
  const comparisons: MlflowComparison[] = [];
  for (const token of tokens) {
    if (token.is("Comparison")) comparisons.push(readComparison(token as SqlGroup, grammar, fail));
    const nullCheck = nullChecks.get(token);
    if (nullCheck) {
      const id = readIdentifier(nullCheck.identifier.value, grammar, "filter", fail, token.pos);
      comparisons.push({
        ...id,
        comparator: nullCheck.comparator,
        comparatorText: nullCheck.comparator,
        comparatorPos: nullCheck.tokens[1].pos,
        value: null,
        numeric: false,
        pos: token.pos,
      });
    }
  }
  return { comparisons, strayAnd: strayAnd(filter, tokens, consumed, grammar) };
}

/** What is wrong with the tokens that are not comparisons, in words, and the token to point at. */
function explainInvalid(invalid: SqlToken[]): [string, SqlToken] {
  const shape = "a filter is comparisons joined by AND, such as metrics.acc > 0.9 AND params.model = 'lr'";
  const or = invalid.find((t) => t.match("Keyword", "OR"));
  if (or) return [`OR is not supported: ${shape}`, or];
  const parenthesis = invalid.find((t) => t.is("Parenthesis"));
  if (parenthesis) return [`parentheses are not supported: ${shape}`, parenthesis];
  const last = invalid[invalid.length - 1];
  if (last.ttype === "Operator.Comparison") {
    return [`the comparison has no value after '${last.value}'`, last];
  }
  if (invalid.length === 1 && invalid[0].is("Identifier")) {
    return [
      `'${invalid[0].value}' is no comparison (quote string values, and keys with special characters in ` +
      "backticks: tags.`my-tag` = 'x')",
      invalid[0],
    ];
  }
  return [`'${invalid[0].value}' is not part of a comparison: ${shape}`, invalid[0]];
}

/**
 * kmlf's `<param or tag> IS [NOT] NULL` among the statement's top-level tokens (runs and experiments;
 * the key a plain `entity.key` identifier).
 */
function findNullChecks(tokens: SqlToken[], grammar: SearchGrammar) {
  const found = new Map<SqlToken, { identifier: SqlToken; comparator: string; tokens: SqlToken[] }>();
  if (grammar !== "runs" && grammar !== "experiments") return found;
  const significant = tokens.filter((t) => !t.isWhitespace);
  for (let i = 0; i + 2 < significant.length; i++) {
    const [id, is, nul] = significant.slice(i, i + 3);
    if (!id.is("Identifier") || !is.match("Keyword", "IS")) continue;
    if (!nul.match("Keyword", ["NULL", "NOT NULL"])) continue;
    const plain = flatten(id).every((t) =>
      t.ttype === "Name" || t.ttype === "Literal.String.Symbol" || t.match("Punctuation", ".")
    );
    if (!plain || !["parameter", "tag"].includes(entityOf(id.value, grammar) ?? "")) continue;
    const comparator = nul.normalized === "NULL" ? "IS NULL" : "IS NOT NULL";
    found.set(id, { identifier: id, comparator, tokens: [id, is, nul] });
    i += 2;
  }
  return found;
}

/** The entity a key names, or undefined when MLflow would refuse it. */
function entityOf(text: string, grammar: SearchGrammar): EntityType | undefined {
  try {
    return readIdentifier(text, grammar, "filter", () => {
      throw new Error();
    }, 0).type;
  } catch {
    return undefined;
  }
}

/** An AND must stand between two comparisons (MLflow skips a leading, trailing or doubled one). */
function strayAnd(filter: string, tokens: SqlToken[], consumed: Set<SqlToken>, grammar: SearchGrammar) {
  const items = tokens.filter((t) => !t.isWhitespace && (!consumed.has(t) || t.is("Identifier")));
  const stray = items.filter((t, i) =>
    t.match("Keyword", "AND") &&
    (i === 0 || i === items.length - 1 || items[i - 1].match("Keyword", "AND"))
  );
  if (!stray.length) return undefined;
  return searchSyntaxError(
    "filter",
    filter,
    stray[0].pos,
    `Invalid clause(s) in filter string: ${
      stray.map((t) => grammar === "runs" ? `'${t.value}'` : t.value).join(", ")
    }`,
    "AND must stand between two comparisons",
  );
}

function readComparison(comparison: SqlGroup, grammar: SearchGrammar, fail: Fail): MlflowComparison {
  const parts = comparison.tokens.filter((t) => !t.isWhitespace);
  if (parts.length !== 3) {
    fail(
      `Invalid comparison clause. Expected 3 tokens found ${parts.length}`,
      comparison.pos,
      "a comparison is <key> <comparator> <value>",
    );
  }
  const [left, op, right] = parts;
  if (!left.is("Identifier")) {
    fail(
      `Invalid comparison clause. Expected 'Identifier' found '${left.value}'`,
      left.pos,
      "a comparison starts with a key such as metrics.acc; quote keys with special characters in backticks: " +
        "tags.`my-tag`",
    );
  }
  const id = readIdentifier(left.value, grammar, "filter", fail, left.pos);
  const value = readValue(id.type, id.key, right, grammar, fail);
  return {
    ...id,
    comparator: op.value.toUpperCase(),
    comparatorText: op.value,
    comparatorPos: op.pos,
    value: value.value,
    numeric: value.numeric,
    pos: comparison.pos,
  };
}

/**
 * `_get_identifier` of each grammar: `<entity>.<key>` or a bare attribute, checked against the
 * grammar's entities and attribute keys (for order_by, `valid` is its keys).
 */
export function readIdentifier(
  text: string,
  grammar: SearchGrammar,
  what: "filter" | "order_by",
  fail: Fail,
  pos: number,
): { type: EntityType; key: string } {
  const sets = GRAMMARS[grammar];
  const [validKeys, validRepr] = what === "filter"
    ? [sets.filterKeys, sets.filterKeysRepr]
    : [sets.orderKeys, sets.orderKeysRepr];
  const dot = text.indexOf(".");
  let type: EntityType = "attribute";
  let key = dot < 0 ? text : text.slice(dot + 1);
  if (dot >= 0) {
    const entity = text.slice(0, dot);
    if (grammar === "runs") {
      const trimmed = trimBackticks(entity);
      if (!Object.hasOwn(RUN_ENTITIES, trimmed)) {
        fail(
          `Invalid entity type '${trimmed}'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']`,
          pos,
          "start the key with metrics., params., tags., attributes. or datasets.",
        );
      }
      type = RUN_ENTITIES[trimmed];
    } else {
      if (!["attribute", "tag", "tags"].includes(entity)) {
        fail(
          `Invalid entity type '${entity}'. Valid entity types are ('attribute', 'tag', 'tags')`,
          pos,
          "start the key with tags. or attribute. (or give a bare attribute)",
        );
      }
      type = entity === "attribute" ? "attribute" : "tag";
    }
  }
  // The registry grammars' filters check the key before unquoting it; everything else after.
  const keyFirst = what === "filter" && (grammar === "models" || grammar === "versions");
  if (!keyFirst) key = trimBackticks(stripQuotes(key));
  if (type === "attribute" && !validKeys.has(key)) {
    fail(
      `Invalid attribute key '${key}' specified. Valid keys are '${validRepr}'`,
      pos,
      `'${key}' is not an attribute this search knows`,
    );
  }
  if (type === "dataset" && !DATASET_KEYS.includes(key)) {
    fail(
      `Invalid dataset key '${key}' specified. Valid keys are '${DATASET_KEYS_REPR}'`,
      pos,
      "datasets are searched by name, digest or context",
    );
  }
  if (keyFirst) key = trimBackticks(stripQuotes(key));
  // No metric, param or tag is ever named "" (keys are validated when logged): MLflow matches nothing.
  if (key === "" && type !== "attribute") {
    fail(
      `Invalid ${what} key '${text}': ${text.slice(0, dot + 1)} is followed by no ${type} name`,
      pos,
      "name the key after the dot, e.g. metrics.acc; quote keys with special characters in backticks",
    );
  }
  return { type, key };
}
