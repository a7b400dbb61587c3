/** The SQLite dataset types (kedro's pandas.SQLTableDataset / SQLQueryDataset on a SQLite file). */
import { z } from "../zod/mod.ts";
import { SqliteQueryDataset } from "./datasets/sqlite_query_dataset.ts";
import { type IfExists, SqliteTableDataset } from "./datasets/sqlite_table_dataset.ts";
import { ENTRY_HINTS } from "./kedro_arguments.ts";
import type { DatasetTypeDefinition } from "./registry.ts";

const database = { filepath: z.string().check(z.minLength(1)), credentials: z.optional(z.unknown()) };

/** `sqlite_table`: rows in a table of a SQLite file. */
export const sqliteTableType: DatasetTypeDefinition = {
  factory: (args, ctx) =>
    new SqliteTableDataset({
      filepath: args.filepath as string,
      tableName: args.table_name as string,
      saveArgs: args.save_args as { if_exists?: IfExists } | undefined,
      metadata: ctx.metadata,
    }),
  schema: z.strictObject({
    ...database,
    table_name: z.string().check(z.regex(/^[A-Za-z_]\w*$/, "must be a plain SQL identifier")),
    save_args: z.optional(z.strictObject({
      if_exists: z.optional(z.enum(["replace", "append", "fail"])),
      // pandas' to_sql writes the index unless told not to; rows have none, so only "no" is meaningful.
      index: z.optional(z.union([z.literal(false), z.null()])),
    })),
  }),
  argumentHints: ENTRY_HINTS,
};

/** `sqlite_query`: the rows of a query on a SQLite file (load only). */
export const sqliteQueryType: DatasetTypeDefinition = {
  factory: (args, ctx) =>
    new SqliteQueryDataset({
      filepath: args.filepath as string,
      sql: args.sql as string,
      loadArgs: args.load_args as { params?: unknown[] } | undefined,
      metadata: ctx.metadata,
    }),
  schema: z.strictObject({
    ...database,
    sql: z.string().check(z.minLength(1)),
    load_args: z.optional(z.strictObject({
      params: z.optional(z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())])),
    })),
  }),
  argumentHints: ENTRY_HINTS,
};
