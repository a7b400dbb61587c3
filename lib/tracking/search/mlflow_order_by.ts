/**
 * MLflow 2.17.2's order_by parsing (`_validate_order_by_and_generate_token`, `_parse_order_by_string`
 * and each search's `parse_order_by_for_search_*`), with MLflow's messages, and the checks its stores
 * add: entities other than attributes refused where a search orders by attributes only, and the same
 * field twice refused (as MLflow's SQL stores do).
 *
 * @module
 */
import { readIdentifier } from "./mlflow_filter.ts";
import { type EntityType, RUN_ATTRIBUTE_ALIASES, type SearchGrammar } from "./mlflow_grammars.ts";
import { pyListRepr, pyStrip, shlexSplit } from "./python_text.ts";
import { checkSearchLength, type Fail, searchSyntaxError } from "./search_errors.ts";
import { groupStatement } from "./sql_grouping.ts";
import { flatten, parseSql } from "./sql_tree.ts";

/** One order_by clause as MLflow reads it (run attribute aliases translated). */
export interface MlflowOrder {
  type: EntityType;
  key: string;
  ascending: boolean;
}

const USAGE = "write order_by clauses as <key> [ASC|DESC], such as metrics.acc DESC";

/** Reads one order_by clause of a search. */
export function parseMlflowOrderBy(clause: string, grammar: SearchGrammar): MlflowOrder {
  const fail = (message: string, pos: number, explain = USAGE): never => {
    throw searchSyntaxError("order_by", clause, pos, message, explain);
  };
  const unparsable = `Invalid order_by clause '${clause}'. Could not be parsed.`;
  checkSearchLength("order_by", clause);
  const statements = parseSql(clause, groupStatement);
  if (statements.length !== 1) fail(unparsable, 0);
  const tokens = statements[0].tokens;
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  let text: string;
  if (tokens.length === 1 && first.is("Identifier")) text = first.value;
  else if (tokens.length === 1 && first.match("Keyword", "timestamp")) text = "timestamp";
  else if (
    first.match("Keyword", "timestamp") && tokens.slice(1, -1).every((t) => t.isWhitespace) &&
    last.ttype === "Keyword.Order"
  ) {
    text = `timestamp ${last.value}`;
  } else {
    const stray = tokens.find((t, i) => i > 0 && !t.isWhitespace) ?? first;
    return fail(unparsable, stray.pos);
  }
  // MLflow splits the clause with shlex (backticks read as double quotes) into key and direction.
  const words = shlexSplit(text.replaceAll("`", '"'));
  if (words !== undefined && words.length > 2) return fail(unparsable, 0);
  let ascending = true;
  const leaves = tokens.flatMap(flatten).filter((t) => !t.isWhitespace);
  const lastLeaf = leaves[leaves.length - 1];
  // The key as sqlparse's tokens hold it, as filters read it (shlex mangles a key with quotes or a
  // backslash inside its backticks, or fails on it).
  let tokenKey = text;
  if (words !== undefined && words.length === 2) {
    const direction = words[1].toLowerCase();
    if (direction !== "asc" && direction !== "desc") {
      fail(
        `Invalid ordering key in order_by clause '${clause}'.`,
        clause.lastIndexOf(words[1]),
        "the direction is ASC or DESC",
      );
    }
    ascending = direction === "asc";
    tokenKey = clause.slice(0, lastLeaf.pos);
  } else if (words === undefined && lastLeaf.ttype === "Keyword.Order") {
    ascending = lastLeaf.normalized === "ASC";
    tokenKey = clause.slice(0, lastLeaf.pos);
  }
  const read = (key: string, onError: Fail) => {
    if (grammar === "models" && key === "timestamp") {
      return { type: "attribute" as const, key: "last_updated_timestamp" };
    }
    return readIdentifier(key, grammar, "order_by", onError, 0);
  };
  const failing: Fail = (message, pos, explain) => fail(message, pos, explain);
  let id: { type: EntityType; key: string };
  if (words === undefined) id = read(pyStrip(tokenKey), failing);
  else {
    // MLflow's reading decides (and words its errors); the tokens' reading names the key when both work.
    const mlflowKey = pyStrip(words.length === 2 ? words[0] : text);
    id = read(mlflowKey, failing);
    if (pyStrip(tokenKey) !== mlflowKey) {
      try {
        id = read(pyStrip(tokenKey), () => {
          throw new Error();
        });
      } catch { /* keep MLflow's reading */ }
    }
  }
  if (grammar === "runs" && id.type === "dataset") {
    fail("Invalid identifier type 'dataset'", 0, "runs are ordered by metrics, params, tags or attributes");
  }
  if (grammar !== "runs" && id.type !== "attribute") {
    fail(`Invalid order_by entity: ${id.type}`, 0, "this search orders by attributes only");
  }
  return { ...id, key: RUN_ATTRIBUTE_ALIASES[id.key] ?? id.key, ascending };
}

/**
 * Reads a search's order_by clauses; runs and registry searches refuse the same field twice (MLflow's
 * SQL stores do; experiments allow it).
 *
 * @example
 * ```ts
 * parseMlflowOrderByList(["metrics.acc DESC", "start_time"], "runs");
 * ```
 */
export function parseMlflowOrderByList(
  orderBy: readonly string[] | undefined,
  grammar: SearchGrammar,
): MlflowOrder[] {
  const parsed: MlflowOrder[] = [];
  const seen = new Set<string>();
  for (const clause of orderBy ?? []) {
    const order = parseMlflowOrderBy(clause, grammar);
    const field = `${order.type}\u0000${order.key}`;
    if (grammar !== "experiments" && seen.has(field)) {
      throw searchSyntaxError(
        "order_by",
        clause,
        0,
        `\`order_by\` contains duplicate fields: ${pyListRepr(orderBy!)}`,
        "order by each field once",
      );
    }
    seen.add(field);
    parsed.push(order);
  }
  return parsed;
}
