/**
 * Kedro's `pandas.SQLTableDataset` and `pandas.SQLQueryDataset` as a Kedro catalog writes them: the database
 * is `credentials: {con: <SQLAlchemy URL>}`, which kmlf opens when it names a SQLite file
 * (`sqlite:///data/db.sqlite`); any other database is refused naming its scheme (never the URL: it may hold a
 * password). The same datasets as `sqlite_table` / `sqlite_query`, with Kedro's arguments and defaults.
 */
import { z } from "../zod/mod.ts";
import { DatasetError } from "../errors.ts";
import { isAbsolute, resolve } from "../path.ts";
import { SqliteQueryDataset } from "./datasets/sqlite_query_dataset.ts";
import { type IfExists, SqliteTableDataset } from "./datasets/sqlite_table_dataset.ts";
import { ENTRY_HINTS } from "./kedro_arguments.ts";
import { foreignPath } from "../foreign_path.ts";
import { CATALOG_PATHS } from "./entry_paths.ts";
import type { DatasetFactoryContext } from "./dataset_factory.ts";
import type { DatasetTypeDefinition } from "./registry.ts";

// Kedro raises "The 'con' argument cannot be empty" without it; extra keys would be create_engine arguments.
const credentials = z.strictObject({ con: z.string().check(z.minLength(1)) });

const SQL_HINTS: Readonly<Record<string, string>> = {
  ...ENTRY_HINTS,
  execution_options: "SQLAlchemy's execution options do not apply to kmlf's SQLite reader; remove it",
  fs_args: "kmlf reads the query file itself, without fsspec; remove it",
  "save_args.chunksize": "kmlf writes the whole table in one transaction; remove it",
  "save_args.dtype": "column types come from the values (as pandas infers them); remove it",
  "save_args.method": "kmlf inserts rows itself; remove it",
  "save_args.schema": "SQLite has no schemas: one file is one database; remove it",
};

// read_sql_table's arguments (columns, index_col, parse_dates…): a table loads whole, as rows.
const TABLE_HINTS: Readonly<Record<string, string>> = {
  ...SQL_HINTS,
  load_args:
    "kmlf loads the whole table as rows: pick columns in the node, or load a pandas.SQLQueryDataset " +
    "with sql: SELECT <columns> FROM <table>; remove it",
};

/**
 * The SQLite file a `con` URL names, absolute (a relative one is from the project root, where Kedro runs).
 *
 * @example
 * ```ts
 * sqliteFileOf("sqlite:///data/db.sqlite", ctx); // "<project>/data/db.sqlite"
 * ```
 */
export function sqliteFileOf(con: string, ctx: DatasetFactoryContext): string {
  // At the `con:` a credentials.yml block or the entry wrote (shown where it is, not at `credentials: db`).
  const at = ctx.locate?.(["credentials", "con"]) ?? ctx.source;
  const url = /^sqlite(?:\+\w+)?:\/\/(.*)$/is.exec(con);
  if (!url) {
    const scheme = /^([a-z][\w+.-]*):/i.exec(con)?.[1];
    throw new DatasetError(
      "catalog/unsupported-database",
      `Catalog entry "${ctx.name}" connects to ${
        scheme ? `a "${scheme}" database` : "a database without a URL scheme"
      }: kmlf's SQL datasets open SQLite files only`,
      {
        source: at,
        hint:
          "set the credentials' con to sqlite:///<file> (relative to the project root), copy the tables " +
          "into a SQLite file, or load them in a dataset class of your own (type: ./datasets/my.ts#MyDataset)",
      },
    );
  }
  const rest = url[1];
  // sqlite:// and sqlite:///:memory: are a database that starts empty on every connection; a host part
  // (sqlite://host/x) and URL query options have no meaning for a local file.
  const path = rest.startsWith("/") ? rest.slice(1) : "";
  if (path === "" || path === ":memory:" || path.includes("?")) {
    throw new DatasetError(
      "catalog/unsupported-database",
      `Catalog entry "${ctx.name}" names no SQLite file in its credentials' con (${
        path.includes("?") ? "URL options" : "an in-memory or host-only URL"
      })`,
      { source: at, hint: "write con: sqlite:///data/db.sqlite (a file relative to the project root)" },
    );
  }
  const foreign = foreignPath(path, CATALOG_PATHS);
  if (foreign) {
    throw new DatasetError(
      "catalog/foreign-path",
      `Cannot use the SQLite file "${path}" of catalog entry "${ctx.name}"'s credentials con: ${foreign.problem}`,
      { source: at, hint: `${foreign.hint}, as con: sqlite:///<path>` },
    );
  }
  return isAbsolute(path) ? path : resolve(ctx.projectRoot, path);
}

/** `pandas.SQLTableDataset`: a table of the SQLite file `credentials.con` names. Kedro's `if_exists` default is `fail`. */
export const kedroSqlTableType: DatasetTypeDefinition = {
  factory: (args, ctx) => {
    const saveArgs = args.save_args as { if_exists?: IfExists } | undefined;
    return new SqliteTableDataset({
      filepath: sqliteFileOf((args.credentials as { con: string }).con, ctx),
      tableName: args.table_name as string,
      // Kedro's save is pandas' to_sql, which refuses an existing table unless told otherwise.
      saveArgs: { if_exists: saveArgs?.if_exists ?? "fail" },
      metadata: ctx.metadata,
    });
  },
  schema: z.strictObject({
    table_name: z.string().check(z.regex(/^[A-Za-z_]\w*$/, "must be a plain SQL identifier")),
    credentials,
    save_args: z.optional(z.strictObject({
      if_exists: z.optional(z.enum(["replace", "append", "fail"])),
      index: z.optional(z.union([z.literal(false), z.null()])),
    })),
  }),
  argumentHints: TABLE_HINTS,
};

/**
 * `pandas.SQLQueryDataset`: the rows of `sql`, or of the query in the file `filepath` (read at each load, as
 * Kedro does), on the SQLite file `credentials.con` names.
 */
export const kedroSqlQueryType: DatasetTypeDefinition = {
  factory: (args, ctx) => {
    if ((args.sql === undefined) === (args.filepath === undefined)) {
      throw new DatasetError(
        "catalog/bad-argument",
        `Catalog entry "${ctx.name}" needs ${args.sql === undefined ? "" : "only "}one of sql and filepath`,
        {
          // At the key: both given fails whatever the path (a factory pattern's `filepath: sql/{name}.sql`).
          source: ctx.locateKey?.([args.sql === undefined ? "type" : "filepath"]) ?? ctx.source,
          hint: "write the query as sql: SELECT …, or name a file holding it with filepath: (as Kedro's " +
            "SQLQueryDataset: 'sql' and 'filepath' cannot both be given, nor both be empty)",
        },
      );
    }
    return new SqliteQueryDataset({
      filepath: sqliteFileOf((args.credentials as { con: string }).con, ctx),
      sql: args.sql as string | undefined,
      sqlFilepath: args.filepath as string | undefined,
      loadArgs: args.load_args as { params?: unknown[] } | undefined,
      metadata: ctx.metadata,
    });
  },
  schema: z.strictObject({
    sql: z.optional(z.string().check(z.minLength(1))),
    filepath: z.optional(z.string().check(z.minLength(1))),
    credentials,
    load_args: z.optional(z.strictObject({
      params: z.optional(z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())])),
    })),
  }),
  argumentHints: SQL_HINTS,
};
