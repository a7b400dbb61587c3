/**
 * Kedro's pandas.SQLTableDataset / SQLQueryDataset entries as a Kedro catalog writes them (the database in
 * `credentials: {con: sqlite:///…}`): they run on SQLite files, with Kedro's defaults; other databases and
 * argument combinations Kedro refuses are errors located at the entry that never show the URL.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Catalog } from "../../lib/catalog/mod.ts";
import { type DatasetError, KmlfAggregateError } from "../../lib/errors.ts";
import { CATALOG_FILE, catalogConfig } from "./catalog_helpers.ts";
import { inTempDir } from "./dataset_contract.ts";

const CREDS_FILE = "/project/conf/local/credentials.yml";

function build(root: string, catalogYaml: string, credentialsYaml: string) {
  return Catalog.fromConfig(catalogConfig(catalogYaml), {
    projectRoot: root,
    credentials: catalogConfig(credentialsYaml, CREDS_FILE),
  });
}

Deno.test("Kedro's SQL entries read and write the SQLite file credentials.con names, relative to the project", async () => {
  await inTempDir(async (root) => {
    await Deno.mkdir(join(root, "queries"));
    await Deno.writeTextFile(join(root, "queries/big.sql"), "SELECT id FROM shuttles WHERE seats > :min");
    const catalog = await build(
      root,
      "shuttles_table:\n  type: pandas.SQLTableDataset\n  table_name: shuttles\n  credentials: db\n" +
        "big:\n  type: kedro_datasets.pandas.SQLQueryDataset\n  filepath: queries/big.sql\n" +
        "  credentials: db\n  load_args: {params: {min: 2}}\n" +
        "count:\n  type: pandas.SQLQueryDataset\n  sql: SELECT count(*) AS n FROM shuttles\n  credentials: db\n",
      "db:\n  con: sqlite:///data/shuttles.db\n",
    );
    await catalog.save("shuttles_table", [{ id: 1, seats: 2 }, { id: 2, seats: 5 }]);
    await Deno.stat(join(root, "data/shuttles.db"));
    assert.deepEqual(await catalog.load("big"), [{ id: 2 }]);
    assert.deepEqual(await catalog.load("count"), [{ n: 2 }]);
    // pandas' to_sql (Kedro's save) refuses an existing table unless save_args.if_exists says otherwise.
    await assert.rejects(
      () => catalog.save("shuttles_table", [{ id: 3, seats: 1 }]),
      (e: DatasetError) => e.code === "dataset/table-exists",
    );
  });
});

Deno.test("an absolute sqlite://// path and a sqlite+driver URL are files too", async () => {
  await inTempDir(async (root) => {
    const db = join(root, "abs.db");
    const catalog = await build(
      root,
      "a:\n  type: SQLTableDataset\n  table_name: t\n  credentials: abs\n  save_args: {if_exists: replace}\n" +
        "b:\n  type: pandas.SQLQueryDataset\n  sql: SELECT x FROM t\n  credentials: drv\n",
      `abs: {con: "sqlite:///${db}"}\ndrv: {con: "sqlite+pysqlite:///${db}"}\n`,
    );
    await catalog.save("a", [{ x: 1 }]);
    await catalog.save("a", [{ x: 2 }]);
    assert.deepEqual(await catalog.load("b"), [{ x: 2 }]);
  });
});

Deno.test("other databases, in-memory SQLite and sql/filepath misuse are refused at the entry, no URL shown", async () => {
  const yaml = "pg:\n  type: pandas.SQLTableDataset\n  table_name: t\n  credentials: pg\n" +
    "mem:\n  type: pandas.SQLTableDataset\n  table_name: t\n  credentials: mem\n" +
    "both:\n  type: pandas.SQLQueryDataset\n  sql: SELECT 1\n  filepath: q.sql\n  credentials: lite\n" +
    "none:\n  type: pandas.SQLQueryDataset\n  credentials: lite\n" +
    "nocon:\n  type: pandas.SQLQueryDataset\n  sql: SELECT 1\n  credentials: {user: x}\n";
  const creds =
    "pg: {con: 'postgresql://bob:hunter2@db/x'}\nmem: {con: 'sqlite://'}\nlite: {con: 'sqlite:///a.db'}\n";
  await assert.rejects(() => build("/p", yaml, creds), (e: unknown) => {
    assert.ok(e instanceof KmlfAggregateError);
    const byEntry = Object.fromEntries(
      (e.errors as DatasetError[]).map((err) => [String(err.source?.keyPath).split(".")[0], err]),
    );
    assert.deepEqual(Object.keys(byEntry).sort(), ["both", "mem", "nocon", "none", "pg"]);
    assert.equal(byEntry.pg.code, "catalog/unsupported-database");
    assert.match(byEntry.pg.message, /a "postgresql" database: kmlf's SQL datasets open SQLite files only/);
    // At the con credentials.yml wrote, where the fix goes (not the entry's `credentials: pg`).
    assert.deepEqual(byEntry.pg.source, { file: CREDS_FILE, line: 1, column: 11, keyPath: "pg.con" });
    assert.equal(byEntry.mem.code, "catalog/unsupported-database");
    assert.match(byEntry.mem.hint!, /sqlite:\/\/\/data\/db\.sqlite/);
    assert.equal(byEntry.both.code, "catalog/bad-argument");
    assert.match(byEntry.both.message, /needs only one of sql and filepath/);
    assert.match(byEntry.none.message, /needs one of sql and filepath/);
    assert.equal(byEntry.nocon.source?.keyPath, "nocon.credentials.user");
    assert.doesNotMatch(
      JSON.stringify(e.errors.map((x) => [x.message, (x as DatasetError).hint])),
      /hunter2/,
    );
    return true;
  });
});

Deno.test("read_sql_table's load_args on a SQLTableDataset say how to pick columns instead", async () => {
  const yaml =
    "t:\n  type: pandas.SQLTableDataset\n  table_name: t\n  credentials: lite\n  load_args: {columns: [a]}\n";
  await assert.rejects(() => build("/p", yaml, "lite: {con: 'sqlite:///a.db'}\n"), (e: DatasetError) => {
    assert.equal(e.code, "catalog/unsupported-argument");
    assert.equal(e.source?.keyPath, "t.load_args");
    assert.match(e.hint!, /sql: SELECT <columns> FROM <table>/);
    return true;
  });
});

// A key of a credentials block is reported where credentials.yml has it: the catalog never wrote it.
Deno.test("a bad key in a credentials block is located in credentials.yml, inline credentials in the catalog", async () => {
  const yaml = "t:\n  type: pandas.SQLTableDataset\n  table_name: t\n  credentials: warehouse\n" +
    "'{name}_tbl':\n  type: pandas.SQLTableDataset\n  table_name: '{name}'\n  credentials: warehouse\n" +
    "inline:\n  type: pandas.SQLTableDataset\n  table_name: t\n  credentials: {con: 'sqlite:///a.db', usr: x}\n";
  const creds = "warehouse:\n  con: sqlite:///a.db\n  user: bob\n";
  await assert.rejects(() => build("/p", yaml, creds), (e: unknown) => {
    assert.ok(e instanceof KmlfAggregateError);
    const sources = (e.errors as DatasetError[]).map((err) => [err.message, err.source]);
    assert.deepEqual(sources, [
      [
        'Unknown key "t.credentials.user" in dataset "t" (pandas.SQLTableDataset)',
        { file: CREDS_FILE, line: 3, column: 9, keyPath: "warehouse.user" },
      ],
      [
        'Unknown key "inline.credentials.usr" in dataset "inline" (pandas.SQLTableDataset)',
        { file: CATALOG_FILE, line: 12, column: 45, keyPath: "inline.credentials.usr" },
      ],
    ]);
    return true;
  });
});
