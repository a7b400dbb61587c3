/**
 * One search compiler, two dialects: on a real PostgreSQL server (whose locale sorts and folds text
 * differently from SQLite), every search returns what the in-memory evaluator returns, in its order,
 * and the same runs the SQLite store returns for the same generated data (order is compared through
 * the evaluator: ties fall back to the run ids, which differ between the two stores).
 */
import assert from "node:assert/strict";
import { openStore, SqliteStore } from "../../lib/tracking/mod.ts";
import { sharedPostgres } from "../services/postgres_server.ts";
import { experimentSearchesAgree, runSearchesAgree } from "./search_equivalence.ts";

async function postgresStore() {
  const url = await (await sharedPostgres()).createDatabase();
  return await openStore(url, { baseDir: Deno.cwd(), artifactRoot: "file:///tmp/kmlf-unused" });
}

Deno.test("PostgreSQL and SQLite searches return the same runs in the same order as the in-memory evaluator", async () => {
  const sqlite = SqliteStore.open(":memory:", { artifactRoot: "file:///tmp/kmlf-unused" });
  const postgres = await postgresStore();
  try {
    const fromSqlite = await runSearchesAgree(sqlite);
    const fromPostgres = await runSearchesAgree(postgres);
    assert.equal(fromPostgres.size, fromSqlite.size);
    const sorted = (seqs: string[] = []) => [...seqs].sort();
    for (const [search, seqs] of fromSqlite) {
      assert.deepEqual(sorted(fromPostgres.get(search)), sorted(seqs), search);
    }
  } finally {
    await sqlite.close();
    await postgres.close();
  }
});

Deno.test("PostgreSQL experiment searches agree with the in-memory evaluator", async () => {
  const store = await postgresStore();
  try {
    await experimentSearchesAgree(store);
  } finally {
    await store.close();
  }
});
