/**
 * Experiment searches break ties as MLflow 2.17.2 does: an order_by without `experiment_id` ends with
 * `experiment_id DESC` (its SQL and file stores both add that tie-breaker), while the default order is
 * `creation_time DESC, experiment_id ASC`. Times are made equal in the stores' own files, so every
 * experiment ties.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { FileStore, SqliteStore, type TrackingStore } from "../../lib/tracking/mod.ts";

const NAMES = ["exp-a", "exp-b", "exp-c"];

async function orders(store: TrackingStore): Promise<Record<string, string[]>> {
  const ids = (orderBy?: string[]) => pagedIds(store, orderBy);
  return {
    default: await ids(),
    creationDesc: await ids(["creation_time DESC"]),
    creationAsc: await ids(["creation_time ASC"]),
    updated: await ids(["last_update_time"]),
    explicit: await ids(["creation_time DESC", "experiment_id ASC"]),
  };
}

/** Every page of two, so ties must be broken the same way from one page to the next. */
async function pagedIds(store: TrackingStore, orderBy?: string[]): Promise<string[]> {
  const out: string[] = [];
  let pageToken: string | undefined;
  do {
    const page = await store.searchExperiments({ orderBy, maxResults: 2, pageToken });
    out.push(...page.experiments.map((e) => e.experimentId));
    pageToken = page.nextPageToken;
  } while (pageToken);
  return out;
}

function expected(ids: string[]): Record<string, string[]> {
  const ascending = [...ids].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  const descending = [...ascending].reverse();
  return {
    default: ascending,
    creationDesc: descending,
    creationAsc: descending,
    updated: descending,
    explicit: ascending,
  };
}

Deno.test("SQLite: experiments tied on their times are ordered by id, descending unless order_by names it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-exp-ties-" });
  try {
    const path = join(dir, "mlflow.db");
    const setup = SqliteStore.open(path);
    const ids = ["0"];
    for (const name of NAMES) ids.push(await setup.createExperiment(name));
    await setup.close();
    const db = new DatabaseSync(path);
    db.exec("UPDATE experiments SET creation_time = 1700000000000, last_update_time = 1700000000000");
    db.close();
    const store = SqliteStore.open(path);
    try {
      assert.deepEqual(await orders(store), expected(ids));
    } finally {
      await store.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("file store: experiments tied on their times are ordered by id, descending unless order_by names it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-exp-ties-" });
  try {
    const setup = await FileStore.open(dir);
    const ids = ["0"];
    for (const name of NAMES) ids.push(await setup.createExperiment(name));
    await setup.close();
    for (const id of ids) {
      const meta = join(dir, id, "meta.yaml");
      const text = await Deno.readTextFile(meta);
      await Deno.writeTextFile(
        meta,
        text.replace(/^(creation_time|last_update_time): .*$/gm, "$1: 1700000000000"),
      );
    }
    const store = await FileStore.open(dir);
    try {
      assert.deepEqual(await orders(store), expected(ids));
    } finally {
      await store.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
