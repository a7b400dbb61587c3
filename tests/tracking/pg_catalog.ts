/**
 * A PostgreSQL database's catalog as plain data (tables, columns, constraints, indexes, sequences),
 * for comparing the schema kmlf creates with MLflow's (tests/fixtures/mlflow-2.17.2-postgresql).
 */
import postgres from "postgres";

/** The catalog of the current schema, sorted so two databases compare with deepEqual. */
export interface PgCatalog {
  columns: Record<string, string[]>;
  constraints: Record<string, string[]>;
  indexes: string[];
  sequences: string[];
}

/** Reads the catalog of the database at `url`. */
export async function readPgCatalog(url: string): Promise<PgCatalog> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const columns: Record<string, string[]> = {};
    for (
      const c of await sql`
      SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
             a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attnum`
    ) {
      (columns[c.table] ??= []).push(
        `${c.column} ${c.type}${c.not_null ? " NOT NULL" : ""}${c.default ? ` DEFAULT ${c.default}` : ""}`,
      );
    }
    const constraints: Record<string, string[]> = {};
    for (
      const c of await sql`
      SELECT t.relname AS table, k.conname AS name, pg_get_constraintdef(k.oid) AS def
      FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = current_schema()
      ORDER BY t.relname, k.conname`
    ) {
      // pg_get_constraintdef's parentheses and casts vary between server versions: compare their words.
      (constraints[c.table] ??= []).push(`${c.name}: ${normalize(c.def)}`);
    }
    const indexes = (await sql`
      SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname`)
      .map((i) => normalize(i.indexdef.replace(/ public\./g, " ")));
    const sequences = (await sql`
      SELECT s.relname AS seq, t.relname AS table, a.attname AS column
      FROM pg_class s JOIN pg_depend d ON d.objid = s.oid AND d.deptype = 'a'
      JOIN pg_class t ON t.oid = d.refobjid JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
      WHERE s.relkind = 'S' ORDER BY s.relname`).map((s) => `${s.seq} owned by ${s.table}.${s.column}`);
    return { columns, constraints, indexes, sequences };
  } finally {
    await sql.end();
  }
}

function normalize(def: string): string {
  return def.replace(/::[a-z ]+(\[\])?/g, "").replace(/[()]/g, " ").replace(/\s+/g, " ").trim();
}
