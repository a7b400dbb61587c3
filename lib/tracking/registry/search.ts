/**
 * MLflow's search grammar for the model registry (`SearchModelUtils`, `SearchModelVersionUtils`):
 * registered models filter on `name` and `tags.<key>`; model versions on `name`, `version_number`,
 * `run_id`, `source_path` and `tags.<key>`; comparisons joined by AND. Ordering by name and
 * timestamps (and `version_number` for versions), with MLflow's default orders and tie-breakers.
 * One evaluator serves every store: registries are small enough to filter in memory.
 *
 * @module
 */
import { asciiLower, compareCodePoints, likeToRegExp } from "../search/evaluate.ts";
import { parseMlflowFilter } from "../search/mlflow_filter.ts";
import { parseMlflowOrderByList } from "../search/mlflow_order_by.ts";
import { checkListUse } from "../search/parser.ts";
import { searchSyntaxError } from "../search/search_errors.ts";
import type { ModelVersion, RegisteredModel } from "./entities.ts";

/** One comparison of a registry filter. */
export interface RegistryClause {
  /** An attribute (`name`, `run_id`, `source_path`, `version_number`) or a tag key. */
  key: string;
  isTag: boolean;
  comparator: "=" | "!=" | "<" | "<=" | ">" | ">=" | "LIKE" | "ILIKE" | "IN" | "NOT IN";
  value: string | number | string[];
}

/** One order_by clause of a registry search. */
export interface RegistryOrder {
  key: "name" | "version_number" | "creation_timestamp" | "last_updated_timestamp";
  ascending: boolean;
}

type Grammar = "models" | "versions";

const STRING_OPS = ["=", "!=", "LIKE", "ILIKE"];
const NUMERIC_OPS = ["=", "!=", "<", "<=", ">", ">="];
const VERSION_STRING_OPS = ["!=", "=", "LIKE", "ILIKE", "IN"];

/**
 * MLflow's registry filter grammar (sqlparse's tree, `SearchModelUtils` / `SearchModelVersionUtils`), then
 * the comparator checks of MLflow's SQL registry store, with their messages.
 */
function parseFilter(filter: string | undefined, grammar: Grammar): RegistryClause[] {
  if (!filter) return [];
  const { comparisons, strayAnd } = parseMlflowFilter(filter, grammar);
  const clauses = comparisons.map((c) => {
    const refuse = (message: string, explain: string): never => {
      throw searchSyntaxError("filter", filter, c.comparatorPos, message, explain);
    };
    const op = c.comparator;
    const isTag = c.type === "tag";
    if (isTag || grammar === "models") {
      if (!STRING_OPS.includes(op)) {
        refuse(
          `Invalid comparator for ${isTag ? "tag" : "attribute"}: ${op}`,
          `compare ${isTag ? "tags" : c.key} with ${STRING_OPS.join(", ")}`,
        );
      }
    } else if (c.key === "version_number") {
      if (!NUMERIC_OPS.includes(op)) {
        refuse(
          `Invalid comparator for attribute ${c.key}: ${op}`,
          `compare it with ${NUMERIC_OPS.join(", ")}`,
        );
      }
    } else if (!VERSION_STRING_OPS.includes(op) || (op === "IN" && c.key !== "run_id")) {
      refuse(`Invalid comparator for attribute: ${op}`, `compare ${c.key} with ${STRING_OPS.join(", ")}`);
    }
    checkListUse(c, refuse);
    let value = c.value as RegistryClause["value"];
    if (c.key === "version_number" && !isTag) {
      value = Number(c.value);
      // MLflow's SQL store would compare the number column with the text; kmlf asks for a number.
      if (typeof c.value !== "string" || c.value.trim() === "" || !Number.isFinite(value)) {
        refuse(
          `Invalid version_number value '${c.value}' in filter`,
          "version_number is compared with a number",
        );
      }
    }
    return { key: c.key, isTag, comparator: op as RegistryClause["comparator"], value };
  });
  if (strayAnd) throw strayAnd;
  return clauses;
}

/**
 * Parses a registered-model filter (`name`, `tags.<key>`).
 *
 * @example
 * ```ts
 * parseRegisteredModelFilter("name LIKE 'iris%' AND tags.team = 'ml'");
 * ```
 */
export function parseRegisteredModelFilter(filter: string | undefined): RegistryClause[] {
  return parseFilter(filter, "models");
}

/**
 * Parses a model-version filter (`name`, `version_number`, `run_id`, `source_path`, `tags.<key>`).
 *
 * @example
 * ```ts
 * parseModelVersionFilter("run_id IN ('a1', 'b2')");
 * ```
 */
export function parseModelVersionFilter(filter: string | undefined): RegistryClause[] {
  return parseFilter(filter, "versions");
}

