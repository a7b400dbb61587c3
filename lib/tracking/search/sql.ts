/**
 * The SQL translator: turns parsed filters and order_by clauses into one query over MLflow's own
 * schema, in SQLite's or PostgreSQL's dialect (`sql_dialect.ts` holds every difference) (`runs`, `latest_metrics`, `params`, `tags`, `experiments`, `experiment_tags`,
 * `inputs`, `datasets`, `input_tags`). It gives the same results as the in-memory evaluator:
 * NaN metrics match only `!=`, missing values never match (except IS NULL), present values sort
 * first, then NaN, then missing. The connection must run `PRAGMA case_sensitive_like = true`
 * (MLflow does too) so LIKE is case-sensitive and ILIKE is `lower(x) LIKE lower(p)`.
 *
 * @module
 */
import type { LifecycleStage } from "../entities.ts";
import { DEFAULT_EXPERIMENT_ORDER } from "./evaluate.ts";
import { searchableMetric } from "./metric_value.ts";
import { type Comparator, type FilterClause, type OrderByClause, parseOrderByList } from "./parser.ts";
import { type SqlDialect, SQLITE } from "./sql_dialect.ts";

export { numberPlaceholders, POSTGRESQL, type SqlDialect, SQLITE } from "./sql_dialect.ts";

/** A query and its positional parameters. */
export interface SqlQuery {
  sql: string;
  params: (string | number | null)[];
}

import { EXPERIMENT_COLUMNS, RUN_INFO_COLUMNS } from "./columns.ts";

export { EXPERIMENT_COLUMNS, RUN_INFO_COLUMNS };

const RUN_COLUMN: Record<string, string> = {
  run_id: "r.run_uuid",
  run_name: "r.name",
  status: "r.status",
  user_id: "r.user_id",
  artifact_uri: "r.artifact_uri",
  start_time: "r.start_time",
  end_time: "r.end_time",
};

const EXPERIMENT_COLUMN: Record<string, string> = {
  name: "e.name",
  creation_time: "e.creation_time",
  last_update_time: "e.last_update_time",
  experiment_id: "e.experiment_id",
};

function placeholders(n: number): string {
  return Array.from({ length: n }, () => "?").join(", ");
}

/** `column <comparator> ?` for string and numeric comparisons, pushing the parameters. */
function condition(
  d: SqlDialect,
  column: string,
  comparator: Comparator,
  value: unknown,
  params: SqlQuery["params"],
): string {
  switch (comparator) {
    case "LIKE":
      params.push(value as string);
      return d.like(column);
    case "ILIKE":
      params.push(value as string);
      return d.ilike(column);
    case "IN":
    case "NOT IN": {
      const list = value as string[];
      params.push(...list);
      return `${column} ${comparator} (${placeholders(list.length)})`;
    }
    default:
      params.push(value as string | number);
      return `${column} ${comparator} ${typeof value === "number" ? d.numberParam(value) : "?"}`;
  }
}

function keyValueCondition(
  d: SqlDialect,
  table: string,
  owner: string,
  ownerColumn: string,
  c: FilterClause,
  params: SqlQuery["params"],
) {
  params.push(c.key);
  const base = `SELECT 1 FROM ${table} f WHERE f.${ownerColumn} = ${owner} AND f.key = ?`;
  if (c.comparator === "IS NULL") return `NOT EXISTS (${base})`;
  if (c.comparator === "IS NOT NULL") return `EXISTS (${base})`;
  return `EXISTS (${base} AND ${condition(d, "f.value", c.comparator, c.value, params)})`;
}

// The tables whose rows a run has at most one of per key (their primary key is (key, run_uuid)).
const KEYED_TABLE = { metric: "latest_metrics", parameter: "params", tag: "tags" } as const;

/** The table and key a metric, param or tag clause reads (run_name lives in a tag), or undefined. */
function keyedTarget(c: FilterClause): { table: string; key: string } | undefined {
  if (c.type === "metric" || c.type === "parameter" || c.type === "tag") {
    return { table: KEYED_TABLE[c.type], key: c.key };
  }
  // Like MLflow: run names live in the mlflow.runName tag (runs.name is empty for MLflow ≤ 1.29 runs).
  if (c.type === "attribute" && c.key === "run_name") return { table: "tags", key: "mlflow.runName" };
  return undefined;
}

/** The condition a keyed clause puts on its row `f` beyond the key, or undefined for IS NOT NULL. */
function keyedRowCondition(d: SqlDialect, c: FilterClause, f: string, params: SqlQuery["params"]) {
  if (c.comparator === "IS NOT NULL") return undefined;
  if (c.type !== "metric") return condition(d, `${f}.value`, c.comparator, c.value, params);
  // A bound beyond ±MAX_VALUE (`1e309`) compares as the infinity the table holds as ±MAX_VALUE.
  params.push(searchableMetric(c.value as number));
  // NaN is stored as value 0 with is_nan = 1; like Python's float compare it only satisfies `!=`.
  return c.comparator === "!="
    ? `(${d.isNan(`${f}.is_nan`)} OR ${f}.value != ?)`
    : `${d.isNan(`${f}.is_nan`, true)} AND ${f}.value ${c.comparator} ?`;
}

