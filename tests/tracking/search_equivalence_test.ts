/**
 * The SQL translator on SQLite and the in-memory evaluator (file store) give the same results
 * (tests/tracking/search_equivalence.ts); PostgreSQL is compared in postgres_search_test.ts.
 */
import { SqliteStore } from "../../lib/tracking/mod.ts";
import { experimentSearchesAgree, runSearchesAgree } from "./search_equivalence.ts";

Deno.test("the SQLite translator and the in-memory evaluator return the same runs in the same order", async () => {
  const store = SqliteStore.open(":memory:", { artifactRoot: "file:///tmp/kmlf-unused" });
  try {
    await runSearchesAgree(store);
  } finally {
    await store.close();
  }
});

Deno.test("experiment searches agree between SQLite and the in-memory evaluator", async () => {
  const store = SqliteStore.open(":memory:", { artifactRoot: "file:///tmp/kmlf-unused" });
  try {
    await experimentSearchesAgree(store);
  } finally {
    await store.close();
  }
});