function compare(actual: string | number | undefined, clause: RegistryClause): boolean {
  if (actual === undefined) return false;
  const { comparator, value } = clause;
  switch (comparator) {
    case "=":
      return actual === value;
    case "!=":
      return actual !== value;
    case "<":
      return (actual as number) < (value as number);
    case "<=":
      return (actual as number) <= (value as number);
    case ">":
      return (actual as number) > (value as number);
    case ">=":
      return (actual as number) >= (value as number);
    case "LIKE":
      return likeToRegExp(value as string).test(String(actual));
    case "ILIKE": // ASCII letters fold, as in MLflow's SQL stores (SQLite's lower()) and run searches
      return likeToRegExp(asciiLower(value as string)).test(asciiLower(String(actual)));
    case "IN":
      return (value as unknown[]).includes(actual);
    case "NOT IN":
      return !(value as unknown[]).includes(actual);
  }
}

/**
 * Whether a registered model satisfies every clause.
 *
 * @example
 * ```ts
 * registeredModelMatches(model, parseRegisteredModelFilter("tags.team = 'ml'"));
 * ```
 */
export function registeredModelMatches(
  model: Pick<RegisteredModel, "name" | "tags">,
  clauses: readonly RegistryClause[],
): boolean {
  return clauses.every((c) => compare(c.isTag ? model.tags[c.key] : model.name, c));
}

/**
 * Whether a model version satisfies every clause.
 *
 * @example
 * ```ts
 * modelVersionMatches(version, parseModelVersionFilter("version_number > 2"));
 * ```
 */
export function modelVersionMatches(
  version: Pick<ModelVersion, "name" | "version" | "source" | "runId" | "tags">,
  clauses: readonly RegistryClause[],
): boolean {
  return clauses.every((c) => {
    if (c.isTag) return compare(version.tags[c.key], c);
    const actual = c.key === "version_number"
      ? Number(version.version)
      : c.key === "source_path"
      ? version.source ?? undefined
      : c.key === "run_id"
      ? version.runId ?? undefined
      : version.name;
    return compare(actual, c);
  });
}

/**
 * The clauses that look only at attributes, not tags: stores check them on what they read first and
 * load tags only for what passes.
 *
 * @example
 * ```ts
 * attributeClauses(parseModelVersionFilter("name = 'iris' AND tags.k = 'v'")); // the name clause
 * ```
 */
export function attributeClauses(clauses: readonly RegistryClause[]): RegistryClause[] {
  return clauses.filter((c) => !c.isTag);
}

function parseOrderBy(orderBy: readonly string[] | undefined, grammar: Grammar): RegistryOrder[] {
  return parseMlflowOrderByList(orderBy, grammar).map((o) => ({
    key: o.key as RegistryOrder["key"],
    ascending: o.ascending,
  }));
}

/**
 * Parses registered-model order_by clauses and adds MLflow's tie-breaker (`name ASC`).
 *
 * @example
 * ```ts
 * parseRegisteredModelOrderBy(["last_updated_timestamp DESC"]); // + { key: "name", ascending: true }
 * ```
 */
export function parseRegisteredModelOrderBy(orderBy: readonly string[] | undefined): RegistryOrder[] {
  const order = parseOrderBy(orderBy, "models");
  if (!order.some((o) => o.key === "name")) order.push({ key: "name", ascending: true });
  return order;
}

/**
 * Parses model-version order_by clauses: default `last_updated_timestamp DESC, name ASC,
 * version_number DESC`; otherwise name ASC and version_number DESC break ties.
 *
 * @example
 * ```ts
 * parseModelVersionOrderBy(["version_number DESC"]);
 * ```
 */
export function parseModelVersionOrderBy(orderBy: readonly string[] | undefined): RegistryOrder[] {
  const order = parseOrderBy(orderBy?.length ? orderBy : ["last_updated_timestamp DESC"], "versions");
  if (!order.some((o) => o.key === "name")) order.push({ key: "name", ascending: true });
  if (!order.some((o) => o.key === "version_number")) order.push({ key: "version_number", ascending: false });
  return order;
}

function orderValue(item: ModelVersion | RegisteredModel, key: RegistryOrder["key"]): string | number {
  switch (key) {
    case "name":
      return item.name;
    case "version_number":
      return Number((item as ModelVersion).version);
    case "creation_timestamp":
      return item.creationTimestamp ?? 0;
    case "last_updated_timestamp":
      return item.lastUpdatedTimestamp ?? 0;
  }
}

/**
 * Sorts registry entities by parsed order_by clauses (names by code point, like SQLite).
 *
 * @example
 * ```ts
 * sortRegistry(models, parseRegisteredModelOrderBy(undefined)); // by name
 * ```
 */
export function sortRegistry<T extends ModelVersion | RegisteredModel>(
  items: T[],
  order: readonly RegistryOrder[],
): T[] {
  return items.sort((a, b) => {
    for (const { key, ascending } of order) {
      const x = orderValue(a, key);
      const y = orderValue(b, key);
      const c = typeof x === "string" ? compareCodePoints(x, y as string) : (x as number) - (y as number);
      if (c !== 0) return ascending ? c : -c;
    }
    return 0;
  });
}
