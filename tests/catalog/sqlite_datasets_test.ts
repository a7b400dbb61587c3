/** SQLite table and query datasets. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { SqliteQueryDataset, SqliteTableDataset } from "../../lib/catalog/mod.ts";
import { DatasetError } from "../../lib/errors.ts";
import { inTempDir } from "./dataset_contract.ts";

Deno.test("sqlite table: replace (default) rewrites, append adds, fail refuses an existing table", async () => {
  await inTempDir(async (dir) => {
    const db = join(dir, "sub/db.sqlite");
    const table = (ifExists?: "replace" | "append" | "fail") =>
      new SqliteTableDataset({
        filepath: db,
        tableName: "scores",
        saveArgs: ifExists ? { if_exists: ifExists } : undefined,
      });
    await table().save([{ id: 1, score: 0.5 }]);
    await table().save([{ id: 2, score: 0.7 }]);
    assert.deepEqual(await table().load(), [{ id: 2, score: 0.7 }]);
    await table("append").save([{ id: 3, score: 0.9 }]);
    assert.deepEqual((await table().load()).map((r) => r.id), [2, 3]);
    await assert.rejects(
      () => table("fail").save([{ id: 4, score: 1 }]),
      (e: DatasetError) => e instanceof DatasetError && e.code === "dataset/table-exists",
    );
    assert.equal((await table().load()).length, 2, "a refused save changes nothing");
  });
});

Deno.test("sqlite table stores booleans as 0/1 and dates as ISO text (as pandas' to_sql), bytes as BLOBs", async () => {
  await inTempDir(async (dir) => {
    const ds = new SqliteTableDataset({ filepath: join(dir, "db.sqlite"), tableName: "t" });
    await ds.save([{ ok: true, at: new Date(0), blob: new Uint8Array([1]) }]);
    assert.deepEqual(await ds.load(), [{ ok: 1, at: "1970-01-01T00:00:00.000Z", blob: new Uint8Array([1]) }]);
  });
});

Deno.test("sqlite errors: missing table or database, unsafe table names, zero rows for a new table", async () => {
  await inTempDir(async (dir) => {
    const db = join(dir, "db.sqlite");
    await assert.rejects(
      () => new SqliteTableDataset({ filepath: db, tableName: "t" }).load(),
      (e: DatasetError) => e instanceof DatasetError && e.code === "dataset/file-not-found",
    );
    await new SqliteTableDataset({ filepath: db, tableName: "other" }).save([{ a: 1 }]);
    await assert.rejects(
      () => new SqliteTableDataset({ filepath: db, tableName: "t" }).load(),
      (e: DatasetError) => e instanceof DatasetError && e.code === "dataset/table-not-found",
    );
    await assert.rejects(
      () => new SqliteTableDataset({ filepath: db, tableName: "t" }).save([]),
      (e: DatasetError) => e instanceof DatasetError && e.code === "dataset/not-rows",
    );
    assert.throws(
      () => new SqliteTableDataset({ filepath: db, tableName: "x; DROP TABLE y" }),
      (e: DatasetError) => e instanceof DatasetError && e.code === "dataset/bad-table-name",
    );
  });
});

Deno.test("sqlite query binds positional and named params and is read-only", async () => {
  await inTempDir(async (dir) => {
    const db = join(dir, "db.sqlite");
    await new SqliteTableDataset({ filepath: db, tableName: "scores" }).save([{ id: 1, score: 0.5 }, {
      id: 2,
      score: 0.9,
    }]);
    const positional = new SqliteQueryDataset({
      filepath: db,
      sql: "SELECT id FROM scores WHERE score > ? ORDER BY id",
      loadArgs: { params: [0.6] },
    });
    assert.deepEqual(await positional.load(), [{ id: 2 }]);
    const named = new SqliteQueryDataset({
      filepath: db,
      sql: "SELECT id FROM scores WHERE score < :max",
      loadArgs: { params: { max: 0.6 } },
    });
    assert.deepEqual(await named.load(), [{ id: 1 }]);
    assert.throws(
      () => named.save(),
      (e: DatasetError) => e instanceof DatasetError && e.code === "dataset/read-only",
    );
  });
});
