/**
 * Experiments with a NULL creation_time / last_update_time (made before MLflow 1.29, whose migration left
 * them NULL) sort where MLflow 2.17.2 puts them: its SQL store orders by the bare column, so the database
 * decides (SQLite: NULL is the smallest value; PostgreSQL: the largest), while its file store puts a
 * missing time last in both directions.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import postgres from "postgres";
import { FileStore, openStore, SqliteStore, type TrackingStore } from "../../lib/tracking/mod.ts";
import { sharedPostgres } from "../services/postgres_server.ts";

const ORDERS = ["creation_time ASC", "creation_time DESC", "last_update_time ASC", "last_update_time DESC"];

/** Experiment "0" plus old/new (times 1, 2) and "timeless" (NULL times); the names in each order. */
async function namesInOrders(
  store: TrackingStore,
  nullTimes: (id: string) => Promise<void>,
): Promise<Record<string, string[]>> {
  await store.createExperiment("old");
  await store.createExperiment("new");
  const timeless = await store.createExperiment("timeless");
  await nullTimes(timeless);
  const out: Record<string, string[]> = {};
  for (const orderBy of [undefined, ...ORDERS]) {
    const names: string[] = [];
    let pageToken: string | undefined;
    do { // pages of one: the order must hold from one page to the next
      const page = await store.searchExperiments({
        filter: "name != 'Default'",
        orderBy: orderBy ? [orderBy] : [],
        maxResults: 1,
        pageToken,
      });
      names.push(...page.experiments.map((e) => e.name));
      pageToken = page.nextPageToken;
    } while (pageToken);
    out[orderBy ?? "default"] = names;
  }
  return out;
}

const TIMES = (old: string, created: string) =>
  `UPDATE experiments SET creation_time = CASE name WHEN 'old' THEN 1 ELSE 2 END, ` +
  `last_update_time = CASE name WHEN 'old' THEN 1 ELSE 2 END WHERE name IN ('${old}', '${created}')`;

Deno.test("SQLite: a NULL experiment time sorts first ascending and last descending, as MLflow's SQL store", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-exp-null-" });
  const path = join(dir, "mlflow.db");
  const store = SqliteStore.open(path);
  try {
    const orders = await namesInOrders(store, (id) => {
      const db = new DatabaseSync(path);
      db.exec(TIMES("old", "new"));
      db.exec(
        `UPDATE experiments SET creation_time = NULL, last_update_time = NULL WHERE experiment_id = ${id}`,
      );
      db.close();
      return Promise.resolve();
    });
    assert.deepEqual(orders, {
      default: ["new", "old", "timeless"],
      "creation_time ASC": ["timeless", "old", "new"],
      "creation_time DESC": ["new", "old", "timeless"],
      "last_update_time ASC": ["timeless", "old", "new"],
      "last_update_time DESC": ["new", "old", "timeless"],
    });
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("PostgreSQL: a NULL experiment time sorts last ascending and first descending, as MLflow's SQL store", async () => {
  const url = await (await sharedPostgres()).createDatabase();
  const store = await openStore(url, { baseDir: Deno.cwd(), artifactRoot: "file:///tmp/kmlf-unused" });
  try {
    const orders = await namesInOrders(store, async (id) => {
      const sql = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(TIMES("old", "new"));
        await sql.unsafe(
          `UPDATE experiments SET creation_time = NULL, last_update_time = NULL WHERE experiment_id = ${id}`,
        );
      } finally {
        await sql.end();
      }
    });
    assert.deepEqual(orders, {
      default: ["timeless", "new", "old"],
      "creation_time ASC": ["old", "new", "timeless"],
      "creation_time DESC": ["timeless", "new", "old"],
      "last_update_time ASC": ["old", "new", "timeless"],
      "last_update_time DESC": ["timeless", "new", "old"],
    });
  } finally {
    await store.close();
  }
});

Deno.test("file store: a missing experiment time sorts last in both directions, as MLflow's file store", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-exp-null-" });
  try {
    const store = await FileStore.open(dir);
    try {
      const orders = await namesInOrders(store, async (id) => {
        for (const [name, time] of [["old", "1"], ["new", "2"], ["timeless", "null"]]) {
          const entry = (await store.searchExperiments({ filter: `name = '${name}'` })).experiments[0];
          const meta = join(dir, entry?.experimentId ?? id, "meta.yaml");
          const text = await Deno.readTextFile(meta);
          await Deno.writeTextFile(
            meta,
            text.replace(/^(creation_time|last_update_time): .*$/gm, `$1: ${time}`),
          );
        }
      });
      assert.deepEqual(orders, {
        default: ["new", "old", "timeless"],
        "creation_time ASC": ["old", "new", "timeless"],
        "creation_time DESC": ["new", "old", "timeless"],
        "last_update_time ASC": ["old", "new", "timeless"],
        "last_update_time DESC": ["new", "old", "timeless"],
      });
    } finally {
      await store.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
