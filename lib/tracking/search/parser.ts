/**
 * Run and experiment search filters and order_by clauses, read as MLflow 2.17.2 reads them (through
 * sqlparse's tree: `mlflow_filter.ts`, `mlflow_order_by.ts`) and refused with MLflow's messages, in the
 * order its SQL store checks them (filter syntax, order_by, then comparators). Yields plain clause
 * objects that the in-memory evaluator and the SQL translator both consume.
 *
 * @module
 */
import { parseMlflowFilter } from "./mlflow_filter.ts";
import {
  type EntityType,
  GRAMMARS,
  RUN_ATTRIBUTE_ALIASES,
  RUN_COMPARATORS,
  type SearchGrammar as MlflowGrammar,
} from "./mlflow_grammars.ts";
import { parseMlflowOrderBy, parseMlflowOrderByList } from "./mlflow_order_by.ts";
import { searchSyntaxError } from "./search_errors.ts";

export type { EntityType } from "./mlflow_grammars.ts";

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

/** Run attributes holding numbers. */
export const NUMERIC_RUN_ATTRIBUTES = new Set(["start_time", "end_time"]);
/** Experiment attributes holding numbers. */
export const NUMERIC_EXPERIMENT_ATTRIBUTES = new Set(["creation_time", "last_update_time", "experiment_id"]);

const NULL_CHECKS = ["IS NULL", "IS NOT NULL"];
const STRING_COMPARATORS = ["=", "!=", "LIKE", "ILIKE"];

interface Parsed extends FilterClause {
  /** Where the comparator is in the filter (errors about it point there). */
  pos: number;
  /** The comparator as written. */
  text: string;
}

function readFilter(
  filter: string | undefined | null,
  grammar: MlflowGrammar,
): Parsed[] & { strayAnd?: Error } {
  if (!filter) return [];
  const { comparisons, strayAnd } = parseMlflowFilter(filter, grammar);
  return Object.assign(
    comparisons.map((c) => {
      const key = grammar === "runs" && c.type === "attribute"
        ? RUN_ATTRIBUTE_ALIASES[c.key] ?? c.key
        : c.key;
      const value = c.numeric && typeof c.value === "string" ? Number(c.value) : c.value;
      const comparator = c.comparator as Comparator;
      return { type: c.type, key, comparator, value, pos: c.comparatorPos, text: c.comparatorText };
    }),
    { strayAnd },
  );
}

/**
 * The comparator checks MLflow's SQL store makes once the filter parsed, with its messages (some print
 * their set without a closing quote; numeric attributes print the string attributes' set), and kmlf's:
 * a list goes with IN / NOT IN only. kmlf also takes IS [NOT] NULL for params and tags.
 */
function checkComparators(filter: string, clauses: readonly Parsed[], grammar: MlflowGrammar): void {
  const { metric, parameter, tag, string, dataset } = RUN_COMPARATORS;
  for (const c of clauses) {
    const refuse = (message: string, explain: string): never => {
      throw searchSyntaxError("filter", filter, c.pos, message, explain);
    };
    const op = c.comparator;
    // MLflow's experiment search prints the comparator as written (its run search upper-cases it).
    const shown = grammar === "experiments" ? c.text : op;
    /** Refuses `op` unless in `allowed` (or `also`), printing `printed` as MLflow does. */
    const only = (allowed: ReadonlySet<string>, printed: string, closing: "'" | "", also: string[] = []) => {
      if (allowed.has(op) || also.includes(op)) return;
      refuse(
        `Invalid comparator '${shown}' not one of '${printed}${closing}`,
        `${c.type} '${c.key}' is compared with ${[...allowed, ...also].join(", ")}`,
      );
    };
    const numeric = c.type === "attribute" &&
      (grammar === "runs" ? NUMERIC_RUN_ATTRIBUTES : GRAMMARS.experiments.numeric).has(c.key);
    if (c.type === "attribute") {
      if (numeric) only(metric.keys, string.repr, "");
      else only(string.keys, string.repr, "'");
      if (grammar === "experiments" && !numeric && !STRING_COMPARATORS.includes(op)) {
        refuse(
          `Invalid comparator for string attribute: ${shown}`,
          `${c.key} is compared with ${STRING_COMPARATORS.join(", ")}`,
        );
      }
    } else if (grammar === "experiments") {
      if (!STRING_COMPARATORS.includes(op) && !NULL_CHECKS.includes(op)) {
        refuse(
          `Invalid comparator for tag: ${shown}`,
          `tags are compared with ${STRING_COMPARATORS.join(", ")}`,
        );
      }
    } else if (c.type === "metric") only(metric.keys, metric.repr, "");
    else if (c.type === "parameter") only(parameter.keys, parameter.repr, "'", NULL_CHECKS);
    else if (c.type === "tag") only(tag.keys, tag.repr, "", NULL_CHECKS);
    else only(dataset.keys, dataset.repr, "");
    checkListUse(c, refuse);
  }
}

/** A list needs IN / NOT IN and IN / NOT IN a list (MLflow's SQL store fails on either with a 500). */
export function checkListUse(
  c: { comparator: string; value: unknown },
  refuse: (message: string, explain: string) => never,
): void {
  const list = c.comparator === "IN" || c.comparator === "NOT IN";
  if (Array.isArray(c.value) && !list) {
    refuse(`Invalid comparator '${c.comparator}' for a list of values`, "compare a list with IN or NOT IN");
  }
  if (list && !Array.isArray(c.value)) {
    refuse(
      `Invalid value for comparator '${c.comparator}': expected a list of quoted string values`,
      "write the list as ('a', 'b')",
    );
  }
}

const strip = ({ pos: _, text: __, ...clause }: Parsed): FilterClause => clause;

/**
 * Parses a search filter into clauses (none for an empty filter), refusing what MLflow refuses.
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
  const clauses = readFilter(filter, grammar);
  checkComparators(filter ?? "", clauses, grammar);
  if (clauses.strayAnd) throw clauses.strayAnd;
  return clauses.map(strip);
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
  return parseMlflowOrderBy(clause, grammar);
}

/**
 * Parses a list of order_by clauses (run searches refuse the same field twice, as MLflow's SQL store).
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
  return parseMlflowOrderByList(orderBy, grammar);
}

/**
 * A search's filter and order_by, checked in the order MLflow's SQL store checks them.
 *
 * @example
 * ```ts
 * const { clauses, orderBy } = parseSearch("metrics.acc > 0.9", ["metrics.acc DESC"], "runs");
 * ```
 */
export function parseSearch(
  filter: string | undefined | null,
  orderBy: readonly string[] | undefined,
  grammar: SearchGrammar = "runs",
): { clauses: FilterClause[]; orderBy: OrderByClause[] } {
  const clauses = readFilter(filter, grammar);
  // MLflow's SQL store reads a run search's order_by before checking comparators, an experiment
  // search's after.
  if (grammar === "experiments") checkComparators(filter ?? "", clauses, grammar);
  const order = parseMlflowOrderByList(orderBy, grammar);
  if (grammar === "runs") checkComparators(filter ?? "", clauses, grammar);
  // kmlf's own refusal comes last: MLflow would have answered anything else first.
  if (clauses.strayAnd) throw clauses.strayAnd;
  return { clauses: clauses.map(strip), orderBy: order };
}
