/** A SQLite table as an array of row objects. */
import { dirname } from "../../path.ts";
import { DatasetError } from "../../errors.ts";
import { pathExists } from "../atomic.ts";
import { localFilePath } from "../local_path.ts";
import type { Dataset } from "../dataset.ts";
import { assertRows, assertSavable } from "../save_checks.ts";
import {
  quoteIdent,
  readRows,
  SQLITE_CELLS,
  type SqlRow,
  sqlType,
  sqlValue,
  tableExists,
  withDb,
} from "./_sqlite.ts";
import { assertCells } from "./_table_cells.ts";
import { savedColumns } from "./_table_columns.ts";
import { promised } from "../../promised.ts";

/** What a save does when the table exists: `replace` (default), `append` or `fail`. */
export type IfExists = "replace" | "append" | "fail";

/** Options of {@link SqliteTableDataset}. */
export interface SqliteTableOptions {
  /** The database file (absolute; created on first save). */
  filepath: string;
  tableName: string;
  /** As in the catalog (snake_case, like every load_args/save_args). */
  saveArgs?: { if_exists?: IfExists };
  metadata?: Record<string, unknown>;
}

/**
 * A whole table: load returns every row; save writes rows inside one transaction, so readers never
 * see half a table. Column types come from the first non-null value of each column. No rows empty an
 * existing table under `if_exists: replace` (keeping its columns: an empty array names none) and add nothing
 * under `append`; a new table needs a row, since SQLite has no table without columns.
 *
 * @example
 * ```ts
 * const ds = new SqliteTableDataset({ filepath: "/tmp/db.sqlite", tableName: "scores" });
 * await ds.save([{ id: 1, score: 0.9 }]);
 * ```
 */
export class SqliteTableDataset implements Dataset<SqlRow[]> {
  /** Absolute path of the database file. */
  readonly filepath: string;
  /** The table (a plain SQL identifier). */
  readonly tableName: string;
  /** What a save does when the table exists (default `replace`). */
  readonly ifExists: IfExists;
  /** The entry's free-form `metadata`. */
  readonly metadata?: Record<string, unknown>;

  /** Refuses a table name that is not a plain identifier and an unknown `if_exists`. */
  constructor(options: SqliteTableOptions) {
    if (!/^[A-Za-z_]\w*$/.test(options.tableName ?? "")) {
      throw new DatasetError(
        "dataset/bad-table-name",
        `Table name "${options.tableName}" is not a plain SQL identifier`,
        {
          hint: "use letters, digits and underscores, starting with a letter",
        },
      );
    }
    this.filepath = localFilePath(options.filepath, "filepath");
    this.tableName = options.tableName;
    this.ifExists = options.saveArgs?.if_exists ?? "replace";
    this.metadata = options.metadata;
    if (!["replace", "append", "fail"].includes(this.ifExists)) {
      throw new DatasetError(
        "dataset/bad-if-exists",
        `save_args.if_exists "${this.ifExists}" is not supported`,
        {
          hint: "use replace, append or fail",
        },
      );
    }
  }

  /** Every row of the table; a missing table is `dataset/table-not-found`. */
  load(): Promise<SqlRow[]> {
    return promised(() =>
      withDb(this.filepath, { write: false }, (db) => {
        if (!tableExists(db, this.tableName)) {
          throw new DatasetError(
            "dataset/table-not-found",
            `Table "${this.tableName}" does not exist in ${this.filepath}`,
            {
              hint: "save the table first, or fix table_name",
            },
          );
        }
        return readRows(db.prepare(`SELECT * FROM ${quoteIdent(this.tableName)}`));
      })
    );
  }

  /** Writes `rows` in one transaction, per `ifExists`; the database file is created when missing. */
  save(rows: SqlRow[]): Promise<void> {
    return promised(() => {
      assertSavable(rows, "SqliteTableDataset");
      assertRows(
        rows,
        "SqliteTableDataset saves an array of row objects",
        "return rows like [{id: 1, name: 'x'}] from the node",
      );
      const columns = savedColumns(rows);
      assertDistinctColumns(columns);
      assertCells(rows, columns, SQLITE_CELLS);
      Deno.mkdirSync(dirname(this.filepath), { recursive: true });
      withDb(this.filepath, { write: true }, (db) => {
        const exists = tableExists(db, this.tableName);
        if (exists && this.ifExists === "fail") {
          throw new DatasetError(
            "dataset/table-exists",
            `Table "${this.tableName}" already exists in ${this.filepath}`,
            {
              hint: "set save_args.if_exists to replace or append",
            },
          );
        }
        if (!exists && columns.length === 0) {
          throw new DatasetError(
            "dataset/not-rows",
            `Cannot create table "${this.tableName}" from zero rows`,
            {
              hint: "save at least one row the first time, so the columns are known",
            },
          );
        }
        const table = quoteIdent(this.tableName);
        db.exec("BEGIN IMMEDIATE");
        try {
          // No rows replace a table's rows, not its columns (an empty array names none): an empty table.
          if (exists && this.ifExists === "replace" && rows.length === 0) db.exec(`DELETE FROM ${table}`);
          else if (exists && this.ifExists === "replace") db.exec(`DROP TABLE ${table}`);
          if ((!exists || this.ifExists === "replace") && columns.length > 0) {
            const defs = columns.map((c) =>
              `${quoteIdent(c)} ${sqlType(rows.find((r) => r[c] != null)?.[c])}`
            );
            db.exec(`CREATE TABLE ${table} (${defs.join(", ")})`);
          }
          if (rows.length > 0) {
            const insert = db.prepare(
              `INSERT INTO ${table} (${columns.map(quoteIdent).join(", ")}) VALUES (${
                columns.map(() => "?").join(", ")
              })`,
            );
            for (const r of rows) insert.run(...columns.map((c) => sqlValue(r[c])));
          }
          db.exec("COMMIT");
        } catch (error) {
          db.exec("ROLLBACK");
          throw error;
        }
      });
    });
  }

  /** Whether the database file holds the table. */
  exists(): Promise<boolean> {
    return promised(() => {
      if (!pathExists(this.filepath)) return false;
      return withDb(this.filepath, { write: false }, (db) => tableExists(db, this.tableName));
    });
  }

  describe(): Record<string, unknown> {
    return { filepath: this.filepath, table_name: this.tableName, save_args: { if_exists: this.ifExists } };
  }
}

// SQLite compares column names without case: "Price" and "price" cannot both be columns.
function assertDistinctColumns(columns: readonly string[]): void {
  const seen = new Map<string, string>();
  for (const column of columns) {
    const other = seen.get(column.toLowerCase());
    if (other !== undefined) {
      throw new DatasetError(
        "dataset/duplicate-columns",
        `Columns "${other}" and "${column}" are one column to SQLite, which ignores case in names`,
        { hint: "rename one of them in the node" },
      );
    }
    seen.set(column.toLowerCase(), column);
  }
}
