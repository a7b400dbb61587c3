/** Translating parsed search filters and order_by clauses into SQL over MLflow's tables. */
import type { Clause, OrderClause } from "../search/filter.ts";

type SqlValue = string | number;

/** A WHERE fragment with its parameters. */
export interface SqlPart {
  sql: string;
  params: SqlValue[];
}

const ATTRIBUTE_COLUMNS: Record<string, string> = {
  run_id: "r.run_uuid",
  run_name: "r.name",
  status: "r.status",
  user_id: "r.user_id",
  artifact_uri: "r.artifact_uri",
  start_time: "r.start_time",
  end_time: "r.end_time",
};

const TABLES = { metric: "latest_metrics", param: "params", tag: "tags" } as const;

/**
 * One WHERE condition per clause (ANDed by the caller). Comparisons against a missing metric, param or
 * tag do not match, except IS NULL.
 *
 * @example
 * ```ts
 * clauseToSql({ type: "param", key: "model", comparator: "=", value: "logreg" });
 * ```
 */
export function clauseToSql(c: Clause): SqlPart {
  if (c.type === "attribute") {
    const col = ATTRIBUTE_COLUMNS[c.key];
    if (c.comparator === "IN" || c.comparator === "NOT IN") {
      const values = c.value as string[];
      return {
        sql: `${col} ${c.comparator} (${values.map(() => "?").join(", ") || "NULL"})`,
        params: values,
      };
    }
    return compare(col, c.comparator, c.value as SqlValue);
  }
  const table = TABLES[c.type];
  if (c.comparator === "IS NULL") {
    return {
      sql: `NOT EXISTS (SELECT 1 FROM ${table} x WHERE x.run_uuid = r.run_uuid AND x.key = ?)`,
      params: [c.key],
    };
  }
  if (c.comparator === "IS NOT NULL") {
    return {
      sql: `EXISTS (SELECT 1 FROM ${table} x WHERE x.run_uuid = r.run_uuid AND x.key = ?)`,
      params: [c.key],
    };
  }
  const inner = compare("x.value", c.comparator, c.value as SqlValue);
  const nan = c.type === "metric" ? " AND x.is_nan = 0" : "";
  return {
    sql:
      `EXISTS (SELECT 1 FROM ${table} x WHERE x.run_uuid = r.run_uuid AND x.key = ?${nan} AND ${inner.sql})`,
    params: [c.key, ...inner.params],
  };
}

function compare(column: string, comparator: Clause["comparator"], value: SqlValue): SqlPart {
  if (comparator === "ILIKE") return { sql: `LOWER(${column}) LIKE LOWER(?)`, params: [value] };
  return { sql: `${column} ${comparator} ?`, params: [value] };
}

/**
 * ORDER BY terms: missing and NaN values last in either direction, then MLflow's base order
 * `start_time DESC, run_uuid ASC`.
 *
 * @example
 * ```ts
 * orderToSql([{ type: "metric", key: "acc", ascending: false }]);
 * ```
 */
export function orderToSql(order: OrderClause[]): SqlPart {
  const terms: string[] = [];
  const params: SqlValue[] = [];
  for (const o of order) {
    const dir = o.ascending ? "ASC" : "DESC";
    if (o.type === "attribute") {
      const col = ATTRIBUTE_COLUMNS[o.key];
      terms.push(`(${col} IS NULL) ASC`, `${col} ${dir}`);
    } else if (o.type === "metric") {
      const value =
        "(SELECT CASE WHEN m.is_nan = 1 THEN NULL ELSE m.value END FROM latest_metrics m WHERE m.run_uuid = r.run_uuid AND m.key = ?)";
      terms.push(`(${value} IS NULL) ASC`, `${value} ${dir}`);
      params.push(o.key, o.key);
    } else {
      const value = `(SELECT x.value FROM ${TABLES[o.type]} x WHERE x.run_uuid = r.run_uuid AND x.key = ?)`;
      terms.push(`(${value} IS NULL) ASC`, `${value} ${dir}`);
      params.push(o.key, o.key);
    }
  }
  terms.push("r.start_time DESC", "r.run_uuid ASC");
  return { sql: terms.join(", "), params };
}