/**
 * A clause that needs the run to have a row for its key, as an inner join: with one row per (key, run)
 * it filters exactly as EXISTS would, and joined in the written order (before the sort keys' joins) it
 * drops the runs that fail it before their sort keys are looked up.
 */
function keyedJoin(d: SqlDialect, c: FilterClause, alias: string, params: SqlQuery["params"]) {
  const target = keyedTarget(c);
  if (target === undefined || c.comparator === "IS NULL") return undefined;
  params.push(target.key);
  const on = [`${alias}.run_uuid = r.run_uuid`, `${alias}.key = ?`];
  const rowCondition = keyedRowCondition(d, c, alias, params);
  if (rowCondition !== undefined) on.push(rowCondition);
  return `${d.orderedJoin} ${target.table} ${alias} ON ${on.join(" AND ")}`;
}

function runClauseSql(d: SqlDialect, c: FilterClause, params: SqlQuery["params"]): string {
  const target = keyedTarget(c);
  if (target !== undefined) {
    // Only IS NULL reaches here (the other keyed clauses are joins): the run has no row for the key.
    params.push(target.key);
    return `NOT EXISTS (SELECT 1 FROM ${target.table} f WHERE f.run_uuid = r.run_uuid AND f.key = ?)`;
  }
  if (c.type !== "dataset") return condition(d, RUN_COLUMN[c.key], c.comparator, c.value, params);
  const run = "i.source_type = 'DATASET' AND i.destination_type = 'RUN' AND i.destination_id = r.run_uuid";
  if (c.key === "context") {
    return `EXISTS (SELECT 1 FROM inputs i JOIN input_tags t ON t.input_uuid = i.input_uuid WHERE ${run} ` +
      `AND t.name = 'mlflow.data.context' AND ${condition(d, "t.value", c.comparator, c.value, params)})`;
  }
  return `EXISTS (SELECT 1 FROM inputs i JOIN datasets d ON d.dataset_uuid = i.source_id WHERE ${run} ` +
    `AND ${condition(d, `d.${c.key}`, c.comparator, c.value, params)})`;
}

function nullsLast(column: string, ascending: boolean, key = column): string[] {
  return [`CASE WHEN ${column} IS NULL THEN 1 ELSE 0 END`, `${key} ${ascending ? "ASC" : "DESC"}`];
}

// Attributes holding numbers; every other attribute and every param/tag value sorts as text.
const NUMERIC_ATTRIBUTES = new Set([
  "start_time",
  "end_time",
  "creation_time",
  "last_update_time",
  "experiment_id",
]);

function orderKey(d: SqlDialect, column: string, attribute?: string): string {
  return attribute !== undefined && NUMERIC_ATTRIBUTES.has(attribute) ? column : d.textOrder(column);
}

/** Options of {@link runSearchSql}. */
export interface RunSearchSqlOptions {
  experimentIds: readonly string[];
  stages: readonly LifecycleStage[];
  clauses: readonly FilterClause[];
  orderBy: readonly OrderByClause[];
  limit: number;
  offset: number;
  /** Default SQLite. */
  dialect?: SqlDialect;
  /** What the search selects: default {@link RUN_INFO_COLUMNS}; SQLite selects `r.rowid` (see searches.ts). */
  columns?: string;
}

/**
 * The experiment ids a SQL run search looks in: each once, and only those written as the store writes its
 * INTEGER ids (no sign, space, leading zero or decimal point), so an id matches exactly as in the file store
 * (SQLite's type affinity made " 1", "01" and "1.0" match experiment 1; PostgreSQL's cast "01").
 *
 * @example
 * ```ts
 * searchableExperimentIds(["1", "1", " 2", "03", "4"]); // ["1", "4"]
 * ```
 */
export function searchableExperimentIds(ids: readonly string[]): string[] {
  return [...new Set(ids)].filter((id) => /^(0|[1-9]\d*)$/.test(id));
}

function experimentIdParam(id: string): string | number {
  return /^\d{1,15}$/.test(id) ? Number(id) : id;
}

/**
 * The SQL of a run search selecting {@link RUN_INFO_COLUMNS} (or `options.columns`).
 *
 * @example
 * ```ts
 * const { sql, params } = runSearchSql({
 *   experimentIds: ["1"], stages: ["active"], clauses: parseFilter("metrics.acc > 0.9"),
 *   orderBy: parseOrderByList(["metrics.acc DESC"]), limit: 100, offset: 0,
 * });
 * ```
 */
