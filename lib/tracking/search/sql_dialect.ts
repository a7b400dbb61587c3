/**
 * The two SQL dialects the search compiler writes, and every place they differ. The rule both follow:
 * a search returns exactly what the SQLite store returns (and what the in-memory evaluator returns),
 * whatever the PostgreSQL server's locale:
 *
 * | | SQLite | PostgreSQL |
 * | --- | --- | --- |
 * | parameters | `?` | `$1, $2, …` |
 * | `LIKE` | case-sensitive (`PRAGMA case_sensitive_like`), no escape character | `ESCAPE ''`: a backslash is a plain character there too |
 * | `ILIKE` | `lower()` folds ASCII letters only | `lower(x COLLATE "C")`: ASCII only as well |
 * | text order | BINARY (code points) | `COLLATE "C"` (code points), not the database's locale |
 * | `is_nan` | `0` / `1` | a real `boolean` |
 * | a join kept in written order | `CROSS JOIN … ON` | `JOIN … ON` (the planner decides) |
 * | insertion order | `rowid` | `ctid` (MLflow's ORM reads rows in physical order there too) |
 * | a list parameter | `IN (?, ?, …)`, at most 500 at once | `= ANY(?)`, one array |
 * | a number bound on an integer column | `?` (compared as a number whatever its kind) | `?` for a safe integer, else `?::float8` (`999.5`, `1e20`, `Infinity` are no `bigint`) |
 *
 * @module
 */

/** How one SQL engine spells the pieces of a search query. */
export interface SqlDialect {
  readonly name: "sqlite" | "postgresql";
  /** `column LIKE <param>`, case-sensitive, with no escape character. */
  like(column: string): string;
  /** `column ILIKE <param>` folding ASCII letters only (SQLite's `lower()`). */
  ilike(column: string): string;
  /** A text column as an ORDER BY key that sorts by code point. */
  textOrder(column: string): string;
  /** The condition "the metric row is NaN" (`not` = is not NaN). */
  isNan(column: string, not?: boolean): string;
  /**
   * An inner join the planner keeps in the written order (SQLite's `CROSS JOIN … ON`), so that a search's
   * filters drop runs before the sort keys' joins look theirs up.
   */
  readonly orderedJoin: string;
  /** The final SQL with its placeholders numbered if the engine needs it. */
  placeholders(sql: string): string;
  /** An ORDER BY key giving rows in the order they were inserted (for tags and aliases, as MLflow lists them). */
  readonly rowOrder: string;
  /** `column` is one of `values` (at most {@link maxList} of them), and the parameters to bind. */
  inList(column: string, values: readonly (string | number)[]): { sql: string; params: SqlListParams };
  /** The most values one {@link inList} takes. */
  readonly maxList: number;
  /** The placeholder of a number compared with a column, typed so any double compares as a number. */
  numberParam(value: number): string;
}

/** What {@link SqlDialect.inList} binds: the values, or one array of them. */
export type SqlListParams = (string | number | readonly (string | number)[])[];

/** SQLite (MLflow's pragmas: `case_sensitive_like = true`). */
export const SQLITE: SqlDialect = {
  name: "sqlite",
  like: (column) => `${column} LIKE ?`,
  ilike: (column) => `lower(${column}) LIKE lower(?)`,
  textOrder: (column) => column,
  isNan: (column, not = false) => `${column} = ${not ? 0 : 1}`,
  orderedJoin: "CROSS JOIN",
  placeholders: (sql) => sql,
  rowOrder: "rowid",
  inList: (column, values) => ({
    sql: `${column} IN (${values.map(() => "?").join(", ")})`,
    params: [...values],
  }),
  // Far below SQLite's variable limit, whatever the build.
  maxList: 500,
  numberParam: () => "?",
};

/** PostgreSQL, with results identical to SQLite's under any database locale. */
export const POSTGRESQL: SqlDialect = {
  name: "postgresql",
  like: (column) => `${column} LIKE ? ESCAPE ''`,
  ilike: (column) => `lower(${column} COLLATE "C") LIKE lower(? COLLATE "C") ESCAPE ''`,
  textOrder: (column) => `${column} COLLATE "C"`,
  isNan: (column, not = false) => (not ? `NOT ${column}` : column),
  // PostgreSQL's planner orders joins by its own estimates (and refuses ON after CROSS JOIN).
  orderedJoin: "JOIN",
  placeholders: numberPlaceholders,
  rowOrder: "ctid",
  inList: (column, values) => ({ sql: `${column} = ANY(?)`, params: [values] }),
  maxList: Infinity,
  // A parameter compared with a bigint column is read as a bigint: a fraction, 1e20 or Infinity would
  // fail to parse. Safe integers stay bigints (an index on the column still serves them).
  numberParam: (value) => (Number.isSafeInteger(value) ? "?" : "?::float8"),
};

/**
 * `?` placeholders as `$1, $2, …`. The compiler never puts a `?` inside a literal, so every `?` is a
 * parameter.
 *
 * @example
 * ```ts
 * numberPlaceholders("a = ? AND b IN (?, ?)"); // "a = $1 AND b IN ($2, $3)"
 * ```
 */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