export function runSearchSql(options: RunSearchSqlOptions): SqlQuery {
  const d = options.dialect ?? SQLITE;
  const joins: string[] = [];
  const joinParams: SqlQuery["params"] = [];
  const unjoined: FilterClause[] = [];
  options.clauses.forEach((c, i) => {
    const join = keyedJoin(d, c, `f${i}`, joinParams);
    if (join === undefined) unjoined.push(c);
    else joins.push(join);
  });
  const order: string[] = [];
  options.orderBy.forEach((o, i) => {
    const alias = `o${i}`;
    if (o.type === "attribute") {
      const column = RUN_COLUMN[o.key];
      order.push(...nullsLast(column, o.ascending, orderKey(d, column, o.key)));
      return;
    }
    const table = o.type === "metric" ? "latest_metrics" : o.type === "parameter" ? "params" : "tags";
    joins.push(`LEFT JOIN ${table} ${alias} ON ${alias}.run_uuid = r.run_uuid AND ${alias}.key = ?`);
    joinParams.push(o.key);
    if (o.type === "metric") {
      order.push(
        `CASE WHEN ${d.isNan(`${alias}.is_nan`)} THEN 1 WHEN ${alias}.value IS NULL THEN 2 ELSE 0 END`,
        `${alias}.value ${o.ascending ? "ASC" : "DESC"}`,
      );
    } else order.push(...nullsLast(`${alias}.value`, o.ascending, d.textOrder(`${alias}.value`)));
  });
  if (!options.orderBy.some((o) => o.type === "attribute" && o.key === "start_time")) {
    order.push("r.start_time DESC");
  }
  order.push(`${d.textOrder("r.run_uuid")} ASC`);

  const whereParams: SqlQuery["params"] = [
    ...options.experimentIds.map(experimentIdParam),
    ...options.stages,
  ];
  const where = [
    `r.experiment_id IN (${placeholders(options.experimentIds.length)})`,
    `r.lifecycle_stage IN (${placeholders(options.stages.length)})`,
    ...unjoined.map((c) => runClauseSql(d, c, whereParams)),
  ];
  const columns = options.columns ?? RUN_INFO_COLUMNS;
  const sql = `SELECT ${columns} FROM runs r ${joins.join(" ")} WHERE ${where.join(" AND ")} ` +
    `ORDER BY ${order.join(", ")} LIMIT ? OFFSET ?`;
  return { sql: d.placeholders(sql), params: [...joinParams, ...whereParams, options.limit, options.offset] };
}

/** Options of {@link experimentSearchSql}. */
export interface ExperimentSearchSqlOptions {
  stages: readonly LifecycleStage[];
  clauses: readonly FilterClause[];
  orderBy: readonly OrderByClause[];
  limit: number;
  offset: number;
  /** Default SQLite. */
  dialect?: SqlDialect;
}

/**
 * The SQL of an experiment search selecting {@link EXPERIMENT_COLUMNS}.
 *
 * @example
 * ```ts
 * experimentSearchSql({ stages: ["active"], clauses: [], orderBy: [], limit: 10, offset: 0 });
 * ```
 */
export function experimentSearchSql(options: ExperimentSearchSqlOptions): SqlQuery {
  const d = options.dialect ?? SQLITE;
  const params: SqlQuery["params"] = [...options.stages];
  const where = [`e.lifecycle_stage IN (${placeholders(options.stages.length)})`];
  for (const c of options.clauses) {
    where.push(
      c.type === "tag"
        ? keyValueCondition(d, "experiment_tags", "e.experiment_id", "experiment_id", c, params)
        : condition(d, EXPERIMENT_COLUMN[c.key], c.comparator, c.value, params),
    );
  }
  const orderBy = options.orderBy.length
    ? options.orderBy
    : parseOrderByList(DEFAULT_EXPERIMENT_ORDER, "experiments");
  const order: string[] = [];
  for (const o of orderBy) {
    if (o.key === "experiment_id") {
      order.push(`e.experiment_id ${o.ascending ? "ASC" : "DESC"}`);
      break; // ids are unique: later clauses cannot matter
    }
    const column = EXPERIMENT_COLUMN[o.key];
    // MLflow's SQL store orders experiments by the bare column, so a NULL time (experiments from before
    // MLflow 1.29) sorts as the database puts it: first ascending on SQLite, first descending on PostgreSQL.
    order.push(`${orderKey(d, column, o.key)} ${o.ascending ? "ASC" : "DESC"}`);
  }
  // MLflow's tie-breaker when order_by leaves the id out: newest id first (the default order names it ASC).
  if (!order.some((o) => o.startsWith("e.experiment_id"))) order.push("e.experiment_id DESC");
  params.push(options.limit, options.offset);
  return {
    sql: d.placeholders(
      `SELECT ${EXPERIMENT_COLUMNS} FROM experiments e WHERE ${where.join(" AND ")} ` +
        `ORDER BY ${order.join(", ")} LIMIT ? OFFSET ?`,
    ),
    params,
  };
}
